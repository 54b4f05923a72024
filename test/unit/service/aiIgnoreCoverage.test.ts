// Whether each AI tool's ignore file covers a secrets file (service/aiIgnoreCoverage.ts), with each
// tool's differences from gitignore, and the line the quick fix adds.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { aiIgnoreCovers, aiIgnoreLineFor, aiIgnoreTools, missingAiIgnores, type AiIgnoreTool, type FoundIgnoreFile } from '../../../server/src/service/aiIgnoreCoverage';

const tool = (file: string): AiIgnoreTool => aiIgnoreTools.find((candidate) => candidate.file === file)!;
const cursor = tool('.cursorignore');
const gemini = tool('.aiexclude');
const jetbrains = tool('.aiignore');
const windsurf = tool('.codeiumignore');
const secrets = '.streamlit/secrets.toml';
const nested = 'apps/shop/.streamlit/secrets.toml';
const root = (text: string): FoundIgnoreFile[] => [{ folder: '', text }];

describe('aiIgnoreCovers', () => {
  test('gitignore syntax for Cursor and JetBrains: names, globs, anchors, comments, negation', () => {
    for (const gitignoreLike of [cursor, jetbrains]) {
      assert.equal(aiIgnoreCovers(gitignoreLike, root('secrets.toml\n'), nested), true, 'a bare name matches at any depth');
      assert.equal(aiIgnoreCovers(gitignoreLike, root('**/.streamlit/secrets.toml\n'), nested), true);
      assert.equal(aiIgnoreCovers(gitignoreLike, root('.streamlit/\n'), secrets), true, 'a folder rule');
      assert.equal(aiIgnoreCovers(gitignoreLike, root('/.streamlit/secrets.toml\n'), nested), false, 'anchored at the root');
      assert.equal(aiIgnoreCovers(gitignoreLike, root('# .streamlit/secrets.toml\nnode_modules/\n'), secrets), false, 'a comment is no rule');
      assert.equal(aiIgnoreCovers(gitignoreLike, root('*.toml\n!secrets.toml\n'), secrets), false, 'negation re-includes');
      assert.equal(aiIgnoreCovers(gitignoreLike, root(''), secrets), false, 'an empty file ignores nothing');
      assert.equal(aiIgnoreCovers(gitignoreLike, [{ folder: 'apps', text: 'secrets.toml\n' }], nested), false, 'only the root file counts');
      assert.equal(aiIgnoreCovers(gitignoreLike, root('.streamlit/secrets.toml\r\n'), secrets), true, 'CRLF lines');
    }
  });

  test('.aiexclude: any folder for itself and below, an empty file excludes everything, `!` not relied on', () => {
    assert.equal(aiIgnoreCovers(gemini, [{ folder: 'apps/shop', text: '' }], nested), true, 'empty = everything below');
    assert.equal(aiIgnoreCovers(gemini, [{ folder: 'apps/other', text: '' }], nested), false, 'not a folder above the file');
    assert.equal(aiIgnoreCovers(gemini, [{ folder: 'apps', text: 'shop/.streamlit/secrets.toml\n' }], nested), true, 'relative to its own folder');
    assert.equal(aiIgnoreCovers(gemini, root('*.toml\n!secrets.toml\n'), secrets), true, 'the `!` line is not counted on');
    assert.equal(aiIgnoreCovers(gemini, root('!.streamlit/secrets.toml\n'), secrets), false, 'only a negation: not covered (and not empty)');
  });

  test('Windsurf skips hidden paths whatever its file says; a visible path needs a rule', () => {
    assert.equal(aiIgnoreCovers(windsurf, root('build/\n'), secrets), true);
    assert.equal(aiIgnoreCovers(windsurf, root('build/\n'), 'conf/secrets.toml'), false);
    assert.equal(aiIgnoreCovers(windsurf, root('conf/\n'), 'conf/secrets.toml'), true);
  });
});

describe('missingAiIgnores', () => {
  test('only tools whose file exists, the line relative to the file that gets it', () => {
    const found = new Map<AiIgnoreTool, FoundIgnoreFile[]>([
      [cursor, root('node_modules/\n')],
      [jetbrains, root('**/secrets.toml\n')],
      [gemini, [{ folder: '', text: 'build/\n' }, { folder: 'apps', text: '*.log\n' }]],
    ]);
    assert.deepEqual(
      missingAiIgnores(nested, found).map(({ tool: missing, folder, line }) => [missing.file, folder, line]),
      [['.cursorignore', '', '/apps/shop/.streamlit/secrets.toml'], ['.aiexclude', 'apps', '/shop/.streamlit/secrets.toml']],
    );
    assert.deepEqual(missingAiIgnores(secrets, new Map()), [], 'no ignore file: no tool in use, nothing proposed');
    assert.deepEqual(missingAiIgnores(secrets, new Map([[cursor, [{ folder: 'sub', text: '' }]]])), [], 'a root-only tool with a file elsewhere is not proposed');
  });

  test('the line added makes the file covered (spaces, a trailing space), anchored', () => {
    for (const relative of [secrets, 'apps/my app/.streamlit/secrets.toml', 'trailing /secrets.toml ']) {
      const line = aiIgnoreLineFor(relative);
      assert.equal(aiIgnoreCovers(cursor, root(`${line}\n`), relative), true, `${line} covers ${relative}`);
      assert.equal(aiIgnoreCovers(cursor, root(`${line}\n`), `other/${relative}`), false, `${line} is anchored`);
    }
  });
});
