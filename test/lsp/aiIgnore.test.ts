// AI tools' ignore files over LSP: an information on a project secrets file that an existing ignore
// file does not cover, its quick fix, nothing for a tool without a file, and the severity setting.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CodeActionRequest, DiagnosticSeverity, type CodeAction, type Diagnostic } from 'vscode-languageserver-protocol';
import { withProject } from '../helpers/lspProject';

const secrets = 'api_key = "ai-ignore-canary-4e1d"\n';
const aiCodes = (list: Diagnostic[] | undefined): Diagnostic[] => (list ?? []).filter((d) => d.code === 'ai-ignore-missing');

describe('AI ignore files over LSP', () => {
  test('an uncovering .cursorignore: information and a quick fix with the line; a covering .aiignore and an absent .aiexclude: nothing', async () => {
    await withProject(
      { project: { '.streamlit/secrets.toml': secrets, '.cursorignore': 'node_modules/\n', '.aiignore': '.streamlit/\n', '.gitignore': '.streamlit/secrets.toml\n' } },
      async ({ client, project }) => {
        const file = project.path('.streamlit/secrets.toml');
        const uri = await client.open(file, secrets);
        const found = await client.waitFor(() => {
          const list = aiCodes(client.diagnostics.get(uri));
          return list.length > 0 ? list : undefined;
        }, 15000, 'ai-ignore diagnostics');
        assert.equal(found.length, 1);
        assert.equal(found[0]!.severity, DiagnosticSeverity.Information);
        assert.match(found[0]!.message, /^Cursor .*\.cursorignore does not exclude it\.$/);
        assert.ok(!found[0]!.message.includes('canary'));
        const actions = await client.request<CodeAction[]>(CodeActionRequest.method, { textDocument: { uri }, range: found[0]!.range, context: { diagnostics: found } });
        const fix = actions.find((action) => action.command?.command === 'streamlitSecrets.addToAiIgnore');
        assert.ok(fix, JSON.stringify(actions));
        assert.equal(fix.title, 'Add /.streamlit/secrets.toml to .cursorignore');
        assert.deepEqual(fix.command!.arguments, [{ ignoreFile: project.path('.cursorignore'), line: '/.streamlit/secrets.toml' }]);
      },
    );
  });

  test('the setting turns it off', async () => {
    await withProject(
      { project: { '.streamlit/secrets.toml': secrets, '.cursorignore': '' }, settings: { diagnostics: { aiIgnore: 'off' } } },
      async ({ client, project }) => {
        const uri = await client.open(project.path('.streamlit/secrets.toml'), secrets);
        await client.waitFor(() => client.diagnostics.get(uri), 15000, 'diagnostics');
        await new Promise((resolve) => setTimeout(resolve, 500));
        assert.deepEqual(aiCodes(client.diagnostics.get(uri)), []);
      },
    );
  });
});
