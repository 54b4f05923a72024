import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { createPythonSource } from '../../../server/src/python/pythonSource';
import { findSecretsMerges, findStreamlitApps } from '../../../server/src/python/streamlitApps';
import { programmaticListDiagnostics } from '../../../server/src/service/programmaticSecretsLists';
import { resolveSecretsChain } from '../../../server/src/service/secretsChain';
import { parseStreamlitVersion } from '../../../server/src/service/streamlitVersion';

const text = [
  'import streamlit as st',
  'app = st.App("main.py", secrets={"hosts": ["h1", "h2"], "db": {"replicas": [1, 2], "name": "n"}, "token": "t"})',
  'st.secrets.merge_programmatic_secrets({"tags": ("a",)})',
  '',
].join('\n');
const document = TextDocument.create('file:///p/app.py', 'python', 1, text);
const source = createPythonSource(text);
const calls = [...findStreamlitApps(source).map((app) => ({ secrets: app.secrets! })), ...findSecretsMerges(source)];
const chainFor = (version: string | undefined) =>
  resolveSecretsChain({ home: '/h', cwd: '/p', ...(version === undefined ? {} : { streamlitVersion: parseStreamlitVersion(version)! }) }, []);

test('1.57 and 1.58: each list (and tuple) given in code is a warning at its value, naming the key path, never the value', () => {
  for (const version of ['1.57.0', '1.58.2']) {
    const found = programmaticListDiagnostics(document, calls, chainFor(version));
    assert.deepEqual(
      found.map((d) => [d.code, d.severity, document.getText(d.range)]),
      [
        ['programmatic-list', 2, '["h1", "h2"]'],
        ['programmatic-list', 2, '[1, 2]'],
        ['programmatic-list', 2, '("a",)'],
      ],
    );
    assert.match(found[1]!.message, new RegExp(`^db\\.replicas is a list: .* from 1\\.59, and this app runs ${version.replace(/\./g, '\\.')}\\.$`));
    assert.ok(found.every((d) => !/h1|h2/.test(d.message)));
  }
});

test('1.59 and later, an unknown version (the newest rules) and before 1.57 (no secrets in code at all): nothing', () => {
  for (const version of ['1.59.0', '1.60.1', undefined, '1.56.0']) assert.deepEqual(programmaticListDiagnostics(document, calls, chainFor(version)), [], String(version));
});
