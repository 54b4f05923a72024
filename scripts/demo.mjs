// `npm start`: try the extension in a browser VS Code (code-server), offline, on 127.0.0.1.
//
//   node scripts/demo.mjs [--no-package]      PORT=8080 node scripts/demo.mjs
//
// First run installs the pinned VS Code runtime `min` (code-server 4.100.3, see
// test/vscode/runtime.mjs). Every run packages the extension (npm run package; --no-package reuses
// streamlit-secrets.vsix), installs it into a fresh demo extensions dir, serves a FRESH copy of demo/
// (edits never touch the committed sample) with a demo HOME whose ~/.streamlit/secrets.toml is
// demo/home/.streamlit/secrets.toml, prints the address, and stops everything (the whole process
// group) on Ctrl+C.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { packageExtension, startCodeServer, vsixPath } from '../test/vscode/lib/codeServer.mjs';
import { cleanupAll, freePort, isExiting } from '../test/vscode/lib/processes.mjs';
import { ensureRuntime, repoRoot } from '../test/vscode/runtime.mjs';

const demoSource = join(repoRoot, 'demo');
const demoRoot = join(repoRoot, '.vscode-test/demo');

async function main() {
  const reusePackage = process.argv.includes('--no-package');
  const runtime = ensureRuntime('min');
  if (!reusePackage || !existsSync(vsixPath)) packageExtension();

  // Fresh state every run: the project copy, HOME, VS Code's user data and extensions.
  rmSync(demoRoot, { recursive: true, force: true });
  const folder = join(demoRoot, 'streamlit-demo');
  const home = join(demoRoot, 'home');
  cpSync(demoSource, folder, { recursive: true, filter: (source) => source !== join(demoSource, 'home') });
  mkdirSync(home, { recursive: true });
  cpSync(join(demoSource, 'home'), home, { recursive: true });
  // A git repository, so "secrets file not ignored by git" is decided the way it is for a real project.
  const git = spawnSync('git', ['init', '-q', folder], { stdio: 'ignore' });
  if (git.status !== 0) console.log('(git not available: the demo folder is not a repository)');

  const port = process.env.PORT ? Number(process.env.PORT) : await freePort();
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new Error(`PORT=${process.env.PORT} is not a port number`);
  const logFile = join(demoRoot, 'code-server.log');
  const server = await startCodeServer(runtime, {
    vsix: vsixPath,
    port,
    folder,
    userDataDir: join(demoRoot, 'user-data'),
    extensionsDir: join(demoRoot, 'extensions'),
    home,
    logFile,
  });
  console.log(`
Streamlit Secrets demo (VS Code ${runtime.vscodeVersion} in code-server) is running:

    ${server.url}

  project:        ${folder} (a fresh copy of demo/)
  global secrets: ${join(home, '.streamlit/secrets.toml')}
  log:            ${logFile}

Press Ctrl+C to stop.`);
  const { code, signal } = await server.group.exited;
  if (isExiting()) return new Promise(() => {}); // Ctrl+C: the signal handler stops everything and exits
  throw new Error(`code-server stopped by itself (${code ?? signal}); see ${logFile}`);
}

main().catch(async (error) => {
  console.error(`demo: ${error instanceof Error ? error.message : String(error)}`);
  await cleanupAll();
  process.exit(1);
});
