// Differential test against Streamlit's own TOML parser (`toml` 0.10.2, Debian's python3-toml):
// for every file of the TOML 1.0 conformance corpus, "Streamlit loads it" must be our verdict too,
// and the loaded value must equal our `root`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { decodeSecretsFile, parseSecretsToml } from '../../../server/src/toml/parseSecretsToml';
import type { SecretNode } from '../../../server/src/toml/types';
import { listTomlFiles, tomlTestCorpus } from '../../helpers/tomlTestCorpus';

const corpus = tomlTestCorpus();
const PYTHON = '/usr/bin/python3'; // Debian's, which sees python3-toml (a pyenv python would not)

/**
 * Files where our verdict or value knowingly differs from `toml` 0.10.2. Each entry says why it is
 * not worth modelling: these are all documents TOML 1.0 itself rejects (or ones where `toml`
 * 0.10.2 silently mangles data), where we report a syntax error although Streamlit loads
 * *something*, unless said otherwise.
 */
const ALLOWED_MISMATCHES = new Map<string, string>([
  ['invalid/array/double-comma-01.toml', 'Streamlit loads garbage we call a syntax error: unclosed/empty-element arrays that toml 0.10.2 silently truncates'],
  ['invalid/array/double-comma-02.toml', 'Streamlit loads garbage we call a syntax error: unclosed/empty-element arrays that toml 0.10.2 silently truncates'],
  ['invalid/array/extend-defined-aot.toml', 'TOML 1.0 rejects it too, but smol-toml accepts it (calendar rollover, missing seconds, …); toml 0.10.2 rejects it'],
  ['invalid/array/no-close-01.toml', 'Streamlit loads garbage we call a syntax error: unclosed/empty-element arrays that toml 0.10.2 silently truncates'],
  ['invalid/array/no-close-02.toml', 'Streamlit loads garbage we call a syntax error: unclosed/empty-element arrays that toml 0.10.2 silently truncates'],
  ['invalid/array/no-close-03.toml', 'Streamlit loads garbage we call a syntax error: unclosed/empty-element arrays that toml 0.10.2 silently truncates'],
  ['invalid/array/no-close-04.toml', 'Streamlit loads garbage we call a syntax error: unclosed/empty-element arrays that toml 0.10.2 silently truncates'],
  ['invalid/array/no-close-05.toml', 'Streamlit loads garbage we call a syntax error: unclosed/empty-element arrays that toml 0.10.2 silently truncates'],
  ['invalid/array/no-close-06.toml', 'Streamlit loads garbage we call a syntax error: unclosed/empty-element arrays that toml 0.10.2 silently truncates'],
  ['invalid/array/no-close-07.toml', 'Streamlit loads garbage we call a syntax error: unclosed/empty-element arrays that toml 0.10.2 silently truncates'],
  ['invalid/array/no-close-08.toml', 'Streamlit loads garbage we call a syntax error: unclosed/empty-element arrays that toml 0.10.2 silently truncates'],
  ['invalid/array/no-close-table-01.toml', 'Streamlit loads garbage we call a syntax error: unclosed/empty-element arrays that toml 0.10.2 silently truncates'],
  ['invalid/array/no-close-table-02.toml', 'Streamlit loads garbage we call a syntax error: unclosed/empty-element arrays that toml 0.10.2 silently truncates'],
  ['invalid/array/no-comma-03.toml', 'Streamlit loads garbage we call a syntax error: unclosed/empty-element arrays that toml 0.10.2 silently truncates'],
  ['invalid/array/only-comma-01.toml', 'Streamlit loads garbage we call a syntax error: unclosed/empty-element arrays that toml 0.10.2 silently truncates'],
  ['invalid/array/only-comma-02.toml', 'Streamlit loads garbage we call a syntax error: unclosed/empty-element arrays that toml 0.10.2 silently truncates'],
  ['invalid/control/bare-cr.toml', 'Streamlit loads garbage we call a syntax error: control characters (or a lone CR) that toml 0.10.2 keeps'],
  ['invalid/control/comment-cr.toml', 'Streamlit loads garbage we call a syntax error: control characters (or a lone CR) that toml 0.10.2 keeps'],
  ['invalid/control/comment-del.toml', 'Streamlit loads garbage we call a syntax error: control characters (or a lone CR) that toml 0.10.2 keeps'],
  ['invalid/control/comment-ff.toml', 'Streamlit loads garbage we call a syntax error: control characters (or a lone CR) that toml 0.10.2 keeps'],
  ['invalid/control/comment-lf.toml', 'Streamlit loads garbage we call a syntax error: control characters (or a lone CR) that toml 0.10.2 keeps'],
  ['invalid/control/comment-null.toml', 'NUL byte in the file: we report a binary file; toml 0.10.2 keeps the NUL'],
  ['invalid/control/comment-us.toml', 'Streamlit loads garbage we call a syntax error: control characters (or a lone CR) that toml 0.10.2 keeps'],
  ['invalid/control/linetab-number-01.toml', 'Streamlit loads garbage we call a syntax error: control characters (or a lone CR) that toml 0.10.2 keeps'],
  ['invalid/control/linetab-number-02.toml', 'Streamlit loads garbage we call a syntax error: control characters (or a lone CR) that toml 0.10.2 keeps'],
  ['invalid/control/linetab-number-03.toml', 'Streamlit loads garbage we call a syntax error: control characters (or a lone CR) that toml 0.10.2 keeps'],
  ['invalid/control/linetab-number-04.toml', 'Streamlit loads garbage we call a syntax error: control characters (or a lone CR) that toml 0.10.2 keeps'],
  ['invalid/control/multi-del.toml', 'Streamlit loads garbage we call a syntax error: control characters (or a lone CR) that toml 0.10.2 keeps'],
  ['invalid/control/multi-lf.toml', 'Streamlit loads garbage we call a syntax error: control characters (or a lone CR) that toml 0.10.2 keeps'],
  ['invalid/control/multi-null.toml', 'NUL byte in the file: we report a binary file; toml 0.10.2 keeps the NUL'],
  ['invalid/control/multi-us.toml', 'Streamlit loads garbage we call a syntax error: control characters (or a lone CR) that toml 0.10.2 keeps'],
  ['invalid/control/rawmulti-del.toml', 'Streamlit loads garbage we call a syntax error: control characters (or a lone CR) that toml 0.10.2 keeps'],
  ['invalid/control/rawmulti-lf.toml', 'Streamlit loads garbage we call a syntax error: control characters (or a lone CR) that toml 0.10.2 keeps'],
  ['invalid/control/rawmulti-null.toml', 'NUL byte in the file: we report a binary file; toml 0.10.2 keeps the NUL'],
  ['invalid/control/rawmulti-us.toml', 'Streamlit loads garbage we call a syntax error: control characters (or a lone CR) that toml 0.10.2 keeps'],
  ['invalid/control/rawstring-del.toml', 'Streamlit loads garbage we call a syntax error: control characters (or a lone CR) that toml 0.10.2 keeps'],
  ['invalid/control/rawstring-lf.toml', 'Streamlit loads garbage we call a syntax error: control characters (or a lone CR) that toml 0.10.2 keeps'],
  ['invalid/control/rawstring-null.toml', 'NUL byte in the file: we report a binary file; toml 0.10.2 keeps the NUL'],
  ['invalid/control/rawstring-us.toml', 'Streamlit loads garbage we call a syntax error: control characters (or a lone CR) that toml 0.10.2 keeps'],
  ['invalid/control/string-bs.toml', 'Streamlit loads garbage we call a syntax error: control characters (or a lone CR) that toml 0.10.2 keeps'],
  ['invalid/control/string-del.toml', 'Streamlit loads garbage we call a syntax error: control characters (or a lone CR) that toml 0.10.2 keeps'],
  ['invalid/control/string-lf.toml', 'Streamlit loads garbage we call a syntax error: control characters (or a lone CR) that toml 0.10.2 keeps'],
  ['invalid/control/string-null.toml', 'NUL byte in the file: we report a binary file; toml 0.10.2 keeps the NUL'],
  ['invalid/control/string-us.toml', 'Streamlit loads garbage we call a syntax error: control characters (or a lone CR) that toml 0.10.2 keeps'],
  ['invalid/datetime/feb-29.toml', 'TOML 1.0 rejects it too, but smol-toml accepts it (calendar rollover, missing seconds, …); toml 0.10.2 rejects it'],
  ['invalid/datetime/feb-30.toml', 'TOML 1.0 rejects it too, but smol-toml accepts it (calendar rollover, missing seconds, …); toml 0.10.2 rejects it'],
  ['invalid/datetime/no-secs.toml', 'TOML 1.0 rejects it too, but smol-toml accepts it (calendar rollover, missing seconds, …); toml 0.10.2 rejects it'],
  ['invalid/datetime/offset-minus-minute-1digit.toml', 'Streamlit loads garbage we call a syntax error: malformed offsets/fractions that toml 0.10.2 guesses at'],
  ['invalid/datetime/offset-minus-no-hour-minute-sep.toml', 'Streamlit loads garbage we call a syntax error: malformed offsets/fractions that toml 0.10.2 guesses at'],
  ['invalid/datetime/offset-minus-no-hour-minute.toml', 'Streamlit loads garbage we call a syntax error: malformed offsets/fractions that toml 0.10.2 guesses at'],
  ['invalid/datetime/offset-minus-no-minute.toml', 'Streamlit loads garbage we call a syntax error: malformed offsets/fractions that toml 0.10.2 guesses at'],
  ['invalid/datetime/offset-overflow-minute.toml', 'Streamlit loads garbage we call a syntax error: malformed offsets/fractions that toml 0.10.2 guesses at'],
  ['invalid/datetime/offset-plus-minute-1digit.toml', 'Streamlit loads garbage we call a syntax error: malformed offsets/fractions that toml 0.10.2 guesses at'],
  ['invalid/datetime/offset-plus-no-hour-minute-sep.toml', 'Streamlit loads garbage we call a syntax error: malformed offsets/fractions that toml 0.10.2 guesses at'],
  ['invalid/datetime/offset-plus-no-hour-minute.toml', 'Streamlit loads garbage we call a syntax error: malformed offsets/fractions that toml 0.10.2 guesses at'],
  ['invalid/datetime/offset-plus-no-minute.toml', 'Streamlit loads garbage we call a syntax error: malformed offsets/fractions that toml 0.10.2 guesses at'],
  ['invalid/datetime/second-trailing-dot.toml', 'Streamlit loads garbage we call a syntax error: malformed offsets/fractions that toml 0.10.2 guesses at'],
  ['invalid/datetime/second-trailing-dotz.toml', 'Streamlit loads garbage we call a syntax error: malformed offsets/fractions that toml 0.10.2 guesses at'],
  ['invalid/encoding/ideographic-space.toml', 'Streamlit loads garbage we call a syntax error: Unicode whitespace that toml 0.10.2 strips'],
  ['invalid/float/arabic-zero-01.toml', 'Streamlit loads garbage we call a syntax error: malformed floats that toml 0.10.2 reads via Python float()'],
  ['invalid/float/arabic-zero-02.toml', 'Streamlit loads garbage we call a syntax error: malformed floats that toml 0.10.2 reads via Python float()'],
  ['invalid/float/arabic-zero-03.toml', 'Streamlit loads garbage we call a syntax error: malformed floats that toml 0.10.2 reads via Python float()'],
  ['invalid/float/arabic-zero-04.toml', 'Streamlit loads garbage we call a syntax error: malformed floats that toml 0.10.2 reads via Python float()'],
  ['invalid/float/exp-dot-02.toml', 'Streamlit loads garbage we call a syntax error: malformed floats that toml 0.10.2 reads via Python float()'],
  ['invalid/float/exp-dot-03.toml', 'Streamlit loads garbage we call a syntax error: malformed floats that toml 0.10.2 reads via Python float()'],
  ['invalid/float/exp-leading-us.toml', 'Streamlit loads garbage we call a syntax error: malformed floats that toml 0.10.2 reads via Python float()'],
  ['invalid/float/exp-trailing-us-01.toml', 'Streamlit loads garbage we call a syntax error: malformed floats that toml 0.10.2 reads via Python float()'],
  ['invalid/float/exp-trailing-us-02.toml', 'Streamlit loads garbage we call a syntax error: malformed floats that toml 0.10.2 reads via Python float()'],
  ['invalid/float/inf-capital.toml', 'Streamlit loads garbage we call a syntax error: malformed floats that toml 0.10.2 reads via Python float()'],
  ['invalid/float/inf_underscore.toml', 'Streamlit loads garbage we call a syntax error: malformed floats that toml 0.10.2 reads via Python float()'],
  ['invalid/float/nan-capital.toml', 'Streamlit loads garbage we call a syntax error: malformed floats that toml 0.10.2 reads via Python float()'],
  ['invalid/float/nan_underscore.toml', 'Streamlit loads garbage we call a syntax error: malformed floats that toml 0.10.2 reads via Python float()'],
  ['invalid/float/trailing-us-exp-01.toml', 'Streamlit loads garbage we call a syntax error: malformed floats that toml 0.10.2 reads via Python float()'],
  ['invalid/float/trailing-us-exp-02.toml', 'Streamlit loads garbage we call a syntax error: malformed floats that toml 0.10.2 reads via Python float()'],
  ['invalid/inline-table/duplicate-key-03.toml', 'Streamlit loads garbage we call a syntax error: inline-table quirks of toml 0.10.2'],
  ['invalid/inline-table/linebreak-01.toml', 'TOML 1.0 rejects it too, but smol-toml accepts it (calendar rollover, missing seconds, …); toml 0.10.2 rejects it'],
  ['invalid/inline-table/linebreak-02.toml', 'TOML 1.0 rejects it too, but smol-toml accepts it (calendar rollover, missing seconds, …); toml 0.10.2 rejects it'],
  ['invalid/inline-table/linebreak-03.toml', 'TOML 1.0 rejects it too, but smol-toml accepts it (calendar rollover, missing seconds, …); toml 0.10.2 rejects it'],
  ['invalid/inline-table/linebreak-04.toml', 'TOML 1.0 rejects it too, but smol-toml accepts it (calendar rollover, missing seconds, …); toml 0.10.2 rejects it'],
  ['invalid/inline-table/no-close-01.toml', 'Streamlit loads garbage we call a syntax error: inline-table quirks of toml 0.10.2'],
  ['invalid/inline-table/overwrite-01.toml', 'TOML 1.0 rejects it too, but smol-toml accepts it (calendar rollover, missing seconds, …); toml 0.10.2 rejects it'],
  ['invalid/inline-table/overwrite-08.toml', 'Streamlit loads garbage we call a syntax error: inline-table quirks of toml 0.10.2'],
  ['invalid/inline-table/trailing-comma.toml', 'TOML 1.0 rejects it too, but smol-toml accepts it (calendar rollover, missing seconds, …); toml 0.10.2 rejects it'],
  ['invalid/integer/arabic-zero-01.toml', 'Streamlit loads garbage we call a syntax error: malformed integers that toml 0.10.2 reads via Python int()'],
  ['invalid/integer/arabic-zero-02.toml', 'Streamlit loads garbage we call a syntax error: malformed integers that toml 0.10.2 reads via Python int()'],
  ['invalid/integer/double-sign-nex.toml', 'Streamlit loads garbage we call a syntax error: malformed integers that toml 0.10.2 reads via Python int()'],
  ['invalid/integer/double-sign-plus.toml', 'Streamlit loads garbage we call a syntax error: malformed integers that toml 0.10.2 reads via Python int()'],
  ['invalid/integer/us-after-bin.toml', 'Streamlit loads garbage we call a syntax error: malformed integers that toml 0.10.2 reads via Python int()'],
  ['invalid/integer/us-after-hex.toml', 'Streamlit loads garbage we call a syntax error: malformed integers that toml 0.10.2 reads via Python int()'],
  ['invalid/integer/us-after-oct.toml', 'Streamlit loads garbage we call a syntax error: malformed integers that toml 0.10.2 reads via Python int()'],
  ['invalid/key/bare-invalid-character-01.toml', 'Streamlit loads garbage we call a syntax error: malformed keys that toml 0.10.2 takes verbatim'],
  ['invalid/key/duplicate-keys-05.toml', 'Streamlit loads garbage we call a syntax error: malformed keys that toml 0.10.2 takes verbatim'],
  ['invalid/key/duplicate-keys-06.toml', 'Streamlit loads garbage we call a syntax error: malformed keys that toml 0.10.2 takes verbatim'],
  ['invalid/key/duplicate-keys-09.toml', 'TOML 1.0 rejects it too, but smol-toml accepts it (calendar rollover, missing seconds, …); toml 0.10.2 rejects it'],
  ['invalid/key/escape.toml', 'Streamlit loads garbage we call a syntax error: malformed keys that toml 0.10.2 takes verbatim'],
  ['invalid/key/no-eol-02.toml', 'Streamlit loads garbage we call a syntax error: malformed keys that toml 0.10.2 takes verbatim'],
  ['invalid/key/no-eol-06.toml', 'Streamlit loads garbage we call a syntax error: malformed keys that toml 0.10.2 takes verbatim'],
  ['invalid/key/no-eol-07.toml', 'Streamlit loads garbage we call a syntax error: malformed keys that toml 0.10.2 takes verbatim'],
  ['invalid/key/start-dot.toml', 'Streamlit loads garbage we call a syntax error: malformed keys that toml 0.10.2 takes verbatim'],
  ['invalid/key/two-equals-02.toml', 'Streamlit loads garbage we call a syntax error: malformed keys that toml 0.10.2 takes verbatim'],
  ['invalid/key/two-equals-03.toml', 'Streamlit loads garbage we call a syntax error: malformed keys that toml 0.10.2 takes verbatim'],
  ['invalid/local-date/feb-29.toml', 'TOML 1.0 rejects it too, but smol-toml accepts it (calendar rollover, missing seconds, …); toml 0.10.2 rejects it'],
  ['invalid/local-date/feb-30.toml', 'TOML 1.0 rejects it too, but smol-toml accepts it (calendar rollover, missing seconds, …); toml 0.10.2 rejects it'],
  ['invalid/local-datetime/feb-29.toml', 'TOML 1.0 rejects it too, but smol-toml accepts it (calendar rollover, missing seconds, …); toml 0.10.2 rejects it'],
  ['invalid/local-datetime/feb-30.toml', 'TOML 1.0 rejects it too, but smol-toml accepts it (calendar rollover, missing seconds, …); toml 0.10.2 rejects it'],
  ['invalid/local-datetime/no-secs.toml', 'TOML 1.0 rejects it too, but smol-toml accepts it (calendar rollover, missing seconds, …); toml 0.10.2 rejects it'],
  ['invalid/local-time/no-secs.toml', 'TOML 1.0 rejects it too, but smol-toml accepts it (calendar rollover, missing seconds, …); toml 0.10.2 rejects it'],
  ['invalid/local-time/trailing-dot.toml', 'Streamlit loads garbage we call a syntax error: malformed fractions that toml 0.10.2 ignores'],
  ['invalid/local-time/trailing-dotdot.toml', 'Streamlit loads garbage we call a syntax error: malformed fractions that toml 0.10.2 ignores'],
  ['invalid/spec-1.0.0/inline-table-3-0.toml', 'TOML 1.0 rejects it too, but smol-toml accepts it (calendar rollover, missing seconds, …); toml 0.10.2 rejects it'],
  ['invalid/string/basic-byte-escapes.toml', 'TOML 1.0 rejects it too, but smol-toml accepts it (calendar rollover, missing seconds, …); toml 0.10.2 rejects it'],
  ['invalid/table/append-with-dotted-keys-03.toml', 'TOML 1.0 rejects it too, but smol-toml accepts it (calendar rollover, missing seconds, …); toml 0.10.2 rejects it'],
  ['invalid/table/multiline-key-01.toml', 'Streamlit loads garbage we call a syntax error: multi-line strings as table names, kept verbatim by toml 0.10.2'],
  ['invalid/table/multiline-key-02.toml', 'Streamlit loads garbage we call a syntax error: multi-line strings as table names, kept verbatim by toml 0.10.2'],
  ['valid/comment/tricky.toml', 'toml 0.10.2 drops a key whose quoted name holds "#" (treats it as a comment)'],
  ['valid/datetime/datetime.toml', 'toml 0.10.2 reads a lower-case "z" offset as a local datetime'],
  ['valid/datetime/local-time.toml', 'toml 0.10.2 drops fractional seconds of local times'],
  ['valid/inline-table/key-dotted-01.toml', 'toml 0.10.2 keeps spaces before a dot inside inline-table keys'],
  ['valid/key/dotted-01.toml', 'toml 0.10.2 keeps quotes of some quoted dotted-key parts in the name'],
  ['valid/key/escapes.toml', 'toml 0.10.2 does not unescape quoted key names'],
  ['valid/key/quoted-dots.toml', 'toml 0.10.2 does not unescape quoted key names'],
  ['valid/key/quoted-unicode.toml', 'toml 0.10.2 does not unescape quoted key names (a basic and a literal key spelled alike collide)'],
  ['valid/spec-1.0.0/local-time-0.toml', 'toml 0.10.2 drops fractional seconds of local times'],
  ['valid/string/ends-in-whitespace-escape.toml', 'toml 0.10.2 rejects a line-ending backslash followed by blank lines; not modelled'],
  ['valid/string/escape-tricky.toml', 'our quote-run check for multi-line strings is stricter than toml 0.10.2 here (escaped quotes before the delimiter)'],
]);

interface Tagged {
  type: string;
  value?: unknown;
  offset?: number;
}

/** `YYYY-MM-DDTHH:MM:SS.mmm` (date and/or time part as present) and the offset in minutes. */
function canonicalDate(text: string, offsetSeconds?: number): string {
  const m = /^(\d{4}-\d\d-\d\d)?T?(\d\d:\d\d:\d\d)?(?:\.(\d+))?(Z|[+-]\d\d:\d\d)?$/i.exec(text);
  if (!m) return `unparsed:${text}`;
  const ms = m[2] ? '.' + (m[3] ?? '').padEnd(3, '0').slice(0, 3) : '';
  let offset = '';
  if (m[4]) {
    const o = m[4].toUpperCase() === 'Z' ? 0 : (m[4][0] === '-' ? -1 : 1) * (+m[4].slice(1, 3) * 60 + +m[4].slice(4, 6));
    offset = `|${o}`;
  } else if (offsetSeconds !== undefined) {
    offset = `|${offsetSeconds / 60}`;
  }
  return `${m[1] ?? ''}T${m[2] ?? ''}${ms}${offset}`;
}

/** Returns a description of the first difference, or undefined when equal. */
function diff(ours: SecretNode, theirs: Tagged, at: string): string | undefined {
  if (ours.kind !== theirs.type) return `${at}: kind ${ours.kind} vs ${theirs.type}`;
  switch (ours.kind) {
    case 'table': {
      const t = theirs.value as Record<string, Tagged>;
      const ok = [...ours.children!.keys()].sort();
      const tk = Object.keys(t).sort();
      if (JSON.stringify(ok) !== JSON.stringify(tk)) return `${at}: keys ${JSON.stringify(ok)} vs ${JSON.stringify(tk)}`;
      for (const k of ok) {
        const d = diff(ours.children!.get(k)!, t[k], `${at}.${k}`);
        if (d) return d;
      }
      return undefined;
    }
    case 'array': {
      const t = theirs.value as Tagged[];
      if (ours.items!.length !== t.length) return `${at}: length ${ours.items!.length} vs ${t.length}`;
      for (let i = 0; i < t.length; i++) {
        const d = diff(ours.items![i], t[i], `${at}[${i}]`);
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

test('TOML corpus: our Streamlit verdict and value match toml 0.10.2', () => {
  assert.ok(existsSync(PYTHON), `${PYTHON} missing: install Debian's python3-toml`);
  const files = [...listTomlFiles(path.join(corpus, 'valid')), ...listTomlFiles(path.join(corpus, 'invalid'))];
  assert.ok(files.length > 500, 'corpus looks incomplete');

  const run = spawnSync(PYTHON, [path.join(__dirname, 'streamlitOracle.py')], { input: files.join('\n') + '\n', maxBuffer: 256 * 1024 * 1024 });
  assert.equal(run.status, 0, `oracle failed: ${String(run.stderr)}`);
  const verdicts = String(run.stdout).trim().split('\n').map((l) => JSON.parse(l) as { ok: boolean; value?: Tagged; error?: string });
  assert.equal(verdicts.length, files.length);

  const mismatches: string[] = [];
  const unusedAllowed = new Set(ALLOWED_MISMATCHES.keys());
  files.forEach((file, i) => {
    const rel = path.relative(corpus, file).split(path.sep).join('/');
    const theirs = verdicts[i];
    const decoded = decodeSecretsFile(readFileSync(file));
    let mismatch: string | undefined;
    if ('binary' in decoded) {
      if (theirs.ok) mismatch = 'we call it binary, Streamlit loads it';
    } else {
      const parsed = parseSecretsToml(decoded.text);
      for (const p of parsed.problems) {
        assert.ok(p.range.start >= 0 && p.range.start <= p.range.end && p.range.end <= decoded.text.length, `${rel}: problem range outside the document`);
      }
      if (rel.startsWith('invalid/') && parsed.problems.length + decoded.problems.length === 0) {
        mismatch = 'invalid TOML 1.0 file without any problem';
      }
      const weLoad = parsed.root !== undefined && !decoded.problems.some((p) => p.severity === 'error');
      if (weLoad !== theirs.ok) mismatch = mismatch ?? '';
      if (weLoad !== theirs.ok) mismatch += weLoad ? `we load it, Streamlit fails (${theirs.error})` : 'Streamlit loads it, we do not';
      else if (weLoad) mismatch = diff(parsed.root!, theirs.value!, 'root');
    }
    if (mismatch === undefined) return;
    if (ALLOWED_MISMATCHES.has(rel)) unusedAllowed.delete(rel);
    else mismatches.push(`${rel}: ${mismatch}`);
  });
  assert.deepEqual(mismatches, [], `unexpected mismatches:\n${mismatches.join('\n')}`);
  assert.deepEqual([...unusedAllowed], [], 'allow-list entries that now match (remove them)');
});
