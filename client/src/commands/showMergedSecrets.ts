import * as vscode from 'vscode';
import type { ClientFeature } from '../clientFeature';
import { MergedSecretsReportProvider, registerMergedSecretsReport } from '../views/mergedSecretsReport';
import { MERGED_VIEW_ID, MergedSecretsTreeProvider, registerMergedSecretsView } from '../views/mergedSecretsView';
import { onSecretsChanged } from '../views/secretsChanged';
import { registerRevealValue } from './revealValue';

/**
 * The "which file won" view, its commands (show, refresh), the masked report and the reveal
 * command. Everything refreshes when the server reports a secrets change.
 */
export const mergedSecretsFeature: ClientFeature = ({ extension, client }) => {
  const provider = new MergedSecretsTreeProvider(client);
  const treeView = registerMergedSecretsView(extension, provider);
  const report = new MergedSecretsReportProvider(client);
  registerMergedSecretsReport(extension, report);
  const reveal = registerRevealValue(extension, client);

  extension.subscriptions.push(
    onSecretsChanged(client, extension)(() => {
      provider.refreshSoon();
      report.update();
    }),
    vscode.commands.registerCommand('streamlitSecrets.showMergedSecrets', async () => {
      await vscode.commands.executeCommand(`${MERGED_VIEW_ID}.focus`);
    }),
    vscode.commands.registerCommand('streamlitSecrets.refreshMergedSecrets', () => {
      provider.refresh(true);
      report.update();
    }),
  );

  return { mergedSecretsView: { provider, treeView }, ...reveal };
};
