// `streamlit-secrets check` over a generated workspace, against the floor of reading and parsing
// the same files in a process started the same way (bench/floors/readParseFiles.ts). Both run as
// `node <bundle> …` from the shell's point of view: process start is in both figures.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import * as esbuild from 'esbuild';
import type { Fixture } from './fixtures';
import { formatMs, formatRatio, median } from './stats';

const repoRoot = path.resolve(__dirname, '..');
const cliScript = path.join(repoRoot, 'cli', 'out', 'cli.js');
const floorScript = path.join(repoRoot, 'bench', 'out', 'readParseFiles.js');

export interface CliCheckResult {
  real: number[];
  floor: number[];
  findings: number;
  filesChecked: number;
}

export async function buildCliFloor(): Promise<void> {
  await esbuild.build({ entryPoints: [path.join(repoRoot, 'bench', 'floors', 'readParseFiles.ts')], outfile: floorScript, bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'warning' });
}

function timed(args: string[], env: NodeJS.ProcessEnv): { ms: number; stdout: string; status: number | null } {
  const started = performance.now();
  const run = spawnSync(process.execPath, args, { encoding: 'utf8', env, maxBuffer: 512 * 1024 * 1024 });
  return { ms: performance.now() - started, stdout: run.stdout, status: run.status };
}

/** Interleaved runs of the check (`--no-git`: the fixture is no repository) and of the floor. */
export function measureCliCheck(fixture: Fixture, repetitions: number): CliCheckResult {
  const env = { ...process.env, HOME: fixture.home };
  const result: CliCheckResult = { real: [], floor: [], findings: 0, filesChecked: 0 };
  for (let i = 0; i < repetitions; i++) {
    const check = timed([cliScript, 'check', fixture.project, '--format', 'json', '--no-git'], env);
    if (check.status !== 0 && check.status !== 1) throw new Error(`check exited ${check.status}`);
    const report = JSON.parse(check.stdout) as { findings: unknown[]; summary: { filesChecked: number } };
    result.findings = report.findings.length;
    result.filesChecked = report.summary.filesChecked;
    result.real.push(check.ms);
    const floor = timed([floorScript, fixture.project], env);
    if (floor.status !== 0) throw new Error(`the floor exited ${floor.status}`);
    result.floor.push(floor.ms);
  }
  return result;
}

export function cliCheckLines(name: string, result: CliCheckResult): string[] {
  return [
    `- \`streamlit-secrets check\` (${name}, ${result.filesChecked} files, ${result.findings} findings, json, --no-git): ${formatMs(median(result.real))} median of ${result.real.length}; reading and parsing the same files in a process (floor) ${formatMs(median(result.floor))}; ratio ${formatRatio(median(result.real) / median(result.floor))}.`,
  ];
}
