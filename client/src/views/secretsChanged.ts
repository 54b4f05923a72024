import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { SecretsChangedNotificationMethod } from '../../../common/protocol';

const events = new WeakMap<LanguageClient, vscode.EventEmitter<void>>();

/**
 * Fires when the server says a secrets or config file changed (`streamlitSecrets/secretsChanged`).
 * The language client keeps ONE handler per notification method, so every client feature that
 * wants this notification must subscribe here rather than call `client.onNotification` itself.
 */
export function onSecretsChanged(client: LanguageClient, extension: vscode.ExtensionContext): vscode.Event<void> {
  let emitter = events.get(client);
  if (emitter === undefined) {
    const created = new vscode.EventEmitter<void>();
    emitter = created;
    events.set(client, created);
    extension.subscriptions.push(created, client.onNotification(SecretsChangedNotificationMethod, () => created.fire()));
  }
  return emitter.event;
}
