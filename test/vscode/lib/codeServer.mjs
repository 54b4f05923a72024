// Packaging the extension and serving it in code-server (the browser VS Code from the npm package),
// shared by the UI tests (test/ui) and the demo (scripts/demo.mjs).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../runtime.mjs';
import { startGroup, waitForHttp } from './processes.mjs';

export const vsixPath = join(repoRoot, 'streamlit-secrets.vsix');

/** `npm run package` → streamlit-secrets.vsix (compile in production mode + vsce). */
export function packageExtension({ log = console.log } = {}) {
  const started = Date.now();
  log('packaging the extension (npm run package) …');
  const result = spawnSync('npm', ['run', 'package'], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  if (result.status !== 0 || !existsSync(vsixPath)) {
    throw new Error(`npm run package failed:\n${(result.stdout ?? '') + (result.stderr ?? '')}`.trim());
  }
  log(`packaged ${vsixPath} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return vsixPath;
}

/** Settings that keep a fresh workbench quiet and predictable (no welcome page, no trust prompt). */
export const quietUserSettings = {
  'workbench.startupEditor': 'none',
  'workbench.reduceMotion': 'on',
  // VS Code >= 1.104: no chat panel or AI extensions starting with the workbench (unknown to 1.100: ignored).
  'chat.disableAIFeatures': true,
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'security.workspace.trust.enabled': false,
  'extensions.ignoreRecommendations': true,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'git.openRepositoryInParentFolders': 'never',
  'window.restoreWindows': 'none',
  'files.hotExit': 'off',
};

/**
 * Installs `vsix` into `extensionsDir`, then starts code-server in its own process group serving
 * `folder` at 127.0.0.1:`port` without authentication. Returns the process group and the address.
 */
export async function startCodeServer(runtime, { vsix, port, folder, userDataDir, extensionsDir, home, logFile = 'inherit', settings = {} }) {
  for (const dir of [userDataDir, extensionsDir, home]) mkdirSync(dir, { recursive: true });
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  writeFileSync(join(userDataDir, 'User/settings.json'), JSON.stringify({ ...quietUserSettings, ...settings }, null, 2));
  const env = { ...process.env, HOME: home, NODE_OPTIONS: '', VSCODE_IPC_HOOK_CLI: '', ELECTRON_RUN_AS_NODE: '' };
  const common = ['--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, '--disable-telemetry', '--disable-update-check'];
  if (vsix) {
    const install = spawnSync(runtime.node, [runtime.codeServerEntry, ...common, '--install-extension', vsix, '--force'], { env, encoding: 'utf8' });
    if (install.status !== 0) throw new Error(`code-server --install-extension failed:\n${install.stdout}${install.stderr}`);
  }
  const group = startGroup('code-server', runtime.node, [
    runtime.codeServerEntry,
    '--bind-addr', `127.0.0.1:${port}`,
    '--auth', 'none',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    ...common,
    folder,
  ], { env, logFile });
  const url = `http://127.0.0.1:${port}/`;
  await waitForHttp(`${url}healthz`, group, 60_000);
  return { group, url: `${url}?folder=${encodeURIComponent(folder)}` };
}
