// The language model tools' requests over LSP (streamlitSecrets/agentKeys and agentCheck): what the
// extension hands an agent, from the spawned server: names, types and reads, never a value.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CheckAnswer, KeysAnswer } from '../../common/agentTools';
import type { AgentToolResult } from '../../common/protocol';
import { withProject } from '../helpers/lspProject';

const values = ['AGENTCANARY-token-71c2', 'AGENTCANARY-user-5d0e', 'AGENTCANARY-global-9f3b'];

describe('agent tool requests over LSP', () => {
  test('keys: the app, its chain and every key path with how to read it; check: the diagnostics; never a value', async () => {
    await withProject(
      {
        project: {
          '.streamlit/secrets.toml': `token = "${values[0]}"\n[db]\nuser = "${values[1]}"\n`,
          'app.py': 'import streamlit as st\nst.write(st.secrets.token, st.secrets["missing"])\n',
        },
        home: { '.streamlit/secrets.toml': `from_home = "${values[2]}"\n` },
      },
      async ({ client, project }) => {
        const keys = await client.request<AgentToolResult<KeysAnswer>>('streamlitSecrets/agentKeys', {});
        assert.ok('answer' in keys, JSON.stringify(keys));
        const app = keys.answer.apps[0]!;
        assert.deepEqual(app.entrypoints, [project.path('app.py')]);
        assert.deepEqual(
          app.keys.map((key) => [key.path, key.read, key.attributeRead, key.environmentVariable, key.localOnly]),
          [
            ['from_home', 'st.secrets["from_home"]', 'st.secrets.from_home', true, true],
            ['token', 'st.secrets["token"]', 'st.secrets.token', true, false],
            ['db', 'st.secrets["db"]', 'st.secrets.db', false, false],
            ['db.user', 'st.secrets["db"]["user"]', 'st.secrets.db.user', false, false],
          ],
        );
        const check = await client.request<AgentToolResult<CheckAnswer>>('streamlitSecrets/agentCheck', { path: 'app.py' });
        assert.ok('answer' in check, JSON.stringify(check));
        assert.deepEqual(check.answer.diagnostics.map((item) => [item.line, item.code]), [[2, 'missing-key']]);
        const outside = await client.request<AgentToolResult<KeysAnswer>>('streamlitSecrets/agentKeys', { path: '/' });
        assert.deepEqual(outside, { error: '/ is not inside a workspace folder' });
        const missing = await client.request<AgentToolResult<KeysAnswer>>('streamlitSecrets/agentKeys', { path: 'nowhere.py' });
        assert.ok('error' in missing && /no such file or folder/.test(missing.error));
        const everything = JSON.stringify([keys, check, outside, missing]);
        for (const value of values) assert.ok(!everything.includes(value), `an answer holds ${value}`);
      },
    );
  });
});
