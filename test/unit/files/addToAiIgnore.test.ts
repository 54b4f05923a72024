// The quick fix of `ai-ignore-missing`: one line added to an EXISTING AI ignore file, line endings
// kept, never duplicated, never created, links written through in place; the result covers the file.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { addToAiIgnore } from '../../../client/src/files/addToAiIgnore';
import { aiIgnoreCovers, aiIgnoreLineFor, aiIgnoreTools } from '../../../server/src/service/aiIgnoreCoverage';
import { TempTree } from '../../helpers/tempProject';

const cursor = aiIgnoreTools.find((tool) => tool.file === '.cursorignore')!;
const line = aiIgnoreLineFor('.streamlit/secrets.toml');

describe('addToAiIgnore', () => {
  const trees: TempTree[] = [];
  const tree = (files: Record<string, string>): TempTree => {
    const made = new TempTree(files);
    trees.push(made);
    return made;
  };
  after(() => trees.forEach((made) => made.dispose()));

  test('appends the line, keeping CRLF and a missing final newline; the file then covers the secrets file', async () => {
    const made = tree({ '.cursorignore': 'node_modules/\r\nbuild/' });
    assert.equal(await addToAiIgnore(made.path('.cursorignore'), line), true);
    const text = fs.readFileSync(made.path('.cursorignore'), 'utf8');
    assert.equal(text, `node_modules/\r\nbuild/\r\n${line}\r\n`);
    assert.equal(aiIgnoreCovers(cursor, [{ folder: '', text }], '.streamlit/secrets.toml'), true);
  });

  test('never duplicates a line the file has', async () => {
    const made = tree({ '.aiignore': `${line}\n` });
    assert.equal(await addToAiIgnore(made.path('.aiignore'), line), false);
    assert.equal(fs.readFileSync(made.path('.aiignore'), 'utf8'), `${line}\n`);
  });

  test('never creates a file for a tool that is not in use', async () => {
    const made = tree({});
    await assert.rejects(addToAiIgnore(made.path('.cursorignore'), line), /does not exist.*Nothing was changed/);
    assert.equal(fs.existsSync(made.path('.cursorignore')), false);
  });

  test('a hard-linked file is edited in place (both names see the line)', async () => {
    const made = tree({ '.aiexclude': 'build/\n' });
    fs.linkSync(made.path('.aiexclude'), made.path('other-name'));
    assert.equal(await addToAiIgnore(made.path('.aiexclude'), line), true);
    assert.equal(fs.readFileSync(made.path('other-name'), 'utf8'), `build/\n${line}\n`);
  });

  test('a symbolic link is refused, nothing changed', async () => {
    const made = tree({ 'real-ignore': 'build/\n' });
    fs.symlinkSync(made.path('real-ignore'), made.path('.cursorignore'));
    await assert.rejects(addToAiIgnore(made.path('.cursorignore'), line), /symbolic link/);
    assert.equal(fs.readFileSync(made.path('real-ignore'), 'utf8'), 'build/\n');
  });
});
