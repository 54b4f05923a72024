// Hostile shapes: secrets and config files built to make a parser slow. Each is measured in-process
// on the functions that read a file (parse, key locations, config diagnostics) at n and at 4n; the
// growth ratio must stay within 5× (linear or n log n: 4× plus noise), never the 16× of a
// quadratic pass. `node --import tsx bench/run.ts --hostile` runs this table alone (seconds).
import { TextDocument } from 'vscode-languageserver-textdocument';
import { computeParsedSecretsToml } from '../server/src/toml/parseSecretsToml';
import { locateSecretKeysWhole } from '../server/src/toml/locateSecretKeys';
import { configFileDiagnostics } from '../server/src/service/configFileDiagnostics';
import { formatBytes, formatMs } from './stats';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

interface Shape {
  name: string;
  /** What the n counts. */
  unit: string;
  n: number;
  make(n: number): string;
  /** The pass measured on the text. */
  run(text: string): unknown;
}

/** Parse plus key locations: what every secrets-file diagnostic, hover and definition needs. */
function readSecrets(text: string): unknown {
  return [computeParsedSecretsToml(text), locateSecretKeysWhole(text)];
}

const lines = (n: number, line: (i: number) => string): string => Array.from({ length: n }, (_, i) => line(i)).join('');

const shapes: Shape[] = [
  {
    name: 'non-ASCII bare keys (`é1 = "x"`, which Streamlit accepts)',
    unit: 'keys',
    n: 1000,
    make: (n) => lines(n, (i) => `é${i} = "${'x'.repeat(40)}"\n`),
    run: readSecrets,
  },
  {
    name: 'non-ASCII bare keys between long values (few keys, large file)',
    unit: 'keys',
    n: 25,
    make: (n) => lines(n, (i) => `é${i} = "${'x'.repeat(2000)}"\nv${i} = [${Array.from({ length: 100 }, () => '"yyyyyyy"').join(', ')}]\n`),
    run: readSecrets,
  },
  {
    name: 'duplicate keys (one line repeated)',
    unit: 'lines',
    n: 5000,
    make: (n) => lines(n, () => 'password = "x"\n'),
    run: readSecrets,
  },
  {
    name: 'inline tables extended by dotted keys (Streamlit merges, TOML 1.0 rejects)',
    unit: 'tables',
    n: 500,
    make: (n) => lines(n, (i) => `t${i} = { a = 1 }\nt${i}.b = 2\n`),
    run: readSecrets,
  },
  {
    name: 'many tables',
    unit: 'tables',
    n: 500,
    make: (n) => lines(n, (i) => `[table_${i}]\nhost = "h"\nport = ${i}\n[table_${i}.nested]\nkey = "v"\n`),
    run: readSecrets,
  },
  {
    name: 'long arrays (one array, one line)',
    unit: 'items',
    n: 5000,
    make: (n) => `items = [${Array.from({ length: n }, (_, i) => `"item . ${i}"`).join(', ')}]\n`,
    run: readSecrets,
  },
  {
    name: 'one line of many `=` (toml 0.10.2 re-cuts it at each; our model of it must not)',
    unit: '`=`',
    n: 5000,
    make: (n) => `a=${'x='.repeat(n)}1\n`,
    run: readSecrets,
  },
  {
    name: 'a multi-line string of many lines ending in a backslash',
    unit: 'lines',
    n: 5000,
    make: (n) => `a = """\n${'line \\\n'.repeat(n)}"""\n`,
    run: readSecrets,
  },
  {
    name: 'an inline table of values toml 0.10.2 glues to the next entry',
    unit: 'entries',
    n: 2000,
    make: (n) => `a = {${Array.from({ length: n }, (_, i) => `k${i} = x`).join(', ')}}\n`,
    run: readSecrets,
  },
  {
    name: 'long `[secrets] files` in config.toml',
    unit: 'entries',
    n: 5000,
    make: (n) => `[secrets]\nfiles = [\n${lines(n, (i) => `  "s/${i}.toml",\n`)}]\n`,
    run: (text) => {
      const document = TextDocument.create('file:///w/.streamlit/config.toml', 'streamlit-config', 1, text);
      return configFileDiagnostics({ document, filePath: '/w/.streamlit/config.toml', parsed: computeParsedSecretsToml(text), cwd: '/w', pathKind: () => 'missing' });
    },
  },
];

// A full collection before each sample, so that one sample does not pay for the garbage of another.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/** CPU time (user + system of this process, ms) of one run: on a shared machine wall-clock time also counts the other processes. */
function cpuTime(shape: Shape, text: string): number {
  collectGarbage();
  const started = process.cpuUsage();
  shape.run(text);
  const used = process.cpuUsage(started);
  return (used.user + used.system) / 1000;
}

export interface HostileRow {
  shape: string;
  n: string;
  atN: number;
  at4N: number;
  ratio: number;
}

export function measureHostileShapes(repetitions = 5): HostileRow[] {
  return shapes.map((shape) => {
    const small = shape.make(shape.n);
    const large = shape.make(4 * shape.n);
    // Both sizes warmed up, then sampled in turn; the fastest sample is the least disturbed one.
    shape.run(small);
    shape.run(large);
    const samplesN: number[] = [];
    const samples4N: number[] = [];
    for (let i = 0; i < repetitions; i++) {
      samplesN.push(cpuTime(shape, small));
      samples4N.push(cpuTime(shape, large));
    }
    const atN = Math.min(...samplesN);
    const at4N = Math.min(...samples4N);
    return {
      shape: shape.name,
      n: `${shape.n.toLocaleString('en')} → ${(4 * shape.n).toLocaleString('en')} ${shape.unit} (${formatBytes(small.length)} → ${formatBytes(large.length)})`,
      atN,
      at4N,
      ratio: at4N / atN,
    };
  });
}

export const hostileBudget = 5;

export function hostileTable(rows: HostileRow[]): string[] {
  const out = ['| shape | n → 4n | at n | at 4n | growth | budget |', '|---|---|---|---|---|---|'];
  for (const row of rows) {
    out.push(`| ${row.shape} | ${row.n} | ${formatMs(row.atN)} | ${formatMs(row.at4N)} | ${row.ratio.toFixed(1)}× | ≤ ${hostileBudget}× ${row.ratio <= hostileBudget ? '✅' : '❌'} |`);
  }
  return out;
}
