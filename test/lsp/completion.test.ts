import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { LspTestClient, fileUri, withCursor } from '../helpers/lspClient';
import { TempTree } from '../helpers/tempProject';
import { requestAt, startProject, type LspProject } from '../helpers/lspProject';

const globalSecrets = `
global_only = "g-canary-1"
[db]
user = "g-canary-2"
port = 5432
[connections.warehouse]
type = "snowflake"
account = "g-canary-3"
`;

const projectSecrets = `
api_key = "p-canary-1"
"my-key" = "p-canary-2"
items = "p-canary-3"
debug = true
[db]
user = "p-canary-4"
password = "p-canary-5"
[db.options]
sslmode = "p-canary-6"
`;

const canaries = ['g-canary-1', 'g-canary-2', 'g-canary-3', 'p-canary-1', 'p-canary-2', 'p-canary-3', 'p-canary-4', 'p-canary-5', 'p-canary-6'];

describe('completion over LSP (spawned server)', () => {
  let home: TempTree;
  let project: TempTree;
  let client: LspTestClient;
  let lsp: LspProject;

  before(async () => {
    lsp = await startProject({
      home: { '.streamlit/secrets.toml': globalSecrets },
      project: { '.streamlit/secrets.toml': projectSecrets, 'app.py': 'import streamlit as st\n' },
    });
    ({ client, home, project } = lsp);
  });

  after(() => lsp.dispose());

  let counter = 0;
  async function complete(marked: string, file = `page${counter++}.py`): Promise<{ labels: string[]; items: Awaited<ReturnType<LspTestClient['completion']>>; text: string }> {
    const items = await requestAt(client, project.path(file), marked, (uri, position) => client.completion(uri, position));
    return { labels: items.map((item) => item.label), items, text: withCursor(marked).text };
  }

  test('st.secrets. offers the merged top-level keys of both files', async () => {
    const { labels } = await complete('import streamlit as st\nst.secrets.|');
    for (const key of ['global_only', 'db', 'connections', 'api_key', 'debug']) assert.ok(labels.includes(key), `${key} in ${labels}`);
  });

  test('keys attribute access cannot reach are offered as ["key"] and the edit rewrites the access', async () => {
    const { items, text } = await complete('import streamlit as st\nx = st.secrets.|');
    const dashed = items.find((item) => item.label === '["my-key"]');
    const reserved = items.find((item) => item.label === '["items"]');
    assert.ok(dashed && reserved, items.map((i) => i.label).join(','));
    const edit = dashed.textEdit as { range: { start: { character: number }; end: { character: number } }; newText: string };
    assert.equal(edit.newText, '["my-key"]');
    const line = text.split('\n')[1]!;
    assert.equal(line.slice(edit.range.start.character, edit.range.end.character), '.');
    assert.ok(!items.some((item) => item.label === 'my-key' || item.label === 'items'));
  });

  test('nested tables: st.secrets.db. and st.secrets["db"][" — the project [db] hides the global one', async () => {
    const attr = await complete('import streamlit as st\nst.secrets.db.|');
    assert.deepEqual(attr.labels.sort(), ['options', 'password', 'user']);
    const sub = await complete('import streamlit as st\nst.secrets["db"]["|');
    assert.deepEqual(sub.labels.sort(), ['options', 'password', 'user']);
    const mixed = await complete("import streamlit as st\nst.secrets.db['|']");
    assert.deepEqual(mixed.labels.sort(), ['options', 'password', 'user']);
    const deep = await complete('import streamlit as st\nst.secrets.db.options.|');
    assert.deepEqual(deep.labels, ['sslmode']);
  });

  test('string forms at the root: ["  [\'  .get("', async () => {
    for (const marked of ['st.secrets["|', "st.secrets['|", 'st.secrets.get("|']) {
      const { labels } = await complete(`import streamlit as st\nvalue = ${marked}`);
      for (const key of ['my-key', 'items', 'api_key', 'db']) assert.ok(labels.includes(key), `${marked}: ${key} in ${labels}`);
    }
  });

  test('an unterminated string gets its closing quote; an auto-closed one does not', async () => {
    const open = await complete('import streamlit as st\nst.secrets["|');
    const api = open.items.find((item) => item.label === 'api_key')!;
    assert.equal((api.textEdit as { newText: string }).newText, 'api_key"');
    const closed = await complete('import streamlit as st\nst.secrets["|"]');
    const api2 = closed.items.find((item) => item.label === 'api_key')!;
    assert.equal((api2.textEdit as { newText: string }).newText, 'api_key');
  });

  test('aliases and import forms', async () => {
    for (const source of [
      'import streamlit as stl\nstl.secrets.|',
      'import streamlit\nstreamlit.secrets.|',
      'from streamlit import secrets\nsecrets.|',
      'from streamlit import secrets as s\ns.|',
    ]) {
      const { labels } = await complete(source);
      assert.ok(labels.includes('api_key'), `${source} → ${labels}`);
    }
  });

  test('os.environ / os.getenv offer only the root keys Streamlit exports', async () => {
    for (const marked of ['os.environ["|', 'os.environ.get("|', 'os.getenv("|']) {
      const { labels } = await complete(`import os\nimport streamlit as st\n${marked}`);
      assert.ok(labels.includes('api_key') && labels.includes('global_only'), `${marked}: ${labels}`);
      assert.ok(!labels.includes('db') && !labels.includes('debug'), `${marked}: tables and booleans are not exported: ${labels}`);
    }
  });

  test('st.connection(" offers [connections.*] names plus sql and snowflake', async () => {
    const { labels } = await complete('import streamlit as st\nconn = st.connection("|');
    assert.deepEqual(labels.sort(), ['snowflake', 'sql', 'warehouse']);
  });

  test('no completion in comments, unrelated strings, or on other objects', async () => {
    for (const marked of [
      'import streamlit as st\n# st.secrets.|',
      'import streamlit as st\nprint("st.secrets[|")',
      'import streamlit as st\nother.secrets.|',
      'st.secrets.|',
    ]) {
      const { items } = await complete(marked);
      assert.equal(items.length, 0, `${JSON.stringify(marked)} gave ${items.map((i) => i.label)}`);
    }
  });

  test('items show type and file, never a value', async () => {
    const { items } = await complete('import streamlit as st\nst.secrets.|');
    const api = items.find((item) => item.label === 'api_key')!;
    assert.match(api.detail ?? '', /^str · project file \.streamlit\/secrets\.toml$/);
    assert.deepEqual(api.labelDetails, { detail: ' str', description: '.streamlit/secrets.toml' }, 'type and file on every row');
    // Sorted by key name (a key attribute access cannot reach is offered as `["key"]`), not by merge order.
    const keyOf = (label: string): string => label.replace(/^\["(.*)"\]$/, '$1');
    const bySortText = [...items].sort((a, b) => a.sortText!.localeCompare(b.sortText!)).map((item) => keyOf(item.label));
    const byName = items.map((item) => keyOf(item.label)).sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : a < b ? -1 : 1));
    assert.deepEqual(bySortText, byName, 'sorted by name');
    const global = items.find((item) => item.label === 'global_only')!;
    assert.match(global.detail ?? '', /~\/\.streamlit\/secrets\.toml/);
    const everything = JSON.stringify(items);
    for (const canary of canaries) assert.ok(!everything.includes(canary), `${canary} leaked into completion items`);
  });

  test('unsaved edits of an open secrets file count, and closing it falls back to the disk', async () => {
    const secretsUri = await client.open(project.path('.streamlit/secrets.toml'), `fresh_key = "x"\n${projectSecrets}`);
    const { labels } = await complete('import streamlit as st\nst.secrets.|');
    assert.ok(labels.includes('fresh_key'));
    await client.close(secretsUri);
    const after = await complete('import streamlit as st\nst.secrets.|');
    assert.ok(!after.labels.includes('fresh_key'));
  });

  test('files changed, created and deleted on disk are picked up without a reload (global file too)', async () => {
    const probe = async (key: string, present: boolean): Promise<void> => {
      await client.poll(async () => {
        const { labels } = await complete('import streamlit as st\nst.secrets.|');
        return labels.includes(key) === present;
      }, 10000, `${key} ${present ? 'to appear' : 'to vanish'}`);
    };
    fs.writeFileSync(home.path('.streamlit/secrets.toml'), `added_globally = 1\n${globalSecrets}`);
    await probe('added_globally', true);
    fs.rmSync(project.path('.streamlit/secrets.toml'));
    await probe('api_key', false);
    fs.writeFileSync(project.path('.streamlit/secrets.toml'), 'recreated = "r"\n');
    await probe('recreated', true);
  });
});

describe('multi-root and app folders (spawned server)', () => {
  test('each workspace folder and each app folder has its own chain', async () => {
    const home = new TempTree({});
    const first = new TempTree({ '.streamlit/secrets.toml': 'first_key = 1\n' });
    const second = new TempTree({
      '.streamlit/secrets.toml': 'second_key = 1\n',
      'apps/shop/.streamlit/secrets.toml': 'shop_key = 1\n',
      'apps/shop/app.py': '',
    });
    const client = await LspTestClient.start({ folders: [first.root, second.root], home: home.root });
    try {
      const labelsAt = async (file: string): Promise<string[]> => {
        const items = await requestAt(client, file, 'import streamlit as st\nst.secrets.|', (uri, position) => client.completion(uri, position));
        return items.map((item) => item.label).sort();
      };
      assert.deepEqual(await labelsAt(first.path('a.py')), ['first_key']);
      assert.deepEqual(await labelsAt(second.path('b.py')), ['second_key']);
      assert.deepEqual(await labelsAt(second.path('apps/shop/app.py')), ['second_key', 'shop_key']);
      assert.deepEqual(await labelsAt(second.path('apps/shop/pages/1_orders.py')), ['second_key', 'shop_key']);
      assert.equal(fileUri(first.root).startsWith('file://'), true);
    } finally {
      await client.stop();
      home.dispose();
      first.dispose();
      second.dispose();
    }
  });
});
