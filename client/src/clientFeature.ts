import type * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';

/** What a client feature gets: the extension context and the running language client. */
export interface ClientFeatureContext {
  extension: vscode.ExtensionContext;
  client: LanguageClient;
  /** The extension's output channel: never write a secret value to it. */
  output: vscode.OutputChannel;
}

/**
 * One client-side feature (commands, a view, editor decorations): registers what it needs and
 * pushes its disposables to `extension.subscriptions`. It may return an API object for tests.
 */
export type ClientFeature = (context: ClientFeatureContext) => void | Record<string, unknown> | Promise<void | Record<string, unknown>>;
