/**
 * Random combinations of ignore files, decided by git (trusted) and by the library (untrusted):
 * the answers, including which line decided, must be the same. Fixed seed: reproducible.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { checkSecretsFileGitStatus, type SecretsGitStatus } from '../../../common/git/secretsGitStatus';
import { isolateGitEnvironment, makeRepo, removeTempDirs } from './gitFixtures';

before(() => {
  isolateGitEnvironment();
});
after(() => removeTempDirs());

const PATTERNS = [
  '*.toml', '!*.toml', 'secrets.toml', '!secrets.toml', '/secrets.toml', '.streamlit/', '!.streamlit/', '.streamlit/*',
  '!.streamlit/secrets.toml', '.streamlit/secrets.toml', '**/secrets.toml', 'app/', '!app/', 'app/*', '!app/.streamlit/',
  '*', '!*/', '!*', 'secrets.*', '!secrets.*', '**/.streamlit/**', 'app/**/secrets.toml', '*.tom?', 'secret[s].toml', '.*',
];
const LOCATIONS = ['.gitignore', 'app/.gitignore', 'app/.streamlit/.gitignore', '.git/info/exclude'] as const;
const TARGETS = ['app/.streamlit/secrets.toml', '.streamlit/secrets.toml'];

function comparable(status: SecretsGitStatus): unknown {
  return { ignored: status.ignored, ignoredBy: status.ignoredBy, reincludedBy: status.reincludedBy };
}

test('library fallback agrees with git on random ignore files', async () => {
  const lines = fc.array(fc.constantFrom(...PATTERNS), { maxLength: 3 });
  await fc.assert(
    fc.asyncProperty(fc.tuple(lines, lines, lines, lines), fc.constantFrom(...TARGETS), async (contents, target) => {
      const root = makeRepo({ [target]: 'k = "v"\n', 'app/.streamlit/config.toml': '' });
      LOCATIONS.forEach((location, index) => {
        const file = path.join(root, ...location.split('/'));
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, contents[index]!.map((line) => `${line}\n`).join(''));
      });
      const file = path.join(root, ...target.split('/'));
      const byGit = await checkSecretsFileGitStatus(file, { trusted: true });
      const byLibrary = await checkSecretsFileGitStatus(file, { trusted: false });
      assert.equal(byGit.method, 'git');
      assert.deepEqual(comparable(byLibrary), comparable(byGit), JSON.stringify({ contents, target }));
      fs.rmSync(root, { recursive: true, force: true });
    }),
    { seed: 20240501, numRuns: 50 },
  );
});
