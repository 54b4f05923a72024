import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-protocol';
import { LspTestClient, fileUri } from '../helpers/lspClient';
import type { TempTree } from '../helpers/tempProject';
import { startProject, withProject, type LspProject } from '../helpers/lspProject';
import { tomlTestCorpus } from '../helpers/tomlTestCorpus';

const corpus = tomlTestCorpus();

function tomlFiles(dir: string): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...tomlFiles(full));
    else if (entry.name.endsWith('.toml')) found.push(full);
  }
  return found.sort();
}

const codes = (list: Diagnostic[] | undefined): string[] => (list ?? []).map((d) => String(d.code));

describe('secrets-file diagnostics over LSP (spawned server)', () => {
  let home: TempTree;
  let project: TempTree;
  let client: LspTestClient;
  let lsp: LspProject;

  before(async () => {
    lsp = await startProject({
      home: {
        '.streamlit/secrets.toml': 'global_token = "g-canary-token"\n[db]\nuser = "g-canary-user"\nport = 5432\n[connections.warehouse]\ntype = "snowflake"\naccount = "g-canary-acct"\n',
      },
      project: { 'app.py': 'import streamlit as st\n' },
    });
    ({ client, home, project } = lsp);
  });

  after(() => lsp.dispose());

  async function diagnose(relative: string, text: string, languageId?: string): Promise<Diagnostic[]> {
    const filePath = project.path(relative);
    fs.mkdirSync(path.dirname(filePath), { recursive: true });
    fs.writeFileSync(filePath, text);
    const uri = await client.open(filePath, text, languageId);
    const found = await client.waitFor(() => client.diagnostics.get(uri), 10000, `diagnostics of ${relative}`);
    await client.close(uri);
    return found;
  }

  /** Writes and opens `<folder>/.streamlit/secrets.toml`, opens `<folder>/app.py` beside it, runs `check`, closes both. */
  async function withSecretsAndApp(folder: string, secrets: string, app: string, check: (secretsUri: string, appUri: string) => Promise<void>): Promise<void> {
    const secretsPath = project.path(folder, '.streamlit', 'secrets.toml');
    fs.mkdirSync(path.dirname(secretsPath), { recursive: true });
    fs.writeFileSync(secretsPath, secrets);
    const secretsUri = await client.open(secretsPath, secrets);
    const appUri = await client.open(project.path(folder, 'app.py'), app);
    try {
      await check(secretsUri, appUri);
    } finally {
      await client.close(appUri);
      await client.close(secretsUri);
    }
  }

  test('a syntax error is reported at its exact range, without quoting the file', async () => {
    const text = 'ok = "p-canary-ok"\nbroken = "p-canary-broken\nafter = 1\n';
    const diagnostics = await diagnose('syntax/.streamlit/secrets.toml', text);
    const syntax = diagnostics.find((d) => d.code === 'toml-syntax');
    assert.ok(syntax, codes(diagnostics).join());
    assert.equal(syntax.severity, DiagnosticSeverity.Error);
    assert.equal(syntax.range.start.line, 1);
    assert.equal(syntax.source, 'streamlit-secrets');
    for (const d of diagnostics) assert.ok(!d.message.includes('p-canary'), d.message);
  });

  test('what only Streamlit rejects is an error naming Streamlit; what only TOML 1.0 rejects is a warning', async () => {
    const mixed = await diagnose('mixed/.streamlit/secrets.toml', 'ports = [1, "p-canary-mixed"]\n');
    const error = mixed.find((d) => d.code === 'streamlit-mixed-array');
    assert.ok(error, codes(mixed).join());
    assert.equal(error.severity, DiagnosticSeverity.Error);
    assert.match(error.message, /^Streamlit cannot load this file: /);
    assert.ok(!error.message.includes('p-canary'));
    const lenient = await diagnose('lenient/.streamlit/secrets.toml', 'ключ = "p-canary-key"\n');
    const warning = lenient.find((d) => d.code === 'toml10-non-ascii-key');
    assert.ok(warning, codes(lenient).join());
    assert.equal(warning.severity, DiagnosticSeverity.Warning);
  });

  test('BOM, invalid UTF-8 and binary files on disk get a clear diagnostic', async () => {
    // The editor hides a BOM from the buffer: the disk decides.
    const bomPath = project.path('bom/.streamlit/secrets.toml');
    fs.mkdirSync(path.dirname(bomPath), { recursive: true });
    fs.writeFileSync(bomPath, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('key = "p-canary-bom"\n')]));
    const bomUri = await client.open(bomPath, 'key = "p-canary-bom"\n');
    const bom = await client.waitFor(() => client.diagnostics.get(bomUri), 10000, 'bom');
    const bomDiagnostic = bom.find((d) => d.code === 'streamlit-bom-key');
    assert.ok(bomDiagnostic, codes(bom).join());
    assert.deepEqual(bomDiagnostic.range.start, { line: 0, character: 0 });
    await client.close(bomUri);

    const latin1 = project.path('latin/.streamlit/secrets.toml');
    fs.mkdirSync(path.dirname(latin1), { recursive: true });
    fs.writeFileSync(latin1, Buffer.from('name = "caf\xe9"\n', 'latin1'));
    const latinUri = await client.open(latin1, 'name = "caf\ufffd"\n');
    const latin = await client.waitFor(() => client.diagnostics.get(latinUri), 10000, 'latin1');
    assert.ok(latin.some((d) => d.code === 'invalid-utf8' && d.severity === DiagnosticSeverity.Error), codes(latin).join());
    await client.close(latinUri);

    const binary = project.path('binary/.streamlit/secrets.toml');
    fs.mkdirSync(path.dirname(binary), { recursive: true });
    fs.writeFileSync(binary, Buffer.from([0x00, 0x01, 0x02, 0x61, 0xff, 0x00]));
    const binaryUri = await client.open(binary, '\u0000\u0001\u0002a\u0000');
    const binaryDiagnostics = await client.waitFor(() => client.diagnostics.get(binaryUri), 10000, 'binary');
    assert.ok(binaryDiagnostics.some((d) => d.code === 'binary-file'), codes(binaryDiagnostics).join());
    await client.close(binaryUri);
  });

  test('root keys: invalid names fail the load, vital environment variables are flagged, unexported values hinted', async () => {
    const text = '"a=b" = "p-canary-eq"\nPATH = "p-canary-path"\nflag = true\nhosts = ["p-canary-h"]\nplain = "p-canary-plain"\n[table]\nx = 1\n';
    const diagnostics = await diagnose('root/.streamlit/secrets.toml', text);
    const invalid = diagnostics.find((d) => d.code === 'root-key-invalid');
    assert.ok(invalid);
    assert.equal(invalid.severity, DiagnosticSeverity.Error);
    assert.equal(invalid.range.start.line, 0);
    const path_ = diagnostics.find((d) => d.code === 'root-key-env-override');
    assert.ok(path_);
    assert.equal(path_.range.start.line, 1);
    assert.equal(path_.severity, DiagnosticSeverity.Warning);
    const hints = diagnostics.filter((d) => d.code === 'root-value-not-exported');
    assert.deepEqual(hints.map((d) => d.range.start.line).sort(), [2, 3]);
    assert.ok(hints.every((d) => d.severity === DiagnosticSeverity.Hint));
    for (const d of diagnostics) assert.ok(!d.message.includes('p-canary'), d.message);
  });

  test('[connections.*] and [auth] are checked against what Streamlit requires', async () => {
    const text = [
      '[connections.mydb]',
      'host = "p-canary-host"',
      '[connections.sql]',
      'username = "p-canary-user"',
      'port = "5432"',
      '[auth]',
      'redirect_uri = "http://localhost:8501/oauth2callback"',
      '[auth.my_google]',
      'client_id = "p-canary-id"',
      '',
    ].join('\n');
    const diagnostics = await diagnose('sections/.streamlit/secrets.toml', text);
    const byCode = (code: string): Diagnostic[] => diagnostics.filter((d) => d.code === code);
    // No st.connection("mydb") anywhere in the workspace: the section is unused by code we can see.
    assert.equal(byCode('connection-missing-type').length, 0);
    const sqlMissing = byCode('connection-sql-missing-key').map((d) => (d.data as { missingKey: string }).missingKey).sort();
    assert.deepEqual(sqlMissing, ['dialect', 'host']);
    assert.equal(byCode('connection-sql-port-type')[0]?.range.start.line, 4);
    const authMissing = byCode('auth-missing-key').map((d) => (d.data as { missingKey: string }).missingKey).sort();
    assert.deepEqual(authMissing, ['client_secret', 'cookie_secret', 'server_metadata_url']);
    assert.equal(byCode('auth-provider-underscore').length, 1);
    for (const d of diagnostics) assert.ok(!d.message.includes('p-canary'), d.message);
  });

  test('[auth] and [connections.sql] problems are errors while code calls st.login() / st.connection("sql"), information without', async () => {
    const secrets = '[auth]\nredirect_uri = "http://localhost:8501/oauth2callback"\n[connections.sql]\nusername = "p-canary-user"\n';
    await withSecretsAndApp('calls', secrets, 'import streamlit as st\n', async (secretsUri, pythonUri) => {
      const sections = (): Diagnostic[] => (client.diagnostics.get(secretsUri) ?? []).filter((d) => /^(auth|connection)-/.test(String(d.code)));
      const all = (severity: DiagnosticSeverity): Diagnostic[] | undefined => (sections().length > 0 && sections().every((d) => d.severity === severity) ? sections() : undefined);
      const quiet = await client.waitFor(() => all(DiagnosticSeverity.Information), 10000, 'information while no code calls them');
      assert.ok(quiet.every((d) => /nothing fails yet\.\)$/.test(d.message)));
      // The app starts calling them: the same problems are errors (the call sites have their own).
      await client.change(pythonUri, 'import streamlit as st\nst.login()\nconn = st.connection("sql")\n');
      const loud = await client.waitFor(() => all(DiagnosticSeverity.Error), 10000, 'errors once the code calls them');
      assert.deepEqual(codes(loud).sort(), codes(quiet).sort());
      for (const d of loud) assert.ok(!d.message.includes('p-canary'), d.message);
    });
  });

  test('a st.login call that starts naming its provider re-checks the secrets file: [auth] itself no longer needs the provider keys', async () => {
    const secrets = '[auth]\nredirect_uri = "http://localhost:8501/oauth2callback"\ncookie_secret = "p-canary-cookie"\n';
    await withSecretsAndApp('provider', secrets, 'import streamlit as st\nst.login()\n', async (secretsUri, pythonUri) => {
      const rootKeys = (): string[] => (client.diagnostics.get(secretsUri) ?? []).filter((d) => d.code === 'auth-missing-key' && d.range.start.line === 0).map((d) => String((d.data as { missingKey: string }).missingKey)).sort();
      await client.waitFor(() => rootKeys().includes('client_id') || undefined, 10000, 'st.login() reads the provider keys from [auth]');
      // Only the provider changes (same line, same number of calls).
      await client.change(pythonUri, 'import streamlit as st\nst.login("google")\n');
      await client.waitFor(() => (!rootKeys().includes('client_id') ? true : undefined), 10000, 'no provider keys needed in [auth] itself');
    });
  });

  test('a st.login() call in a file nobody opened counts once the background index has it', async () => {
    await withProject(
      {
        project: {
          'app.py': 'import streamlit as st\n',
          'pages/sign_in.py': 'import streamlit as st\nif not st.user.is_logged_in:\n    st.login()\n',
          '.streamlit/secrets.toml': '[auth]\nredirect_uri = "http://localhost:8501/oauth2callback"\n',
        },
      },
      async ({ client: own, project: tree }) => {
        const secretsPath = tree.path('.streamlit', 'secrets.toml');
        const uri = await own.open(secretsPath, fs.readFileSync(secretsPath, 'utf8'));
        const missing = await own.waitFor(() => {
          const list = (own.diagnostics.get(uri) ?? []).filter((d) => d.code === 'auth-missing-key');
          return list.length > 0 && list.every((d) => d.severity === DiagnosticSeverity.Error) ? list : undefined;
        }, 15000, 'auth errors after indexing');
        assert.ok(missing.some((d) => /cookie_secret/.test(d.message)));
      },
    );
  });

  test('[connections.x] without type warns only while a call of it lacks type=, and names that call', async () => {
    const pythonPath = project.path('typed', 'calls.py');
    const secretsPath = project.path('typed', '.streamlit', 'secrets.toml');
    const secrets = '[connections.mydb]\nhost = "p-canary-host"\n[connections.other]\nhost = "p-canary-other"\n';
    fs.mkdirSync(path.dirname(secretsPath), { recursive: true });
    fs.writeFileSync(secretsPath, secrets);
    const pythonUri = await client.open(pythonPath, 'import streamlit as st\nconn = st.connection("mydb")\nother = st.connection("other", type="sql")\n');
    const secretsUri = await client.open(secretsPath, secrets);
    try {
      const missingType = (): Diagnostic[] | undefined => client.diagnostics.get(secretsUri)?.filter((d) => d.code === 'connection-missing-type');
      const warned = await client.waitFor(() => (missingType()?.length === 1 ? missingType() : undefined), 10000, 'a warning for mydb');
      assert.equal(warned[0]!.range.start.line, 0);
      assert.equal(warned[0]!.severity, DiagnosticSeverity.Warning);
      assert.match(warned[0]!.message, /st\.connection\("mydb"\) at typed\/calls\.py:2 passes no type=/);
      // The only call now passes type=: the warning goes.
      await client.change(pythonUri, 'import streamlit as st\nconn = st.connection("mydb", type="sql")\n');
      await client.waitFor(() => missingType()?.length === 0, 10000, 'no warning once the call passes type=');
    } finally {
      await client.close(secretsUri);
      await client.close(pythonUri);
    }
  });

  test('shadowing is shown on both sides, naming the other file and the lost sub-keys', async () => {
    const text = 'extra = 1\n[db]\nuser = "p-canary-user"\n[connections.main]\ntype = "sql"\nurl = "p-canary-url"\n';
    const projectDiagnostics = await diagnose('.streamlit/secrets.toml', text);
    const db = projectDiagnostics.find((d) => d.code === 'shadows-key' && d.message.includes('"db"'));
    assert.ok(db, codes(projectDiagnostics).join());
    assert.match(db.message, /~\/\.streamlit\/secrets\.toml/);
    assert.match(db.message, /db\.port/);
    assert.ok(!db.message.includes('db.user'));
    assert.equal(db.relatedInformation?.[0]?.location.uri, fileUri(home.path('.streamlit/secrets.toml')));
    const connections = projectDiagnostics.find((d) => d.code === 'shadows-key' && d.message.includes('"connections"'));
    assert.ok(connections);
    assert.match(connections.message, /connections\.warehouse/);

    // The global file, outside the workspace, gets its diagnostics when opened, with the other side.
    const globalPath = home.path('.streamlit/secrets.toml');
    const globalUri = await client.open(globalPath, fs.readFileSync(globalPath, 'utf8'));
    const globalDiagnostics = await client.waitFor(() => {
      const list = client.diagnostics.get(globalUri);
      return list?.some((d) => d.code === 'shadowed-key') ? list : undefined;
    }, 10000, 'global diagnostics');
    const hidden = globalDiagnostics.find((d) => d.code === 'shadowed-key' && d.message.includes('"db"'));
    assert.ok(hidden);
    assert.match(hidden.message, /\.streamlit\/secrets\.toml/);
    assert.match(hidden.message, /Lost from this file: db\.port/);
    assert.equal(hidden.range.start.line, 1);
    assert.ok(globalDiagnostics.every((d) => !d.message.includes('canary')));
    await client.close(globalUri);
    fs.rmSync(project.path('.streamlit/secrets.toml'));
  });

  test('a parse error in another file of the chain: this file says the app gets no secrets', async () => {
    const appDir = 'chain';
    fs.mkdirSync(project.path(appDir, '.streamlit'), { recursive: true });
    const globalPath = home.path('.streamlit/secrets.toml');
    const before = fs.readFileSync(globalPath, 'utf8');
    fs.writeFileSync(globalPath, 'broken = \n');
    try {
      const filePath = project.path('.streamlit/secrets.toml');
      fs.mkdirSync(path.dirname(filePath), { recursive: true });
      fs.writeFileSync(filePath, 'fine = "p-canary-fine"\n');
      const uri = await client.open(filePath, 'fine = "p-canary-fine"\n');
      const diagnostics = await client.waitFor(() => client.diagnostics.get(uri)?.find((d) => d.code === 'secrets-load-error'), 10000, 'load error');
      assert.match(diagnostics.message, /~\/\.streamlit\/secrets\.toml/);
      assert.match(diagnostics.message, /no secrets at all/);
      await client.close(uri);
      fs.rmSync(filePath);
    } finally {
      fs.writeFileSync(globalPath, before);
    }
  });

  test('config.toml: [secrets] files entries are checked', async () => {
    fs.mkdirSync(project.path('conf-secrets'), { recursive: true });
    const text = '[secrets]\nfiles = ["~/.streamlit/secrets.toml", "missing.toml", "notes.txt", "conf-secrets"]\n';
    const diagnostics = await diagnose('.streamlit/config.toml', text, 'streamlit-config');
    const at = (code: string): number[] => diagnostics.filter((d) => d.code === code).map((d) => d.range.start.character);
    assert.equal(at('config-secrets-files-tilde').length, 1);
    assert.equal(at('config-secrets-files-tilde')[0], text.split('\n')[1]!.indexOf('"~'));
    assert.ok(at('config-secrets-files-missing').length >= 1);
    assert.equal(at('config-secrets-files-invalid').length, 1);
    assert.equal(at('config-secrets-files-invalid')[0], text.split('\n')[1]!.indexOf('"notes.txt"'));
    assert.ok(diagnostics.some((d) => d.code === 'config-secrets-files-replace'));
    fs.rmSync(project.path('.streamlit/config.toml'));
  });

  // "Reported": an error, or — where Streamlit's parser accepts what TOML 1.0 rejects — a toml10-* warning.
  test('every file of toml-test/invalid is reported, no crash, no quoted value', async () => {
    const files = tomlFiles(path.join(corpus, 'invalid'));
    assert.ok(files.length > 100);
    const uris: { uri: string; file: string; strings: string[] }[] = [];
    for (const [index, file] of files.entries()) {
      const bytes = fs.readFileSync(file);
      // On disk too, so that the byte-level checks (invalid UTF-8, NUL) see what Streamlit would read.
      const target = project.path('corpus-invalid', `${index}.toml`);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, bytes);
      const text = bytes.toString('utf8');
      // Values (right of "="), not key names: messages may name keys.
      const strings = [...text.matchAll(/=\s*"([^"\n]{4,})"/g)].map((m) => m[1]!);
      uris.push({ uri: await client.open(target, text, 'streamlit-secrets'), file, strings });
    }
    await client.waitFor(() => uris.every(({ uri }) => client.diagnostics.has(uri)), 60000, 'all invalid diagnostics');
    const missing: string[] = [];
    for (const { uri, file, strings } of uris) {
      const list = client.diagnostics.get(uri)!;
      // Streamlit's parser loads some of them anyway: a warning that says so reports them too.
      const reported = list.some(
        (d) => d.severity === DiagnosticSeverity.Error || (d.severity === DiagnosticSeverity.Warning && (String(d.code).startsWith('toml10-') || d.code === 'streamlit-loads-malformed')),
      );
      if (!reported) missing.push(path.relative(corpus, file));
      for (const d of list) for (const s of strings) assert.ok(!d.message.includes(s), `${file}: message quotes the file: ${d.message}`);
    }
    assert.deepEqual(missing, []);
    for (const { uri } of uris) await client.close(uri);
    assert.equal(client.process.exitCode, null);
  });

  test('no false error on toml-test/valid beyond Streamlit-compatibility ones', async () => {
    const files = tomlFiles(path.join(corpus, 'valid'));
    const uris: { uri: string; file: string }[] = [];
    for (const [index, file] of files.entries()) {
      const target = project.path('corpus-valid', `${index}.toml`);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.copyFileSync(file, target);
      uris.push({ uri: await client.open(target, fs.readFileSync(file, 'utf8').replace(/^\ufeff/, ''), 'streamlit-secrets'), file });
    }
    await client.waitFor(() => uris.every(({ uri }) => client.diagnostics.has(uri)), 60000, 'all valid diagnostics');
    const compatibility = (code: string): boolean => code.startsWith('streamlit-') || code === 'root-key-invalid';
    const falseErrors: string[] = [];
    for (const { uri, file } of uris) {
      for (const d of client.diagnostics.get(uri)!) {
        if (d.severity === DiagnosticSeverity.Error && !compatibility(String(d.code))) falseErrors.push(`${path.relative(corpus, file)}: ${d.code}`);
      }
    }
    assert.deepEqual(falseErrors, []);
    for (const { uri } of uris) await client.close(uri);
  });

  test('nothing the server wrote contains a canary value', () => {
    const output = client.output();
    assert.ok(output.length > 0);
    assert.ok(!output.includes('canary'), 'a canary value left the server');
  });
});
