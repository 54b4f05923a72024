// Properties of the Python analysis over mutated and random code: it never throws, stays fast,
// every range lies inside the document and names what it says, completion contexts are found at
// every offset without an exception and contain the cursor, and an incremental re-parse after any
// edit analyses exactly like a fresh parse (the server parses each version once, incrementally).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { withinCpuBudgetSync } from '../../helpers/cpuBudget';
import { analyzePythonSecrets } from '../../../server/src/python/analyzePythonSecrets';
import { completionContextAt } from '../../../server/src/python/completionContext';
import { createPythonSource, parseBudgetMs, updatePythonSource } from '../../../server/src/python/pythonSource';
import type { PythonSecretsAnalysis } from '../../../server/src/python/types';
import { assertRangeInside, documentText, pythonSeeds, seed } from './seeds';

const seeds = pythonSeeds();
const runs = Number(process.env.ROBUSTNESS_RUNS ?? 300);

function checkAnalysis(text: string, analysis: PythonSecretsAnalysis): void {
  const n = text.length;
  for (const access of analysis.accesses) {
    assert.ok(access.kind === 'secrets' || access.kind === 'environ');
    assertRangeInside(access.range, n, 'access.range');
    assertRangeInside(access.rootRange, n, 'access.rootRange');
    assert.ok(access.rootRange.start >= access.range.start && access.rootRange.end <= access.range.end, 'root outside the access');
    assertRangeInside(access.membershipKey?.range, n, 'membershipKey.range');
    if (access.kind === 'environ') assert.ok(access.segments.length <= 1, 'environ access with several segments');
    for (const segment of access.segments) {
      assertRangeInside(segment.range, n, `segment ${segment.style}`);
      assertRangeInside(segment.literalRange, n, 'segment.literalRange');
      assertRangeInside(segment.accessorRange, n, 'segment.accessorRange');
      // Segments read through an alias (`db = st.secrets["db"]` … `db["host"]`) point to where the
      // alias was assigned; every other segment lies inside its access.
      if (segment.inherited !== true) assert.ok(segment.range.start >= access.range.start && segment.range.end <= access.range.end, 'segment outside its access');
      if (segment.style === 'attribute') {
        assert.equal(text.slice(segment.range.start, segment.range.end), segment.key, 'attribute segment range does not hold its key');
        assert.ok(segment.accessorRange && text[segment.accessorRange.start] === '.' || segment.accessorRange === undefined);
      } else if (segment.literalRange) {
        assert.ok(segment.literalRange.start <= segment.range.start && segment.range.end <= segment.literalRange.end, 'content outside its literal');
      }
    }
  }
  for (const call of analysis.connections) {
    assertRangeInside(call.range, n, 'connection.range');
    assertRangeInside(call.nameRange, n, 'connection.nameRange');
  }
  for (const call of analysis.logins) {
    assertRangeInside(call.range, n, 'login.range');
    assertRangeInside(call.providerRange, n, 'login.providerRange');
  }
}

describe('robustness: Python analysis properties', () => {
  test(`seeds: ${seeds.length} programs`, () => {
    assert.ok(seeds.length >= 3);
    // The seeds exercise the analysis: otherwise the properties below would check nothing.
    const analysis = analyzePythonSecrets(createPythonSource(seeds[0]!));
    assert.ok(analysis.importsStreamlit && analysis.accesses.length >= 8 && analysis.connections.length >= 1 && analysis.logins.length >= 2);
  });

  test('analyzePythonSecrets: never throws, ranges inside the text and naming their keys, deterministic', () => {
    fc.assert(
      fc.property(documentText(seeds), (text) => {
        const analysis = withinCpuBudgetSync(() => analyzePythonSecrets(createPythonSource(text)), 10_000, 'analyzePythonSecrets');
        checkAnalysis(text, analysis);
        assert.deepEqual(analyzePythonSecrets(createPythonSource(text)), analysis, 'not deterministic');
      }),
      { seed, numRuns: runs },
    );
  });

  test('completionContextAt: never throws at any offset; the replace range contains the cursor', () => {
    fc.assert(
      fc.property(documentText(seeds), fc.array(fc.nat(), { minLength: 1, maxLength: 25 }), (text, picks) => {
        const source = createPythonSource(text);
        const offsets = [...picks.map((p) => p % (text.length + 1)), 0, text.length, -1, text.length + 1];
        for (const offset of offsets) {
          const context = completionContextAt(source, offset);
          if (context === undefined) continue;
          assert.ok(offset >= 0 && offset <= text.length, `context outside the document at ${offset}`);
          assertRangeInside(context.replaceRange, text.length, `${context.kind} replaceRange`);
          assert.ok(context.replaceRange.start <= offset && offset <= context.replaceRange.end, `${context.kind} range ${JSON.stringify(context.replaceRange)} misses cursor ${offset}`);
          if (context.kind === 'secrets-attribute') assert.equal(text[context.dotOffset], '.', 'dotOffset is not a dot');
        }
      }),
      { seed, numRuns: Math.ceil(runs / 2) },
    );
  });

  test('incremental re-parse after random edits analyses like a fresh parse', () => {
    const edit = fc.record({ at: fc.nat(), remove: fc.nat({ max: 12 }), insert: fc.oneof(fc.constantFrom('.', '"', "'", '[', ']', '\n', '(', ')', 'st.secrets', '.get("k")', '#', ' ', '\\'), fc.string({ maxLength: 5 })) });
    fc.assert(
      fc.property(documentText(seeds), fc.array(edit, { minLength: 1, maxLength: 8 }), (text, edits) => {
        let source = createPythonSource(text);
        for (const e of edits) {
          const start = e.at % (source.text.length + 1);
          const end = Math.min(source.text.length, start + e.remove);
          const next = source.text.slice(0, start) + e.insert + source.text.slice(end);
          source = updatePythonSource(source, next, [{ start, end, text: e.insert }]);
          assert.equal(source.text, next);
        }
        const incremental = analyzePythonSecrets(source);
        const fresh = analyzePythonSecrets(createPythonSource(source.text));
        assert.deepEqual(incremental, fresh, 'incremental analysis differs from a fresh parse');
      }),
      { seed, numRuns: Math.ceil(runs / 2) },
    );
  });

  test('huge and deeply nested programs stay fast', () => {
    const cases = [
      'import streamlit as st\nx = ' + '('.repeat(10_000) + 'st.secrets.a' + ')'.repeat(10_000) + '\n',
      'import streamlit as st\nx = st.secrets' + '.a'.repeat(20_000) + '\n',
      'import streamlit as st\nx = st.secrets' + '["a"]'.repeat(10_000) + '\n',
      'import streamlit as st\n' + 'if x:\n'.split('').join('') + Array.from({ length: 2000 }, (_, i) => ' '.repeat(i) + 'if x:\n').join(''),
      'import streamlit as st\n' + 'k = st.secrets.db.password\n'.repeat(20_000),
      'import streamlit as st\nx = "' + 'q'.repeat(500_000) + '\n',
    ];
    for (const text of cases) {
      // Generous CPU-time bounds (the parse itself stops after parseBudgetMs of CPU time): these
      // catch a hang (an unbounded parse of the subscript chain took 30–80 s), not slowness.
      const source = withinCpuBudgetSync(() => createPythonSource(text), 5 * parseBudgetMs, 'parse');
      const analysis = withinCpuBudgetSync(() => analyzePythonSecrets(source), 10_000, 'analysis');
      checkAnalysis(text, analysis);
      withinCpuBudgetSync(() => completionContextAt(source, text.length - 1), 5000, 'completion context');
    }
  });
});
