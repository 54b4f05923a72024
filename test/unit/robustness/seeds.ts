// Seeds and mutators shared by the robustness properties: real documents (the toml-test corpus,
// the repository's TOML and Python fixtures, hand-written access forms) and fast-check arbitraries
// that break them the way an editor does mid-typing: characters and bytes inserted, deleted,
// duplicated, swapped, files truncated. Every run uses a fixed seed so CI failures reproduce.
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { tomlTestCorpus } from '../../helpers/tomlTestCorpus';

export const repoRoot = path.resolve(__dirname, '..', '..', '..');

/** Fixed seed for every property: a failure prints the path to replay it. */
export const seed = Number(process.env.ROBUSTNESS_SEED ?? 20240917);

function filesUnder(dir: string, extension: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const found: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...filesUnder(full, extension));
    else if (entry.name.endsWith(extension)) found.push(full);
  }
  return found;
}

/** Recognisable values planted in seeds: no message, range or label may ever quote them. */
export const canaries = ['CANARY-7f3a-topsecret', 'CANARY-b21c-hunter2', 'CANARY-9e0d-apikey'];

const plantedToml = `
api_key = "${canaries[0]}"
[db]
password = '${canaries[1]}'
url = """
postgres://u:${canaries[2]}@h/db"""
broken = "${canaries[0]}
bad value ${canaries[1]}
= "${canaries[2]}"
mixed = [1, "${canaries[0]}"]
`;

/** The toml-test corpus (test/fixtures/toml-test; missing, it throws) and the repository's own TOML fixtures. */
export function tomlSeeds(): string[] {
  const corpusFiles = filesUnder(tomlTestCorpus(), '.toml');
  const repoFiles = [
    ...filesUnder(path.join(repoRoot, 'test/unit/grammar/fixtures'), '.toml'),
    ...filesUnder(path.join(repoRoot, 'demo'), '.toml'),
    ...filesUnder(path.join(repoRoot, 'test/vscode/fixtures'), '.toml'),
  ];
  const texts = [...repoFiles, ...corpusFiles].map((file) => fs.readFileSync(file, 'utf8'));
  return [plantedToml, ...texts, ...texts.slice(0, 40).map((text) => text + plantedToml)];
}

const accessForms = `import streamlit as st
import os
from streamlit import secrets
from os import environ, getenv
import streamlit as stl

key = st.secrets.api_key
pw = st.secrets["db"]['password']
g = st.secrets.get("db", {}).get("x")
n = st.secrets.db["user"].name
if "token" in st.secrets.auth:
    pass
conn = st.connection("mydb", type="sql")
st.login("google")
st.login()
e = os.environ["API_KEY"] + os.environ.get("X", "") + os.getenv('Y') + environ["Z"] + getenv("W")
s = f"{st.secrets.db.host}:{stl.secrets['db'].port}"
r = secrets[r"raw\\key"]["\\u00e9"]
def f(st):
    return st.secrets.shadowed
class C:
    x = st.secrets.db.
y = st.secrets["unterminated
z = st.secrets.get('
`;

export function pythonSeeds(): string[] {
  const files = [
    ...filesUnder(path.join(repoRoot, 'demo'), '.py'),
    ...filesUnder(path.join(repoRoot, 'test/vscode/fixtures'), '.py'),
  ].map((file) => fs.readFileSync(file, 'utf8'));
  return [accessForms, ...files, ...files.map((text) => accessForms + text)];
}

/** Characters that matter to the TOML and Python grammars, plus the encodings' awkward cases. */
const specialText = [
  '"', "'", '"""', "'''", '[', ']', '[[', '{', '}', '=', '.', ',', '#', '\\', '\\u', '\n', '\r\n', '\r', '\t', ' ',
  '\ufeff', '\0', '\ud800', '\udc00', '😀', 'é', 'ключ', 'st.secrets', '.get("', '["', 'os.environ[', '(', ')', ':', 'f"{', '}"',
  'import streamlit as st\n', 'true', '1979-05-27T07:32:00Z', '0x', '-0.0', 'inf', 'nan', '1e', '+',
];

type Mutation =
  | { op: 'insert'; at: number; text: string }
  | { op: 'delete'; at: number; length: number }
  | { op: 'truncate'; at: number }
  | { op: 'duplicate'; at: number; length: number }
  | { op: 'swap'; at: number; other: number };

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), text: fc.oneof(fc.constantFrom(...specialText), fc.string({ maxLength: 6 }), fc.string({ unit: 'binary', maxLength: 4 })) }),
  fc.record({ op: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('duplicate' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 80 }) }),
  fc.record({ op: fc.constant('swap' as const), at: fc.nat(), other: fc.nat() }),
);

function applyMutation(text: string, mutation: Mutation): string {
  const at = text.length === 0 ? 0 : mutation.at % (text.length + 1);
  switch (mutation.op) {
    case 'insert':
      return text.slice(0, at) + mutation.text + text.slice(at);
    case 'delete':
      return text.slice(0, at) + text.slice(at + mutation.length);
    case 'truncate':
      return text.slice(0, at);
    case 'duplicate':
      return text.slice(0, at + mutation.length) + text.slice(at, at + mutation.length) + text.slice(at + mutation.length);
    case 'swap': {
      if (text.length < 2) return text;
      const other = mutation.other % text.length;
      const [a, b] = at < other ? [at, other] : [other, at];
      if (a === b || b >= text.length) return text;
      return text.slice(0, a) + text[b] + text.slice(a + 1, b) + text[a] + text.slice(b + 1);
    }
  }
}

/** A seed document with up to `maxMutations` random mutations (zero included: the seed itself). */
export function mutatedText(seeds: readonly string[], maxMutations = 6): fc.Arbitrary<string> {
  return fc
    .tuple(fc.constantFrom(...seeds), fc.array(mutationArb, { maxLength: maxMutations }))
    .map(([text, mutations]) => mutations.reduce(applyMutation, text));
}

/** Mutated documents, random text in the grammar's alphabet, and plain random strings. */
export function documentText(seeds: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 6, arbitrary: mutatedText(seeds) },
    { weight: 2, arbitrary: fc.array(fc.constantFrom(...specialText, 'a', 'key', 'db', '1', '_'), { maxLength: 60 }).map((parts) => parts.join('')) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 200 }) },
  );
}

/** Bytes of a mutated seed, with byte-level damage: invalid UTF-8, NULs, BOMs, cut sequences. */
export function documentBytes(seeds: readonly string[]): fc.Arbitrary<Uint8Array> {
  const byteMutation = fc.record({
    at: fc.nat(),
    op: fc.constantFrom('insert', 'delete', 'flip', 'truncate'),
    bytes: fc.oneof(
      fc.constantFrom([0xef, 0xbb, 0xbf], [0xff], [0xc3], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0x00], [0x0d], [0xc0, 0xaf]),
      fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 4 }),
    ),
  });
  return fc.tuple(mutatedText(seeds, 2), fc.array(byteMutation, { maxLength: 4 })).map(([text, mutations]) => {
    let bytes = Array.from(Buffer.from(text, 'utf8'));
    for (const m of mutations) {
      const at = bytes.length === 0 ? 0 : m.at % (bytes.length + 1);
      if (m.op === 'insert') bytes = [...bytes.slice(0, at), ...m.bytes, ...bytes.slice(at)];
      else if (m.op === 'delete') bytes = [...bytes.slice(0, at), ...bytes.slice(at + m.bytes.length)];
      else if (m.op === 'flip' && at < bytes.length) bytes[at] = bytes[at]! ^ (m.bytes[0]! | 0x80);
      else if (m.op === 'truncate') bytes = bytes.slice(0, at);
    }
    return Uint8Array.from(bytes);
  });
}

/** Asserts a half-open range lies inside a text of `length` UTF-16 units. */
export function assertRangeInside(range: { start: number; end: number } | undefined, length: number, what: string): void {
  if (range === undefined) return;
  if (!(Number.isInteger(range.start) && Number.isInteger(range.end) && range.start >= 0 && range.start <= range.end && range.end <= length)) {
    throw new Error(`${what}: range ${JSON.stringify(range)} is not inside [0, ${length}]`);
  }
}

export function assertNoCanary(text: string | undefined, what: string): void {
  if (text === undefined) return;
  for (const canary of canaries) {
    if (text.includes(canary)) throw new Error(`${what} quotes a secret value (${canary}): ${text}`);
  }
}
