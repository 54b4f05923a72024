import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { defaultSettings } from '../../../common/settings';
import { computePythonDiagnostics } from '../../../server/src/service/pythonDiagnostics';
import { canaries, mergedOf, python } from './secretsFixture';

// The project file has `present` and `[db] host`; every other key is absent.
const merged = mergedOf(undefined, 'present = "P-SECRET-1"\n[db]\nhost = "P-SECRET-2"\n');

function diagnose(body: string, settings = defaultSettings) {
  const { document, analysis, misreads } = python(`import sys\nimport streamlit as st\n${body}`);
  const found = computePythonDiagnostics(document, analysis, misreads, merged, settings);
  for (const d of found) for (const canary of canaries) assert.ok(!d.message.includes(canary), d.message);
  return found.map((d) => ({ code: String(d.code), text: document.getText(d.range), message: d.message, severity: d.severity }));
}

const safe: Record<string, string> = {
  'if "k" in st.secrets': 'if "k" in st.secrets:\n    st.secrets.k\n    st.secrets["k"]\n',
  'if "k" in st.secrets.db': 'if "k" in st.secrets.db:\n    st.secrets.db.k\n    st.secrets["db"]["k"]\n',
  'if st.secrets.get("k")': 'if st.secrets.get("k"):\n    st.secrets.k\n',
  'if st.secrets.get("k") is not None': 'if st.secrets.get("k") is not None:\n    st.secrets["k"]\n',
  'if hasattr(st.secrets, "k")': 'if hasattr(st.secrets, "k"):\n    st.secrets.k\n',
  'if getattr(st.secrets, "k", None)': 'if getattr(st.secrets, "k", None):\n    st.secrets.k\n',
  'and chain (streamlit/llm-examples)': 'feedback = True\nif feedback and "TRUBRICS_EMAIL" in st.secrets:\n    st.secrets.TRUBRICS_EMAIL\n',
  'and in one expression': 'ok = "k" in st.secrets and st.secrets.k\n',
  'elif': 'x = 1\nif x:\n    pass\nelif "k" in st.secrets:\n    st.secrets.k\n',
  'else of not in': 'if "k" not in st.secrets:\n    pass\nelse:\n    st.secrets.k\n',
  'not (… not in …)': 'if not ("k" not in st.secrets):\n    st.secrets.k\n',
  'ternary': 'v = st.secrets.k if "k" in st.secrets else None\n',
  'ternary, negative branch': 'v = None if "k" not in st.secrets else st.secrets["k"]\n',
  'not in + st.stop()': 'if "k" not in st.secrets:\n    st.error("add k")\n    st.stop()\nst.secrets.k\n',
  'not in + stop() under another alias': 'import streamlit as stl\nif "k" not in stl.secrets:\n    stl.stop()\nstl.secrets.k\n',
  'get(…) is None + st.stop()': 'if st.secrets.get("k") is None:\n    st.stop()\nst.secrets.k\n',
  'not get(…) + st.stop()': 'if not st.secrets.get("k"):\n    st.stop()\nst.secrets.k\n',
  'not in + sys.exit()': 'if "k" not in st.secrets:\n    sys.exit(1)\nst.secrets.k\n',
  'not in + raise': 'if "k" not in st.secrets:\n    raise RuntimeError("add k")\nst.secrets.k\n',
  'not in + return (in a function)': 'def f():\n    if "k" not in st.secrets:\n        return None\n    return st.secrets.k\n',
  'not in + continue': 'for name in ["a"]:\n    if "k" not in st.secrets:\n        continue\n    st.secrets.k\n',
  'or of not-ins + exit': 'if "j" not in st.secrets or "k" not in st.secrets:\n    st.stop()\nst.secrets.j\nst.secrets.k\n',
  'assert': 'assert "k" in st.secrets\nst.secrets.k\n',
  'if "k" in st.secrets.keys()': 'if "k" in st.secrets.keys():\n    st.secrets.k\n    st.secrets["k"]\n',
  'if "k" in st.secrets.db.keys()': 'if "k" in st.secrets.db.keys():\n    st.secrets.db.k\n',
  'if "k" in st.secrets.to_dict()': 'if "k" in st.secrets.to_dict():\n    st.secrets["k"]\n',
  'if "k" in list(st.secrets)': 'if "k" in list(st.secrets):\n    st.secrets.k\n',
  'not in a copy of the keys + st.stop()': 'if "k" not in set(st.secrets.db.to_dict().keys()):\n    st.stop()\nst.secrets.db.k\n',
  'a name assigned from st.secrets.get("k")': 'token = st.secrets.get("k")\nif token:\n    st.secrets.k\n',
  'a name assigned from .get("k", None) is not None + st.stop()': 'token = st.secrets.get("k", None)\nif token is None:\n    st.stop()\nst.secrets["k"]\n',
  'a name assigned from .get in a function': 'def f():\n    key = st.secrets.db.get("k")\n    if not key:\n        return None\n    return st.secrets.db.k\n',
  'try/except KeyError': 'try:\n    st.secrets["k"]\nexcept KeyError:\n    pass\n',
  'try/except AttributeError': 'try:\n    st.secrets.k\nexcept AttributeError:\n    pass\n',
  'try/except LookupError': 'try:\n    st.secrets["k"]\nexcept LookupError:\n    pass\n',
  'try/except Exception': 'try:\n    st.secrets.k\n    st.secrets["j"]\nexcept Exception as e:\n    st.write(e)\n',
  'try/except BaseException': 'try:\n    st.secrets.k\nexcept BaseException:\n    pass\n',
  'try/bare except': 'try:\n    st.secrets.k\nexcept:\n    pass\n',
  'try/except a tuple': 'try:\n    st.secrets.k\n    st.secrets["j"]\nexcept (KeyError, AttributeError):\n    pass\n',
  'with contextlib.suppress(KeyError)': 'import contextlib\nwith contextlib.suppress(KeyError):\n    st.secrets["k"]\n',
  'with suppress(Exception), another manager': 'from contextlib import suppress\nwith open("f") as fh, suppress(Exception):\n    st.secrets.k\n',
  'with suppress(a tuple of classes)': 'from contextlib import suppress\nwith suppress(KeyError, AttributeError):\n    st.secrets.k\n    st.secrets["j"]\n',
  '.get("arcgis", {}).get("token", None)': 'token = st.secrets.get("arcgis", {}).get("token", None)\n',
  '.get("url", "").strip()': 'url = st.secrets.get("url", "").strip()\n',
  '.get("drive", {}).get("FOLDER_ID", "")': 'folder = st.secrets.get("drive", {}).get("FOLDER_ID", "")\n',
  '.get("drive", {}).get("x", {}).get("y")': 'y = st.secrets.get("drive", {}).get("x", {}).get("y")\n',
  'a name assigned from .get("arcgis", {})': 'cfg = st.secrets.get("arcgis", {})\nTOKEN = cfg.get("asset_token") or cfg.get("token")\n',
  'guard in the function itself': 'def f():\n    if "k" in st.secrets:\n        return st.secrets.k\n',
};

describe('guarded reads get no missing-key diagnostic', () => {
  for (const [name, body] of Object.entries(safe)) {
    test(name, () => assert.deepEqual(diagnose(body), []));
  }
});

describe('reads the guards do not cover still raise', () => {
  const codes = (body: string): string[] => diagnose(body).map((d) => `${d.code}:${d.text}`);
  test('a guard for another key, a read after the if, a guard that does not exit', () => {
    assert.deepEqual(codes('if "present" in st.secrets:\n    st.secrets.k\n'), ['missing-key:k']);
    assert.deepEqual(codes('if "k" in st.secrets:\n    pass\nst.secrets.k\n'), ['missing-key:k']);
    assert.deepEqual(codes('if "k" not in st.secrets:\n    st.warning("no k")\nst.secrets.k\n'), ['missing-key:k']);
    assert.deepEqual(codes('if "k" in st.secrets:\n    pass\nelse:\n    st.secrets.k\n'), ['missing-key:k']);
    assert.deepEqual(codes('x = 1\nif x or "k" in st.secrets:\n    st.secrets.k\n'), ['missing-key:k']);
    assert.deepEqual(codes('if st.secrets.get("k", "fallback"):\n    st.secrets.k\n'), ['missing-key:k']);
    // A key view proves keys of its own table only; values and pairs prove nothing.
    assert.deepEqual(codes('if "host" in st.secrets.db.keys():\n    st.secrets.k\n'), ['missing-key:k']);
    // A name that holds the result of a .get with a truthy default, or is assigned twice, proves nothing.
    assert.deepEqual(codes('token = st.secrets.get("k", "fallback")\nif token:\n    st.secrets.k\n'), ['missing-key:k']);
    assert.deepEqual(codes('token = st.secrets.get("k")\ntoken = "typed"\nif token:\n    st.secrets.k\n'), ['missing-key:k']);
    assert.deepEqual(codes('token = st.secrets.get("present")\nif token:\n    st.secrets.k\n'), ['missing-key:k']);
    assert.deepEqual(codes('if "k" in st.secrets.values():\n    st.secrets.k\n'), ['missing-key:k']);
    assert.deepEqual(codes('if "k" in st.secrets.items():\n    st.secrets.k\n'), ['missing-key:k']);
    assert.deepEqual(codes('if "k" in len(st.secrets):\n    st.secrets.k\n'), ['missing-key:k']);
  });

  test('a guard on a missing table raises itself, once: the reads it guards are not flagged again', () => {
    const found = diagnose('if "k" in st.secrets.nodb:\n    st.secrets.nodb.k\n');
    assert.equal(found.length, 1);
    assert.match(found[0]!.message, /^AttributeError: st\.secrets has no attribute "nodb"/);
  });

  test('handlers that catch something else', () => {
    assert.deepEqual(codes('try:\n    st.secrets.k\nexcept ValueError:\n    pass\n'), ['missing-key:k']);
    assert.deepEqual(codes('import contextlib\nwith contextlib.suppress(ValueError):\n    st.secrets.k\n'), ['missing-key:k']);
    assert.deepEqual(codes('import contextlib\nwith contextlib.suppress(KeyError):\n    pass\nst.secrets["k"]\n'), ['missing-key:k']);
    assert.deepEqual(codes('with open("f"):\n    st.secrets["k"]\n'), ['missing-key:k']);
    assert.deepEqual(codes('try:\n    st.secrets.k\nexcept KeyError:\n    pass\n'), ['missing-key:k']);
    assert.deepEqual(codes('try:\n    st.secrets["k"]\nexcept AttributeError:\n    pass\n'), ['missing-key:k']);
    // The handler's own body and the else/finally blocks are not protected.
    assert.deepEqual(codes('try:\n    pass\nexcept Exception:\n    st.secrets.k\n'), ['missing-key:k']);
  });

  test('after a default: what the default cannot do raises, with the default named', () => {
    const found = diagnose('a = st.secrets.get("db2", {})["host"]\nb = st.secrets.get("url", "").nope\nc = st.secrets.get("x").y\n');
    assert.deepEqual(found.map((d) => `${d.code}:${d.text}`), ['missing-key:db2', 'missing-key:url', 'missing-key:x']);
    assert.match(found[0]!.message, /^KeyError: "host": st\.secrets has no key "db2", so \.get\("db2"\) returns an empty dict here/);
    assert.match(found[1]!.message, /^AttributeError: 'str' object has no attribute 'nope'/);
    assert.match(found[2]!.message, /^AttributeError: 'NoneType' object has no attribute 'y'/);
  });

  test('the message names the real parent of a missing key read with .get', () => {
    const [found] = diagnose('st.secrets["db"].get("drive").get("FOLDER_ID")\n');
    assert.match(found!.message, /db has no key "drive"/);
    assert.doesNotMatch(found!.message, /st\.secrets has no key "drive"/);
  });
});

describe('a guard on a key the secrets lack: what it guards never runs with these secrets', () => {
  test('streamlit/llm-examples: both TRUBRICS keys absent, nothing raises', () => {
    const body = 'feedback = {}\nif feedback and "TRUBRICS_EMAIL" in st.secrets:\n    config = dict(\n        email=st.secrets.TRUBRICS_EMAIL,\n        password=st.secrets.TRUBRICS_PASSWORD,\n    )\n';
    assert.deepEqual(diagnose(body), []);
  });

  test('once the guarded key exists, the other reads in the block are checked', () => {
    const body = 'if "present" in st.secrets:\n    st.secrets.present\n    st.secrets.TRUBRICS_PASSWORD\n';
    assert.deepEqual(diagnose(body).map((d) => `${d.code}:${d.text}`), ['missing-key:TRUBRICS_PASSWORD']);
  });

  test('after `if "k" not in st.secrets: st.stop()` with k absent the app stops: later reads do not run', () => {
    assert.deepEqual(diagnose('if "k" not in st.secrets:\n    st.stop()\nst.secrets.other\n'), []);
  });
});

describe('reads in functions are judged in their function', () => {
  test('an unguarded read in a function: the unguarded severity and a message that says so', () => {
    const found = diagnose('def f():\n    return st.secrets.k\ng = lambda: st.secrets["j"]\n');
    assert.deepEqual(found.map((d) => `${d.code}:${d.text}`), ['missing-key:k', 'missing-key:j']);
    for (const d of found) {
      assert.equal(d.severity, DiagnosticSeverity.Warning);
      assert.match(d.message, /Unguarded read: nothing in this function checks for the key first/);
    }
  });

  test('a guard around the def does not reach into its body (it runs when called)', () => {
    const [found] = diagnose('if "k" in st.secrets:\n    def f():\n        return st.secrets.k\n');
    assert.equal(found!.severity, DiagnosticSeverity.Warning);
  });

  test('module-level reads stay errors; the unguarded severity is a setting', () => {
    assert.equal(diagnose('st.secrets.k\n')[0]!.severity, DiagnosticSeverity.Error);
    const settings = { ...defaultSettings, diagnostics: { ...defaultSettings.diagnostics, unguardedRead: 'off' as const } };
    assert.deepEqual(diagnose('def f():\n    return st.secrets.k\n', settings), []);
  });
});

describe('reads that run only for some environment (unknown here) are warnings, not errors', () => {
  const judged = (body: string) => diagnose(`import os\n${body}`).map((d) => `${d.code}:${d.text}:${d.severity}`);
  const warning = DiagnosticSeverity.Warning;
  test('the environment first, st.secrets as the fallback', () => {
    assert.deepEqual(judged('k = os.getenv("K") or st.secrets["k"]\n'), [`missing-key:k:${warning}`]);
    assert.deepEqual(judged('v = st.secrets.k if os.environ.get("K") is None else os.environ["K"]\n'), [`missing-key:k:${warning}`]);
    assert.deepEqual(judged('if not os.environ.get("K"):\n    st.secrets["k"]\n'), [`missing-key:k:${warning}`]);
    // A name assigned from the environment, then reassigned in the branch (no single binding).
    const [found] = diagnose('import os\nKEY = os.environ.get("K", None)\nif KEY is None:\n    KEY = st.secrets["k"]\n');
    assert.equal(found!.severity, warning);
    assert.match(found!.message, /Whether this read runs depends on the environment/);
  });

  test('the nearest real errors stay errors: no environment check, or one that does not decide the read', () => {
    const error = DiagnosticSeverity.Error;
    assert.deepEqual(judged('st.secrets["k"]\n'), [`missing-key:k:${error}`]);
    assert.deepEqual(judged('x = os.getenv("K")\nk = st.secrets["k"] or x\n'), [`missing-key:k:${error}`]);
    assert.deepEqual(judged('if os.getenv("K"):\n    pass\nst.secrets["k"]\n'), [`missing-key:k:${error}`]);
  });
});

describe('a read behind a check that the secrets file exists', () => {
  const judged = (body: string, secrets = mergedOf(undefined, undefined)) => {
    const { document, analysis, misreads } = python(`import os\nfrom pathlib import Path\nimport streamlit as st\n${body}`);
    return computePythonDiagnostics(document, analysis, misreads, secrets, defaultSettings).map((d) => `${String(d.code)}:${document.getText(d.range)}`);
  };
  test('without any secrets file it never runs: nothing raises', () => {
    assert.deepEqual(judged('if os.path.exists(".streamlit/secrets.toml"):\n    key = st.secrets["k"]\n'), []);
    assert.deepEqual(judged('if Path(".streamlit/secrets.toml").is_file() and True:\n    key = st.secrets.get("k")\n'), []);
    assert.deepEqual(judged('if not os.path.isfile(os.path.join(".streamlit", "secrets.toml")):\n    st.stop()\nst.secrets["k"]\n'), []);
  });
  test('the nearest real errors: no check, a check of another file, a file that exists but fails to parse', () => {
    assert.deepEqual(judged('key = st.secrets["k"]\n'), ['no-secrets-file:st.secrets']);
    assert.deepEqual(judged('if os.path.exists("config.toml"):\n    key = st.secrets["k"]\n'), ['no-secrets-file:st.secrets']);
    assert.deepEqual(judged('if not os.path.exists(".streamlit/secrets.toml"):\n    key = st.secrets["k"]\n'), ['no-secrets-file:st.secrets']);
    const broken = mergedOf(undefined, 'mixed = [1, "P-SECRET-1"]\n');
    assert.deepEqual(judged('if os.path.exists(".streamlit/secrets.toml"):\n    key = st.secrets["k"]\n', broken), ['secrets-load-error:st.secrets']);
  });
});
