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
const ALLOWED_MISMATCHES = new Map<string, string>([]);

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
