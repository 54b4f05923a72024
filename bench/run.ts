// `npm run bench`: drives the real language server over LSP on generated projects of three sizes
// and compares each figure with a floor measured in the same run, the same way (a small server
// under bench/floors/ spawned with the same node, the same pipes, the same client).
//
//   node --import tsx bench/run.ts [--quick] [--sizes=small,large,beyond] [--cpu-prof] [--no-vsix] [--cli-check]
//   node --import tsx bench/run.ts --hostile     (only the hostile-shapes table, in-process, seconds)
//
// `--cli-check` measures only `streamlit-secrets check` against its floor (bench/cliCheck.ts) and
// prints it, without touching bench/results.md; a full run includes both.
//
// Prints the tables and writes them to bench/results.md (with bench/analysis.md appended).
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import * as esbuild from 'esbuild';
import type { CompletionItem, CompletionList, Hover, Location, Position } from 'vscode-languageserver-protocol';
import { BenchClient, fileUri as fileUriOf } from './lspDriver';
import { createFixture, removeFixture, sizes, type Fixture, type SizeSpec } from './fixtures';
import { formatBytes, formatMs, formatRatio, median, p99 } from './stats';
import { serverExecArgv } from '../common/serverExecArgv';
import { buildCliFloor, cliCheckLines, measureCliCheck } from './cliCheck';
import { hostileTable, measureHostileShapes } from './hostile';

const repoRoot = path.resolve(__dirname, '..');
const serverScript = path.join(repoRoot, 'server', 'out', 'server.js');
const floorDir = path.join(repoRoot, 'bench', 'out');
const floors = {
  bare: path.join(floorDir, 'bareServer.js'),
  parse: path.join(floorDir, 'parseServer.js'),
  read: path.join(floorDir, 'readServer.js'),
};

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const sizesArg = args.find((arg) => arg.startsWith('--sizes='))?.slice('--sizes='.length);
const sizeNames = sizesArg ? sizesArg.split(',') : quick ? ['small', 'large'] : ['small', 'large', 'beyond'];
const cpuProfile = args.includes('--cpu-prof');
const skipVsix = args.includes('--no-vsix');
const cliCheckOnly = args.includes('--cli-check');
const hostileOnly = args.includes('--hostile');

interface Repetitions {
  coldStarts: number;
  requests: number;
  edits: number;
  merges: number;
  referenceIndexes: number;
}

function repetitionsFor(spec: SizeSpec): Repetitions {
  if (quick) return { coldStarts: 5, requests: 60, edits: 5, merges: 5, referenceIndexes: 2 };
  if (spec.name === 'beyond') return { coldStarts: 7, requests: 150, edits: 9, merges: 9, referenceIndexes: 3 };
  return { coldStarts: 15, requests: 300, edits: 15, merges: 15, referenceIndexes: 5 };
}

/** Measured samples next to the floor's samples of the same figure. */
interface Paired {
  real: number[];
  floor: number[];
}

interface SizeResult {
  fixture: Pick<Fixture, 'secretKeys' | 'pythonLines' | 'pythonBytes'> & { spec: SizeSpec; topLevelKeys: number };
  coldStart: Paired;
  completion: (Paired & { items: number; nullRoundTrip: number[] }) | undefined;
  hover: Paired | undefined;
  diagnostics: (Paired & { implemented: boolean; published: number; burst?: { edits: number; publications: number } }) | undefined;
  remerge: (Paired & { floorParse: number[]; attempts: number }) | undefined;
  references: (Paired & { locations: number; warm: number[]; readAndParse: number[]; pollGap: number }) | undefined;
  peakMemory: number | undefined;
  /** VmHWM of a server started as the extension starts it (`extensionNodeArgs`), same workload. */
  extensionPeakMemory: number | undefined;
  /** That server's completion round trips, and edit → fresh completion (ms): what the flags cost in speed. */
  extensionTimings: { completion: number[]; remerge: number[] };
  /** VmHWM of the parse floor after the same documents (lezer tree + smol-toml result). */
  floorPeakMemory: number | undefined;
  /** VmHWM after each phase: which one raised the peak. */
  memory: { phase: string; bytes: number | undefined }[];
  capabilities: string[];
  problems: string[];
}

const debounceMs = readDebounce();

/** The scheduler's default debounce, read from its source so the report follows the code. */
function readDebounce(): number | undefined {
  try {
    const source = fs.readFileSync(path.join(repoRoot, 'server', 'src', 'features', 'diagnosticsScheduler.ts'), 'utf8');
    const match = /delayMs\s*=\s*(\d+)/.exec(source);
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

async function buildFloors(): Promise<void> {
  await esbuild.build({
    entryPoints: [path.join(repoRoot, 'bench', 'floors', 'bareServer.ts'), path.join(repoRoot, 'bench', 'floors', 'parseServer.ts'), path.join(repoRoot, 'bench', 'floors', 'readServer.ts')],
    outdir: floorDir,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    logLevel: 'warning',
  });
}

const time = async <T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> => {
  const start = performance.now();
  const value = await work();
  return { ms: performance.now() - start, value };
};

const itemsOf = (result: CompletionList | CompletionItem[] | null): CompletionItem[] =>
  result === null ? [] : Array.isArray(result) ? result : result.items;

function progress(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

/** The node options the extension's client starts the server with (client/src/extension.ts). */
const extensionNodeArgs = [...serverExecArgv];

/**
 * Peak memory of the server started as VS Code starts it through the extension, under the same
 * load as the main session's peak: the app open and checked, the workspace indexed, completions,
 * and edits of the project secrets file each followed by a completion.
 */
async function measureExtensionLaunchMemory(fixture: Fixture, completes: boolean): Promise<{ bytes: number | undefined; timings: SizeResult['extensionTimings'] }> {
  const client = await start(fixture, serverScript, extensionNodeArgs);
  const timings: SizeResult['extensionTimings'] = { completion: [], remerge: [] };
  try {
    const appUri = await client.open(fixture.appPath, fixture.appText, 'python');
    await client.diagnosticsFor(appUri, 1);
    const site = fixture.sites.find((candidate) => candidate.style === 'attribute')!;
    const params = { textDocument: { uri: appUri }, position: { line: site.line, character: site.keyColumn } };
    await waitForIndex(client, fixture, appUri, 100);
    if (completes) {
      for (let i = 0; i < 50; i++) timings.completion.push((await time(() => client.request('textDocument/completion', params))).ms);
      const secretsUri = await client.open(fixture.projectSecretsPath, fixture.projectSecretsText, 'streamlit-secrets');
      const counts = (): Map<string, number> => new Map([appUri, secretsUri].map((uri) => [uri, client.published.get(uri)?.length ?? 0]));
      await settle(client, counts());
      // As the re-merge figure: rename a table, complete at once, let the re-checks the edit
      // scheduled finish before the next sample.
      const edits = 15;
      for (let k = 0; k < edits; k++) {
        const header = fixture.headerLines[Math.floor(((k + 0.5) * fixture.headerLines.length) / edits)]!;
        const at = { line: header.line, character: header.endColumn };
        const published = counts();
        timings.remerge.push(
          (
            await time(async () => {
              await client.edit(secretsUri, { start: at, end: at }, 'x');
              await client.request('textDocument/completion', params);
            })
          ).ms,
        );
        await settle(client, published);
      }
    }
    return { bytes: client.peakMemoryBytes(), timings };
  } finally {
    await client.stop();
  }
}

async function start(fixture: Fixture, script: string, nodeArgs: string[] = []): Promise<BenchClient> {
  return BenchClient.start({ script, folder: fixture.project, home: fixture.home, nodeArgs });
}

async function measureColdStart(fixture: Fixture, reps: Repetitions): Promise<Paired> {
  const result: Paired = { real: [], floor: [] };
  // Alternate so that both see the same machine state; one unmeasured warm-up each (disk cache).
  for (let i = -1; i < reps.coldStarts; i++) {
    const real = await start(fixture, serverScript);
    await real.stop();
    const floor = await start(fixture, floors.bare);
    await floor.stop();
    if (i < 0) continue;
    result.real.push(real.coldStartMs);
    result.floor.push(floor.coldStartMs);
  }
  return result;
}

/** Asks for the references of `shared.url` every `pollMs` until every Python file's read is found (the index is complete). */
async function waitForIndex(client: BenchClient, fixture: Fixture, appUri: string, pollMs: number): Promise<void> {
  const params = { textDocument: { uri: appUri }, position: fixture.referenceSite, context: { includeDeclaration: false } };
  const deadline = performance.now() + 120000;
  while (performance.now() < deadline) {
    const found = (await client.request<Location[] | null>('textDocument/references', params)) ?? [];
    if (found.filter((location) => location.uri.endsWith('.py')).length >= fixture.sharedReads) return;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

/** Waits until `uri` got more publications than `count` (the scheduler re-checked it), or gives up. */
async function settle(client: BenchClient, counts: Map<string, number>, timeoutMs = 30000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  const pending = (): boolean => [...counts].some(([uri, count]) => (client.published.get(uri)?.length ?? 0) <= count);
  while (pending() && performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

async function measureSize(spec: SizeSpec): Promise<SizeResult> {
  const reps = repetitionsFor(spec);
  progress(`${spec.name}: generating fixture`);
  const fixture = createFixture(spec);
  const problems: string[] = [];
  try {
    progress(`${spec.name}: cold start ×${reps.coldStarts}`);
    const coldStart = await measureColdStart(fixture, reps);

    const nodeArgs = cpuProfile ? ['--cpu-prof', `--cpu-prof-dir=${path.join(repoRoot, 'bench', 'profiles')}`, `--cpu-prof-name=server-${spec.name}.cpuprofile`] : [];
    const real = await start(fixture, serverScript, nodeArgs);
    const bare = await start(fixture, floors.bare);
    const parse = await start(fixture, floors.parse);
    const caps = real.capabilities;
    const capabilities = Object.keys(caps).filter((key) => (caps as Record<string, unknown>)[key]);

    const appUri = await real.open(fixture.appPath, fixture.appText, 'python');
    const firstDiagnostics = await real.diagnosticsFor(appUri, 1);
    // Steady state: let the background references index finish first (it is timed on its own
    // below); otherwise its slices land in the middle of the request timings.
    if (caps.referencesProvider) await waitForIndex(real, fixture, appUri, 50);
    const memory: { phase: string; bytes: number | undefined }[] = [{ phase: 'app.py open, checked, workspace indexed', bytes: real.peakMemoryBytes() }];
    const pythonDiagnostics = firstDiagnostics.diagnostics.length > 0;
    const topLevelKeys = spec.tables + 3;

    // --- completion after `st.secrets.` / `st.secrets["`, interleaved with the floor
    let completion: SizeResult['completion'];
    if (caps.completionProvider) {
      progress(`${spec.name}: completion ×${reps.requests}`);
      const params = (i: number): { textDocument: { uri: string }; position: Position } => {
        const site = fixture.sites[(i * 37) % fixture.sites.length]!;
        return { textDocument: { uri: appUri }, position: { line: site.line, character: site.keyColumn } };
      };
      // The floor answers with the real answer itself (with its item defaults, when the server
      // sent some): the same bytes on both sides.
      let cannedList: CompletionList = { isIncomplete: false, items: [] };
      for (let i = 0; i < 10; i++) {
        const answer = await real.request<CompletionList | CompletionItem[] | null>('textDocument/completion', params(i));
        const list = answer === null ? undefined : Array.isArray(answer) ? { isIncomplete: false, items: answer } : answer;
        if (list !== undefined && list.items.length > cannedList.items.length) cannedList = list;
      }
      const canned = cannedList.items;
      if (canned.length === 0) problems.push('completion answered no items at the benchmark sites');
      const nullRoundTrip: number[] = [];
      for (let i = 0; i < 10; i++) await bare.request('textDocument/completion', params(i));
      for (let i = 0; i < Math.min(50, reps.requests); i++) nullRoundTrip.push((await time(() => bare.request('textDocument/completion', params(i)))).ms);
      await bare.request('bench/canned', { completion: cannedList, hover: null });
      const result = { real: [] as number[], floor: [] as number[], items: canned.length, nullRoundTrip };
      for (let i = 0; i < reps.requests; i++) {
        const measured = await time(() => real.request<CompletionList | CompletionItem[] | null>('textDocument/completion', params(i)));
        if (itemsOf(measured.value).length === 0) problems.push(`completion empty at sample ${i}`);
        result.real.push(measured.ms);
        result.floor.push((await time(() => bare.request('textDocument/completion', params(i)))).ms);
      }
      completion = result;
      memory.push({ phase: 'completion', bytes: real.peakMemoryBytes() });
    }

    // --- hover on a key
    let hover: SizeResult['hover'];
    if (caps.hoverProvider) {
      progress(`${spec.name}: hover ×${reps.requests}`);
      const params = (i: number): { textDocument: { uri: string }; position: Position } => {
        const site = fixture.sites[(i * 41) % fixture.sites.length]!;
        return { textDocument: { uri: appUri }, position: { line: site.line, character: site.keyColumn + 2 } };
      };
      let canned: Hover | null = null;
      for (let i = 0; i < 10; i++) canned = (await real.request<Hover | null>('textDocument/hover', params(i))) ?? canned;
      if (canned === null) problems.push('hover answered nothing at the benchmark sites');
      await bare.request('bench/canned', { completion: null, hover: canned });
      const result: Paired = { real: [], floor: [] };
      for (let i = 0; i < reps.requests; i++) {
        result.real.push((await time(() => real.request('textDocument/hover', params(i)))).ms);
        result.floor.push((await time(() => bare.request('textDocument/hover', params(i)))).ms);
      }
      hover = result;
      memory.push({ phase: 'hover', bytes: real.peakMemoryBytes() });
    }

    // --- diagnostics after a one-character edit of app.py
    progress(`${spec.name}: diagnostics ×${reps.edits}`);
    const floorAppUri = await parse.open(fixture.appPath, fixture.appText, 'python');
    await parse.diagnosticsFor(floorAppUri, 1);
    const diagnostics: NonNullable<SizeResult['diagnostics']> = { real: [], floor: [], implemented: pythonDiagnostics, published: 0 };
    for (let k = 0; k < reps.edits; k++) {
      const site = fixture.editLines[Math.floor(((k + 0.5) * fixture.editLines.length) / reps.edits)]!;
      const range = { start: { line: site.line, character: site.column }, end: { line: site.line, character: site.column } };
      let started = performance.now();
      const version = await real.edit(appUri, range, '1');
      const published = await real.diagnosticsFor(appUri, version);
      diagnostics.real.push(published.at - started);
      diagnostics.published = published.diagnostics.length;
      started = performance.now();
      const floorVersion = await parse.edit(floorAppUri, range, '1');
      diagnostics.floor.push((await parse.diagnosticsFor(floorAppUri, floorVersion)).at - started);
    }
    // A typing burst: 10 keystrokes 40 ms apart. The debounce turns them into one analysis.
    {
      const site = fixture.editLines[Math.floor(fixture.editLines.length / 3)]!;
      const before = real.published.get(appUri)?.length ?? 0;
      let version = 0;
      for (let k = 0; k < 10; k++) {
        const at = { line: site.line, character: site.column + k };
        version = await real.edit(appUri, { start: at, end: at }, '1');
        await new Promise((resolve) => setTimeout(resolve, 40));
      }
      await real.diagnosticsFor(appUri, version);
      diagnostics.burst = { edits: 10, publications: (real.published.get(appUri)?.length ?? 0) - before };
    }
    memory.push({ phase: 'diagnostics', bytes: real.peakMemoryBytes() });

    // --- re-merge after an edit of the project secrets file, to fresh completions
    let remerge: SizeResult['remerge'];
    if (caps.completionProvider) {
      progress(`${spec.name}: re-merge ×${reps.merges}`);
      const attributeSite = fixture.sites.find((site) => site.style === 'attribute')!;
      const completionAt = { line: attributeSite.line, character: attributeSite.keyColumn };
      const secretsUri = fileUriOf(fixture.projectSecretsPath);
      const counts = (): Map<string, number> => new Map([appUri, secretsUri].map((uri) => [uri, real.published.get(uri)?.length ?? 0]));
      const before = counts();
      await real.open(fixture.projectSecretsPath, fixture.projectSecretsText, 'streamlit-secrets');
      await settle(real, before);
      const floorSecretsUri = await parse.open(fixture.projectSecretsPath, fixture.projectSecretsText, 'streamlit-secrets');
      const cannedAnswer = await real.request<CompletionList | CompletionItem[] | null>('textDocument/completion', { textDocument: { uri: appUri }, position: completionAt });
      const cannedList = cannedAnswer === null || Array.isArray(cannedAnswer) ? { items: itemsOf(cannedAnswer) } : cannedAnswer;
      await parse.request('bench/canned', { completion: cannedList, hover: null });
      remerge = { real: [], floor: [], floorParse: [], attempts: 0 };
      // Each edit appends an `x` to a table name: the renamed key must show up in completions.
      const names = new Map<number, string>();
      for (let k = 0; k < reps.merges; k++) {
        const header = fixture.headerLines[Math.floor(((k + 0.5) * fixture.headerLines.length) / reps.merges)]!;
        const current = names.get(header.line) ?? header.key;
        const renamed = `${current}x`;
        names.set(header.line, renamed);
        const at = { line: header.line, character: header.endColumn + current.length - header.key.length };
        const fresh = async (client: BenchClient): Promise<void> => {
          for (let attempt = 1; attempt <= 1000; attempt++) {
            const items = itemsOf(await client.request('textDocument/completion', { textDocument: { uri: appUri }, position: completionAt }));
            if (items.some((item) => item.label === renamed)) {
              if (client === real) remerge!.attempts = Math.max(remerge!.attempts, attempt);
              return;
            }
          }
          problems.push(`re-merge: ${renamed} never appeared in completions`);
        };
        const published = counts();
        remerge.real.push((await time(async () => {
          await real.edit(secretsUri, { start: at, end: at }, 'x');
          await fresh(real);
        })).ms);
        // Let the re-check of open documents that the edit scheduled finish before the next sample.
        await settle(real, published);
        remerge.floor.push((await time(async () => {
          await parse.edit(floorSecretsUri, { start: at, end: at }, 'x');
          await fresh(parse);
        })).ms);
        remerge.floorParse.push(await parse.request<number>('bench/lastParseMs', null));
      }
      memory.push({ phase: 're-merge', bytes: real.peakMemoryBytes() });
    }

    // --- references: the workspace index, then warm requests
    let references: SizeResult['references'];
    if (caps.referencesProvider) {
      progress(`${spec.name}: references index ×${reps.referenceIndexes}`);
      const params = { textDocument: { uri: appUri }, position: fixture.referenceSite, context: { includeDeclaration: false } };
      const pythonLocations = (locations: Location[] | null): number => (locations ?? []).filter((location) => location.uri.endsWith('.py')).length;
      const result = { real: [] as number[], floor: [] as number[], locations: 0, warm: [] as number[], readAndParse: [] as number[], pollGap: 0 };
      for (let k = 0; k < reps.referenceIndexes; k++) {
        // The real server indexes in the background and answers with what it has so far, so ask
        // until the answer is complete (every Python file reads `shared.url` once).
        const client = await start(fixture, serverScript);
        const started = performance.now();
        await client.open(fixture.appPath, fixture.appText, 'python');
        let found = 0;
        while (performance.now() - started < 120000) {
          const asked = await time(() => client.request<Location[] | null>('textDocument/references', params));
          found = pythonLocations(asked.value);
          if (found >= fixture.sharedReads) break;
          // Each question costs the server a pass over what is indexed: ask rarely enough that
          // answering takes about a fifth of its time, and at least every 250 ms (the resolution
          // this leaves is reported).
          const gap = Math.min(250, Math.max(20, 4 * asked.ms));
          result.pollGap = Math.max(result.pollGap, gap);
          await new Promise((resolve) => setTimeout(resolve, gap));
        }
        result.real.push(performance.now() - started);
        result.locations = found;
        if (found < fixture.sharedReads) problems.push(`references found ${found} of ${fixture.sharedReads} reads`);
        await client.stop();
        const floor = await start(fixture, floors.read);
        const floorStarted = performance.now();
        await floor.open(fixture.appPath, fixture.appText, 'python');
        await floor.request('textDocument/references', params);
        result.floor.push(performance.now() - floorStarted);
        result.readAndParse.push((await time(() => floor.request('bench/readAndParse', null))).ms);
        await floor.stop();
      }
      for (let i = 0; i < Math.min(50, reps.requests); i++) result.warm.push((await time(() => real.request('textDocument/references', params))).ms);
      references = result;
      memory.push({ phase: 'references', bytes: real.peakMemoryBytes() });
    }

    const peakMemory = real.peakMemoryBytes();
    const floorPeakMemory = parse.peakMemoryBytes();
    const stderr = real.stderrTail();
    for (const message of new Set(real.logged)) problems.push(`server logged: ${message}`);
    if (stderr.trim()) problems.push(`server stderr: ${stderr.trim().split('\n').slice(-3).join(' | ')}`);
    await Promise.all([real.stop(), bare.stop(), parse.stop()]);
    progress(`${spec.name}: peak memory as the extension starts the server`);
    const extensionLaunch = await measureExtensionLaunchMemory(fixture, caps.completionProvider !== undefined);
    const extensionPeakMemory = extensionLaunch.bytes;
    const extensionTimings = extensionLaunch.timings;
    return {
      fixture: { spec, secretKeys: fixture.secretKeys, pythonLines: fixture.pythonLines, pythonBytes: fixture.pythonBytes, topLevelKeys },
      coldStart,
      completion,
      hover,
      diagnostics,
      remerge,
      references,
      peakMemory,
      extensionPeakMemory,
      extensionTimings,
      floorPeakMemory,
      memory,
      capabilities,
      problems,
    };
  } finally {
    removeFixture(fixture);
  }
}

interface VsixResult {
  bytes: number | undefined;
  how: string;
}

function measureVsix(): VsixResult {
  if (skipVsix) return { bytes: undefined, how: 'skipped (--no-vsix)' };
  const vsix = 'streamlit-secrets.vsix';
  progress('packaging .vsix (npm run package)');
  const here = spawnSync('npm', ['run', 'package'], { cwd: repoRoot, encoding: 'utf8' });
  if (here.status === 0 && fs.existsSync(path.join(repoRoot, vsix))) {
    // `package` builds the minified server; rebuild the development bundle others test against.
    spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: repoRoot });
    return { bytes: fs.statSync(path.join(repoRoot, vsix)).size, how: '`npm run package` in the checkout' };
  }
  progress('npm run package failed in the checkout; packaging a clean clone of HEAD');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'streamlit-secrets-vsix-'));
  try {
    execFileSync('git', ['clone', '-q', repoRoot, tmp]);
    const ci = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: tmp, encoding: 'utf8' });
    const pack = ci.status === 0 ? spawnSync('npm', ['run', 'package'], { cwd: tmp, encoding: 'utf8' }) : ci;
    if (pack.status !== 0 || !fs.existsSync(path.join(tmp, vsix))) return { bytes: undefined, how: 'packaging failed (checkout and clean clone)' };
    return { bytes: fs.statSync(path.join(tmp, vsix)).size, how: '`npm run package` in a clean clone of HEAD (the checkout did not type-check)' };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// Report

const NA = 'n/a (not implemented)';

function verdict(ok: boolean | undefined): string {
  return ok === undefined ? '' : ok ? ' ✅' : ' ❌';
}

function mainTable(result: SizeResult, vsix: VsixResult): string[] {
  const rows: string[] = ['| figure | measured | floor (same run) | ratio | budget |', '|---|---|---|---|---|'];
  const ratio = (p: Paired, pick: (s: number[]) => number): number => pick(p.real) / pick(p.floor);

  const cs = result.coldStart;
  rows.push(`| cold start: spawn → initialize answered | ${formatMs(median(cs.real))} | ${formatMs(median(cs.floor))} (bare \`vscode-languageserver\` server) | ${formatRatio(ratio(cs, median))} | ≤ 1.5×${verdict(ratio(cs, median) <= 1.5)} |`);

  for (const [label, paired] of [['completion after `st.secrets.` / `["`', result.completion], ['hover', result.hover]] as const) {
    if (paired === undefined) {
      rows.push(`| ${label} (p50, p99) | ${NA} | | | p50 ≤ 2×, p99 ≤ 5× |`);
      continue;
    }
    const r50 = ratio(paired, median);
    const r99 = ratio(paired, p99);
    rows.push(
      `| ${label} (p50, p99) | ${formatMs(median(paired.real))}, ${formatMs(p99(paired.real))} | ${formatMs(median(paired.floor))}, ${formatMs(p99(paired.floor))} (answered at once, same payload) | ${formatRatio(r50)}, ${formatRatio(r99)} | p50 ≤ 2×, p99 ≤ 5×${verdict(r50 <= 2 && r99 <= 5)} |`,
    );
  }

  const d = result.diagnostics;
  if (d === undefined || !d.implemented) {
    rows.push(`| diagnostics after a one-character edit of the ${result.fixture.pythonLines.toLocaleString('en')}-line file | ${NA} | | | ≤ 3× |`);
  } else {
    const compute = d.real.map((ms) => ms - (debounceMs ?? 0));
    const r = median(compute) / median(d.floor);
    rows.push(
      `| diagnostics after a one-character edit of the ${result.fixture.pythonLines.toLocaleString('en')}-line file | ${formatMs(median(compute))} after the ${debounceMs ?? '?'} ms debounce (${formatMs(median(d.real))} with it) | ${formatMs(median(d.floor))} (lezer parse of the whole text) | ${formatRatio(r)} (${formatRatio(median(d.real) / median(d.floor))} with debounce) | ≤ 3×${verdict(r <= 3)} |`,
    );
  }

  const m = result.remerge;
  if (m === undefined) rows.push(`| re-merge after an edit of the ${result.fixture.secretKeys.toLocaleString('en')}-key secrets file, to fresh completions | ${NA} | | | ≤ 2× |`);
  else {
    const r = ratio(m, median);
    rows.push(`| re-merge after an edit of the ${result.fixture.secretKeys.toLocaleString('en')}-key secrets file, to fresh completions | ${formatMs(median(m.real))} | ${formatMs(median(m.floor))} (smol-toml parse of that file, same answer) | ${formatRatio(r)} | ≤ 2×${verdict(r <= 2)} |`);
  }

  const refs = result.references;
  if (refs === undefined) rows.push(`| references index of the workspace | ${NA} | | | ≤ 3× |`);
  else {
    const r = ratio(refs, median);
    rows.push(`| references index of the workspace (until all ${refs.locations} reads are found) | ${formatMs(median(refs.real))} | ${formatMs(median(refs.floor))} (reading the files) | ${formatRatio(r)} | ≤ 3×${verdict(r <= 3)} |`);
  }

  const mem = result.peakMemory;
  rows.push(`| peak memory of the server (${result.fixture.spec.name}) | ${formatBytes(mem)} | | | ≤ 100 MB${verdict(mem === undefined ? undefined : mem <= 100 * 1024 * 1024)} |`);
  const extensionMem = result.extensionPeakMemory;
  rows.push(`| peak memory as the extension starts it (\`node ${extensionNodeArgs.join(' ')}\`, ${result.fixture.spec.name}) | ${formatBytes(extensionMem)} | | | ≤ 100 MB${verdict(extensionMem === undefined ? undefined : extensionMem <= 100 * 1024 * 1024)} |`);
  rows.push(`| .vsix size | ${formatBytes(vsix.bytes)} | | | ≤ 2 MB${verdict(vsix.bytes === undefined ? undefined : vsix.bytes <= 2 * 1024 * 1024)} |`);
  return rows;
}

interface GrowthRow {
  figure: string;
  input: string;
  inputOf: (r: SizeResult) => number | undefined;
  valueOf: (r: SizeResult) => number | undefined;
  format: (n: number) => string;
}

const growthRows: GrowthRow[] = [
  { figure: 'cold start (median)', input: 'constant', inputOf: () => 1, valueOf: (r) => median(r.coldStart.real), format: formatMs },
  { figure: 'completion p50', input: 'top-level keys', inputOf: (r) => r.fixture.topLevelKeys, valueOf: (r) => (r.completion ? median(r.completion.real) : undefined), format: formatMs },
  { figure: 'completion p99', input: 'top-level keys', inputOf: (r) => r.fixture.topLevelKeys, valueOf: (r) => (r.completion ? p99(r.completion.real) : undefined), format: formatMs },
  { figure: 'hover p50', input: 'top-level keys', inputOf: (r) => r.fixture.topLevelKeys, valueOf: (r) => (r.hover ? median(r.hover.real) : undefined), format: formatMs },
  { figure: 'diagnostics after an edit (with debounce)', input: 'Python lines', inputOf: (r) => r.fixture.pythonLines, valueOf: (r) => (r.diagnostics ? median(r.diagnostics.real) : undefined), format: formatMs },
  { figure: 'diagnostics after an edit (minus debounce)', input: 'Python lines', inputOf: (r) => r.fixture.pythonLines, valueOf: (r) => (r.diagnostics ? median(r.diagnostics.real) - (debounceMs ?? 0) : undefined), format: formatMs },
  { figure: 're-merge to fresh completions', input: 'secret keys', inputOf: (r) => r.fixture.secretKeys, valueOf: (r) => (r.remerge ? median(r.remerge.real) : undefined), format: formatMs },
  { figure: 'references index', input: 'Python files', inputOf: (r) => r.fixture.spec.files, valueOf: (r) => (r.references ? median(r.references.real) : undefined), format: formatMs },
  { figure: 'peak memory', input: 'keys + lines + files', inputOf: (r) => r.fixture.secretKeys + r.fixture.pythonLines + r.fixture.spec.files, valueOf: (r) => r.peakMemory, format: formatBytes },
];

function growthTable(results: SizeResult[]): string[] {
  const names = results.map((r) => r.fixture.spec.name);
  const header = `| figure | input | ${names.join(' | ')} | growth of the figure vs. the input (${names.join(' → ')}) |`;
  const rows = [header, `|---|---|${names.map(() => '---|').join('')}---|`];
  for (const row of growthRows) {
    const values = results.map(row.valueOf);
    if (values.every((v) => v === undefined)) {
      rows.push(`| ${row.figure} | ${row.input} | ${names.map(() => NA).join(' | ')} | |`);
      continue;
    }
    const steps: string[] = [];
    for (let i = 1; i < results.length; i++) {
      const a = values[i - 1];
      const b = values[i];
      const inputA = row.inputOf(results[i - 1]!);
      const inputB = row.inputOf(results[i]!);
      if (a === undefined || b === undefined || inputA === undefined || inputB === undefined) continue;
      const grow = b / a;
      const inputGrow = inputB / inputA;
      // Within 25 % of the input's growth (or under 1.25× for a constant input) counts as linear or better.
      const ok = row.input === 'constant' ? grow <= 1.25 : grow <= inputGrow * 1.25;
      steps.push(`×${grow.toFixed(2)} vs ×${inputGrow.toFixed(1)}${ok ? '' : ' ⚠ faster than the input'}`);
    }
    rows.push(`| ${row.figure} | ${row.input} | ${values.map((v) => (v === undefined ? '–' : row.format(v))).join(' | ')} | ${steps.join('; ')} |`);
  }
  return rows;
}

function sizeDetails(result: SizeResult): string[] {
  const f = result.fixture;
  const lines = [
    `**${f.spec.name}**: ${f.secretKeys.toLocaleString('en')} secret keys (${f.topLevelKeys} top-level, global + project file), app.py of ${f.pythonLines.toLocaleString('en')} lines (${formatBytes(f.pythonBytes)}) with ${f.spec.blocks.toLocaleString('en')} secret reads, ${f.spec.files.toLocaleString('en')} Python files. Server capabilities: ${result.capabilities.join(', ')}.`,
  ];
  if (result.completion) {
    lines.push(
      `- completion: ${result.completion.real.length} requests, ${result.completion.items} items per answer; a \`null\` answer's round trip is ${formatMs(median(result.completion.nullRoundTrip))} (p50).`,
    );
  }
  const d = result.diagnostics;
  if (d) {
    lines.push(
      `- diagnostics: ${d.real.length} edits; edit → publishDiagnostics ${formatMs(median(d.real))} (p50) of which ${debounceMs ?? '?'} ms is the scheduler's debounce; floor ${formatMs(median(d.floor))}. ${d.implemented ? `${d.published} diagnostics published.` : 'No Python diagnostics are produced yet: this times the scheduler alone.'}` +
        (d.burst ? ` A burst of ${d.burst.edits} keystrokes 40 ms apart gave ${d.burst.publications} publication(s).` : ''),
    );
  }
  if (result.remerge) {
    lines.push(
      `- re-merge: ${result.remerge.real.length} edits, p50 ${formatMs(median(result.remerge.real))}, max ${formatMs(Math.max(...result.remerge.real))}; the first completion after the edit was fresh${result.remerge.attempts > 1 ? ` only after ${result.remerge.attempts} requests` : ' every time'}; the floor's smol-toml parse alone took ${formatMs(median(result.remerge.floorParse))} (p50) and its answer carries the same items as the real one.`,
    );
  }
  lines.push(
    `- peak memory: server ${formatBytes(result.peakMemory)} (VmHWM after ${result.memory.map((m) => `${m.phase}: ${formatBytes(m.bytes)}`).join(', ')}); the parse floor holding the same documents ${formatBytes(result.floorPeakMemory)}.`,
  );
  if (result.extensionTimings.completion.length > 0) {
    lines.push(
      `- as the extension starts it (\`node ${extensionNodeArgs.join(' ')}\`): peak ${formatBytes(result.extensionPeakMemory)}; completion p50 ${formatMs(median(result.extensionTimings.completion))} (bare start, same session above: ${formatMs(median(result.completion?.real ?? []))}); edit → completion p50 ${formatMs(median(result.extensionTimings.remerge))} (bare: ${formatMs(median(result.remerge?.real ?? []))}).`,
    );
  }
  if (result.references) {
    lines.push(
      `- references: index complete after ${formatMs(median(result.references.real))} (asked at most every ${formatMs(result.references.pollGap)}); reading the files ${formatMs(median(result.references.floor))}, reading and lezer-parsing them ${formatMs(median(result.references.readAndParse))} (same floor server); warm request p50 ${formatMs(median(result.references.warm))}, ${result.references.locations} locations.`,
    );
  }
  for (const problem of result.problems.slice(0, 5)) lines.push(`- ⚠ ${problem}`);
  return lines;
}

function environment(): string[] {
  const version = (pkg: string): string => {
    try {
      return (JSON.parse(fs.readFileSync(path.join(repoRoot, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string }).version;
    } catch {
      return '?';
    }
  };
  let commit = '?';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repoRoot, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'server', 'common'], { cwd: repoRoot, encoding: 'utf8' }).trim();
    if (dirty) commit += ' (server/common with uncommitted changes)';
  } catch {
    // not a git checkout
  }
  const cpus = os.cpus();
  return [
    `- machine: ${cpus[0]?.model ?? '?'} × ${cpus.length}, ${formatBytes(os.totalmem())} RAM, ${os.type()} ${os.release()} (${os.arch()})`,
    `- node ${process.version}; vscode-languageserver ${version('vscode-languageserver')}, smol-toml ${version('smol-toml')}, @lezer/python ${version('@lezer/python')}, toml-eslint-parser ${version('toml-eslint-parser')}`,
    `- commit ${commit}; ${new Date().toISOString()}; mode ${hostileOnly ? '--hostile' : quick ? '--quick' : 'full'}${hostileOnly ? '' : `; sizes ${sizeNames.join(', ')}`}`,
  ];
}

/** `streamlit-secrets check` per size, each on a fresh fixture. */
async function cliCheckSection(): Promise<string[]> {
  await buildCliFloor();
  const lines: string[] = [];
  for (const name of sizeNames) {
    const spec = sizes[name];
    if (!spec) throw new Error(`unknown size ${name} (small, large, beyond)`);
    progress(`${name}: streamlit-secrets check`);
    const fixture = createFixture(spec);
    try {
      lines.push(...cliCheckLines(name, measureCliCheck(fixture, quick || name === 'beyond' ? 3 : 7)));
    } finally {
      removeFixture(fixture);
    }
  }
  return lines;
}

const hostileHeading = '## Hostile shapes (in-process, growth from n to 4n)';

/** The hostile-shapes section of results.md: the table and how it was made. */
function hostileSection(): string[] {
  return [
    hostileHeading,
    '',
    'Files built to make a parser slow, measured in-process on the functions that read them (bench/hostile.ts: parse and key locations of a secrets file; parse and diagnostics of a config.toml), the fastest of 5 runs at n and at 4n after a warm-up, in CPU time (not wall-clock: the machine is shared), each after a full garbage collection. A linear pass grows about 4×; the budget is 5×.',
    '',
    ...environment(),
    '',
    ...hostileTable(measureHostileShapes()),
    '',
  ];
}

/** `--hostile`: measures only the hostile shapes and replaces that section of results.md. */
function mainHostile(): void {
  const section = hostileSection();
  const resultsPath = path.join(repoRoot, 'bench', 'results.md');
  const existing = fs.existsSync(resultsPath) ? fs.readFileSync(resultsPath, 'utf8') : '# Benchmark results\n';
  const start = existing.indexOf(hostileHeading);
  const end = start < 0 ? -1 : existing.indexOf('\n## ', start + hostileHeading.length);
  // Replaces the section, or goes before the hand-written analysis (as in a full run).
  const analysis = existing.indexOf('\n## Analysis');
  const text =
    start >= 0
      ? existing.slice(0, start) + section.join('\n') + (end < 0 ? '' : existing.slice(end))
      : analysis >= 0
        ? `${existing.slice(0, analysis + 1)}${section.join('\n')}\n${existing.slice(analysis + 1)}`
        : `${existing.trimEnd()}\n\n${section.join('\n')}`;
  fs.writeFileSync(resultsPath, text);
  process.stdout.write(section.join('\n') + '\n');
}

async function main(): Promise<void> {
  if (hostileOnly) return mainHostile();
  if (!fs.existsSync(serverScript)) throw new Error(`build the server first (node scripts/build.mjs): ${serverScript} is missing`);
  if (cliCheckOnly) {
    process.stdout.write(`${['## streamlit-secrets check', '', ...(await cliCheckSection())].join('\n')}\n`);
    return;
  }
  const started = performance.now();
  await buildFloors();
  const results: SizeResult[] = [];
  for (const name of sizeNames) {
    const spec = sizes[name];
    if (!spec) throw new Error(`unknown size ${name} (small, large, beyond)`);
    results.push(await measureSize(spec));
  }
  const vsix = measureVsix();
  const headline = results.find((r) => r.fixture.spec.name === 'large') ?? results[results.length - 1]!;
  const out: string[] = [
    '# Benchmark results',
    '',
    'Generated by `npm run bench` (see bench/README.md for the method). Every floor is measured in the same run, on the same machine, spawned and driven the same way.',
    '',
    ...environment(),
    '',
    `## Budgets (${headline.fixture.spec.name})`,
    '',
    ...mainTable(headline, vsix),
    '',
    `.vsix: ${vsix.how}.`,
    '',
    '## Growth from size to size',
    '',
    ...growthTable(results),
    '',
    '## Per size',
    '',
  ];
  for (const result of results) {
    out.push(`### ${result.fixture.spec.name}`, '', ...mainTable(result, vsix).slice(0, -1), '', ...sizeDetails(result), '');
  }
  out.push('## streamlit-secrets check', '', ...(await cliCheckSection()), '');
  out.push(...hostileSection());
  out.push(`Total benchmark time: ${Math.round((performance.now() - started) / 1000)} s.`, '');
  const analysisPath = path.join(repoRoot, 'bench', 'analysis.md');
  if (fs.existsSync(analysisPath)) out.push(fs.readFileSync(analysisPath, 'utf8'));
  const text = out.join('\n');
  fs.writeFileSync(path.join(repoRoot, 'bench', 'results.md'), text);
  process.stdout.write(text + '\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
