import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { RevealValueRequestMethod, type RevealValueParams, type RevealValueResult } from '../../../common/protocol';

/**
 * Shows a revealed value once. The default is a modal dialog with a Copy button: nothing is
 * written to an output channel, a log, a notification that stays in the notification centre, or
 * any state. Tests replace it (a modal dialog would block them).
 */
export type RevealPresenter = (keyPath: string, text: string) => Promise<void>;

const modalPresenter: RevealPresenter = async (keyPath, text) => {
  const copy = 'Copy';
  const choice = await vscode.window.showWarningMessage(`Value of ${keyPath}`, { modal: true, detail: text }, copy);
  if (choice === copy) await vscode.env.clipboard.writeText(text);
};

/** `{ uri, path }` from a view item (its `reveal`), a hover link's JSON, or a direct call. */
export function revealParams(argument: unknown): RevealValueParams | undefined {
  const candidate = (argument !== null && typeof argument === 'object' && 'reveal' in argument ? (argument as { reveal: unknown }).reveal : argument) as
    | { uri?: unknown; path?: unknown }
    | undefined;
  if (candidate === null || typeof candidate !== 'object') return undefined;
  const { uri, path } = candidate;
  if (typeof uri !== 'string' || uri === '' || !Array.isArray(path) || path.length === 0) return undefined;
  if (!path.every((segment): segment is string => typeof segment === 'string')) return undefined;
  return { uri, path };
}

function dottedPath(path: readonly string[]): string {
  return path.map((segment) => (/^[A-Za-z0-9_-]+$/.test(segment) ? segment : JSON.stringify(segment))).join('.');
}

export interface RevealValueApi {
  /** Tests: show revealed values through `presenter` instead of a modal dialog; `undefined` restores it. */
  setRevealPresenter(presenter: RevealPresenter | undefined): void;
}

/**
 * `streamlitSecrets.revealValue`: asks the server for one value, only on this explicit request,
 * and shows it once. The value lives in this function's locals only.
 */
export function registerRevealValue(extension: vscode.ExtensionContext, client: LanguageClient): RevealValueApi {
  let presenter = modalPresenter;
  extension.subscriptions.push(
    vscode.commands.registerCommand('streamlitSecrets.revealValue', async (argument: unknown) => {
      const params = revealParams(argument);
      if (params === undefined) {
        void vscode.window.showInformationMessage('Choose a key to reveal in the Streamlit Secrets view (or from a hover).');
        return;
      }
      let result: RevealValueResult;
      try {
        result = await client.sendRequest<RevealValueResult>(RevealValueRequestMethod, params);
      } catch {
        // The error may carry the request; say nothing about its content.
        void vscode.window.showErrorMessage('Streamlit Secrets: the value could not be revealed.');
        return;
      }
      if (!result.found || result.text === undefined) {
        void vscode.window.showInformationMessage(`Streamlit Secrets: ${dottedPath(params.path)} is not in the secrets Streamlit loads.`);
        return;
      }
      await presenter(dottedPath(params.path), result.text);
    }),
  );
  return {
    setRevealPresenter(replacement) {
      presenter = replacement ?? modalPresenter;
    },
  };
}
