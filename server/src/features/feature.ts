import type { ServerCapabilities } from 'vscode-languageserver';
import type { ServerContext } from '../serverContext';

/**
 * One LSP feature: the capabilities it announces and the handlers it registers. Handlers stay
 * thin — get the document and the cached models from the context, call a pure service function.
 */
export interface Feature {
  capabilities?: Partial<ServerCapabilities>;
  register(context: ServerContext): void;
}
