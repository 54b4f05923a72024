import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'smol-toml';
import { addSecretKey, addSecretKeys } from '../../../client/src/commands/addSecretKey';

describe('addSecretKey', () => {
  test('into an existing table, after its last key, keeping comments and CRLF', () => {
    const text = '# header\r\ntop = "t"\r\n\r\n[db]\r\nuser = "u"\r\n\r\n[other]\r\nx = 1\r\n';
    const result = addSecretKey(text, ['db', 'password'])!;
    assert.ok(result.added);
    assert.equal(result.text, '# header\r\ntop = "t"\r\n\r\n[db]\r\nuser = "u"\r\npassword = ""\r\n\r\n[other]\r\nx = 1\r\n');
    assert.equal(result.line, 5);
    assert.equal(result.text.split('\r\n')[result.line]!.slice(0, result.character), 'password = "');
  });
  test('a root key goes before the first table; a new table is appended; odd names are quoted', () => {
    const root = addSecretKey('[db]\nuser = "u"\n', ['api-key'])!;
    assert.equal(root.text, 'api-key = ""\n\n[db]\nuser = "u"\n');
    const table = addSecretKey('# only comments\n', ['connections', 'my db', 'host'])!;
    assert.equal(table.text, '# only comments\n\n[connections."my db"]\nhost = ""\n');
    assert.deepEqual(JSON.parse(JSON.stringify(parse(table.text))), { connections: { 'my db': { host: '' } } });
  });
  test('an existing key is not duplicated; broken TOML is left alone', () => {
    const existing = addSecretKey('[db]\npassword = "x"\n', ['db', 'password'])!;
    assert.equal(existing.added, false);
    assert.equal(existing.line, 1);
    assert.equal(addSecretKey('a = \n', ['b']), undefined);
  });
  test('several keys of one section (quick fix for st.login): one header, the cursor on the first key', () => {
    const result = addSecretKeys('# mine\n', [['auth', 'redirect_uri'], ['auth', 'cookie_secret'], ['auth', 'client_id']])!;
    assert.ok(result.added);
    assert.deepEqual(JSON.parse(JSON.stringify(parse(result.text))), { auth: { redirect_uri: '', cookie_secret: '', client_id: '' } });
    assert.equal(result.text.match(/\[auth\]/g)?.length, 1);
    assert.equal(result.text.split('\n')[result.line]!.slice(0, result.character), 'redirect_uri = "');
    const some = addSecretKeys('[auth]\ncookie_secret = "c"\n', [['auth', 'redirect_uri'], ['auth', 'cookie_secret']])!;
    assert.equal(some.text.match(/cookie_secret/g)?.length, 1, 'an existing key is kept as it is');
    assert.equal(addSecretKeys('a = \n', [['b']]), undefined);
  });
});
