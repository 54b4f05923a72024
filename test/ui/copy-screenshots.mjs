// The README's pictures, taken again by the UI tests: `npm run screenshots` (= `node test/ui/run.mjs
// --screenshots`, or STREAMLIT_SECRETS_SCREENSHOTS=1) runs the UI tests and, when all pass, copies
// into media/screenshots/ every picture the README shows. Each must be a screenshot taken in this
// run by `readmeShot` (workbench.mjs), which checked it for secret values (the workbench's text and
// OCR of the picture); a README picture no UI test takes fails the run. Pictures the README no
// longer shows are removed.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../vscode/runtime.mjs';
import { screenshotDir } from './workbench.mjs';

const folder = 'media/screenshots';

/** The README's pictures under media/screenshots/, by screenshot name (file name without .png). */
export function readmePictures(readme = readFileSync(join(repoRoot, 'README.md'), 'utf8')) {
  const links = [...readme.matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)].map((match) => match[1]);
  const outside = links.filter((link) => !link.startsWith(`${folder}/`) || !link.endsWith('.png'));
  if (outside.length > 0) throw new Error(`README pictures not taken by the UI tests (not ${folder}/*.png): ${outside.join(', ')}`);
  return [...new Set(links.map((link) => link.slice(folder.length + 1, -'.png'.length)))];
}

/**
 * Copies the README's pictures from this run's screenshots. `checked`: names taken by readmeShot in
 * this run; `since`: when the run started (an older file is a leftover of another run).
 */
export function refreshReadmeScreenshots({ checked, since }) {
  const wanted = readmePictures();
  const problems = [];
  for (const name of wanted) {
    const from = join(screenshotDir, `${name}.png`);
    if (!checked.has(name)) problems.push(`${name}: no UI test took it with readmeShot in this run`);
    else if (!existsSync(from) || statSync(from).mtimeMs < since) problems.push(`${name}: ${from} was not written in this run`);
  }
  if (problems.length > 0) throw new Error(`README screenshots not refreshed:\n  ${problems.join('\n  ')}`);
  const target = join(repoRoot, folder);
  mkdirSync(target, { recursive: true });
  for (const name of wanted) copyFileSync(join(screenshotDir, `${name}.png`), join(target, `${name}.png`));
  const removed = readdirSync(target).filter((file) => file.endsWith('.png') && !wanted.includes(file.slice(0, -'.png'.length)));
  for (const file of removed) rmSync(join(target, file));
  return { copied: wanted, removed };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.error('The README screenshots come from a UI test run: npm run screenshots (node test/ui/run.mjs --screenshots).');
  process.exit(1);
}
