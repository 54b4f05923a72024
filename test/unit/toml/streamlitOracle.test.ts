// Differential test against Streamlit's own TOML parser (`toml` 0.10.2, Debian's python3-toml):
// for every file of the TOML 1.0 conformance corpus, "Streamlit loads it" must be our verdict too,
// and the loaded value must equal our `root`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { decodeSecretsFile, parseSecretsToml } from '../../../server/src/toml/parseSecretsToml';
import { diffValue, oracleOnFiles } from '../../helpers/streamlitOracle';
import { listTomlFiles, tomlTestCorpus } from '../../helpers/tomlTestCorpus';

const corpus = tomlTestCorpus();

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
  ['invalid/inline-table/no-close-01.toml', 'Streamlit loads garbage we call a syntax error: inline-table quirks of toml 0.10.2'],
  ['invalid/inline-table/overwrite-08.toml', 'Streamlit loads garbage we call a syntax error: inline-table quirks of toml 0.10.2'],
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
  ['invalid/local-time/trailing-dot.toml', 'Streamlit loads garbage we call a syntax error: malformed fractions that toml 0.10.2 ignores'],
  ['invalid/local-time/trailing-dotdot.toml', 'Streamlit loads garbage we call a syntax error: malformed fractions that toml 0.10.2 ignores'],
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

test('TOML corpus: our Streamlit verdict and value match toml 0.10.2', () => {
  const files = [...listTomlFiles(path.join(corpus, 'valid')), ...listTomlFiles(path.join(corpus, 'invalid'))];
  assert.ok(files.length > 500, 'corpus looks incomplete');
  const verdicts = oracleOnFiles(files);

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
      else if (weLoad) mismatch = diffValue(parsed.root!, theirs.value!, 'root');
    }
    if (mismatch === undefined) return;
    if (ALLOWED_MISMATCHES.has(rel)) unusedAllowed.delete(rel);
    else mismatches.push(`${rel}: ${mismatch}`);
  });
  assert.deepEqual(mismatches, [], `unexpected mismatches:\n${mismatches.join('\n')}`);
  assert.deepEqual([...unusedAllowed], [], 'allow-list entries that now match (remove them)');
});
