// What Streamlit's own TOML parser (`toml` 0.10.2, Debian's python3-toml) makes of files, and how
// our parse compares with it: shared by the corpus and the generated differential tests.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { SecretNode } from '../../server/src/toml/types';

export const PYTHON = '/usr/bin/python3'; // Debian's, which sees python3-toml (a pyenv python would not)
const oracleScript = path.resolve(__dirname, '..', 'unit', 'toml', 'streamlitOracle.py');

/** A value as the oracle prints it: Python's type and value. */
export interface Tagged {
  type: string;
  value?: unknown;
  offset?: number;
}

export interface OracleVerdict {
  ok: boolean;
  value?: Tagged;
  error?: string;
}

/** The oracle's verdict on each file, in one Python process (it is slow to start). */
export function oracleOnFiles(files: readonly string[]): OracleVerdict[] {
  if (!existsSync(PYTHON)) throw new Error(`${PYTHON} missing: install Debian's python3-toml (scripts/install-test-deps.sh)`);
  const run = spawnSync(PYTHON, [oracleScript], { input: files.join('\n') + '\n', maxBuffer: 256 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`oracle failed: ${String(run.stderr)}`);
  const verdicts = String(run.stdout).trim().split('\n').map((l) => JSON.parse(l) as OracleVerdict);
  if (verdicts.length !== files.length) throw new Error(`oracle answered ${verdicts.length} of ${files.length} files`);
  return verdicts;
}

/** The oracle's verdict on texts, each written as a UTF-8 file (Streamlit reads files, with universal newlines). */
export function oracleOnTexts(texts: readonly string[]): OracleVerdict[] {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'toml-oracle-'));
  try {
    const files = texts.map((text, i) => {
      const file = path.join(dir, `${i}.toml`);
      writeFileSync(file, text, 'utf8');
      return file;
    });
    return oracleOnFiles(files);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}


/** `YYYY-MM-DDTHH:MM:SS.ffffff` (date and/or time part as present) and the offset in minutes. */
function canonicalDate(text: string, offsetSeconds?: number): string {
  const m = /^(\d{4}-\d\d-\d\d)?T?(\d\d:\d\d:\d\d)?(?:\.(\d+))?(Z|[+-]\d\d:\d\d)?$/i.exec(text);
  if (!m) return `unparsed:${text}`;
  const ms = m[2] ? '.' + (m[3] ?? '').padEnd(6, '0').slice(0, 6) : '';
  let offset = '';
  if (m[4]) {
    const o = m[4].toUpperCase() === 'Z' ? 0 : (m[4][0] === '-' ? -1 : 1) * (+m[4].slice(1, 3) * 60 + +m[4].slice(4, 6));
    offset = `|${o}`;
  } else if (offsetSeconds !== undefined) {
    offset = `|${offsetSeconds / 60}`;
  }
  return `${m[1] ?? ''}T${m[2] ?? ''}${ms}${offset}`;
}

/** A description of the first difference between our value and the oracle's, or undefined when equal. */
export function diffValue(ours: SecretNode, theirs: Tagged, at: string): string | undefined {
  if (ours.kind !== theirs.type) return `${at}: kind ${ours.kind} vs ${theirs.type}`;
  switch (ours.kind) {
    case 'table': {
      const t = theirs.value as Record<string, Tagged>;
      const ok = [...ours.children!.keys()].sort();
      const tk = Object.keys(t).sort();
      if (JSON.stringify(ok) !== JSON.stringify(tk)) return `${at}: keys ${JSON.stringify(ok)} vs ${JSON.stringify(tk)}`;
      for (const k of ok) {
        const d = diffValue(ours.children!.get(k)!, t[k], `${at}.${k}`);
        if (d) return d;
      }
      return undefined;
    }
    case 'array': {
      const t = theirs.value as Tagged[];
      if (ours.items!.length !== t.length) return `${at}: length ${ours.items!.length} vs ${t.length}`;
      for (let i = 0; i < t.length; i++) {
        const d = diffValue(ours.items![i], t[i], `${at}[${i}]`);
        if (d) return d;
      }
      return undefined;
    }
    case 'integer':
      return (ours.value as bigint).toString() === theirs.value ? undefined : `${at}: ${String(ours.value)} vs ${String(theirs.value)}`;
    case 'float': {
      const t = theirs.value === 'nan' ? NaN : theirs.value === 'inf' ? Infinity : theirs.value === '-inf' ? -Infinity : Number(theirs.value);
      const o = ours.value as number;
      return Object.is(o, t) ? undefined : `${at}: ${o} vs ${t}`;
    }
    case 'offset-datetime':
    case 'local-datetime':
    case 'local-date':
    case 'local-time': {
      const o = canonicalDate(String(ours.value));
      const t = canonicalDate(String(theirs.value), theirs.offset);
      return o === t ? undefined : `${at}: ${o} vs ${t}`;
    }
    default:
      return ours.value === theirs.value ? undefined : `${at}: ${JSON.stringify(ours.value)} vs ${JSON.stringify(theirs.value)}`;
  }
}
