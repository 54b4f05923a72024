// The formatter of secrets and config files (dprint's TOML plugin through service/formatting.ts): comments, key
// order and line endings kept, only selected lines touched by a range format, and no edit at all
// when the result would not load in Streamlit to the same values.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Range } from 'vscode-languageserver-types';
import { formatStreamlitToml, formattingChangesMeaning } from '../../../server/src/service/formatting';
import { loadTomlFormatter, type TomlFormatter } from '../../../server/src/toml/tomlFormatter';

let dprint: TomlFormatter;
before(async () => {
  dprint = await loadTomlFormatter();
});

const doc = (text: string): TextDocument => TextDocument.create('file:///p/.streamlit/secrets.toml', 'streamlit-secrets', 1, text);
const formatted = (text: string, format: TomlFormatter = dprint, range?: Range): { text: string; notFormatted?: string } => {
  const document = doc(text);
  const outcome = formatStreamlitToml(document, format, range);
  return { text: TextDocument.applyEdits(document, outcome.edits), ...(outcome.notFormatted ? { notFormatted: outcome.notFormatted } : {}) };
};

const messy = [
  '# Secrets for the demo',
  'api_key="P-SECRET-1"   # trailing comment',
  'zeta   =  1',
  'alpha=true',
  '',
  '',
  '',
  '',
  '[db]',
  '  user =   "P-SECRET-2"',
  '  # port below',
  '  port=5432',
  'hosts = [ "a",  "b" ]',
  'opts = {ssl=true,  mode = "P-SECRET-3"}',
  '[[servers]]',
  'name="one"',
  '',
].join('\n');

describe('formatting secrets files', () => {
  test('tidies spacing, indentation and blank lines (at most one in a row); keeps comments, key order, tables and inline tables on one line', () => {
    assert.equal(
      formatted(messy).text,
      [
        '# Secrets for the demo',
        'api_key = "P-SECRET-1" # trailing comment',
        'zeta = 1',
        'alpha = true',
        '',
        '[db]',
        'user = "P-SECRET-2"',
        '# port below',
        'port = 5432',
        'hosts = ["a", "b"]',
        'opts = { ssl = true, mode = "P-SECRET-3" }',
        '[[servers]]',
        'name = "one"',
        '',
      ].join('\n'),
    );
  });

  test('an already formatted file gets no edit; CRLF files stay CRLF', () => {
    const once = formatted(messy).text;
    assert.deepEqual(formatStreamlitToml(doc(once), dprint).edits, []);
    const crlf = formatted(messy.replace(/\n/g, '\r\n')).text;
    assert.equal(crlf, once.replace(/\n/g, '\r\n'));
  });

  test('Format Selection changes only the selected lines', () => {
    const text = 'a="1"\nb="2"\nc="3"\n';
    assert.equal(formatted(text, dprint, Range.create(1, 0, 1, 3)).text, 'a="1"\nb = "2"\nc="3"\n');
    assert.equal(formatted(text, dprint, Range.create(0, 0, 2, 0)).text, 'a = "1"\nb = "2"\nc = "3"\n');
  });

  test('a file Streamlit cannot load is left alone, with a reason that quotes nothing of it', () => {
    const broken = 'token = "P-SECRET-1"\nmixed = [1, "P-SECRET-2"]\n'; // TOML 1.0 accepts, Streamlit's parser rejects
    const result = formatted(broken);
    assert.equal(result.text, broken);
    assert.match(result.notFormatted ?? '', /Not formatted: Streamlit cannot load this file/);
    assert.ok(!/P-SECRET/.test(result.notFormatted ?? ''));
    assert.match(formatted('x = 1 2\n').notFormatted ?? '', /cannot load/);
    // Streamlit loads this one (as `a = [1]`): its malformed line is left exactly as written.
    assert.equal(formatted('a = [1,\n').text, 'a = [1,\n');
  });

  test('a formatter result that changes a value, or uses syntax Streamlit reads differently, is refused whole', () => {
    const text = 'a = "P-SECRET-1"\nb = { c = 1, d = 2 }\n';
    const changesValue: TomlFormatter = (input) => input.replace('P-SECRET-1', 'P-SECRET-X');
    const result = formatted(text, changesValue);
    assert.equal(result.text, text);
    assert.match(result.notFormatted ?? '', /different values/);
    assert.ok(!/P-SECRET/.test(result.notFormatted ?? ''));
    // TOML 1.1 spreads inline tables over lines; Streamlit's TOML 0.5 parser rejects that.
    const toml11: TomlFormatter = (input) => input.replace('{ c = 1, d = 2 }', '{\n  c = 1,\n  d = 2,\n}');
    assert.equal(formatted(text, toml11).text, text);
    assert.ok(formatted(text, toml11).notFormatted);
    const throws: TomlFormatter = () => {
      throw new Error('P-SECRET-1');
    };
    assert.match(formatted(text, throws).notFormatted ?? '', /could not read/);
    assert.ok(!/P-SECRET/.test(formatted(text, throws).notFormatted ?? ''));
  });

  test("lines Streamlit's parser reads differently from TOML are left exactly as written", () => {
    // `toml` 0.10.2 keeps the spaces around a dot in the key name, and loses keys after text that
    // follows closing triple quotes: taking those spaces away would change what the app loads.
    assert.equal(formatted('x = { a . b = 1 }\nc="x"\n').text, 'x = { a . b = 1 }\nc = "x"\n');
    assert.equal(formatted('c="x"\nm = \"\"\"\nline\n\"\"\"  \nd  =  2\n').text, 'c = "x"\nm = \"\"\"\nline\n\"\"\"  \nd = 2\n');
  });

  test('the check compares kinds, values and key order, not text', () => {
    assert.equal(formattingChangesMeaning('a = 1\nb = 2\n', 'a=1\n\nb=2'), undefined);
    assert.ok(formattingChangesMeaning('a = 1\nb = 2\n', 'b = 2\na = 1\n'), 'key order is part of what Streamlit loads');
    assert.ok(formattingChangesMeaning('a = 1\n', 'a = 1.0\n'), 'int and float differ');
    assert.ok(formattingChangesMeaning('a = "1"\n', "a = '1'\nb = 1\n"));
  });
});
