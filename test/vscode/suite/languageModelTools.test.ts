// The language model tools as an agent in VS Code calls them (vscode.lm.invokeTool): listed with
// their descriptions, the keys answer for the fixture workspace and a file, the check answer, and no
// fixture value in any of it.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { CheckAnswer, KeysAnswer } from '../../../common/agentTools';
import { activateExtension, fixtureUri, invokeLanguageModelTool, waitFor } from './helpers';

const values = ['fixture-password-123', 'fixture-api-key-456', 'fixture-global-token-789', 'fixture-global-user', 'shadowed-by-project.invalid', 'db.fixture.invalid', 'sqlite:///fixture.db', 'fixture-project'];

function assertNoValue(text: string): void {
  for (const value of values) assert.ok(!text.includes(value), `a tool answer holds the secret value ${value}`);
}

describe('language model tools (vscode.lm)', () => {
  before(async function () {
    await activateExtension();
    const lm = (vscode as { lm?: Partial<typeof vscode.lm> }).lm;
    if (typeof lm?.invokeTool !== 'function' || typeof lm.registerTool !== 'function') {
      // Said out loud, not silently passed: the newest runtime still runs these tests.
      console.log(`VS Code ${vscode.version} has no vscode.lm tools API: the language model tools tests cannot run here`);
      this.skip();
    }
  });

  it('lists both tools with descriptions written for a model', async () => {
    const tools = await waitFor('our tools in vscode.lm.tools', () => {
      const ours = vscode.lm.tools.filter((tool) => tool.name.startsWith('streamlit_secrets_'));
      return ours.length === 2 ? ours : undefined;
    });
    assert.deepEqual(tools.map((tool) => tool.name).sort(), ['streamlit_secrets_check', 'streamlit_secrets_keys']);
    for (const tool of tools) {
      assert.match(tool.description, /never available/);
      assert.match(tool.description, /st\.secrets/);
    }
  });

  it('streamlit_secrets_keys: the app, its chain and every key, names only', async () => {
    const text = (await invokeLanguageModelTool('streamlit_secrets_keys', {}))!;
    assertNoValue(text);
    const answer = JSON.parse(text) as KeysAnswer;
    const app = answer.apps.find((candidate) => candidate.entrypoints.includes(fixtureUri('app.py').fsPath));
    assert.ok(app, `no app for app.py in ${answer.apps.map((candidate) => candidate.entrypoints.join(',')).join('; ')}`);
    assert.deepEqual(app.files.map((file) => [file.label, file.role, file.exists]), [['~/.streamlit/secrets.toml', 'global', true], ['.streamlit/secrets.toml', 'project', true]]);
    const byPath = new Map(app.keys.map((key) => [key.path, key]));
    assert.equal(byPath.get('db.password')!.read, 'st.secrets["db"]["password"]');
    assert.equal(byPath.get('db.password')!.attributeRead, 'st.secrets.db.password');
    assert.equal(byPath.get('db.password')!.file, '.streamlit/secrets.toml');
    assert.equal(byPath.get('db.port')!.pythonType, 'int');
    assert.equal(byPath.get('global_token')!.localOnly, true);
    assert.equal(byPath.get('global_token')!.environmentVariable, true);
    assert.equal(byPath.get('db')!.localOnly, false, 'the project file wins db');
    assert.equal(byPath.get('db.user'), undefined, 'the global db.user is lost in the merge');
    assert.equal(byPath.get('connections.mydb.url')!.type, 'string');
  });

  it('streamlit_secrets_keys for a file, and a path outside the workspace is refused', async () => {
    const text = (await invokeLanguageModelTool('streamlit_secrets_keys', { path: 'pages/1_Report.py' }))!;
    const answer = JSON.parse(text) as KeysAnswer;
    assert.deepEqual(answer.apps.map((app) => app.entrypoints), [[fixtureUri('pages/1_Report.py').fsPath]]);
    const outside = (await invokeLanguageModelTool('streamlit_secrets_keys', { path: '/' }))!;
    assert.match(outside, /is not inside a workspace folder/);
    assertNoValue(text + outside);
  });

  it('streamlit_secrets_check: the diagnostics, with codes and ranges', async () => {
    const text = (await invokeLanguageModelTool('streamlit_secrets_check', {}))!;
    assertNoValue(text);
    const answer = JSON.parse(text) as CheckAnswer;
    assert.equal(answer.summary.errors, answer.diagnostics.filter((item) => item.severity === 'error').length);
    assert.ok(answer.summary.filesChecked >= 3, `checked ${answer.summary.filesChecked} files`);
    for (const item of answer.diagnostics) {
      assert.match(item.code, /^[a-z0-9-]+$/);
      assert.ok(item.line >= 1 && item.column >= 1 && item.endLine >= item.line);
    }
  });
});
