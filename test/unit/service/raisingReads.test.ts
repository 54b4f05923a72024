import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { defaultSettings } from '../../../common/settings';
import type { MergedSecrets } from '../../../server/src/service/mergeSecrets';
import { computePythonDiagnostics } from '../../../server/src/service/pythonDiagnostics';
import { parseStreamlitVersion } from '../../../server/src/service/streamlitVersion';
import { canaries, mergedOf, python } from './secretsFixture';

const values = 'token = "P-SECRET-1"\nempty = ""\nport = 5432\nratio = 0.5\nflag = true\nhosts = ["P-SECRET-2"]\nservers = [{ host = "P-SECRET-3" }]\n[db]\nhost = "P-SECRET-4"\n';
const merged = mergedOf(undefined, values);

function diagnose(body: string, m: MergedSecrets = merged) {
  const { document, analysis, misreads } = python(`import streamlit as st\n${body}`);
  const found = computePythonDiagnostics(document, analysis, misreads, m, defaultSettings);
  for (const d of found) for (const canary of canaries) assert.ok(!d.message.includes(canary), d.message);
  // In source order (reads and misreads are checked in two passes).
  found.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  return found.map((d) => ({ code: String(d.code), text: document.getText(d.range), message: d.message, severity: d.severity }));
}

function withVersion(m: MergedSecrets, version: string): MergedSecrets {
  return { ...m, chain: { ...m.chain, streamlitVersion: parseStreamlitVersion(version)! } };
}

describe('integer indexing', () => {
  test('[0] on a table: KeyError with the key as Streamlit prints it', () => {
    const found = diagnose('st.secrets["db"][0]\nst.secrets[0]\n');
    assert.deepEqual(found.map((d) => `${d.code}:${d.text}`), ['bad-index:0', 'bad-index:0']);
    assert.match(found[0]!.message, /^KeyError: st\.secrets has no key "0"/);
  });

  test('[0] on int / float / bool: TypeError; on an empty string and past an array: IndexError', () => {
    const found = diagnose('st.secrets.port[0]\nst.secrets.ratio[0]\nst.secrets.flag[0]\nst.secrets.empty[0]\nst.secrets.hosts[1]\nst.secrets.hosts[-2]\n');
    assert.deepEqual(
      found.map((d) => d.message.split(' (')[0]),
      [
        "TypeError: 'int' object is not subscriptable",
        "TypeError: 'float' object is not subscriptable",
        "TypeError: 'bool' object is not subscriptable",
        'IndexError: string index out of range',
        'IndexError: list index out of range',
        'IndexError: list index out of range',
      ],
    );
    assert.match(found[0]!.message, /\(port is an int\)\.$/);
    assert.match(found[2]!.message, /\(flag is a bool\)\.$/);
  });

  test('indexes that work, and handlers that catch the error, give nothing', () => {
    assert.deepEqual(diagnose('st.secrets.token[0]\nst.secrets.hosts[0]\nst.secrets.hosts[-1]\nst.secrets.servers[0]["host"]\nst.secrets.servers[0].get("host")\n'), []);
    assert.deepEqual(diagnose('try:\n    st.secrets.hosts[3]\nexcept IndexError:\n    pass\ntry:\n    st.secrets.port[0]\nexcept TypeError:\n    pass\n'), []);
  });
});

describe('mapping methods and keys on a plain value', () => {
  test("AttributeError: 'str' object has no attribute 'keys' (and int, float, bool, list)", () => {
    const found = diagnose('st.secrets.token.keys\nst.secrets.token.items()\nst.secrets.token.to_dict()\nst.secrets.port.get("x")\nst.secrets.ratio.values\nst.secrets.flag.items\nst.secrets.hosts.keys()\n');
    assert.deepEqual(
      found.map((d) => d.message.split(':').slice(0, 2).join(':')),
      [
        "AttributeError: 'str' object has no attribute 'keys'",
        "AttributeError: 'str' object has no attribute 'items'",
        "AttributeError: 'str' object has no attribute 'to_dict'",
        "AttributeError: 'int' object has no attribute 'get'",
        "AttributeError: 'float' object has no attribute 'values'",
        "AttributeError: 'bool' object has no attribute 'items'",
        "AttributeError: 'list' object has no attribute 'keys'",
      ],
    );
  });

  test("a str's own methods, a list's own methods are no error", () => {
    assert.deepEqual(diagnose('st.secrets.token.strip()\nst.secrets.token.upper()\nst.secrets.hosts.count("x")\nst.secrets.port.bit_length()\n'), []);
  });

  test('a string key on a str / list: TypeError', () => {
    const found = diagnose('st.secrets.token["x"]\nst.secrets.hosts["x"]\n');
    assert.deepEqual(found.map((d) => d.message.split(':').slice(0, 2).join(':')), ['TypeError: string indices must be integers', 'TypeError: list indices must be integers or slices, not str']);
  });
});

describe('st.secrets.items written for the key: its own, lower-severity code', () => {
  test('method-not-key is a warning, not a runtime error', () => {
    const [found] = diagnose('st.secrets.items\n', mergedOf(undefined, 'items = "P-SECRET-1"\n'));
    assert.equal(found!.code, 'method-not-key');
    assert.equal(found!.severity, DiagnosticSeverity.Warning);
    assert.match(found!.message, /does not raise/);
  });
});

describe('whole-object use when there are no secrets', () => {
  const body = 'n = len(st.secrets)\nd = st.secrets.to_dict()\nc = dict(st.secrets)\nl = list(st.secrets)\nfor k in st.secrets:\n    pass\nks = st.secrets.keys()\nst.secrets.items()\nst.secrets.values()\nf(**st.secrets)\nst.write(st.secrets)\nok = hasattr(st.secrets, "k")\nv = getattr(st.secrets, "k", None)\n';
  test('no file: each loading use raises; hasattr / getattr with a default / st.write do not count', () => {
    const found = diagnose(body, mergedOf(undefined, undefined));
    assert.deepEqual(found.map((d) => d.text), ['st.secrets', 'to_dict', 'st.secrets', 'st.secrets', 'st.secrets', 'keys', 'items', 'values', 'st.secrets']);
    assert.ok(found.every((d) => d.code === 'no-secrets-file'));
  });

  test('a file whose only use is a whole-object one is still checked', () => {
    assert.deepEqual(diagnose('n = len(st.secrets)\n', mergedOf(undefined, undefined)).map((d) => d.code), ['no-secrets-file']);
  });

  test('a file that loads: nothing', () => {
    assert.deepEqual(diagnose(body), []);
  });

  test('a load failure: one diagnostic, on the first use', () => {
    const found = diagnose(body, mergedOf(undefined, 'broken = \n'));
    assert.equal(found.length, 1);
    assert.equal(found[0]!.code, 'secrets-load-error');
    assert.equal(found[0]!.text, 'st.secrets');
  });
});

describe('the exception the modelled Streamlit raises', () => {
  const none = mergedOf(undefined, undefined);
  test('no file: StreamlitSecretNotFoundError since 1.44, FileNotFoundError before; attribute reads raise AttributeError', () => {
    assert.match(diagnose('st.secrets["k"]\n', none)[0]!.message, /^StreamlitSecretNotFoundError: No secrets found/);
    assert.match(diagnose('st.secrets["k"]\n', withVersion(none, '1.43.2'))[0]!.message, /^FileNotFoundError: No secrets found/);
    assert.match(diagnose('st.secrets.k\n', withVersion(none, '1.40'))[0]!.message, /^AttributeError: st\.secrets has no attribute "k": no secrets file exists, and attribute reads turn FileNotFoundError/);
  });

  test('no file: try/except AttributeError covers an attribute read, not a subscript', () => {
    assert.deepEqual(diagnose('try:\n    st.secrets.k\nexcept AttributeError:\n    pass\n', none), []);
    assert.equal(diagnose('try:\n    st.secrets["k"]\nexcept AttributeError:\n    pass\n', none).length, 1);
    assert.deepEqual(diagnose('try:\n    st.secrets["k"]\nexcept FileNotFoundError:\n    pass\n', none), []);
  });

  test('a file that fails to parse: StreamlitSecretNotFoundError since 1.44, the parser error before', () => {
    const broken = mergedOf(undefined, 'broken = \n');
    assert.match(diagnose('st.secrets["k"]\n', broken)[0]!.message, /^StreamlitSecretNotFoundError: Streamlit cannot load the secrets/);
    assert.match(diagnose('st.secrets["k"]\n', withVersion(broken, '1.43'))[0]!.message, /^Streamlit cannot load the secrets/);
  });
});
