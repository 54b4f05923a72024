import * as os from 'node:os';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { renderMergedSecretsReport } from './mergedSecretsText';
import { fetchSecretsApps } from './secretsApps';

export const REPORT_SCHEME = 'streamlit-secrets-report';
export const REPORT_URI = vscode.Uri.from({ scheme: REPORT_SCHEME, path: '/Merged Secrets Report.txt' });

/**
 * A read-only virtual document with the merged view as text, values masked, paths under the home
 * folder shortened to `~`: something to paste into a bug report. Regenerated whenever it is
 * opened and when the server reports a secrets change while it is open.
 */
export class MergedSecretsReportProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly client: LanguageClient) {}

  async provideTextDocumentContent(): Promise<string> {
    try {
      const apps = await fetchSecretsApps(this.client);
      return renderMergedSecretsReport(
        apps.map(({ app, detail }) => ({ label: app.label, detail })),
        { home: os.homedir(), generated: new Date().toISOString() },
      );
    } catch {
      return 'Streamlit secrets: the language server did not answer. Try again in a moment.';
    }
  }

  /** Regenerate if the report is open. */
  update(): void {
    if (vscode.workspace.textDocuments.some((document) => document.uri.toString() === REPORT_URI.toString())) this.changed.fire(REPORT_URI);
  }

  dispose(): void {
    this.changed.dispose();
  }
}

export function registerMergedSecretsReport(extension: vscode.ExtensionContext, provider: MergedSecretsReportProvider): void {
  extension.subscriptions.push(
    provider,
    vscode.workspace.registerTextDocumentContentProvider(REPORT_SCHEME, provider),
    vscode.commands.registerCommand('streamlitSecrets.showMergedSecretsReport', async () => {
      provider.update();
      const document = await vscode.workspace.openTextDocument(REPORT_URI);
      await vscode.window.showTextDocument(document, { preview: true });
    }),
  );
}
