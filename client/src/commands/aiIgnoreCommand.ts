import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ClientFeature } from '../clientFeature';
import { addToAiIgnore } from '../files/addToAiIgnore';

export const AddToAiIgnoreCommand = 'streamlitSecrets.addToAiIgnore';

/** The quick fix of `ai-ignore-missing`: adds the server's line to the existing ignore file. */
export async function addToAiIgnoreCommand(args: { ignoreFile?: string; line?: string } = {}): Promise<boolean | undefined> {
  if (typeof args.ignoreFile !== 'string' || typeof args.line !== 'string') return undefined;
  try {
    const changed = await addToAiIgnore(args.ignoreFile, args.line);
    void vscode.window.showInformationMessage(changed ? `Added ${args.line} to ${path.basename(args.ignoreFile)}.` : `${path.basename(args.ignoreFile)} already has ${args.line}.`);
    return changed;
  } catch (error) {
    void vscode.window.showErrorMessage((error as Error).message);
    return undefined;
  }
}

export const aiIgnoreCommandFeature: ClientFeature = ({ extension }) => {
  extension.subscriptions.push(vscode.commands.registerCommand(AddToAiIgnoreCommand, (args?: { ignoreFile?: string; line?: string }) => addToAiIgnoreCommand(args ?? {})));
};
