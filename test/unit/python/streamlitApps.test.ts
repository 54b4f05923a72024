import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createPythonSource } from '../../../server/src/python/pythonSource';
import { findStreamlitApps } from '../../../server/src/python/streamlitApps';
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
