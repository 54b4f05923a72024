// Which Streamlit the user runs and how, over the real protocol (spawned server): st.App(secrets=…)
// as the last source of an app's chain (literal and not), the version from a workspace .venv or a
// lockfile pin gating the chain, and a launch.json deciding $CWD, the entrypoint and secrets.files.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DefinitionRequest,
  DiagnosticSeverity,
  HoverRequest,
  type Diagnostic,
  type Hover,
  type Location,
  type MarkupContent,
} from 'vscode-languageserver-protocol';
import { MergedSecretsDetailRequestMethod, type MergedSecretsDetailResult } from '../../common/protocol';
import { fileUri, withCursor } from '../helpers/lspClient';
import { withProject, type LspProject } from '../helpers/lspProject';

const canary = 'app-canary-value-41';

async function detailOf(lsp: LspProject, relative: string): Promise<MergedSecretsDetailResult> {
  return lsp.client.request<MergedSecretsDetailResult>(MergedSecretsDetailRequestMethod, { uri: fileUri(lsp.project.path(relative)) });
}

async function diagnosticsOf(lsp: LspProject, relative: string, text: string): Promise<Diagnostic[]> {
  const uri = await lsp.client.open(lsp.project.path(relative), text);
  return lsp.client.waitFor(() => lsp.client.diagnostics.get(uri), 10000, `diagnostics of ${relative}`);
}

describe('st.App(secrets=…) over LSP', () => {
  const appFile = [
    'import streamlit as st',
    '',
    'app = st.App(',
    '    "dashboard.py",',
    `    secrets={"api": {"token": "${canary}", "retries": 3}, "region": "eu"},`,
    ')',
    '',
  ].join('\n');

  test('a literal dict is the last source: completion, hover naming main.py:3, no definition into the unmasked App file, no missing-key error, the view', async () => {
    await withProject(
      { project: { 'main.py': appFile, 'dashboard.py': '', '.streamlit/secrets.toml': 'region = "file"\nfile_only = 1\n' } },
      async (lsp) => {
        const { client } = lsp;
        const diagnostics = await diagnosticsOf(lsp, 'dashboard.py', 'import streamlit as st\nst.secrets.api.token\nst.secrets.region\nst.secrets.file_only\nst.secrets.nope\n');
        const errors = diagnostics.filter((d) => d.severity === DiagnosticSeverity.Error);
        assert.deepEqual(errors.map((d) => d.range.start.line), [4], JSON.stringify(diagnostics));

        const { text, position } = withCursor('import streamlit as st\nst.secrets.api.to|ken\n');
        const page = lsp.project.path('pages/one.py');
        const uri = await client.open(page, text);
        const hover = await client.request<Hover | null>(HoverRequest.method, { textDocument: { uri }, position });
        const hoverText = (hover?.contents as MarkupContent).value;
        assert.match(hoverText, /st\.App\(secrets=…\) in main\.py:3/);
        assert.ok(!hoverText.includes(canary), hoverText);
        // The literal's line would be drawn unmasked in Peek's list: the hover names the place instead.
        const definition = await client.request<Location[] | Location | null>(DefinitionRequest.method, { textDocument: { uri }, position });
        assert.equal(definition, null);
        const fromFile = withCursor('import streamlit as st\nst.secrets.file_o|nly\n');
        const fileUriOpened = await client.open(lsp.project.path('pages/two.py'), fromFile.text);
        const toFile = await client.request<Location[] | Location | null>(DefinitionRequest.method, { textDocument: { uri: fileUriOpened }, position: fromFile.position });
        assert.equal((Array.isArray(toFile) ? toFile[0] : toFile)?.uri, fileUri(lsp.project.path('.streamlit/secrets.toml')));

        const items = await client.completion(uri, { line: 1, character: 'st.secrets.'.length });
        assert.ok(items.some((item) => item.label === 'api'), items.map((item) => item.label).join(','));
        assert.ok(!JSON.stringify(items).includes(canary));

        const detail = await detailOf(lsp, 'dashboard.py');
        const region = detail.entries.find((entry) => entry.key === 'region');
        assert.equal(region?.winner, lsp.project.path('main.py'));
        assert.deepEqual(region?.shadowed, [lsp.project.path('.streamlit/secrets.toml')]);
        assert.equal(detail.files.at(-1)?.role, 'programmatic');
        assert.equal(detail.files.at(-1)?.label, 'st.App(secrets=…) in main.py:3');
        assert.ok(!JSON.stringify(detail).includes(canary));
      },
    );
  });

  test('secrets= that is not a literal: the view says so and missing keys are information, not errors', async () => {
    await withProject(
      {
        project: {
          'main.py': 'import streamlit as st\nfrom config import load_secrets\napp = st.App("dashboard.py", secrets=load_secrets())\n',
          'dashboard.py': '',
          '.streamlit/secrets.toml': 'region = "file"\n',
        },
      },
      async (lsp) => {
        const diagnostics = await diagnosticsOf(lsp, 'dashboard.py', 'import streamlit as st\nst.secrets.anything\n');
        assert.ok(diagnostics.length > 0);
        assert.ok(diagnostics.every((d) => d.severity === DiagnosticSeverity.Information), JSON.stringify(diagnostics));
        const detail = await detailOf(lsp, 'dashboard.py');
        assert.match(detail.files.at(-1)?.error ?? '', /st\.App\(secrets=…\) is not given a literal dict/);
      },
    );
  });

  const listApp = 'import streamlit as st\napp = st.App("dashboard.py", secrets={"hosts": ["h"]})\n';
  test('1.58 (pinned): a list in secrets= is a warning in the App file; the script reading it gets no error', async () => {
    await withProject(
      { project: { 'main.py': listApp, 'dashboard.py': '', 'requirements.txt': 'streamlit==1.58.0\n', '.streamlit/secrets.toml': 'x = 1\n' } },
      async (lsp) => {
        const inApp = await diagnosticsOf(lsp, 'main.py', listApp);
        assert.deepEqual(inApp.map((d) => [d.code, d.severity, d.range.start.line]), [['programmatic-list', DiagnosticSeverity.Warning, 1]]);
        const inScript = await diagnosticsOf(lsp, 'dashboard.py', 'import streamlit as st\nst.secrets.hosts\n');
        assert.deepEqual(inScript.filter((d) => d.severity === DiagnosticSeverity.Error), []);
      },
    );
  });

  test('before 1.57 (a pinned older Streamlit) st.App secrets are not modelled', async () => {
    await withProject(
      { project: { 'main.py': appFile, 'dashboard.py': '', 'requirements.txt': 'streamlit==1.56.0\n', '.streamlit/secrets.toml': 'x = 1\n' } },
      async (lsp) => {
        const detail = await detailOf(lsp, 'dashboard.py');
        assert.ok(!detail.files.some((file) => file.role === 'programmatic'));
        assert.match(detail.streamlitVersion ?? '', /^1\.56\.0 \(pinned in requirements\.txt\)/);
      },
    );
  });
});

describe('the Streamlit version over LSP', () => {
  test('a workspace .venv with a dist-info: shown with its source, and 1.45 reads no entrypoint-folder file', async () => {
    await withProject(
      {
        project: {
          '.venv/lib/python3.12/site-packages/streamlit-1.45.1.dist-info/METADATA': 'Name: streamlit\n',
          'apps/shop/app.py': '',
          'apps/shop/.streamlit/secrets.toml': 'shop_key = 1\n',
          '.streamlit/secrets.toml': 'root_key = 1\n',
        },
      },
      async (lsp) => {
        const detail = await detailOf(lsp, 'apps/shop/app.py');
        assert.equal(detail.streamlitVersion, '1.45.1 (installed in the virtual environment .venv)');
        assert.deepEqual(detail.files.map((file) => file.role), ['global', 'project']);
        const diagnostics = await diagnosticsOf(lsp, 'apps/shop/app.py', 'import streamlit as st\nst.secrets.shop_key\n');
        assert.ok(diagnostics.some((d) => d.severity === DiagnosticSeverity.Error && /shop_key/.test(d.message)), JSON.stringify(diagnostics));
      },
    );
  });

  test('a uv.lock pin; the setting overrides it', async () => {
    const project = { 'uv.lock': 'version = 1\n[[package]]\nname = "streamlit"\nversion = "1.20.0"\n', 'app.py': '' };
    await withProject({ home: { '.streamlit/secrets.toml': 'g = 1\n' }, project }, async (lsp) => {
      const detail = await detailOf(lsp, 'app.py');
      assert.equal(detail.streamlitVersion, '1.20.0 (pinned in uv.lock)');
      assert.deepEqual(detail.files.map((file) => file.role), ['project']);
    });
    await withProject({ project, settings: { streamlitVersion: '1.46' } }, async (lsp) => {
      assert.equal((await detailOf(lsp, 'app.py')).streamlitVersion, '1.46.0 (from the setting streamlitSecrets.streamlitVersion)');
    });
  });
});

describe('launch.json over LSP', () => {
  test('cwd, args (--secrets.files) and env decide the chain; configurations that disagree are all shown, the first used', async () => {
    const launch = `{
      // the user's run configurations
      "version": "0.2.0",
      "configurations": [
        {
          "name": "Shop",
          "type": "debugpy",
          "request": "launch",
          "module": "streamlit",
          "cwd": "\${workspaceFolder}/services",
          "args": ["run", "../apps/shop.py", "--secrets.files", "conf/shop.toml"],
        },
        {
          "name": "Shop via env",
          "type": "debugpy",
          "request": "launch",
          "module": "streamlit",
          "args": ["run", "apps/shop.py"],
          "env": { "STREAMLIT_SECRETS_FILES": "services/conf/other.toml" },
        },
      ],
    }`;
    await withProject(
      {
        project: {
          '.vscode/launch.json': launch,
          'apps/shop.py': '',
          'services/conf/shop.toml': 'shop_token = "x"\n',
          'services/conf/other.toml': 'other_token = "y"\n',
          '.streamlit/secrets.toml': 'root_only = 1\n',
        },
      },
      async (lsp) => {
        const detail = await detailOf(lsp, 'apps/shop.py');
        assert.equal(detail.cwd, lsp.project.path('services'));
        assert.deepEqual(detail.files.map((file) => file.path), [lsp.project.path('services/conf/shop.toml')]);
        assert.deepEqual(detail.runConfigurations?.map((run) => [run.name, run.used, run.secretsFiles]), [
          ['Shop', true, ['conf/shop.toml']],
          ['Shop via env', false, ['services/conf/other.toml']],
        ]);
        const diagnostics = await diagnosticsOf(lsp, 'apps/shop.py', 'import streamlit as st\nst.secrets.shop_token\nst.secrets.root_only\n');
        assert.deepEqual(diagnostics.filter((d) => d.severity === DiagnosticSeverity.Error).map((d) => d.range.start.line), [2]);
      },
    );
  });
});

describe('st.secrets.merge_programmatic_secrets(…) over LSP', () => {
  const authFile = [
    'import streamlit as st',
    '',
    'def install():',
    `    st.secrets.merge_programmatic_secrets({"auth": {"redirect_uri": "https://app.example/oauth2callback", "cookie_secret": "${canary}", "client_id": "c", "client_secret": "s", "server_metadata_url": "https://id.example/.well-known/openid-configuration"}, "api_key": "k"})`,
    '',
  ].join('\n');

  test('a literal call in another file of the folder: its keys exist, st.login() is configured, the method is no key, values stay masked', async () => {
    await withProject(
      { project: { 'auth.py': authFile, '.streamlit/secrets.toml': 'region = "file"\n' } },
      async (lsp) => {
        const diagnostics = await diagnosticsOf(
          lsp,
          'app.py',
          'import streamlit as st\nfrom auth import install\ninstall()\nst.login()\nst.write(st.secrets["api_key"], st.secrets.region)\nst.secrets.nope\n',
        );
        const errors = diagnostics.filter((d) => d.severity === DiagnosticSeverity.Error);
        assert.deepEqual(errors.map((d) => [d.range.start.line, d.code]), [[5, 'missing-key']], JSON.stringify(diagnostics));
        const detail = await detailOf(lsp, 'app.py');
        assert.equal(detail.files.at(-1)?.role, 'runtime');
        assert.equal(detail.files.at(-1)?.label, 'st.secrets.merge_programmatic_secrets(…) in auth.py:4');
        assert.equal(detail.entries.find((entry) => entry.key === 'api_key')?.winner, lsp.project.path('auth.py'));
        assert.ok(!JSON.stringify(detail).includes(canary));
        const { text, position } = withCursor('import streamlit as st\nst.secrets.auth.cookie_se|cret\n');
        const uri = await lsp.client.open(lsp.project.path('page.py'), text);
        const hover = await lsp.client.request<Hover | null>(HoverRequest.method, { textDocument: { uri }, position });
        const hoverText = (hover?.contents as MarkupContent).value;
        assert.match(hoverText, /merge_programmatic_secrets\(…\) in auth\.py:4/);
        assert.ok(!hoverText.includes(canary), hoverText);
      },
    );
  });

  test('values read at runtime (os.environ): what is under its keys is unknowable (information); other keys stay certain', async () => {
    await withProject(
      { project: { 'auth.py': 'import os\nimport streamlit as st\nst.secrets.merge_programmatic_secrets({"auth": {"client_id": os.environ["CLIENT_ID"]}})\n' } },
      async (lsp) => {
        const diagnostics = await diagnosticsOf(lsp, 'app.py', 'import streamlit as st\nimport auth\nst.login()\nst.secrets.auth.cookie_secret\nst.secrets.api_key\n');
        const byLine = new Map(diagnostics.map((d) => [d.range.start.line, d]));
        assert.equal(byLine.get(2)?.severity, DiagnosticSeverity.Information, JSON.stringify(diagnostics));
        assert.equal(byLine.get(3)?.severity, DiagnosticSeverity.Information, JSON.stringify(diagnostics));
        assert.match(byLine.get(3)?.message ?? '', /merge_programmatic_secrets\(…\) in auth\.py:3 is not given a literal dict and may define it/);
        assert.equal(byLine.get(4)?.severity, DiagnosticSeverity.Error, JSON.stringify(diagnostics));
        assert.doesNotMatch(byLine.get(4)?.message ?? '', /may define it/);
      },
    );
  });

  test('a dict that is not written out (load()): any key may exist, so missing keys are information', async () => {
    await withProject(
      { project: { 'auth.py': 'import streamlit as st\nfrom vault import load\nst.secrets.merge_programmatic_secrets(load())\n' } },
      async (lsp) => {
        const diagnostics = await diagnosticsOf(lsp, 'app.py', 'import streamlit as st\nimport auth\nst.secrets.api_key\n');
        assert.deepEqual(diagnostics.map((d) => d.severity), [DiagnosticSeverity.Information], JSON.stringify(diagnostics));
      },
    );
  });
});
