// Copies chosen UI-test screenshots (test-results/screenshots/, git-ignored) to media/screenshots/
// for the README: `node test/ui/copy-screenshots.mjs [name …]` (default: the feature shots).
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../vscode/runtime.mjs';
import { screenshotDir } from './workbench.mjs';

const chosen = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['completion', 'hover', 'diagnostics', 'merged-view', 'masking', 'command-palette'];
const target = join(repoRoot, 'media/screenshots');
mkdirSync(target, { recursive: true });
let missing = 0;
for (const name of chosen) {
  const from = join(screenshotDir, `${name}.png`);
  if (!existsSync(from)) {
    console.log(`missing ${from} (run node test/ui/run.mjs first)`);
    missing += 1;
    continue;
  }
  copyFileSync(from, join(target, `${name}.png`));
  console.log(`copied ${name}.png → media/screenshots/`);
}
process.exit(missing === chosen.length ? 1 : 0);
