import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultSettings } from '../../../common/settings';
import { computePythonDiagnostics } from '../../../server/src/service/pythonDiagnostics';
import type { MergedSecrets } from '../../../server/src/service/mergeSecrets';
import { parseStreamlitVersion } from '../../../server/src/service/streamlitVersion';
import { canaries, mergedOf, python } from './secretsFixture';

// The project file has no [auth] and no [connections.*] but one SQL section without url or host.
const merged = mergedOf(undefined, 'present = "P-SECRET-1"\ncount = 3\nnames = ["P-SECRET-2"]\n[connections.db]\ntype = "sql"\ndialect = "postgresql"\n');
const noFile = mergedOf(undefined, undefined);

function codes(body: string, secrets: MergedSecrets = merged): string[] {
  const { document, analysis, misreads } = python(`import streamlit as st\n${body}`);
  const found = computePythonDiagnostics(document, analysis, misreads, secrets, defaultSettings);
  for (const d of found) for (const canary of canaries) assert.ok(!d.message.includes(canary), d.message);
  return found.map((d) => `${String(d.code)}:${document.getText(d.range)}`);
}

describe('st.login and st.connection are judged with their guards, like reads', () => {
  test('st.login() under `if "auth" in st.secrets` never runs without [auth]; unguarded it fails', () => {
    assert.deepEqual(codes('if "auth" in st.secrets:\n    st.login("google")\n'), []);
    assert.deepEqual(codes('if "auth" not in st.secrets:\n    st.stop()\nst.login()\n'), []);
    assert.deepEqual(codes('st.login("google")\n'), ['login-missing-auth:google']);
    // A guard on another key proves nothing about [auth].
    assert.deepEqual(codes('if "present" in st.secrets:\n    st.login("google")\n'), ['login-missing-auth:google']);
  });

  test('st.login() in a try whose handler catches StreamlitAuthError (or a base of it) raises nothing', () => {
    for (const handler of ['Exception', 'StreamlitAuthError', 'st.errors.StreamlitAPIException', '(ValueError, StreamlitAuthError)']) {
      assert.deepEqual(codes(`try:\n    st.login()\nexcept ${handler}:\n    st.error("no login here")\n`), [], handler);
    }
    assert.deepEqual(codes('try:\n    st.login()\nexcept:\n    pass\n'), []);
    // A handler of something else does not catch it.
    assert.deepEqual(codes('try:\n    st.login()\nexcept KeyError:\n    pass\n'), ['login-missing-auth:st.login()']);
  });

  test('st.login() before 1.42 is an AttributeError: a handler of that catches it', () => {
    const base = mergedOf(undefined, 'present = "P-SECRET-1"\n');
    const old = { ...base, chain: { ...base.chain, streamlitVersion: parseStreamlitVersion('1.41.1')! } };
    assert.deepEqual(codes('try:\n    st.login()\nexcept AttributeError:\n    pass\n', old), []);
    assert.deepEqual(codes('try:\n    st.login()\nexcept StreamlitAuthError:\n    pass\n', old), ['login-unavailable:st.login()']);
  });

  test('st.connection(): a missing type is a KeyError, a bad section a StreamlitAPIException', () => {
    assert.deepEqual(codes('try:\n    conn = st.connection("other")\nexcept Exception:\n    conn = None\n'), []);
    assert.deepEqual(codes('try:\n    conn = st.connection("other")\nexcept KeyError:\n    conn = None\n'), []);
    assert.deepEqual(codes('try:\n    conn = st.connection("db")\nexcept StreamlitAPIException:\n    conn = None\n'), []);
    assert.deepEqual(codes('if "other" in st.secrets.connections:\n    st.connection("other")\n'), []);
    // The nearest real errors: unguarded, or a handler of the wrong class.
    assert.deepEqual(codes('conn = st.connection("other")\n'), ['connection-missing-type:other']);
    assert.deepEqual(codes('try:\n    conn = st.connection("db")\nexcept KeyError:\n    conn = None\n'), ['connection-sql-missing-keys:db']);
    assert.deepEqual(codes('try:\n    conn = st.connection("other")\nexcept StreamlitAPIException:\n    conn = None\n'), ['connection-missing-type:other']);
  });

  test('without a secrets file: a caught st.login() / st.connection() is not reported, an uncaught one is', () => {
    assert.deepEqual(codes('try:\n    st.login()\nexcept Exception:\n    st.error("not configured")\n', noFile), []);
    assert.deepEqual(codes('try:\n    st.login()\nexcept StreamlitAuthError:\n    pass\n', noFile), []);
    assert.deepEqual(codes('try:\n    st.connection("other")\nexcept StreamlitAPIException:\n    pass\n', noFile), []);
    assert.deepEqual(codes('st.login()\n', noFile), ['no-secrets-file:st.login()']);
    assert.deepEqual(codes('try:\n    st.login()\nexcept KeyError:\n    pass\n', noFile), ['no-secrets-file:st.login()']);
  });
});

describe('"x" in a secret that is not a table: only what Python rejects', () => {
  test('a str is a substring test and a list a search: no error', () => {
    assert.deepEqual(codes('if "BEGIN" not in st.secrets["present"]:\n    st.write("bad key")\n'), []);
    assert.deepEqual(codes('key = st.secrets.present\nok = "-----BEGIN" in key\n'), []);
    assert.deepEqual(codes('ok = "a" in st.secrets.names\n'), []);
  });

  test('an int raises TypeError (unless a handler catches it)', () => {
    assert.deepEqual(codes('ok = "a" in st.secrets.count\n'), ['not-a-table:a']);
    const { document, analysis, misreads } = python('import streamlit as st\nok = "a" in st.secrets.count\n');
    const [found] = computePythonDiagnostics(document, analysis, misreads, merged, defaultSettings);
    assert.match(found!.message, /^TypeError: argument of type 'int' is not iterable: count is an int/);
    assert.deepEqual(codes('try:\n    ok = "a" in st.secrets.count\nexcept TypeError:\n    ok = False\n'), []);
  });
});

describe('st.login(<expression>): the provider is unknown, so only what every provider needs is checked', () => {
  const auth = mergedOf(undefined, '[auth]\nredirect_uri = "http://localhost:8501/oauth2callback"\ncookie_secret = "P-SECRET-1"\n');
  test('no error for the provider keys an unknown provider may not read from [auth]', () => {
    assert.deepEqual(codes('provider = choose()\nst.login(provider)\n', auth), []);
  });
  test('the nearest real errors: no provider at all, and [auth] missing for any provider', () => {
    assert.deepEqual(codes('st.login()\n', auth), ['login-missing-keys:st.login()']);
    assert.deepEqual(codes('provider = choose()\nst.login(provider)\n'), ['login-missing-auth:st.login(provider)']);
  });
});

describe('st.login passed as a callback (on_click=st.login) is a st.login() the button makes', () => {
  const auth = mergedOf(undefined, '[auth]\nredirect_uri = "http://localhost:8501/oauth2callback"\ncookie_secret = "P-SECRET-1"\n');
  test('without args= it reads the provider keys from [auth] itself: a real error when they are missing', () => {
    assert.deepEqual(codes('st.button("Log in", on_click=st.login)\n', auth), ['login-missing-keys:st.login']);
  });
  test('with args= the provider is unknown; under a guard or without any st.login use, nothing', () => {
    assert.deepEqual(codes('st.button("Log in", on_click=st.login, args=("google",))\n', auth), []);
    assert.deepEqual(codes('if "client_id" in st.secrets.auth:\n    st.button("Log in", on_click=st.login)\n', auth), []);
    assert.deepEqual(codes('st.button("Log out", on_click=st.logout)\n', auth), []);
  });
});
