import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createPythonSource } from '../../../server/src/python/pythonSource';
import { findSecretsMerges, findStreamlitApps } from '../../../server/src/python/streamlitApps';
import { keyPathId } from '../../../server/src/toml/types';
import { plain } from '../../helpers/secretNodes';

const apps = (text: string) => findStreamlitApps(createPythonSource(text));

describe('findStreamlitApps: st.App(…, secrets=…) calls', () => {
  test('a literal dict: nested dicts, lists, numbers, booleans; each key located', () => {
    const text = 'import streamlit as st\napp = st.App("pages/main.py", secrets={"db": {"host": "h", "port": 5432, "ssl": True, "ratio": -0.5}, "keys": ["a", "b"]})\n';
    const [app] = apps(text);
    assert.equal(app?.script, 'pages/main.py');
    assert.equal(app?.secrets?.kind, 'literal');
    if (app?.secrets?.kind !== 'literal') return;
    assert.deepEqual(plain(app.secrets.root), { db: { host: 'h', port: 5432n, ssl: true, ratio: -0.5 }, keys: ['a', 'b'] });
    const host = app.secrets.keys.get(keyPathId(['db', 'host']))![0]!;
    assert.equal(text.slice(host.keyRange.start, host.keyRange.end), 'host');
  });

  test('import forms: from streamlit import App (aliased), streamlit.starlette; other App classes are not Streamlit', () => {
    assert.equal(apps('from streamlit import App as StApp\nStApp("a.py")\n')[0]?.script, 'a.py');
    assert.equal(apps('from streamlit.starlette import App\nApp("b.py", secrets={})\n')[0]?.secrets?.kind, 'literal');
    assert.equal(apps('import streamlit\nstreamlit.App("c.py")\n')[0]?.script, 'c.py');
    assert.deepEqual(apps('from fastapi import App\nimport streamlit\nApp("x.py")\n'), []);
  });

  test('secrets that cannot be read without running Python are dynamic; no secrets= gives none', () => {
    for (const value of ['load_secrets()', '{**os.environ}', '{"db": os.environ["DB"]}', 'SECRETS', '{key: "v"}']) {
      const [app] = apps(`import os\nimport streamlit as st\napp = st.App("main.py", secrets=${value})\n`);
      assert.equal(app?.secrets?.kind, 'dynamic', value);
    }
    assert.equal(apps('import streamlit as st\nst.App("main.py")\n')[0]?.secrets, undefined);
    assert.equal(apps('import streamlit as st\nst.App("main.py", secrets=None)\n')[0]?.secrets, undefined);
  });

  test('a script that is not a constant string is not an app we can place', () => {
    assert.deepEqual(apps('import streamlit as st\nst.App(SCRIPT)\n'), []);
  });
});

describe('findSecretsMerges: st.secrets.merge_programmatic_secrets(…) calls', () => {
  const merges = (text: string) => findSecretsMerges(createPythonSource(text));

  test('a literal dict is read like st.App secrets, each key located', () => {
    const text = 'import streamlit as st\nst.secrets.merge_programmatic_secrets({"auth": {"cookie_secret": "c"}, "api_key": "k"})\n';
    const [merge] = merges(text);
    assert.equal(merge?.secrets.kind, 'literal');
    if (merge?.secrets.kind !== 'literal') return;
    assert.deepEqual(plain(merge.secrets.root), { auth: { cookie_secret: 'c' }, api_key: 'k' });
    const key = merge.secrets.keys.get(keyPathId(['api_key']))![0]!;
    assert.equal(text.slice(key.keyRange.start, key.keyRange.end), 'api_key');
    assert.equal(text.slice(merge.range.start, merge.range.end), text.slice(text.indexOf('st.secrets.merge'), text.lastIndexOf(')') + 1));
  });

  test('any object, keyword or positional; values read at runtime make the keys unknowable', () => {
    assert.equal(merges('from streamlit.runtime.secrets import secrets_singleton\nsecrets_singleton.merge_programmatic_secrets(programmatic_secrets={"a": 1})\n')[0]?.secrets.kind, 'literal');
    for (const argument of ['{"auth": {"redirect_uri": os.environ["R"]}}', 'load()', '**extra', '']) {
      const [merge] = merges(`import os\nimport streamlit as st\nst.secrets.merge_programmatic_secrets(${argument})\n`);
      assert.equal(merge?.secrets.kind, 'dynamic', argument);
    }
    assert.deepEqual(merges('import streamlit as st\nst.secrets.merge_programmatic_secrets(None)\n'), []);
    const [envValues] = merges('import os\nimport streamlit as st\nst.secrets.merge_programmatic_secrets({"auth": {"id": os.environ["ID"]}, \'api\': 1})\n');
    assert.deepEqual(envValues?.secrets.kind === 'dynamic' ? envValues.secrets.topKeys : undefined, ['auth', 'api']);
    const [spread] = merges('import streamlit as st\nst.secrets.merge_programmatic_secrets({**base, "auth": x})\n');
    assert.equal(spread?.secrets.kind === 'dynamic' ? spread.secrets.topKeys : 'literal', undefined);
  });

  test('the name only as text, or another method, is no call', () => {
    assert.deepEqual(merges('# merge_programmatic_secrets({"a": 1})\nx = "merge_programmatic_secrets"\n'), []);
    assert.deepEqual(merges('import streamlit as st\nst.secrets.merge_secrets({"a": 1})\nmerge_programmatic_secrets\n'), []);
  });
});
