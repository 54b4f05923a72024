import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { defaultSettings } from '../../../common/settings';
import { insertSecretKey, pythonCodeActions } from '../../../server/src/service/pythonCodeActions';
import { computePythonDiagnostics } from '../../../server/src/service/pythonDiagnostics';
import { nodeAt } from '../../../server/src/service/secretNodes';
import { parseSecretsToml } from '../../../server/src/toml/parseSecretsToml';
import { parseStreamlitVersion } from '../../../server/src/service/streamlitVersion';
import { canaries, globalToml, mergedOf, projectToml, python } from './secretsFixture';

const merged = mergedOf(globalToml, projectToml);

function diagnose(code: string, m = merged, settings = defaultSettings) {
  const { document, analysis, misreads } = python(code);
  const found = computePythonDiagnostics(document, analysis, misreads, m, settings);
  for (const d of found) for (const canary of canaries) assert.ok(!d.message.includes(canary), d.message);
  return found.map((d) => ({ code: d.code, text: document.getText(d.range), message: d.message, severity: d.severity, data: d.data as Record<string, unknown> | undefined }));
}

describe('computePythonDiagnostics', () => {
  test('missing keys at every depth, with the KeyError / AttributeError text; tolerant reads are fine', () => {
    const found = diagnose('import streamlit as st\nst.secrets["nope"]\nst.secrets.db.nope\nst.secrets.get("x")\n"x" in st.secrets\nst.secrets.get("x").y\n"k" in st.secrets.missing\n');
    assert.deepEqual(found.map((d) => `${d.code}:${d.text}`), ['missing-key:nope', 'missing-key:nope', 'missing-key:x', 'missing-key:missing']);
    assert.match(found[0]!.message, /^KeyError: st\.secrets has no key "nope"/);
    assert.match(found[1]!.message, /^AttributeError: st\.secrets has no attribute "nope"/);
    assert.match(found[2]!.message, /^AttributeError: 'NoneType' object has no attribute 'y': st\.secrets has no key "x", so \.get\("x"\) returns None here/);
    assert.deepEqual(found[3]!.data, { addKey: ['missing', 'k'] });
  });

  test('keys lost by the shallow merge name the defining and the hiding file', () => {
    const [lost] = diagnose('import streamlit as st\nst.secrets.db.port\n');
    assert.match(lost!.message, /~\/\.streamlit\/secrets\.toml defines db\.port, but \.streamlit\/secrets\.toml replaces the whole db/);
  });

  test('related locations name the file and the line (VS Code shows only "secrets.toml(4, 1)" beside them)', () => {
    const { document, analysis, misreads } = python('import streamlit as st\nst.secrets.db.port\n');
    const [lost] = computePythonDiagnostics(document, analysis, misreads, merged, defaultSettings);
    assert.deepEqual(
      lost!.relatedInformation!.map((info) => [info.location.uri, info.location.range.start.line, info.message]),
      [
        ['file:///h/.streamlit/secrets.toml', 3, 'global file ~/.streamlit/secrets.toml, line 4: defines db.port, replaced by the project file .streamlit/secrets.toml'],
        ['file:///p/.streamlit/secrets.toml', 3, 'project file .streamlit/secrets.toml, line 4: its db replaces the whole db of earlier files'],
      ],
    );
  });

  test('unreachable attributes: Mapping methods (only when the key exists and it is not called), arrays, array items', () => {
    const m = mergedOf(undefined, 'items = "P-SECRET-1"\nservers = [{ host = "P-SECRET-2" }]\n[t]\nkeys = "P-SECRET-3"\n');
    const found = diagnose('import streamlit as st\nst.secrets.items\nst.secrets.items()\nst.secrets.values\nst.secrets.t.keys\nst.secrets.servers.host\nst.secrets.servers[0].host\n', m);
    assert.deepEqual(found.map((d) => `${d.code}:${d.text}`).sort(), ['array-attribute:host', 'array-attribute:host', 'method-not-key:items', 'method-not-key:keys'].sort());
    assert.deepEqual(found.find((d) => d.text === 'items')!.data!.rewrite, { range: { start: { line: 1, character: 10 }, end: { line: 1, character: 16 } }, newText: '["items"]' });
  });

  test('no secrets file: every read, .get() and in included; environ reads are not affected', () => {
    const found = diagnose('import os\nimport streamlit as st\nst.secrets.get("a")\n"b" in st.secrets\nos.environ["C"]\n', mergedOf(undefined, undefined));
    assert.deepEqual(found.map((d) => d.code), ['no-secrets-file', 'no-secrets-file']);
    assert.match(found[0]!.message, /^StreamlitSecretNotFoundError: No secrets found\. Valid paths for a secrets\.toml file or secret directories are: \/h\/\.streamlit\/secrets\.toml, \/p\/\.streamlit\/secrets\.toml/);
  });

  test('a load error: the app gets no secrets, with the file and the reason, no value', () => {
    const found = diagnose('import streamlit as st\nst.secrets.a\n', mergedOf(undefined, 'a = [1, "P-SECRET-1"]\n'));
    assert.equal(found[0]!.code, 'secrets-load-error');
    assert.match(found[0]!.message, /Streamlit cannot load the secrets \(\.streamlit\/secrets\.toml\).*no secrets at all/);
  });

  test('st.connection: missing type, missing section, SQL keys', () => {
    const m = mergedOf(undefined, '[connections.custom]\nurl = "P-SECRET-1"\n[connections.db]\ntype = "sql"\nhost = "P-SECRET-2"\n');
    const found = diagnose('import streamlit as st\nst.connection("custom")\nst.connection("absent")\nst.connection("absent", type="sql")\nst.connection("sql")\nst.connection("db")\nst.connection("env:X")\n', m);
    assert.deepEqual(found.map((d) => `${d.code}:${d.text}`), [
      'connection-missing-type:custom',
      'connection-missing-type:absent',
      'connection-missing-section:sql',
      'connection-sql-missing-keys:db',
    ]);
    assert.match(found[0]!.message, /no key "type"/);
    assert.match(found[3]!.message, /missing dialect, username/);
  });

  test('st.connection: a section type Streamlit does not know fails at a call without type=, not with one', () => {
    const m = mergedOf(undefined, '[connections.gsheets]\ntype = "P-SECRET-TYPE"\nurl = "P-SECRET-1"\n');
    const found = diagnose('import streamlit as st\nfrom x import GSheetsConnection\nst.connection("gsheets")\nst.connection("gsheets", type=GSheetsConnection)\nst.secrets.connections.gsheets.url\n', m);
    assert.deepEqual(found.map((d) => `${d.code}:${d.text}`), ['connection-unknown-type:gsheets']);
    assert.equal(found[0]!.severity, DiagnosticSeverity.Error);
    assert.match(found[0]!.message, /^StreamlitAPIException: Invalid connection\. The "type" in \[connections\.gsheets\]/);
    assert.ok(!found[0]!.message.includes('P-SECRET'), 'no value in the message');
  });

  test('st.connection with settings as arguments: no missing section or SQL keys (Streamlit lays them over the section); the type is still needed', () => {
    const m = mergedOf(undefined, '[connections.db]\ntype = "sql"\nusername = "P-SECRET-1"\n');
    const found = diagnose(
      'import streamlit as st\nopts = {}\nst.connection("sql", url="sqlite:///x.db")\nst.connection("db", dialect="postgresql", host="h")\nst.connection("sql", ttl=60, **opts)\nst.connection("custom", url="x")\nst.connection("sql", ttl=60)\nst.connection("db", max_entries=2)\n',
      m,
    );
    assert.deepEqual(found.map((d) => `${d.code}:${d.text}`), ['connection-missing-type:custom', 'connection-missing-section:sql', 'connection-sql-missing-keys:db']);
  });

  test('st.login / st.connection calls in a function get the unguarded severity, as reads do (a caller may never call it)', () => {
    const m = mergedOf(undefined, 'present = "P-SECRET-1"\n');
    const inFunction = diagnose('import streamlit as st\ndef sign_in():\n    st.login("google")\n    st.connection("mydb")\n', m);
    assert.deepEqual(inFunction.map((d) => `${d.code}:${d.severity}`).sort(), [`connection-missing-type:${DiagnosticSeverity.Warning}`, `login-missing-auth:${DiagnosticSeverity.Warning}`]);
    const atModule = diagnose('import streamlit as st\nst.login("google")\nst.connection("mydb")\n', m);
    assert.deepEqual(atModule.map((d) => `${d.code}:${d.severity}`).sort(), [`connection-missing-type:${DiagnosticSeverity.Error}`, `login-missing-auth:${DiagnosticSeverity.Error}`]);
  });

  test('st.login gates: before 1.42 it does not exist (AttributeError); before 1.43 a "_" in the provider is accepted', () => {
    const base = mergedOf(undefined, '[auth]\nredirect_uri = "http://localhost:8501/oauth2callback"\ncookie_secret = "P-SECRET-1"\n[auth.my_idp]\nclient_id = "P-SECRET-2"\nclient_secret = "P-SECRET-3"\nserver_metadata_url = "https://idp.invalid/.well-known/openid-configuration"\n');
    const at = (version: string | undefined) => (version === undefined ? base : { ...base, chain: { ...base.chain, streamlitVersion: parseStreamlitVersion(version)! } });
    const code = 'import streamlit as st\nst.login("my_idp")\n';
    assert.deepEqual(diagnose(code, at(undefined)).map((d) => d.code), ['login-invalid-provider']);
    assert.deepEqual(diagnose(code, at('1.43.0')).map((d) => d.code), ['login-invalid-provider']);
    assert.deepEqual(diagnose(code, at('1.42.2')), []);
    const old = diagnose(code, at('1.41.1'));
    assert.deepEqual(old.map((d) => d.code), ['login-unavailable']);
    assert.match(old[0]!.message, /^AttributeError: module 'streamlit' has no attribute 'login': st\.login\(\) exists from Streamlit 1\.42, and this app runs 1\.41\.1\./);
  });

  test('st.connection("snowpark"): implies its type up to 1.58 and with an unknown version; a known 1.59+ needs a type', () => {
    const base = mergedOf(undefined, '[connections.snowpark]\naccount = "P-SECRET-1"\n');
    const at = (version: string | undefined) => (version === undefined ? base : { ...base, chain: { ...base.chain, streamlitVersion: parseStreamlitVersion(version)! } });
    const code = 'import streamlit as st\nst.connection("snowpark")\nst.connection("snowpark", type="snowflake")\n';
    assert.deepEqual(diagnose(code, at(undefined)), []);
    assert.deepEqual(diagnose(code, at('1.58.2')), []);
    const removed = diagnose(code, at('1.59.0'));
    assert.deepEqual(removed.map((d) => `${d.code}:${d.text}`), ['connection-missing-type:snowpark']);
    assert.match(removed[0]!.message, /^KeyError: st\.secrets has no key "type"\. "snowpark" is not a built-in connection name \(Streamlit 1\.59 removed it\)/);
    // A section naming the type "snowpark" is an unknown type there.
    const typed = mergedOf(undefined, '[connections.warehouse]\ntype = "snowpark"\n');
    const call = 'import streamlit as st\nst.connection("warehouse")\n';
    assert.deepEqual(diagnose(call, typed), []);
    assert.deepEqual(diagnose(call, { ...typed, chain: { ...typed.chain, streamlitVersion: parseStreamlitVersion('1.60')! } }).map((d) => d.code), ['connection-unknown-type']);
  });

  test('st.connection: a constant type= in the call decides the type, over the name and the section; snowpark implies its type', () => {
    const m = mergedOf(undefined, '[connections.db]\nhost = "P-SECRET-1"\n[connections.sql]\nhost = "P-SECRET-2"\n[connections.other]\ntype = "sql"\nhost = "P-SECRET-3"\n');
    const found = diagnose('import streamlit as st\nst.connection("db", type="sql")\nst.connection("sql", type="snowflake")\nst.connection("other", type="snowflake")\nst.connection("db", "sql")\nst.connection("snowpark")\n', m);
    assert.deepEqual(found.map((d) => `${d.code}:${d.text}`), ['connection-sql-missing-keys:db', 'connection-sql-missing-keys:db']);
    assert.deepEqual(found[0]!.data, {
      addKey: ['connections', 'db', 'dialect'],
      addKeys: [
        ['connections', 'db', 'dialect'],
        ['connections', 'db', 'username'],
      ],
    });
  });

  test('st.login: [auth] keys at the root or per provider; provider names without "_"', () => {
    const m = mergedOf(undefined, '[auth]\nredirect_uri = "P-SECRET-1"\n[auth.google]\nclient_id = "P-SECRET-2"\n');
    const found = diagnose('import streamlit as st\nst.login()\nst.login("google")\nst.login("okta")\nst.login("my_idp")\n', m);
    assert.deepEqual(found.map((d) => d.code), ['login-missing-keys', 'login-missing-keys', 'login-missing-provider', 'login-invalid-provider']);
    assert.match(found[1]!.message, /\[auth\] lacks cookie_secret; \[auth\.google\] lacks client_secret, server_metadata_url/);
    assert.deepEqual(diagnose('import streamlit as st\nst.login()\n', mergedOf(undefined, 'x = 1\n')).map((d) => d.code), ['login-missing-auth']);
  });

  test('severities come from the settings; off removes the diagnostic', () => {
    const settings = { ...defaultSettings, diagnostics: { ...defaultSettings.diagnostics, missingKey: 'hint' as const, attributeAccess: 'off' as const } };
    const found = diagnose('import streamlit as st\nst.secrets.nope\nst.secrets.servers.host\n', merged, settings);
    assert.deepEqual(found.map((d) => [d.code, d.severity]), [['missing-key', 4]]);
  });
});

describe('quick fixes', () => {
  function apply(text: string, keyPath: string[]): string | undefined {
    const insert = insertSecretKey(text, keyPath, parseSecretsToml(text).root);
    return insert === undefined ? undefined : text.slice(0, insert.offset) + insert.text + text.slice(insert.offset);
  }

  test('insertSecretKey puts the key in the right table and keeps the file valid', () => {
    for (const [text, keyPath] of [
      [projectToml, ['new']],
      [projectToml, ['db', 'password']],
      [projectToml, ['smtp', 'user']],
      ['', ['a', 'b', 'c']],
      ['x = 1', ['y']],
      ['[db]\r\nuser = "u"', ['db', 'pw']],
      ['[a]\n[a.b]\nk = 1\n', ['a', 'c']],
    ] as const) {
      const after = apply(text, [...keyPath]);
      assert.ok(after !== undefined, `${JSON.stringify(text)} ${keyPath}`);
      const parsed = parseSecretsToml(after);
      assert.equal(parsed.streamlitError, undefined, after);
      assert.deepEqual(nodeAt(parsed.root, keyPath), { kind: 'string', value: '' }, after);
      // Nothing that was there is lost.
      for (const [key] of parseSecretsToml(text).root?.children ?? []) assert.ok(parsed.root?.children?.has(key), after);
    }
    assert.ok(apply('[db]\r\nuser = "u"', ['db', 'pw'])!.includes('\r\npw = ""'), 'keeps CRLF');
  });

  test('no insertion where it would change the file\'s meaning', () => {
    assert.equal(apply('db = { user = "u" }\n', ['db', 'pw']), undefined, 'inline table');
    assert.equal(apply('api = "x"\n', ['api', 'key']), undefined, 'a scalar in the way');
    assert.equal(apply('db.user = "u"\n', ['db', 'pw']), undefined, 'dotted-key table');
  });

  test('actions: edit the file that decides the key, create the project file when none, rewrite attributes', () => {
    const { document, analysis, misreads } = python('import streamlit as st\nst.secrets.db.pw\nst.secrets.fresh\n');
    const diagnostics = computePythonDiagnostics(document, analysis, misreads, merged, defaultSettings);
    const actions = pythonCodeActions(document.uri, diagnostics, merged);
    assert.deepEqual(actions.map((a) => a.title), ['Add "db.pw" to .streamlit/secrets.toml', 'Add "fresh" to .streamlit/secrets.toml']);
    const onlyGlobal = mergedOf(globalToml, undefined);
    const d2 = computePythonDiagnostics(document, analysis, misreads, onlyGlobal, defaultSettings);
    const a2 = pythonCodeActions(document.uri, d2, onlyGlobal);
    assert.equal(a2[0]!.title, 'Add "db.pw" to ~/.streamlit/secrets.toml', 'the global file wins db: adding it to a new project file would hide db.user');
    assert.deepEqual(a2[1]!.command, { title: 'Create Project Secrets File', command: 'streamlitSecrets.createProjectSecretsFile', arguments: [{ folderUri: 'file:///p', addKey: ['fresh'] }] });
    const edit = TextDocument.applyEdits(TextDocument.create('file:///h', 'toml', 0, globalToml), a2[0]!.edit!.changes!['file:///h/.streamlit/secrets.toml']!);
    assert.deepEqual(nodeAt(parseSecretsToml(edit).root, ['db', 'pw']), { kind: 'string', value: '' });
  });

  test('st.login and SQL connections: one fix adds every key the section needs, in one table', () => {
    const applyFix = (project: string, code: string): { titles: string[]; text: string | undefined; args: unknown } => {
      const m = mergedOf(undefined, project);
      const { document, analysis, misreads } = python(code);
      const diagnostics = computePythonDiagnostics(document, analysis, misreads, m, defaultSettings);
      const actions = pythonCodeActions(document.uri, diagnostics, m);
      const edits = actions[0]?.edit?.changes?.['file:///p/.streamlit/secrets.toml'];
      return {
        titles: actions.map((a) => a.title),
        text: edits === undefined ? undefined : TextDocument.applyEdits(TextDocument.create('file:///p', 'toml', 0, project), edits),
        args: actions[0]?.command?.arguments?.[0],
      };
    };
    // st.login() without a provider reads every key from [auth] itself.
    const noAuth = applyFix('x = 1\n', 'import streamlit as st\nst.login()\n');
    assert.deepEqual(noAuth.titles, ['Add [auth] redirect_uri, cookie_secret, client_id, client_secret, server_metadata_url to .streamlit/secrets.toml']);
    const auth = nodeAt(parseSecretsToml(noAuth.text!).root, ['auth']);
    assert.deepEqual([...(auth?.children?.keys() ?? [])], ['redirect_uri', 'cookie_secret', 'client_id', 'client_secret', 'server_metadata_url']);
    assert.equal(noAuth.text!.match(/\[auth\]/g)?.length, 1, 'one header');
    // A named provider: [auth] gets its own keys, then [auth.google] the provider's.
    const provider = applyFix('[auth]\nredirect_uri = "http://localhost:8501/oauth2callback"\ncookie_secret = "c"\n', 'import streamlit as st\nst.login("google")\n');
    assert.deepEqual(provider.titles, ['Add [auth.google] client_id, client_secret, server_metadata_url to .streamlit/secrets.toml']);
    assert.deepEqual([...(nodeAt(parseSecretsToml(provider.text!).root, ['auth', 'google'])?.children?.keys() ?? [])], ['client_id', 'client_secret', 'server_metadata_url']);
    // Only the keys the table lacks are written, under its existing header.
    const partial = applyFix('[auth]\nredirect_uri = "r"\nclient_id = "i"\n', 'import streamlit as st\nst.login()\n');
    assert.deepEqual([...(nodeAt(parseSecretsToml(partial.text!).root, ['auth'])?.children?.keys() ?? [])].sort(), ['client_id', 'client_secret', 'cookie_secret', 'redirect_uri', 'server_metadata_url']);
    assert.equal(partial.text!.match(/client_id/g)?.length, 1);
    // SQL without url: every missing connection parameter at once.
    const sql = applyFix('[connections.db]\ntype = "sql"\nhost = "h"\n', 'import streamlit as st\nst.connection("db")\n');
    assert.match(sql.titles[0]!, /^Add \[connections\.db\] dialect, username/);
    const db = nodeAt(parseSecretsToml(sql.text!).root, ['connections', 'db']);
    assert.ok(db?.children?.has('dialect') && db.children.has('username') && db.children.get('host')?.value === 'h');
    // No project file (only a global one): the create-file command gets every key.
    const m = mergedOf('x = 1\n', undefined);
    const { document, analysis, misreads } = python('import streamlit as st\nst.login("okta")\n');
    const actions = pythonCodeActions(document.uri, computePythonDiagnostics(document, analysis, misreads, m, defaultSettings), m);
    const create = actions.find((a) => a.command !== undefined);
    assert.deepEqual(create?.command?.arguments?.[0], { folderUri: 'file:///p', addKey: ['auth', 'redirect_uri'], addKeys: [['auth', 'redirect_uri'], ['auth', 'cookie_secret']] });
  });
});
