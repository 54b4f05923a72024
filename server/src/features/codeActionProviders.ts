import { CodeActionKind, type CodeAction, type CodeActionParams, type CancellationToken, type Command } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { ServerContext } from '../serverContext';

/**
 * A source of code actions. LSP allows ONE `textDocument/codeAction` handler per connection, so
 * every feature that offers quick fixes adds a provider here instead of calling
 * `connection.onCodeAction` itself; the first `addCodeActionProvider` installs the one handler,
 * which asks every provider and concatenates their answers (each provider runs through `runSafe`).
 */
export interface CodeActionProvider {
  name: string;
  provide(document: TextDocument, params: CodeActionParams, context: ServerContext, token: CancellationToken): Promise<(CodeAction | Command)[]> | (CodeAction | Command)[];
}

/** Capabilities to announce from a `Feature` that adds a code action provider. */
export const codeActionCapabilities = {
  codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
};

const providersByContext = new WeakMap<ServerContext, CodeActionProvider[]>();

export function addCodeActionProvider(context: ServerContext, provider: CodeActionProvider): void {
  let providers = providersByContext.get(context);
  if (providers === undefined) {
    const list: CodeActionProvider[] = [];
    providers = list;
    providersByContext.set(context, list);
    context.connection.onCodeAction((params, token) =>
      context.runSafe<(CodeAction | Command)[]>('codeAction', token, [], async () => {
        const document = context.documents.get(params.textDocument.uri);
        if (document === undefined) return [];
        const actions: (CodeAction | Command)[] = [];
        for (const each of list) {
          if (token.isCancellationRequested) break;
          actions.push(...(await context.runSafe<(CodeAction | Command)[]>(`codeAction:${each.name}`, undefined, [], () => each.provide(document, params, context, token))));
        }
        return actions;
      }),
    );
  }
  providers.push(provider);
}
