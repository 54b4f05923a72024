import { TextDocument } from 'vscode-languageserver-textdocument';
import { rememberRecentByText } from '../toml/recentByText';

/**
 * Offset → position conversion for a secrets file's text, shared per text: the line table is built
 * once, not once per diagnostic or location (one re-check of a large app may ask thousands of times).
 */
export const positionsOfText: (text: string) => Pick<TextDocument, 'positionAt' | 'offsetAt'> = rememberRecentByText(
  (text) => TextDocument.create('file:///positions', 'plaintext', 0, text),
  { size: 4, maxLength: 8 * 1024 * 1024 },
);
