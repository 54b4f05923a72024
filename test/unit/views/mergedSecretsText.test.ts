// The words of the "which file won" view and the masked report, rendered from a detail result
// built by the real server-side service (so the report is tested on what the server sends).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { MergedSecretsDetailResult } from '../../../common/protocol';
import { mergeSecrets, type LoadedSecretsSource } from '../../../server/src/service/mergeSecrets';
import { mergedSecretsDetail } from '../../../server/src/service/mergedSecretsDetail';
import type { SecretsChain } from '../../../server/src/service/secretsChain';
import { parseSecretsToml } from '../../../server/src/toml/parseSecretsToml';
import {
  abbreviateHome,
  entryDescription,
  entryExplanation,
  fileKind,
  fileStatus,
  renderMergedSecretsReport,
  runConfigurationLines,
  replacementText,
} from '../../../client/src/views/mergedSecretsText';

const home = '/home/alice';
const cwd = '/home/alice/work/shop';
const globalPath = `${home}/.streamlit/secrets.toml`;
const projectPath = `${cwd}/.streamlit/secrets.toml`;
const canaries = ['canary-global-user', 'canary-project-user', 'canary-token', 'canary-pem'];

function load(path: string, role: 'global' | 'project', text: string | undefined): LoadedSecretsSource {
  if (text === undefined) return { spec: { path, role }, kind: 'missing' };
  const parsed = parseSecretsToml(text);
  return { spec: { path, role }, kind: 'file', parsed, text, ...(parsed.root ? { root: parsed.root } : {}), ...(parsed.streamlitError ? { error: parsed.streamlitError } : {}) };
}

function detailOf(globalText: string | undefined, projectText: string | undefined, git?: { ignored: boolean; tracked: boolean | undefined }): MergedSecretsDetailResult {
  const chain: SecretsChain = { home, cwd, sources: [{ path: globalPath, role: 'global' }, { path: projectPath, role: 'project' }] };
  const merged = mergeSecrets(chain, [load(globalPath, 'global', globalText), load(projectPath, 'project', projectText)]);
  return mergedSecretsDetail(merged, { revealCharacters: 0, ...(git ? { gitStatus: new Map([[projectPath, git]]) } : {}) });
}

const globalText = 'token = "canary-token"\n[db]\nuser = "canary-global-user"\nport = 5432\n';
const projectText = '[db]\nuser = "canary-project-user"\n[db.tls]\npem = """canary-pem"""\n';

describe('merged secrets view and report text', () => {
  test('an entry: masked value, winner, hidden files, lost sub-keys, env export', () => {
    const detail = detailOf(globalText, projectText, { ignored: true, tracked: false });
    const db = detail.entries.find((entry) => entry.key === 'db')!;
    assert.equal(entryDescription(detail, db), '{ user = "••••••••", tls = { 1 key } } · .streamlit/secrets.toml · replaces 1 key of the global file; 1 sub-key lost');
    assert.deepEqual(entryExplanation(detail, db), [
      'Type: table',
      'Value: { user = "••••••••", tls = { 1 key } }',
      'From the project file .streamlit/secrets.toml',
      'Replaces the same key of: the global file ~/.streamlit/secrets.toml (Streamlit merges whole top-level keys)',
      'Sub-keys of those files the app loses: db.port',
    ]);
    const token = detail.entries.find((entry) => entry.key === 'token')!;
    assert.equal(entryDescription(detail, token), '"••••••••" · ~/.streamlit/secrets.toml · in os.environ · local only');
    assert.ok(entryExplanation(detail, token).includes('Also in os.environ["token"]'));
    assert.ok(entryExplanation(detail, token).includes("Local only: a deployed app will not have this unless you add it to the app's Secrets"));
    assert.ok(!entryDescription(detail, db).includes('local only'));
  });

  test('a load that fails: the failure comes first and no key is listed as available', () => {
    const detail = detailOf(globalText, 'broken = \n');
    assert.ok(detail.loadError !== undefined);
    assert.deepEqual(detail.entries, []);
    const report = renderMergedSecretsReport([{ label: 'shop', detail }], { home });
    const lines = report.split('\n');
    const load = lines.findIndex((line) => line.startsWith('  Load: FAILS, the app gets no secrets at all: .streamlit/secrets.toml: '));
    assert.ok(load > 0, report);
    assert.equal(lines[load + 1], '  Keys: none (the load fails)');
    assert.ok(!report.includes('token ('), 'a key of the global file is listed although the app gets none');
  });

  test('replacements in plain words: how many files, how many sub-keys lost', () => {
    const detail = detailOf(globalText, projectText);
    const db = detail.entries.find((entry) => entry.key === 'db')!;
    assert.equal(replacementText(detail, db), 'replaces 1 key of the global file; 1 sub-key lost');
    assert.equal(replacementText(detail, { ...db, lost: ['db.port', 'db.host'] }), 'replaces 1 key of the global file; 2 sub-keys lost');
    assert.equal(replacementText(detail, { ...db, shadowed: [globalPath, projectPath], lost: [] }), 'replaces 1 key of the global file and the project file');
    assert.equal(replacementText(detail, detail.entries.find((entry) => entry.key === 'token')!), undefined);
    assert.equal(fileKind(detail, projectPath), 'project file');
  });

  test('file states: error first, then tracked, not ignored, missing; the global file is not judged by git', () => {
    const base = { path: projectPath, role: 'project', exists: true };
    assert.equal(fileStatus({ ...base, error: 'invalid TOML at line 1, column 5' }).state, 'error');
    assert.equal(fileStatus({ ...base, gitIgnored: true, gitTracked: true }).state, 'tracked');
    assert.equal(fileStatus({ ...base, gitIgnored: false, gitTracked: false }).state, 'notIgnored');
    assert.deepEqual(fileStatus({ ...base, gitIgnored: true, gitTracked: false }), { state: 'ok', text: 'gitignored' });
    assert.equal(fileStatus({ ...base, exists: false }).state, 'missing');
    assert.equal(fileStatus({ path: globalPath, role: 'global', exists: true, gitIgnored: false }).state, 'ok');
  });

  test('the report lists every file, load state, every key and nested key, masked, with ~ for the home folder', () => {
    const detail = detailOf(globalText, projectText, { ignored: false, tracked: true });
    const text = renderMergedSecretsReport([{ label: 'shop', detail }], { home, generated: '2026-01-01T00:00:00.000Z' });
    for (const canary of canaries) assert.ok(!text.includes(canary), `${canary} in report`);
    assert.ok(!text.includes(home + '/'), 'home folder spelled out');
    assert.equal(
      text,
      [
        'Streamlit secrets: which file won each key (values masked)',
        'Generated 2026-01-01T00:00:00.000Z by the Streamlit Secrets extension.',
        'Streamlit reads the files below in order; a later file replaces an earlier one’s whole top-level key.',
        '',
        'App: shop',
        '  $CWD: ~/work/shop',
        '  Streamlit version: unknown (the newest Streamlit rules apply)',
        '  Files:',
        '    1. ~/.streamlit/secrets.toml [global] exists',
        '    2. .streamlit/secrets.toml [project ($CWD)] exists; NOT gitignored, TRACKED by git',
        '  Load: ok',
        '  Keys:',
        '    token (string) = "••••••••"  [from ~/.streamlit/secrets.toml; in os.environ]',
        '    db (table) = { user = "••••••••", tls = { 1 key } }  [from .streamlit/secrets.toml; replaces it in ~/.streamlit/secrets.toml; sub-keys lost: db.port]',
        '      db.user (string) = "••••••••"',
        '      db.tls (table) = { pem = "••••••••" }',
        '        db.tls.pem (string) = "••••••••"',
        '',
      ].join('\n'),
    );
  });

  test('the report says when the load fails, and when no file exists', () => {
    const broken = detailOf(undefined, 'a = "canary-token\n');
    const text = renderMergedSecretsReport([{ label: 'shop', detail: broken }], { home });
    assert.match(text, /2\. \.streamlit\/secrets\.toml \[project \(\$CWD\)\] ERROR \(/);
    assert.match(text, /Load: FAILS, the app gets no secrets at all: \.streamlit\/secrets\.toml: /);
    assert.match(text, /1\. ~\/\.streamlit\/secrets\.toml \[global\] missing/);
    assert.ok(!text.includes('canary-token'));
    const none = renderMergedSecretsReport([{ label: 'shop', detail: detailOf(undefined, undefined) }], { home });
    assert.match(none, /Load: no secrets file exists; every st\.secrets access raises "No secrets found"\./);
    assert.match(none, /Keys: none/);
  });

  test('a file a reading budget stopped short of: noted on the file and the app, not an error', () => {
    const chain: SecretsChain = { home, cwd, sources: [{ path: globalPath, role: 'global' }, { path: projectPath, role: 'project' }] };
    const skipped: LoadedSecretsSource = { spec: { path: projectPath, role: 'project' }, kind: 'file', incomplete: 'the file is too large to check (6.0 MB)' };
    const detail = mergedSecretsDetail(mergeSecrets(chain, [load(globalPath, 'global', globalText), skipped]), { revealCharacters: 0 });
    assert.equal(detail.loadError, undefined);
    assert.equal(detail.files[1]!.note, 'the file is too large to check (6.0 MB)');
    const text = renderMergedSecretsReport([{ label: 'shop', detail }], { home });
    assert.match(text, /2\. \.streamlit\/secrets\.toml \[project \(\$CWD\)\] exists; .*not fully read: the file is too large to check \(6\.0 MB\)/);
    assert.match(text, /Load: ok\n  Not fully read: \.streamlit\/secrets\.toml: the file is too large to check \(6\.0 MB\)\. Keys may exist that are not listed/);
  });

  test('abbreviateHome only shortens paths inside the home folder', () => {
    assert.equal(abbreviateHome('/home/alice/x/y', '/home/alice/'), '~/x/y');
    assert.equal(abbreviateHome('/home/alice', '/home/alice'), '~');
    assert.equal(abbreviateHome('/home/alice2/x', '/home/alice'), '/home/alice2/x');
    assert.equal(abbreviateHome('C:\\Users\\al\\x', 'C:\\Users\\al'), '~\\x');
  });
});

describe('run configurations in the view and report', () => {
  test('each configuration that runs the app is listed; the one the diagnostics follow says so', () => {
    const lines = runConfigurationLines({
      runConfigurations: [
        { name: 'Shop', script: '/w/apps/shop/app.py', cwd: '/w/apps', used: true },
        { name: 'Shop (k8s)', script: '/w/apps/shop/app.py', cwd: '/w', secretsFiles: ['k8s', 'a.toml'], used: false },
      ],
    });
    assert.deepEqual(lines, [
      'Launch configuration "Shop" (used for diagnostics): streamlit run app.py from /w/apps',
      'Launch configuration "Shop (k8s)" (not used: another configuration runs this app first): streamlit run app.py from /w, secrets.files: k8s a.toml',
    ]);
  });
});
