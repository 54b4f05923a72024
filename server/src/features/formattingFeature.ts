import { MessageType, ShowMessageNotification, type TextEdit } from 'vscode-languageserver';
import { formatStreamlitToml } from '../service/formatting';
import { loadTomlFormatter } from '../toml/tomlFormatter';
import type { ServerContext } from '../serverContext';
import type { Feature } from './feature';

/** Formatting is offered for our own languages only: Python is someone else's. */
const formattedLanguages = new Set(['streamlit-secrets', 'streamlit-config']);

/**
 * Format Document / Format Selection for secrets and config files (dprint's TOML plugin), only when the result
 * loads in Streamlit to the same values (service/formatting.ts); otherwise no edit and a message
 * saying why. Edits hold secrets: nothing here logs them (runSafe logs error classes only).
 */
export const formattingFeature: Feature = {
  capabilities: { documentFormattingProvider: true, documentRangeFormattingProvider: true },
  register(context) {
    const format = async (uri: string, range?: Parameters<typeof formatStreamlitToml>[2]): Promise<TextEdit[] | null> => {
      const document = context.documents.get(uri);
      if (document === undefined || !formattedLanguages.has(document.languageId)) return null;
      const formatter = await loadTomlFormatter();
      const outcome = formatStreamlitToml(document, formatter, range);
      if (outcome.notFormatted !== undefined) tell(context, outcome.notFormatted);
      return outcome.edits;
    };
    context.connection.onDocumentFormatting((params, token) =>
      context.runSafe<TextEdit[] | null>('formatting', token, null, () => format(params.textDocument.uri)),
    );
    context.connection.onDocumentRangeFormatting((params, token) =>
      context.runSafe<TextEdit[] | null>('rangeFormatting', token, null, () => format(params.textDocument.uri, params.range)),
    );
  },
};

function tell(context: ServerContext, message: string): void {
  void context.connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message });
}
