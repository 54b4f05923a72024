import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse, TomlDate } from 'smol-toml';
import { writeSecretsExample, secretsExampleText, tomlKey } from '../../../client/src/files/writeSecretsExample';
import { SecretsFileError } from '../../../client/src/files/atomicWriteFile';
import { makeTempDir, removeTempDirs } from '../git/gitFixtures';

after(() => removeTempDirs());

const SECRETS = `# a comment that mentions comment-secret-123
api_key = "sk-live-ABCDEF123456"
port = 54321
ratio = 3.14159
debug = true
created = 1999-12-31T23:59:58Z
day = 1999-12-31
local_dt = 1999-12-31T23:59:57
at = 23:59:56
tags = ["tag-one-secret", "tag-two-secret"]
matrix = [[98765, 87654], [76543]]
"odd key.with dots" = "quoted-key-value-777"
dotted.inner.leaf = "dotted-value-888"
inline = { user = "inline-user-999", pass = "inline-pass-000" }
empty_table = {}

[connections.db]
url = "postgresql://scott:tiger@db.example.com:5432/prod"
port = 6543

[connections.db.create_engine_kwargs]
pool_size = 11111

[[servers]]
host = "alpha-host-secret"
weights = [0.25, 0.75]

[servers.meta]
owner = "alpha-owner-secret"

[[servers]]
host = "beta-host-secret"

[auth]
redirect_uri = "http://localhost:8501/oauth2callback"
cookie_secret = "cookie-secret-value-xyz"

[auth.google]
client_secret = "google-client-secret-abc"
`;

const VALUES = [
  'comment-secret-123', 'sk-live-ABCDEF123456', '54321', '3.14159', 'true', '1999', '23:59', 'tag-one-secret', 'tag-two-secret',
  '98765', '87654', '76543', 'quoted-key-value-777', 'dotted-value-888', 'inline-user-999', 'inline-pass-000', 'scott', 'tiger',
  'db.example.com', '6543', '11111', 'alpha-host-secret', '0.25', '0.75', 'alpha-owner-secret', 'beta-host-secret', 'localhost',
  'cookie-secret-value-xyz', 'google-client-secret-abc', 'postgresql',
];

function writeSecrets(content: string | Buffer): string {
  const dir = path.join(makeTempDir(), '.streamlit');
  fs.mkdirSync(dir);
  const file = path.join(dir, 'secrets.toml');
  fs.writeFileSync(file, content);
  return file;
}

type Shape = string | { [key: string]: Shape } | Shape[];

/** The structure with each leaf replaced by its TOML type name. */
function shapeOf(value: unknown): Shape {
  if (typeof value === 'bigint') return 'integer';
  if (typeof value === 'number') return 'float';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'boolean';
  if (value instanceof TomlDate) return value.isDate() ? 'date' : value.isTime() ? 'time' : value.isLocal() ? 'local-datetime' : 'datetime';
  if (Array.isArray(value)) return value.length > 0 && value.every((v) => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date)) ? value.map(shapeOf) : 'array';
  return Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, shapeOf(v)]));
}

describe('writeSecretsExample', () => {
  test('same tables and keys, type-appropriate empty values, nothing from the original', async () => {
    const file = writeSecrets(SECRETS);
    const result = await writeSecretsExample(file);
    assert.deepEqual(result, { path: `${file}.example`, created: true });
    const example = fs.readFileSync(result.path, 'utf8');
    for (const value of VALUES) assert.ok(!example.includes(value), `leaked ${value}:\n${example}`);

    const original = parse(SECRETS, { integersAsBigInt: true });
    const parsed = parse(example, { integersAsBigInt: true });
    assert.deepEqual(shapeOf(parsed), shapeOf(original));
    assert.equal(parsed.api_key, '');
    assert.equal(parsed.port, 0n);
    assert.equal(parsed.ratio, 0);
    assert.equal(parsed.debug, false);
    assert.deepEqual(parsed.tags, []);
    assert.equal((parsed.servers as unknown[]).length, 2, 'arrays of tables keep their entries');
    assert.deepEqual(Object.keys(parsed.empty_table as object), []);
    assert.match(example, /^# Example of secrets\.toml/);
  });

  test('emits [[arrays of tables]] with their sub-tables in place', () => {
    const text = secretsExampleText(parse('[[a]]\nx = "1"\n[a.b]\ny = 2\n[[a]]\nx = "3"\n') as Record<string, unknown>);
    assert.equal(text.split('\n').filter((l) => !l.startsWith('#')).join('\n'), '\n[[a]]\nx = ""\n\n[a.b]\ny = 0.0\n\n[[a]]\nx = ""\n');
  });

  test('keys that need quoting are quoted', () => {
    assert.equal(tomlKey('plain_key-1'), 'plain_key-1');
    assert.equal(tomlKey('has space'), '"has space"');
    assert.equal(tomlKey('quo"te\\'), '"quo\\"te\\\\"');
    assert.equal(tomlKey(''), '""');
    assert.equal(tomlKey('ключ'), '"ключ"');
  });

  test('an existing example is not overwritten without overwrite: true', async () => {
    const file = writeSecrets('a = "secret-a"\n');
    const example = `${file}.example`;
    fs.writeFileSync(example, 'hand written\n');
    const result = await writeSecretsExample(file);
    assert.deepEqual(result, { path: example, created: false });
    assert.equal(fs.readFileSync(example, 'utf8'), 'hand written\n');
  });

  test('overwrite: true replaces it atomically, keeping its mode', async () => {
    const file = writeSecrets('a = "secret-a"\n');
    const example = `${file}.example`;
    fs.writeFileSync(example, 'old\n', { mode: 0o640 });
    fs.chmodSync(example, 0o640);
    const result = await writeSecretsExample(file, { overwrite: true });
    assert.equal(result.created, true);
    const text = fs.readFileSync(example, 'utf8');
    assert.match(text, /^a = ""$/m);
    assert.ok(!text.includes('secret-a'));
    if (process.platform !== 'win32') assert.equal(fs.statSync(example).mode & 0o777, 0o640);
    assert.deepEqual(fs.readdirSync(path.dirname(file)).filter((n) => n.endsWith('.tmp')), []);
  });

  test('a parse error: clear message without any text from the file, nothing written', async () => {
    const file = writeSecrets('ok = "fine"\npassword = "hunter2-very-secret\nother = 1\n');
    await assert.rejects(writeSecretsExample(file), (error: unknown) => {
      assert.ok(error instanceof SecretsFileError);
      assert.equal(error.code, 'EPARSE');
      assert.match(error.message, /not valid TOML \(line \d+, column \d+\)/);
      for (const fragment of ['hunter2', 'password', 'fine', 'other']) assert.ok(!error.message.includes(fragment), error.message);
      assert.equal(error.cause, undefined);
      assert.ok(!String(error.stack).includes('hunter2'));
      return true;
    });
    assert.equal(fs.existsSync(`${file}.example`), false);
  });

  test('a byte-order mark and an empty file are accepted', async () => {
    const withBom = writeSecrets(Buffer.from('\ufeffkey = "secret-bom"\n', 'utf8'));
    await writeSecretsExample(withBom);
    assert.match(fs.readFileSync(`${withBom}.example`, 'utf8'), /^key = ""$/m);

    const empty = writeSecrets('');
    await writeSecretsExample(empty);
    assert.deepEqual(Object.keys(parse(fs.readFileSync(`${empty}.example`, 'utf8'))), []);
  });

  test('a missing secrets file is a clear error', async () => {
    await assert.rejects(writeSecretsExample(path.join(makeTempDir(), 'secrets.toml')), /Cannot read .*the folder does not exist|Cannot read/);
  });
});
