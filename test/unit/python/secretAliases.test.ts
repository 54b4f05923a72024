// Names assigned once from a secrets path (`db = st.secrets["db"]`, `s = st.secrets`,
// `env = os.environ`) are followed: reads through them are analysed, completed, checked, found by
// references and hovered like direct reads — and a key read where the name was assigned is
// reported there once, not again at every use.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultSettings } from '../../../common/settings';
import { completionContextAt } from '../../../server/src/python/completionContext';
import { referencesInAnalysis } from '../../../server/src/service/accessTarget';
import { keyPathAtPython } from '../../../server/src/service/definition';
import { computePythonDiagnostics } from '../../../server/src/service/pythonDiagnostics';
import { globalToml, mergedOf, projectToml, python } from '../service/secretsFixture';
import { describeAll, source, stImport, withCursor } from './helpers';

const merged = mergedOf(globalToml, projectToml);

function expectAccesses(code: string, expected: string[]): void {
  assert.deepEqual(describeAll(stImport + code), expected, code);
}

describe('aliases of secrets paths', () => {
  test('reads through an alias carry the whole path', () => {
    expectAccesses('db = st.secrets["db"]\nhost = db["host"]\nuser = db.user\n', ['secrets ["db"]', 'secrets ["db"]["host"]', 'secrets ["db"].user']);
    expectAccesses('s = st.secrets\nkey = s.api_key\n', ['secrets .api_key']);
    expectAccesses('a = st.secrets\nb = a["db"]\nc = b.replica\nc.host\n', ['secrets ["db"]', 'secrets ["db"].replica', 'secrets ["db"].replica.host']);
    expectAccesses('env = os.environ\nhome = env["HOME"]\nenv.get("PATH")\n', ['environ ["HOME"]', 'environ .get("PATH") tolerant']);
    expectAccesses('db = st.secrets.db\nif "user" in db:\n    pass\n', ['secrets .db', 'secrets .db has "user" tolerant']);
  });

  test('a bare alias reads no key of its own; writes through it are not reads', () => {
    expectAccesses('db = st.secrets["db"]\nst.write(db)\nprint(db.to_dict())\n', ['secrets ["db"]']);
    expectAccesses('db = st.secrets["db"]\ndb["x"] = 1\n', ['secrets ["db"]']);
  });

  test('only a name bound once, read after it is assigned (or later, in a function), is followed', () => {
    expectAccesses('db = st.secrets["db"]\ndb = {}\ndb["host"]\n', ['secrets ["db"]']);
    expectAccesses('db["host"]\ndb = st.secrets["db"]\n', ['secrets ["db"]']);
    expectAccesses('def f():\n    return db["host"]\ndb = st.secrets["db"]\n', ['secrets ["db"]["host"]', 'secrets ["db"]']);
    expectAccesses('db = st.secrets["db"]\ndef f(db):\n    return db["host"]\n', ['secrets ["db"]']);
    expectAccesses('db = st.secrets["db"]\ndef f():\n    db = {}\n    return db["host"]\n', ['secrets ["db"]']);
    expectAccesses('db = st.secrets["db"]\ndef f():\n    global db\n    db = {}\n', ['secrets ["db"]']);
    expectAccesses('for db in []:\n    pass\ndb = st.secrets["db"]\ndb["host"]\n', ['secrets ["db"]']);
    expectAccesses('db, other = st.secrets["db"], 1\ndb["host"]\n', ['secrets ["db"]']);
  });

  test('tolerant reads are aliases too; other values are not; self-reference does not loop', () => {
    expectAccesses('db = st.secrets.get("db", {})\ndb["host"]\ndb.get("port")\n', ['secrets .get("db") tolerant', 'secrets .get("db")["host"]', 'secrets .get("db").get("port") tolerant']);
    expectAccesses('st_name = st\nst_name.secrets.x\n', []);
    expectAccesses('a = a["x"]\na["y"]\n', []);
    expectAccesses('a = b\nb = a\na.x\nb.y\n', []);
  });

  test('completion after an alias lists the keys below its path', () => {
    const at = (marked: string) => {
      const { text, offset } = withCursor(stImport + marked);
      return completionContextAt(source(text), offset);
    };
    const attribute = at('db = st.secrets["db"]\ndb.|');
    assert.ok(attribute?.kind === 'secrets-attribute');
    assert.deepEqual(attribute.parentPath, ['db']);
    const key = at('db = st.secrets.db\ndb["|"]');
    assert.ok(key?.kind === 'secrets-key');
    assert.deepEqual(key.parentPath, ['db']);
    const environ = at('env = os.environ\nenv["|"]');
    assert.equal(environ?.kind, 'environ-key');
  });

  test('diagnostics: a key missing below an alias is reported at the use; the alias path only where it is assigned', () => {
    const { document, analysis, misreads } = python(stImport + 'db = st.secrets["db"]\ndb["hots"]\ndb.user\nnope = st.secrets["nope"]\nnope["a"]\nnope.b\n');
    const found = computePythonDiagnostics(document, analysis, misreads, merged, defaultSettings);
    assert.deepEqual(
      found.map((d) => `${d.code}:${document.getText(d.range)}:${d.range.start.line}`),
      ['missing-key:hots:3', 'missing-key:nope:5'],
    );
    assert.deepEqual(found[0]!.data, { addKey: ['db', 'hots'] });
  });

  test('no secrets file: reported where the alias is assigned, not at each use', () => {
    const { document, analysis, misreads } = python(stImport + 'db = st.secrets["db"]\ndb["host"]\ndb.user\n');
    const found = computePythonDiagnostics(document, analysis, misreads, mergedOf(undefined, undefined), defaultSettings);
    assert.deepEqual(found.map((d) => `${d.code}:${d.range.start.line}`), ['no-secrets-file:2']);
  });

  test('diagnostics through a tolerant alias: a missing table is tolerated, a missing key in a present one is not', () => {
    const { document, analysis, misreads } = python(stImport + 'cfg = st.secrets.get("db", {})\ncfg["hots"]\nnone = st.secrets.get("nope", {})\nnone["a"]\n');
    const found = computePythonDiagnostics(document, analysis, misreads, merged, defaultSettings);
    assert.deepEqual(found.map((d) => `${d.code}:${document.getText(d.range)}:${d.range.start.line}`), ['missing-key:hots:3']);
  });

  test('references list each read once; hover and definition on the alias name give its path', () => {
    const { analysis, document } = python(stImport + 'db = st.secrets["db"]\nu = db.user\nv = db["user"]\n');
    const ranges = (keyPath: string[]) => referencesInAnalysis(analysis, keyPath).map((r) => `${document.getText({ start: document.positionAt(r.start), end: document.positionAt(r.end) })}@${document.positionAt(r.start).line}`);
    assert.deepEqual(ranges(['db']), ['db@2']);
    assert.deepEqual(ranges(['db', 'user']), ['user@3', 'user@4']);
    const useOfAlias = document.offsetAt({ line: 3, character: 5 });
    assert.deepEqual(keyPathAtPython(analysis, useOfAlias), ['db']);
    assert.deepEqual(keyPathAtPython(analysis, document.offsetAt({ line: 3, character: 8 })), ['db', 'user']);
  });
});
