// Checks language-configuration.json (shared by the streamlit-secrets and streamlit-config languages).
// Run: node --import tsx --test test/unit/grammar/languageConfiguration.test.ts
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from './tokenize';

interface AutoClosingPair {
  open: string;
  close: string;
  notIn?: string[];
}

interface LanguageConfiguration {
  comments: { lineComment: string; blockComment?: [string, string] };
  brackets: [string, string][];
  autoClosingPairs: AutoClosingPair[];
  surroundingPairs: [string, string][];
  wordPattern: string;
  indentationRules: { increaseIndentPattern: string; decreaseIndentPattern: string };
  folding: { markers: { start: string; end: string } };
}

const config = JSON.parse(readFileSync(path.join(repoRoot, 'language-configuration.json'), 'utf8')) as LanguageConfiguration;

/** The words VS Code would find in a line with this word pattern. */
function words(line: string): string[] {
  return [...line.matchAll(new RegExp(config.wordPattern, 'g'))].map((m) => m[0]);
}

describe('language-configuration.json', () => {
  test('line comments use #, no block comments', () => {
    assert.equal(config.comments.lineComment, '#');
    assert.equal(config.comments.blockComment, undefined);
  });

  test('brackets are [] and {}', () => {
    assert.deepEqual(config.brackets, [
      ['[', ']'],
      ['{', '}'],
    ]);
  });

  test('brackets and both quote kinds auto-close, except inside strings and comments', () => {
    for (const [open, close] of [['[', ']'], ['{', '}'], ['"', '"'], ["'", "'"]]) {
      const pair = config.autoClosingPairs.find((p) => p.open === open);
      assert.ok(pair, `no auto-closing pair for ${open}`);
      assert.equal(pair.close, close);
      assert.deepEqual([...(pair.notIn ?? [])].sort(), ['comment', 'string']);
    }
  });

  test('selections can be surrounded with brackets and quotes', () => {
    assert.deepEqual(
      config.surroundingPairs.map(([o]) => o).sort(),
      ['"', "'", '[', '{'],
    );
  });

  test('a bare key, dashes and underscores included, is one word; dots, = and quotes separate words', () => {
    assert.deepEqual(words('db-user_name2 = "x"'), ['db-user_name2', 'x']);
    assert.deepEqual(words('connections.snowflake.account = 1'), ['connections', 'snowflake', 'account', '1']);
    assert.deepEqual(words('[auth.google]'), ['auth', 'google']);
    assert.deepEqual(words("'lit' = \"q\" # c"), ['lit', 'q', 'c']);
    assert.deepEqual(words('ünïcödé = 1'), ['ünïcödé', '1']);
  });

  test('indentation grows after an opening bracket and shrinks before a closing one', () => {
    const increase = new RegExp(config.indentationRules.increaseIndentPattern);
    const decrease = new RegExp(config.indentationRules.decreaseIndentPattern);
    for (const line of ['a = [', 'a = {', 'a = [ # comment', '  b = [[', 'x = {a = [']) assert.ok(increase.test(line), line);
    for (const line of ['[table]', '[[aot]]', 'a = [1, 2]', 'a = "["', "a = '{'", '# a = [', 'a = 1 # [']) assert.ok(!increase.test(line), line);
    for (const line of [']', '  ]', '}', '], # c']) assert.ok(decrease.test(line), line);
    for (const line of ['[table]', 'a = ]', '  a = 1']) assert.ok(!decrease.test(line), line);
  });

  test('folding markers are # region / # endregion comments', () => {
    const start = new RegExp(config.folding.markers.start);
    const end = new RegExp(config.folding.markers.end);
    assert.ok(start.test('# region secrets') && start.test('  #region'));
    assert.ok(end.test('# endregion') && end.test('#endregion'));
    assert.ok(!start.test('# endregion') && !start.test('regions = 1'));
  });
});
