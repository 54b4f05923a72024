// UI tests against code-server (browser VS Code) with the packaged extension, driven as a user by
// headless Chromium through playwright-core:
//
//   node test/ui/run.mjs [--vscode=min|newest] [--no-package] [--grep=TEXT] [--keep] [--install] [--screenshots]
//
// Packages the extension (npm run package; --no-package reuses streamlit-secrets.vsix), installs it
// into a fresh extensions dir, serves a fresh copy of the fixture project (test/vscode/fixtures) with
// a temporary HOME holding the global secrets fixture, runs test/ui/tests.mjs, writes screenshots to
// test-results/screenshots/, prints each result and finally `ui: N passed, M failed`. With
// --screenshots (or STREAMLIT_SECRETS_SCREENSHOTS=1; `npm run screenshots`) a run where every test
// passed also refreshes the README's pictures in media/screenshots/ (copy-screenshots.mjs).
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageExtension, startCodeServer, vsixPath } from '../vscode/lib/codeServer.mjs';
import { cleanupAll, findChromium, freePort, isExiting, launchChromium, onCleanup, stopGroup } from '../vscode/lib/processes.mjs';
import { ensureRuntime, isInstalled, repoRoot, runtimePaths } from '../vscode/runtime.mjs';
import { serverCapabilities } from './serverCapabilities.mjs';
import { refreshReadmeScreenshots } from './copy-screenshots.mjs';
import { tests } from './tests.mjs';
import { checkedShots, screenshot, screenshotDir, waitForWorkbench } from './workbench.mjs';

function parseArgs(argv) {
  const options = { runtime: 'min', package: true, grep: undefined, keep: false, install: false, screenshots: process.env.STREAMLIT_SECRETS_SCREENSHOTS === '1' };
  for (const arg of argv) {
    if (arg.startsWith('--vscode=')) options.runtime = arg.slice('--vscode='.length);
    else if (arg === '--no-package') options.package = false;
    else if (arg.startsWith('--grep=')) options.grep = arg.slice('--grep='.length);
    else if (arg === '--keep') options.keep = true;
    else if (arg === '--install') options.install = true;
    else if (arg === '--screenshots') options.screenshots = true;
  }
  return options;
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  findChromium();
  if (!isInstalled(options.runtime)) {
    if (!options.install) throw new Error(`VS Code runtime "${options.runtime}" is not installed: run \`node test/vscode/runtime.mjs ${options.runtime}\` (or pass --install)`);
    ensureRuntime(options.runtime);
  }
  const runtime = runtimePaths(options.runtime);
  if (options.package) packageExtension();
  else if (!existsSync(vsixPath)) throw new Error(`${vsixPath} is missing: run npm run package (or drop --no-package)`);

  const tmp = mkdtempSync(join(tmpdir(), 'streamlit-secrets-ui-'));
  const home = join(tmp, 'home');
  const folder = join(tmp, 'workspace');
  cpSync(join(repoRoot, 'test/vscode/fixtures/home'), home, { recursive: true });
  cpSync(join(repoRoot, 'test/vscode/fixtures/workspace'), folder, { recursive: true });
  const logFile = join(tmp, 'code-server.log');
  const extensionsDir = join(tmp, 'extensions');
  // Ctrl+C or a crash: the temporary dirs go too (after the servers are stopped).
  onCleanup(() => (options.keep ? undefined : rmSync(tmp, { recursive: true, force: true })), { afterServers: true });

  const counts = { passed: 0, failed: 0, skipped: 0 };
  const started = Date.now();
  const server = await startCodeServer(runtime, {
    vsix: vsixPath,
    port: await freePort(),
    folder,
    userDataDir: join(tmp, 'user-data'),
    extensionsDir,
    home,
    logFile,
  });
  // What the user gets is the packaged extension: its manifest and its language server decide which
  // tests apply (the repository's may be newer than a reused .vsix).
  const installed = readdirSync(extensionsDir).find((name) => name.startsWith('streamlit-secrets-dev.streamlit-secrets-'));
  if (!installed) throw new Error(`the extension is not in ${extensionsDir} after --install-extension`);
  const manifest = JSON.parse(readFileSync(join(extensionsDir, installed, 'package.json'), 'utf8'));
  const capabilities = await serverCapabilities(join(extensionsDir, installed, 'server/out/server.js'));
  let browser;
  try {
    browser = await launchChromium();
    // Device scale 2: screenshots sharp enough for OCR to read the workbench's small UI text.
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 2 });
    await page.goto(server.url);
    await waitForWorkbench(page);
    console.log(`\n== ui tests on code-server ${runtime.name} (VS Code ${runtime.vscodeVersion})`);
    for (const test of tests) {
      if (options.grep && !options.grep.split('|').some((part) => test.name.includes(part))) continue;
      const testStarted = Date.now();
      let skipped;
      try {
        await test.run({ page, capabilities, manifest, folder, home, skip: (reason) => (skipped = reason) });
        if (skipped) {
          counts.skipped += 1;
          console.log(`  skip ${test.name} (${skipped})`);
        } else {
          counts.passed += 1;
          console.log(`  ok   ${test.name} (${Date.now() - testStarted} ms)`);
        }
      } catch (error) {
        counts.failed += 1;
        const name = test.name.replace(/[^a-z0-9]+/gi, '-').toLowerCase();
        const shot = await screenshot(page, `FAILED-${name}`).catch(() => 'none');
        console.log(`  FAIL ${test.name}\n         ${String(error instanceof Error ? error.message : error).split('\n').join('\n         ')}\n         screenshot: ${shot}`);
        await page.keyboard.press('Escape').catch(() => {});
      }
    }
  } catch (error) {
    if (isExiting()) return new Promise(() => {}); // Ctrl+C: the signal handler cleans up and exits
    counts.failed += 1;
    console.log(`  FAIL starting the workbench: ${error instanceof Error ? error.message : String(error)} (log: ${logFile})`);
    options.keep = true;
  } finally {
    await browser?.close().catch(() => {});
    await stopGroup(server.group);
  }
  if (options.screenshots) {
    // Only from a whole, green run: a skipped or failed test would leave an old picture behind.
    if (options.grep || counts.failed > 0) {
      counts.failed += 1;
      console.log('  FAIL README screenshots: refreshed only by a run of every test with no failure (no --grep)');
    } else {
      try {
        const { copied, removed } = refreshReadmeScreenshots({ checked: checkedShots, since: started });
        console.log(`  ok   README screenshots refreshed in media/screenshots: ${copied.join(', ')}${removed.length ? `; removed ${removed.join(', ')}` : ''}`);
      } catch (error) {
        counts.failed += 1;
        console.log(`  FAIL ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
  console.log(`ui (code-server ${runtime.name}): ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped in ${((Date.now() - started) / 1000).toFixed(1)} s; screenshots in ${screenshotDir}`);
  if (options.keep) console.log(`  kept ${tmp}`);
  else rmSync(tmp, { recursive: true, force: true });
  console.log(`ui: ${counts.passed} passed, ${counts.failed} failed`);
  return counts.failed === 0 ? 0 : 1;
}

main().then(
  async (code) => {
    await cleanupAll();
    process.exit(code);
  },
  async (error) => {
    console.error(`ui tests: ${error instanceof Error ? error.message : String(error)}`);
    await cleanupAll();
    console.log('ui: 0 passed, 1 failed');
    process.exit(1);
  },
);
