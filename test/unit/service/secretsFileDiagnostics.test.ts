import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import { secretsFileDiagnostics, strictToml10Problem } from '../../../server/src/service/secretsFileDiagnostics';
import { configFileDiagnostics, type PathKind } from '../../../server/src/service/configFileDiagnostics';
import { checkConnectionSection, checkConnectionsTable } from '../../../server/src/service/connectionRules';
import { addSectionCalls, emptySectionCalls } from '../../../server/src/service/sectionCalls';
import { checkAuthSection, checkAuthTable } from '../../../server/src/service/authRules';
import { gitSafetyDiagnostics } from '../../../server/src/service/gitSafetyDiagnostics';
import { maxConfiguredSources } from '../../../server/src/service/readBudget';
import { parseSecretsToml } from '../../../server/src/toml/parseSecretsToml';
import { mergeSecrets, type LoadedSecretsSource } from '../../../server/src/service/mergeSecrets';
import { resolveSecretsChain, type SecretsChain } from '../../../server/src/service/secretsChain';
import { parseStreamlitVersion } from '../../../server/src/service/streamlitVersion';

function diagnose(text: string, extra: Partial<Parameters<typeof secretsFileDiagnostics>[0]> = {}) {
  const document = TextDocument.create('file:///p/.streamlit/secrets.toml', 'streamlit-secrets', 1, text);
  return secretsFileDiagnostics({ document, filePath: '/p/.streamlit/secrets.toml', parsed: parseSecretsToml(text), platform: 'linux', ...extra });
}
const root = (text: string) => parseSecretsToml(text).root!;
const codesOf = (list: { code?: unknown }[]) => list.map((d) => String(d.code));

describe('connection rules', () => {
  test('custom name: missing type is an error when the call has no type=, a warning from the file naming untyped calls, nothing with type=', () => {
    const section = root('host = "x"').children ? root('[c]\nhost = "x"').children!.get('c') : undefined;
    assert.deepEqual(codesOf(checkConnectionSection('mydb', section, false)), ['connection-missing-type']);
    assert.equal(checkConnectionSection('mydb', section, false)[0]!.severity, 'error');
    // From the file alone: a warning only while some call lacks type=, naming it; no call, no warning.
    assert.deepEqual(checkConnectionSection('mydb', section), []);
    assert.deepEqual(checkConnectionSection('mydb', section, undefined, { untypedCalls: [] }), []);
    const [warning] = checkConnectionSection('mydb', section, undefined, { untypedCalls: ['app.py:3', 'pages/b.py:9'] });
    assert.equal(warning!.severity, 'warning');
    assert.match(warning!.message, /st\.connection\("mydb"\) at app\.py:3, pages\/b\.py:9 passes no type=/);
    assert.deepEqual(checkConnectionSection('mydb', section, true), []);
    assert.deepEqual(checkConnectionSection('mydb', section, false)[0]!.path, ['connections', 'mydb']);
  });
  test('sql: url or dialect+username+host; port integer; type implied by the name and a conflicting type is ignored', () => {
    const sql = root('[c]\nusername = "u"\nport = "1"\ntype = "snowflake"').children!.get('c');
    const problems = checkConnectionSection('sql', sql);
    assert.deepEqual(problems.filter((p) => p.code === 'connection-sql-missing-key').map((p) => p.missingKey), ['dialect', 'host']);
    assert.ok(problems.some((p) => p.code === 'connection-sql-port-type' && p.path.join('.') === 'connections.sql.port'));
    assert.ok(problems.some((p) => p.code === 'connection-type-ignored'));
    assert.deepEqual(checkConnectionSection('sql', root('[c]\nurl = "u"').children!.get('c')), []);
  });
  test('unknown dotless type and deprecated snowpark', () => {
    const bad = root('[c]\ntype = "postgres"').children!.get('c');
    const unknown = (list: ReturnType<typeof checkConnectionSection>) => list.filter((p) => p.code === 'connection-unknown-type');
    // Streamlit raises only when st.connection("x") runs without type=: an error at such a call; from
    // the file, a warning naming the calls, else nothing (st-gsheets-connection's section has
    // `type = "service_account"` and its call passes type=GSheetsConnection).
    assert.deepEqual(unknown(checkConnectionSection('x', bad, false)).map((p) => p.severity), ['error']);
    assert.deepEqual(unknown(checkConnectionSection('x', bad, true)), []);
    const [named] = unknown(checkConnectionSection('x', bad, undefined, { untypedCalls: ['app.py:4'] }));
    assert.equal(named!.severity, 'warning');
    assert.match(named!.message, /st\.connection\("x"\) at app\.py:4 fails with "Invalid connection"/);
    assert.ok(!named!.message.includes('postgres'), 'the type value is not repeated');
    assert.deepEqual(unknown(checkConnectionSection('x', bad, undefined, { untypedCalls: [] })), []);
    assert.deepEqual(unknown(checkConnectionSection('x', bad)), []);
    const module = root('[c]\ntype = "pkg.mod.Cls"').children!.get('c');
    assert.deepEqual(checkConnectionSection('x', module), []);
    assert.ok(checkConnectionSection('snowpark', undefined).some((p) => p.code === 'connection-snowpark-deprecated'));
    // The name implies its type up to 1.58 and with an unknown version; a known 1.59+ says it is gone.
    const v159 = { streamlitVersion: parseStreamlitVersion('1.59.1')! };
    assert.deepEqual(codesOf(checkConnectionSection('snowpark', undefined, false, { streamlitVersion: parseStreamlitVersion('1.58.0')! })), ['connection-snowpark-deprecated']);
    const gone = checkConnectionSection('snowpark', root('[c]\naccount = "a"').children!.get('c'), false, v159);
    assert.deepEqual(codesOf(gone).sort(), ['connection-missing-type', 'connection-snowpark-deprecated']);
    assert.match(gone.find((p) => p.code === 'connection-snowpark-deprecated')!.message, /^Streamlit 1\.59\.1 has no "snowpark" connection/);
  });
});

describe('auth rules', () => {
  test('st.login() needs redirect_uri, cookie_secret and the provider keys at the root', () => {
    const problems = checkAuthSection(root('[auth]\nredirect_uri = "http://x/oauth2callback"').children!.get('auth'));
    assert.deepEqual(problems.map((p) => p.missingKey).sort(), ['client_id', 'client_secret', 'cookie_secret', 'server_metadata_url']);
    assert.equal(checkAuthSection(undefined)[0]!.code, 'auth-missing-section');
  });
  test('st.login("google") needs [auth.google]; underscores are rejected; redirect path checked', () => {
    const auth = root('[auth]\nredirect_uri = "http://x/cb"\ncookie_secret = "s"\n[auth.my_idp]\nclient_id = "i"').children!.get('auth')!;
    assert.ok(checkAuthSection(auth, 'google').some((p) => p.code === 'auth-missing-provider' && p.missingKey === 'google'));
    const table = checkAuthTable(auth);
    assert.ok(table.some((p) => p.code === 'auth-provider-underscore'));
    assert.deepEqual(table.filter((p) => p.code === 'auth-missing-key').map((p) => p.missingKey).sort(), ['client_secret', 'server_metadata_url']);
    assert.ok(table.some((p) => p.code === 'auth-redirect-uri-path'));
  });
});

describe('section rules follow the calls that read the sections', () => {
  const severities = (list: { code: string; severity: string }[]) => list.map((p) => `${p.code}:${p.severity}`).sort();
  const callsOf = (connections: { name?: string; hasType: boolean; settingsInCall?: boolean }[], logins = 0) => {
    const calls = emptySectionCalls();
    addSectionCalls(calls, { connections: connections.map((c, i) => ({ ...c, range: { start: i } })), logins: Array.from({ length: logins }, (_, i) => ({ range: { start: 100 + i } })) }, (offset) => `app.py:${offset + 1}`);
    return calls;
  };
  const connections = root('[connections.sql]\nusername = "u"\nport = "5432"\n[connections.other]\ntype = 5\n').children!.get('connections')!;

  test('[connections.<name>] no call reads: what would fail is information, saying so', () => {
    const unused = checkConnectionsTable(connections, callsOf([]));
    assert.deepEqual(severities(unused), ['connection-sql-missing-key:information', 'connection-sql-missing-key:information', 'connection-sql-port-type:information', 'connection-type-not-string:information']);
    assert.ok(unused.every((p) => /\(No st\.connection\("(sql|other)"\) call found in the workspace: nothing fails yet\.\)$/.test(p.message)), unused.map((p) => p.message).join('\n'));
  });
  test('a call of that name, typed or not, keeps the errors of its own section only', () => {
    const used = checkConnectionsTable(connections, callsOf([{ name: 'sql', hasType: false }]));
    assert.deepEqual(severities(used), ['connection-sql-missing-key:error', 'connection-sql-missing-key:error', 'connection-sql-port-type:error', 'connection-type-not-string:information']);
    assert.deepEqual(severities(checkConnectionsTable(connections, callsOf([{ name: 'other', hasType: true }]))).filter((s) => s.startsWith('connection-type')), ['connection-type-not-string:error']);
    // A name given by an expression may be any section; an env: connection string reads none.
    assert.ok(checkConnectionsTable(connections, callsOf([{ hasType: false }])).every((p) => p.severity === 'error'));
    assert.ok(checkConnectionsTable(connections, callsOf([{ name: 'env:DB_URL', hasType: false }])).every((p) => p.severity === 'information'));
  });
  test('calls that all pass settings as arguments may complete the section: information, naming them; type problems stay', () => {
    const viaArgs = checkConnectionsTable(connections, callsOf([{ name: 'sql', hasType: false, settingsInCall: true }, { name: 'other', hasType: false, settingsInCall: true }]));
    assert.deepEqual(severities(viaArgs), ['connection-sql-missing-key:information', 'connection-sql-missing-key:information', 'connection-sql-port-type:information', 'connection-type-not-string:error']);
    assert.match(viaArgs[0]!.message, /\(st\.connection\("sql"\) at app\.py:1 passes settings as arguments, which Streamlit lays over this section\.\)$/);
    // One call without settings is enough for the section's own errors.
    const mixed = checkConnectionsTable(connections, callsOf([{ name: 'sql', hasType: false, settingsInCall: true }, { name: 'sql', hasType: false }]));
    assert.ok(mixed.filter((p) => p.path[1] === 'sql').every((p) => p.severity === 'error'));
  });
  test('[auth]: errors with a st.login() call, information without; an [auth] of the app\'s own keys gets nothing', () => {
    const auth = root('[auth]\nredirect_uri = "http://x/oauth2callback"\n').children!.get('auth')!;
    assert.deepEqual([...new Set(checkAuthTable(auth, callsOf([], 1)).map((p) => p.severity))], ['error']);
    const unused = checkAuthTable(auth, callsOf([]));
    assert.ok(unused.length > 0 && unused.every((p) => p.severity === 'information' && p.message.endsWith('(No st.login() call found in the workspace: nothing fails yet.)')));
    const ownLogin = root('[auth]\nusername = "admin"\npassword = "P-SECRET"\n').children!.get('auth')!;
    assert.deepEqual(checkAuthTable(ownLogin, callsOf([])), []);
    assert.ok(checkAuthTable(ownLogin, callsOf([], 1)).some((p) => p.code === 'auth-missing-key' && p.severity === 'error'));
    assert.deepEqual(checkAuthTable(root('auth = "a token"\n').children!.get('auth')!, callsOf([])), []);
  });
  test('[auth] without provider keys: an error only when some st.login() names no provider', () => {
    const auth = root('[auth]\nredirect_uri = "http://localhost:8501/oauth2callback"\ncookie_secret = "P-SECRET"\n').children!.get('auth')!;
    const loginCalls = (logins: { provider?: string; providerUnknown?: true }[]) => {
      const calls = emptySectionCalls();
      addSectionCalls(calls, { connections: [], logins: logins.map((login, i) => ({ ...login, range: { start: i } })) }, (offset) => `app.py:${offset + 1}`);
      return calls;
    };
    const rootProviderKeys = (calls: ReturnType<typeof loginCalls>) => checkAuthTable(auth, calls).filter((p) => p.code === 'auth-missing-key').map((p) => p.missingKey).sort();
    // st.login("google") reads [auth.google] (reported at the call), never client_id in [auth] itself.
    assert.deepEqual(rootProviderKeys(loginCalls([{ provider: 'google' }])), []);
    assert.deepEqual(rootProviderKeys(loginCalls([{ providerUnknown: true }])), []);
    // The nearest real error: a st.login() without a provider reads them from [auth].
    assert.deepEqual(rootProviderKeys(loginCalls([{ provider: 'google' }, {}])), ['client_id', 'client_secret', 'server_metadata_url']);
    assert.ok(checkAuthTable(auth, loginCalls([{}])).every((p) => p.severity === 'error'));
  });
  test('[auth] by version: nothing before 1.42 (no st.login there), no "_" error before 1.43', () => {
    const auth = root('[auth]\nredirect_uri = "http://localhost:8501/oauth2callback"\n[auth.my_idp]\nclient_id = "i"\n').children!.get('auth')!;
    const codesAt = (version: string | undefined) => codesOf(checkAuthTable(auth, callsOf([], 1), version === undefined ? undefined : parseStreamlitVersion(version)!));
    assert.ok(codesAt(undefined).includes('auth-provider-underscore'));
    assert.ok(codesAt('1.43.0').includes('auth-provider-underscore'));
    assert.ok(!codesAt('1.42.0').includes('auth-provider-underscore') && codesAt('1.42.0').includes('auth-missing-key'));
    assert.deepEqual(codesAt('1.41.0'), []);
  });
  test('value types are named with the right article', () => {
    const [port] = checkConnectionsTable(root('[connections.sql]\nurl = "u"\nport = [1]\n').children!.get('connections')!, callsOf([{ name: 'sql', hasType: false }]));
    assert.match(port!.message, /rejects an array port/);
  });
});

describe('secrets-file diagnostics (service)', () => {
  test('root keys: invalid names, NUL values, env overrides (case-insensitive on Windows), unexported hints', () => {
    const text = '"" = "v"\nPath = "v"\nstamp = 1979-05-27\nnul = "a\\u0000b"\n';
    const linux = diagnose(text);
    assert.deepEqual(codesOf(linux).sort(), ['root-key-invalid', 'root-key-invalid', 'root-value-not-exported']);
    const windows = diagnose(text, { platform: 'win32' });
    assert.ok(codesOf(windows).includes('root-key-env-override'));
  });
  test('a file with a syntax error gets no root advice (it does not load at all)', () => {
    const list = diagnose('PATH = "x"\nbad = \n');
    assert.deepEqual(codesOf(list), ['toml-syntax']);
    assert.equal(list[0]!.severity, DiagnosticSeverity.Error);
  });
  test('strict TOML 1.0: syntax the reader tolerates is still reported, without quoting', () => {
    const problem = strictToml10Problem('t = 07:32Z\nv = "p-canary"\n', false);
    assert.ok(problem === undefined || !problem.message.includes('p-canary'));
    const p = strictToml10Problem('a = {b = 1,}\n', false);
    assert.equal(p?.severity, 'error');
    assert.equal(strictToml10Problem('a = 1\n', true), undefined);
  });
  test('strict TOML 1.0 where Streamlit loads the file anyway: a warning that says so, never a load failure', () => {
    const text = 'a = 1\nb = [1,';
    const parsed = parseSecretsToml(text);
    assert.ok(parsed.root !== undefined, 'toml 0.10.2 loads it');
    const list = diagnose(text, { parsed });
    assert.deepEqual(list.filter((d) => d.severity === DiagnosticSeverity.Error), []);
    assert.ok(list.some((d) => d.code === 'streamlit-loads-malformed' && d.severity === DiagnosticSeverity.Warning));
    // One cause, one diagnostic: the strict TOML 1.0 check does not say it again.
    assert.deepEqual(list.filter((d) => String(d.code).startsWith('toml10-')), []);
    const strict = strictToml10Problem('a = 1\nb = [1, 2,,]\n', true);
    assert.equal(strict?.severity, 'warning');
    assert.match(strict?.message ?? '', /loads the file anyway/);
  });
  test('a BOM on disk: ranges are shifted back into the buffer', () => {
    const list = diagnose('key = 1\n', { parsed: parseSecretsToml('\ufeffkey = 1\n'), bomOnDisk: true });
    const bom = list.find((d) => d.code === 'streamlit-bom-key');
    assert.ok(bom);
    assert.deepEqual(bom.range.start, { line: 0, character: 0 });
    assert.deepEqual(bom.range.end, { line: 0, character: 3 });
  });
  test('shadowing both ways, with lost sub-keys and the other file named', () => {
    const chain: SecretsChain = { home: '/h', cwd: '/p', sources: [{ path: '/h/.streamlit/secrets.toml', role: 'global' }, { path: '/p/.streamlit/secrets.toml', role: 'project' }] };
    const globalText = '[db]\nuser = "g"\nport = 1\n';
    const projectText = '[db]\nuser = "p"\n';
    const sources: LoadedSecretsSource[] = [globalText, projectText].map((text, i) => {
      const parsed = parseSecretsToml(text);
      return { spec: chain.sources[i]!, kind: 'file', parsed, root: parsed.root!, text };
    });
    const merged = mergeSecrets(chain, sources);
    const project = diagnose(projectText, { merged });
    const shadows = project.find((d) => d.code === 'shadows-key')!;
    assert.match(shadows.message, /~\/\.streamlit\/secrets\.toml \(its db\.port is lost\)/);
    const globalDocument = TextDocument.create('file:///h/.streamlit/secrets.toml', 'streamlit-secrets', 1, globalText);
    const global = secretsFileDiagnostics({ document: globalDocument, filePath: '/h/.streamlit/secrets.toml', parsed: parseSecretsToml(globalText), merged, platform: 'linux' });
    const shadowed = global.find((d) => d.code === 'shadowed-key')!;
    assert.match(shadowed.message, /^"db" is replaced by \.streamlit\/secrets\.toml, which Streamlit reads later: Streamlit merges whole top-level keys/);
    assert.match(shadowed.message, /Lost from this file: db\.port/);
    assert.equal(shadowed.relatedInformation?.[0]?.location.uri, 'file:///p/.streamlit/secrets.toml');
    assert.match(shadowed.relatedInformation?.[0]?.message ?? '', /^project file \.streamlit\/secrets\.toml, line \d+: "db"$/, 'the related location names the file');
    assert.match(shadows.relatedInformation?.[0]?.message ?? '', /^global file ~\/\.streamlit\/secrets\.toml, line \d+: "db"$/);
  });
});

describe('config.toml diagnostics', () => {
  test('[secrets] files: tilde, missing .toml (info), folder ok, anything else invalid, wrong types', () => {
    const text = '[secrets]\nfiles = ["~/s.toml", "gone.toml", "dir", "other.txt"]\nextra = 1\n';
    const kinds: Record<string, PathKind> = { '/cwd/dir': 'directory', '/cwd/other.txt': 'file' };
    const document = TextDocument.create('file:///cwd/.streamlit/config.toml', 'streamlit-config', 1, text);
    const list = configFileDiagnostics({ document, filePath: '/cwd/.streamlit/config.toml', parsed: parseSecretsToml(text), cwd: '/cwd', pathKind: (p) => kinds[p] ?? 'missing' });
    const codes = codesOf(list);
    for (const code of ['config-secrets-files-tilde', 'config-secrets-files-missing', 'config-secrets-files-invalid', 'config-unknown-option', 'config-secrets-files-replace']) {
      assert.ok(codes.includes(code), `${code} in ${codes}`);
    }
    const invalid = list.filter((d) => d.code === 'config-secrets-files-invalid');
    assert.equal(invalid.length, 1);
    assert.equal(invalid[0]!.range.start.character, text.split('\n')[1]!.indexOf('"other.txt"'));
    const notList = '[secrets]\nfiles = "one.toml"\n';
    const notListDocument = TextDocument.create('file:///cwd/.streamlit/config.toml', 'streamlit-config', 1, notList);
    const typed = configFileDiagnostics({ document: notListDocument, filePath: '/cwd/.streamlit/config.toml', parsed: parseSecretsToml(notList), cwd: '/cwd', pathKind: () => 'missing' });
    assert.deepEqual(codesOf(typed), ['config-secrets-files-type']);
    assert.match(typed[0]!.message, /one character at a time and fails: Invalid secrets path: o\./);
  });

  test('[secrets] files before 1.38 is not used, and says so', () => {
    const text = '[secrets]\nfiles = ["a.toml"]\n';
    const chain = resolveSecretsChain({ home: '/h', cwd: '/cwd', streamlitVersion: parseStreamlitVersion('1.37.0')! }, []);
    const merged = mergeSecrets(chain, []);
    const document = TextDocument.create('file:///cwd/.streamlit/config.toml', 'streamlit-config', 1, text);
    const list = configFileDiagnostics({ document, filePath: '/cwd/.streamlit/config.toml', parsed: parseSecretsToml(text), cwd: '/cwd', pathKind: () => 'file', merged });
    const unused = list.find((d) => d.code === 'config-secrets-files-overridden');
    assert.match(unused?.message ?? '', /exists from Streamlit 1\.38, and this app runs 1\.37\.0/);
  });
  test('[secrets] files: each entry is marked where it is written (duplicates, any quoting, escapes), in a long list up to the budget', () => {
    const entries = ['"dup.toml"', "'dup.toml'", '"\\u0064ir"', '"""x.toml"""', ...Array.from({ length: 20000 }, (_, i) => `"s${i}.toml"`)];
    const text = `[secrets]\nfiles = [\n  ${entries.join(',\n  ')}, # last\n]\n`;
    const document = TextDocument.create('file:///cwd/.streamlit/config.toml', 'streamlit-config', 1, text);
    const list = configFileDiagnostics({ document, filePath: '/cwd/.streamlit/config.toml', parsed: parseSecretsToml(text), cwd: '/cwd', pathKind: () => 'missing' });
    const lines = text.split('\n');
    const written = (d: Diagnostic): string => {
      assert.equal(d.range.start.line, d.range.end.line);
      return lines[d.range.start.line]!.slice(d.range.start.character, d.range.end.character);
    };
    // Entries past the reading budget are neither read nor checked (service/readBudget.ts).
    const missing = list.filter((d) => d.code === 'config-secrets-files-missing');
    assert.equal(missing.length, maxConfiguredSources - 1);
    assert.deepEqual(missing.slice(0, 3).map(written), ['"dup.toml"', "'dup.toml'", '"""x.toml"""']);
    assert.equal(written(missing.at(-1)!), `"s${maxConfiguredSources - 5}.toml"`);
    assert.deepEqual(list.filter((d) => d.code === 'config-secrets-files-duplicate').map(written), ["'dup.toml'"]);
    assert.deepEqual(list.filter((d) => d.code === 'config-secrets-files-invalid').map(written), ['"\\u0064ir"']);
  });
});

describe('git safety diagnostics', () => {
  const document = TextDocument.create('file:///r/.streamlit/secrets.toml', 'streamlit-secrets', 1, 'a = 1\n');
  test('tracked → error; not ignored → warning; ignored only locally → information; ignored → nothing', () => {
    assert.deepEqual(codesOf(gitSafetyDiagnostics(document, { filePath: '/r/x', ignored: false, tracked: true, method: 'git', repositoryRoot: '/r' })), ['git-tracked', 'git-not-ignored']);
    assert.deepEqual(codesOf(gitSafetyDiagnostics(document, { filePath: '/r/x', ignored: true, tracked: false, method: 'git', ignoredBy: { file: '/r/.git/info/exclude', kind: 'info-exclude', line: 1, pattern: 'x' } })), ['git-ignored-locally']);
    assert.deepEqual(gitSafetyDiagnostics(document, { filePath: '/r/x', ignored: true, tracked: false, method: 'git', ignoredBy: { file: '/r/.gitignore', kind: 'gitignore', line: 1, pattern: 'x' } }), []);
    const untrusted = gitSafetyDiagnostics(document, { filePath: '/r/x', ignored: true, tracked: undefined, method: 'library', limited: 'untrusted-workspace' });
    assert.deepEqual(codesOf(untrusted), ['git-check-limited']);
  });
});
