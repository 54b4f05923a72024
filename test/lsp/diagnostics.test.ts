import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DiagnosticSeverity, DidChangeConfigurationNotification, type Diagnostic } from 'vscode-languageserver-protocol';
import { LspTestClient } from '../helpers/lspClient';
import type { TempTree } from '../helpers/tempProject';
import { startProject, withProject, type LspProject } from '../helpers/lspProject';
import { assertNoCanary, globalSecrets, projectSecrets } from './secretsFixtures';

function codes(diagnostics: Diagnostic[] | undefined): string[] {
  return (diagnostics ?? []).map((d) => `${String(d.code)}@${d.range.start.line}:${d.range.start.character}`);
}

describe('Python diagnostics over LSP (spawned server)', () => {
  let project: TempTree;
  let client: LspTestClient;
  let lsp: LspProject;

  before(async () => {
    lsp = await startProject({ home: { '.streamlit/secrets.toml': globalSecrets }, project: { '.streamlit/secrets.toml': projectSecrets } });
    ({ client, project } = lsp);
  });

  after(() => lsp.dispose());

  let counter = 0;
  async function diagnose(text: string, predicate: (d: Diagnostic[]) => boolean = () => true): Promise<Diagnostic[]> {
    const uri = await client.open(project.path(`d${counter++}.py`), text);
    const found = await client.waitFor(() => {
      const d = client.diagnostics.get(uri);
      return d !== undefined && predicate(d) ? d : undefined;
    }, 10000, `diagnostics of ${text}`);
    await client.close(uri);
    return found;
  }

  test('missing keys: KeyError / AttributeError text, files searched, exact segment range', async () => {
    const found = await diagnose('import streamlit as st\nst.secrets["nope"]\nst.secrets.db.nope\nst.secrets.get("fine")\n"fine" in st.secrets\n', (d) => d.length >= 2);
    assert.deepEqual(codes(found), ['missing-key@1:12', 'missing-key@2:14']);
    assert.match(found[0]!.message, /^KeyError: st\.secrets has no key "nope"\. Searched: ~\/\.streamlit\/secrets\.toml, \.streamlit\/secrets\.toml\./);
    assert.match(found[1]!.message, /^AttributeError: st\.secrets has no attribute "nope"/);
    assert.equal(found[0]!.severity, DiagnosticSeverity.Error);
    assert.equal(found[0]!.source, 'streamlit-secrets');
    assert.deepEqual(found[0]!.data, { addKey: ['nope'] });
  });

  test('a key lost by the shallow merge names the file that hides it', async () => {
    const [lost] = await diagnose('import streamlit as st\nport = st.secrets.db.port\n', (d) => d.length > 0);
    assert.equal(lost!.code, 'missing-key');
    assert.match(lost!.message, /~\/\.streamlit\/secrets\.toml defines db\.port, but \.streamlit\/secrets\.toml replaces the whole db/);
    assert.ok((lost!.relatedInformation ?? []).some((info) => info.location.uri.endsWith('.streamlit/secrets.toml')));
  });

  test('attribute access that cannot work: Mapping method names, attributes on arrays and array items', async () => {
    const found = await diagnose(
      'import streamlit as st\nst.secrets.items\nst.secrets.items()\nst.secrets.servers.host\nst.secrets.servers[0].host\nst.secrets.servers[0]["host"]\n',
      (d) => d.length >= 3,
    );
    assert.deepEqual(codes(found).sort(), ['array-attribute@3:19', 'array-attribute@4:22', 'method-not-key@1:11'].sort());
    const items = found.find((d) => d.code === 'method-not-key')!;
    assert.match(items.message, /Mapping method items\(\)/);
    assert.equal((items.data as { rewrite: { newText: string } }).rewrite.newText, '["items"]');
  });

  test('st.connection and st.login problems', async () => {
    const found = await diagnose(
      'import streamlit as st\nst.connection("warehouse")\nst.connection("custom")\nst.connection("custom", type="sql")\nst.connection("sql")\nst.login()\nst.login("my_idp")\n',
      (d) => d.length >= 4,
    );
    assert.deepEqual(codes(found), ['connection-missing-type@2:15', 'connection-missing-section@4:15', 'login-missing-auth@5:0', 'login-invalid-provider@6:10']);
    assert.match(found[0]!.message, /KeyError: st\.secrets has no key "custom"/);
  });

  test('severities follow the settings; off hides the diagnostic', async () => {
    client.settings = { diagnostics: { missingKey: 'warning', methodNotKey: 'off' } };
    await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: {} });
    const found = await diagnose('import streamlit as st\nst.secrets.nope\nst.secrets.items\n', (d) => d.length > 0 && d[0]!.severity === DiagnosticSeverity.Warning);
    assert.deepEqual(codes(found), ['missing-key@1:11']);
    client.settings = {};
    await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: {} });
  });

  test('diagnostics follow edits of the Python file and of a secrets file in its chain', async () => {
    const uri = await client.open(project.path('live.py'), 'import streamlit as st\nst.secrets.later\n');
    await client.waitFor(() => client.diagnostics.get(uri)?.some((d) => d.code === 'missing-key'), 10000, 'missing later');
    const secretsUri = await client.open(project.path('.streamlit', 'secrets.toml'), `later = "p-canary-9"\n${projectSecrets}`);
    await client.waitFor(() => client.diagnostics.get(uri)?.length === 0, 10000, 'cleared by the secrets edit');
    await client.change(uri, 'import streamlit as st\nst.secrets.later.deeper\n');
    await client.waitFor(() => client.diagnostics.get(uri)?.some((d) => d.code === 'not-a-table'), 10000, 'not a table');
    await client.close(secretsUri);
    await client.waitFor(() => client.diagnostics.get(uri)?.some((d) => d.code === 'missing-key'), 10000, 'missing again from disk');
    await client.close(uri);
  });

  test('a file Streamlit cannot parse: the Python side says the app gets no secrets, and where', async () => {
    const secretsUri = await client.open(project.path('.streamlit', 'secrets.toml'), 'mixed = [1, "p-canary-8"]\napi_key = "p-canary-1"\n');
    const found = await diagnose('import streamlit as st\nst.secrets.api_key\n', (d) => d.some((x) => x.code === 'secrets-load-error'));
    assert.match(found[0]!.message, /Streamlit cannot load the secrets \(\.streamlit\/secrets\.toml\): .*The app gets no secrets at all/);
    await client.close(secretsUri);
    assertNoCanary(client.output().replace(/p-canary-8|p-canary-9/g, ''), 'server output');
    assert.ok(!client.output().includes('p-canary-8') && !client.output().includes('p-canary-9'));
  });
});

describe('Python diagnostics without any secrets file', () => {
  test('every access, .get() and "in" included, gets the StreamlitSecretNotFoundError Streamlit raises', async () => {
    await withProject({}, async ({ client, project }) => {
      const uri = await client.open(project.path('app.py'), 'import streamlit as st\nst.secrets.get("a")\n"b" in st.secrets\nst.secrets["c"]\n');
      const found = await client.waitFor(() => (client.diagnostics.get(uri)?.length === 3 ? client.diagnostics.get(uri) : undefined), 10000, 'three');
      assert.deepEqual(codes(found), ['no-secrets-file@1:0', 'no-secrets-file@2:7', 'no-secrets-file@3:0']);
      assert.match(found[0]!.message, /^StreamlitSecretNotFoundError: No secrets found\. Valid paths for a secrets\.toml file or secret directories are: .*\.streamlit\/secrets\.toml/);
      assert.equal(found[0]!.severity, DiagnosticSeverity.Warning);
      // A file whose only use loads st.secrets as a whole: len() raises too.
      const whole = await client.open(project.path('whole.py'), 'import streamlit as st\nn = len(st.secrets)\n');
      const wholeFound = await client.waitFor(() => (client.diagnostics.get(whole)?.length ? client.diagnostics.get(whole) : undefined), 10000, 'len(st.secrets)');
      assert.deepEqual(codes(wholeFound), ['no-secrets-file@1:8']);
    });
  });
});

describe('One cause, one diagnostic: a secrets file Streamlit cannot load', () => {
  test('`broken = `: the secrets file gets its exact error, each Python file ONE diagnostic linking to the bad line', async () => {
    const secrets = 'api_key = "p-canary-1"\n[db]\nhost = "p-canary-2"\nbroken = \n';
    await withProject({ project: { '.streamlit/secrets.toml': secrets } }, async ({ client, project }) => {
      const secretsPath = project.path('.streamlit', 'secrets.toml');
      const secretsUri = await client.open(secretsPath, secrets, 'streamlit-secrets');
      const apps = [
        'import streamlit as st\nst.title("a")\nkey = st.secrets.api_key\nhost = st.secrets["db"]["host"]\nif "x" in st.secrets:\n    st.secrets.x\nst.secrets.get("y")\n',
        'import streamlit as st\n\ndef connect():\n    return st.secrets.db.host\n\nn = len(st.secrets)\nst.secrets["api_key"]\n',
      ];
      const uris = await Promise.all(apps.map((text, index) => client.open(project.path(`app${index}.py`), text)));
      for (const uri of uris) {
        const found = await client.waitFor(() => client.diagnostics.get(uri)?.filter((d) => d.code === 'secrets-load-error').length ? client.diagnostics.get(uri) : undefined, 10000, 'load error');
        assert.equal(found.length, 1, JSON.stringify(found.map((d) => d.message)));
        const [only] = found;
        assert.match(only!.message, /The app gets no secrets at all: this read raises, and so do \d+ other reads in this file\./);
        const related = only!.relatedInformation ?? [];
        assert.equal(related.length, 1);
        assert.ok(related[0]!.location.uri.endsWith('/.streamlit/secrets.toml'), related[0]!.location.uri);
        // The bad line (0-based line 3, `broken = `), not line 1 column 1.
        assert.equal(related[0]!.location.range.start.line, 3);
      }
      // The first module-level read that raises carries it: line 2 of app0, line 5 of app1 (not the function).
      assert.equal(client.diagnostics.get(uris[0]!)![0]!.range.start.line, 2);
      assert.equal(client.diagnostics.get(uris[1]!)![0]!.range.start.line, 5);
      const secretsErrors = await client.waitFor(() => client.diagnostics.get(secretsUri)?.filter((d) => d.severity === DiagnosticSeverity.Error), 10000, 'secrets file error');
      assert.ok(secretsErrors.some((d) => d.range.start.line === 3), JSON.stringify(secretsErrors.map((d) => d.range)));
      assertNoCanary(JSON.stringify([...client.diagnostics.values()]), 'diagnostics');
    });
  });
});
