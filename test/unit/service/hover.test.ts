import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { MarkupContent } from 'vscode-languageserver-types';
import { doHover } from '../../../server/src/service/hover';
import { doSecretsFileHover } from '../../../server/src/service/secretsFileHover';
import { renderValue, revealValue } from '../../../server/src/service/reveal';
import { revealMarkdown } from '../../../server/src/service/hover';
import { canaries, globalToml, mergedOf, projectToml, python } from './secretsFixture';

const merged = mergedOf(globalToml, projectToml);

function hoverText(marked: string, reveal = 0): string {
  const { document, offset, analysis } = python(marked);
  const hover = doHover(document, analysis, offset, merged, { revealCharacters: reveal });
  return hover === null ? '' : (hover.contents as MarkupContent).value;
}

function noCanary(text: string): void {
  for (const canary of canaries) assert.ok(!text.includes(canary), `leaks ${canary}: ${text}`);
}

describe('doHover (Python)', () => {
  test('st.login: on the provider its [auth.provider] section, elsewhere on the call [auth]; masked', () => {
    const m = mergedOf(undefined, '[auth]\nredirect_uri = "P-SECRET-1"\ncookie_secret = "P-SECRET-2"\n[auth.google]\nclient_id = "P-SECRET-3"\n');
    const at = (marked: string): string => {
      const { document, offset, analysis } = python(marked);
      const hover = doHover(document, analysis, offset, m, { revealCharacters: 0 });
      return hover === null ? '' : (hover.contents as MarkupContent).value;
    };
    const provider = at('import streamlit as st\nst.login("goo|gle")\n');
    assert.match(provider, /\*\*st\.login\*\* `google` → `\[auth\.google\]`/);
    assert.match(provider, /client_id = "••••••••"/);
    const auth = at('import streamlit as st\nst.lo|gin()\n');
    assert.match(auth, /\*\*st\.login\*\*\(\) → `\[auth\]`/);
    assert.match(auth, /^\*\*st\.login\*\*\(\) → `\[auth\]` — `AttrDict` with 3 keys from the project file/);
    assert.match(at('import streamlit as st\nst.login("ok|ta")\n'), /— not in the secrets/);
    noCanary(provider + auth);
  });

  test('a string: masked, type, providing file, env export, reveal link', () => {
    const text = hoverText('import streamlit as st\nst.secrets.api|_key');
    assert.match(text, /api_key = "••••••••"/);
    assert.match(text, /^\*\*st\.secrets\*\* `api_key` — `str` from the project file `\.streamlit\/secrets\.toml`\n/, 'leads with what the read gets and from where');
    assert.match(text, /Also in `os\.environ\["api_key"\]` once the secrets load/);
    assert.equal(text.match(/project file/g)?.length, 1, 'each fact once');
    assert.ok(text.includes(revealMarkdown('file:///p/app.py', ['api_key'])));
    noCanary(text);
  });

  test('a key only the global file defines is marked local only; a project key is not', () => {
    assert.match(hoverText('import streamlit as st\nst.secrets.sha|red'), /Local only: a deployed app will not have this unless you add it to the app's Secrets/);
    assert.doesNotMatch(hoverText('import streamlit as st\nst.secrets.api|_key'), /Local only/);
  });

  test('the mask has the same width whatever the length; reveal characters only of long values, at most a quarter', () => {
    const short = mergedOf(undefined, 'a = "xy-short-v"\nb = "a-much-longer-secret-value"\n');
    const { document, analysis } = python('import streamlit as st\nst.secrets.a\nst.secrets.b\n');
    const at = (key: string, reveal: number): string =>
      (doHover(document, analysis, document.getText().indexOf(`.${key}`) + 1, short, { revealCharacters: reveal })!.contents as MarkupContent).value;
    assert.equal(at('a', 0).match(/= "(.*)"/)![1], at('b', 0).match(/= "(.*)"/)![1]);
    assert.match(at('b', 3), /b = "a-m••••••••"/);
    assert.match(at('a', 3), /a = "••••••••"/, 'nothing of a value under 12 characters');
    assert.match(at('b', 8), /b = "••••••••"/, 'never more than a quarter: 8 characters need a value of 32');
  });

  test('a table lists its keys masked and names what the shallow merge lost', () => {
    const text = hoverText('import streamlit as st\nst.secrets.d|b');
    assert.match(text, /db = \{ user = "••••••••" \}/);
    assert.match(text, /Replaces `db` of the global file `~\/\.streamlit\/secrets\.toml` \(Streamlit merges whole top-level keys\); sub-key lost: `db\.port`\./);
    noCanary(text);
  });

  test('a lost or missing key: not in the merged view, where it was defined', () => {
    const text = hoverText('import streamlit as st\nst.secrets.db.po|rt');
    assert.match(text, /— not in the secrets/);
    assert.match(text, /The global file `~\/\.streamlit\/secrets\.toml` defines it, but the project file `\.streamlit\/secrets\.toml` replaces the whole `db` table/);
  });

  test('environ: exported keys show their source, others say why not; unknown names get no hover', () => {
    assert.match(hoverText('import os\nos.environ["sha|red"]'), /global file/);
    assert.match(hoverText('import os\nos.getenv("fl|ag")'), /not set by Streamlit/);
    assert.equal(hoverText('import os\nos.getenv("PA|TH")'), '');
  });

  test('no secrets file: the hover warns that the read raises', () => {
    const { document, offset, analysis } = python('import streamlit as st\nst.secrets.x|');
    const hover = doHover(document, analysis, offset - 1, mergedOf(undefined, undefined), { revealCharacters: 0 });
    assert.match((hover!.contents as MarkupContent).value, /FileNotFoundError/);
  });
});

describe('doSecretsFileHover', () => {
  test('the global [db] is shadowed by the project file, naming lost sub-keys', () => {
    const offset = globalToml.indexOf('[db]') + 1;
    const hover = doSecretsFileHover(TextDocument.create('file:///h/.streamlit/secrets.toml', 'streamlit-secrets', 1, globalToml), offset, merged, '/h/.streamlit/secrets.toml', { revealCharacters: 0 });
    const text = (hover!.contents as MarkupContent).value;
    assert.match(text, /^`db` — ✘ replaced by the project file `\.streamlit\/secrets\.toml`: the app never sees this value/);
    assert.match(text, /`db\.port`/);
    noCanary(text);
  });

  test('the project api_key wins and is exported; a key of a file outside the chain says so', () => {
    const document = TextDocument.create('file:///p/.streamlit/secrets.toml', 'streamlit-secrets', 1, projectToml);
    const text = (doSecretsFileHover(document, 2, merged, '/p/.streamlit/secrets.toml', { revealCharacters: 0 })!.contents as MarkupContent).value;
    assert.match(text, /^`api_key` — `str`, ✔ the app reads it from this file/);
    assert.match(text, /os\.environ\["api_key"\]/);
    const outside = (doSecretsFileHover(document, 2, merged, '/elsewhere/secrets.toml', { revealCharacters: 0 })!.contents as MarkupContent).value;
    assert.match(outside, /does not read this file/);
  });
});

describe('revealValue', () => {
  test('merged value from a Python file, the file\'s own value from a shadowed secrets file', () => {
    assert.deepEqual(revealValue(merged, ['db', 'user']), { found: true, text: '"P-SECRET-3"' });
    assert.deepEqual(revealValue(merged, ['db', 'user'], '/h/.streamlit/secrets.toml'), { found: true, text: '"G-SECRET-2"' });
    assert.deepEqual(revealValue(merged, ['db', 'port']), { found: false });
    assert.equal(renderValue(merged.entries.get('servers')!.node), '[{ host = "P-SECRET-2" }]');
  });
});
