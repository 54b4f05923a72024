// Process plumbing shared by the VS Code runner, the UI tests and the demo: servers started in their
// own process group and always stopped as a group (VS Code's server leaves its extension host, file
// watcher and our language server behind when only its main process is killed), free ports, polling,
// and the headless Chromium settings that work on these machines.
import { spawn } from 'node:child_process';
import { existsSync, openSync, closeSync } from 'node:fs';
import { createServer } from 'node:net';

/** @type {Set<{ pid: number, name: string }>} */
const liveGroups = new Set();
/** @type {Set<() => unknown>} */
const cleanups = new Set();
/** @type {Set<() => unknown>} run once the servers are stopped (e.g. removing their temporary dirs) */
const lateCleanups = new Set();
let handlersInstalled = false;

function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false; // already gone
  }
}

function groupAlive(pid) {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Registers a cleanup that also runs on Ctrl+C and on errors: before the servers are stopped (e.g.
 * closing the browser), or after them with `{ afterServers: true }` (e.g. removing their dirs).
 */
export function onCleanup(fn, { afterServers = false } = {}) {
  installHandlers();
  const set = afterServers ? lateCleanups : cleanups;
  set.add(fn);
  return () => set.delete(fn);
}

let exiting = false;
/** True once Ctrl+C (or another signal) started the shutdown. */
export function isExiting() {
  return exiting;
}
async function runCleanups(set) {
  for (const fn of [...set]) {
    set.delete(fn);
    try {
      await fn();
    } catch {
      // best effort while shutting down
    }
  }
}

async function cleanupAll() {
  await runCleanups(cleanups);
  await Promise.all([...liveGroups].map((group) => stopGroup(group)));
  await runCleanups(lateCleanups);
}

function installHandlers() {
  if (handlersInstalled) return;
  handlersInstalled = true;
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
      if (exiting) return;
      exiting = true;
      console.error(`\n${signal}: stopping servers …`);
      void cleanupAll().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
    });
  }
  // Last resort (process.exit from anywhere, a crash): synchronous, so only signals.
  process.on('exit', () => {
    for (const group of liveGroups) killGroup(group.pid, 'SIGKILL');
  });
  process.on('uncaughtException', (error) => {
    console.error(error);
    void cleanupAll().finally(() => process.exit(1));
  });
  process.on('unhandledRejection', (error) => {
    console.error(error);
    void cleanupAll().finally(() => process.exit(1));
  });
}

/**
 * Starts `command` as the leader of a new process group (setsid semantics through `detached`), with
 * stdout and stderr appended to `logFile` (or inherited when `logFile` is 'inherit').
 */
export function startGroup(name, command, args, { env = process.env, cwd = process.cwd(), logFile = 'inherit' } = {}) {
  installHandlers();
  let stdio = 'inherit';
  let fd;
  if (logFile !== 'inherit') {
    fd = openSync(logFile, 'a');
    stdio = ['ignore', fd, fd];
  }
  const child = spawn(command, args, { env, cwd, stdio, detached: true });
  if (fd !== undefined) closeSync(fd);
  if (child.pid === undefined) throw new Error(`could not start ${name} (${command})`);
  const group = { pid: child.pid, name, child, exited: new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal }))) };
  liveGroups.add(group);
  return group;
}

/** SIGTERM the whole group, wait (polling) for it to go, SIGKILL what is left. Safe to call twice. */
export function stopGroup(group, timeoutMs = 5000) {
  group.stopping ??= (async () => {
    if (killGroup(group.pid, 'SIGTERM')) {
      const deadline = Date.now() + timeoutMs;
      while (groupAlive(group.pid) && Date.now() < deadline) await delay(50);
      if (groupAlive(group.pid)) killGroup(group.pid, 'SIGKILL');
      while (groupAlive(group.pid) && Date.now() < deadline + 2000) await delay(50);
    }
    liveGroups.delete(group);
  })();
  return group.stopping;
}

export { cleanupAll };

export function delay(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `probe` until it returns something other than undefined/false; throws after `timeoutMs`. */
export async function poll(what, probe, { timeoutMs = 30_000, intervalMs = 100 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let lastError;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${lastError.message ?? lastError}` : ''}`);
    await delay(intervalMs);
  }
}

/** Waits until `url` answers HTTP (any status), or `group` exits first. */
export async function waitForHttp(url, group, timeoutMs = 60_000) {
  let exited;
  void group?.exited.then((result) => (exited = result));
  return poll(`${url} to answer`, async () => {
    if (exited) throw Object.assign(new Error(`server exited early (${exited.code ?? exited.signal})`), { fatal: true });
    const response = await fetch(url, { redirect: 'manual' });
    return response.status > 0;
  }, { timeoutMs, intervalMs: 150 }).catch((error) => {
    throw exited ? new Error(`${group.name} exited (${exited.code ?? exited.signal}) before ${url} answered`) : error;
  });
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export function findChromium() {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean);
  const found = candidates.find((path) => existsSync(path));
  if (!found) {
    throw new Error(`Chromium not found (looked at ${candidates.join(', ')}). Install Debian's package: test/vscode/install-deps.sh (apt-get install -y chromium), or set CHROMIUM_PATH.`);
  }
  return found;
}

/** Flags for Debian's Chromium, headless, as root, offline. */
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export async function launchChromium({ headless = true } = {}) {
  const { chromium } = await import('playwright-core');
  // Our own signal handlers close the browser; Playwright's would exit the process before cleanup ends.
  const browser = await chromium.launch({ executablePath: findChromium(), headless, args: chromiumArgs, handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false });
  onCleanup(() => browser.close());
  return browser;
}
