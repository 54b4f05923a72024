import { TextDocuments, type TextDocumentContentChangeEvent } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { createPythonSource, updatePythonSource, type PythonSource, type PythonSourceEdit } from './python/pythonSource';

/** The edits of the last update of each document, as offsets, for incremental re-parsing. */
const lastEdits = new WeakMap<TextDocument, PythonSourceEdit[] | undefined>();

/**
 * Open documents, synchronised incrementally. The update hook records each batch of edits as
 * offsets in the text they applied to, so the Python parser can reuse the previous tree.
 */
export function createDocuments(): TextDocuments<TextDocument> {
  return new TextDocuments<TextDocument>({
    create: (uri, languageId, version, content) => TextDocument.create(uri, languageId, version, content),
    update: (document, changes: TextDocumentContentChangeEvent[], version) => {
      // Only Python documents are re-parsed incrementally; for others, offsets are not needed.
      const edits: PythonSourceEdit[] | undefined = isPythonDocument(document) ? [] : undefined;
      // Offsets of a change are in the text the previous changes of the batch produced: a
      // scratch copy follows the batch only when there is more than one change.
      let scratch: TextDocument = document;
      for (const [index, change] of changes.entries()) {
        if (edits === undefined) break;
        if (!('range' in change)) break; // a full replacement: parse afresh
        edits.push({ start: scratch.offsetAt(change.range.start), end: scratch.offsetAt(change.range.end), text: change.text });
        if (index < changes.length - 1) {
          if (scratch === document) scratch = TextDocument.create(document.uri, document.languageId, document.version, document.getText());
          scratch = TextDocument.update(scratch, [change], scratch.version + 1);
        }
      }
      const incremental = edits !== undefined && edits.length === changes.length;
      const updated = TextDocument.update(document, changes, version);
      lastEdits.set(updated, incremental ? edits : undefined);
      return updated;
    },
  });
}

/** Python syntax trees per open document, parsed once per version (incrementally when possible). */
export class PythonSources {
  private readonly sources = new Map<string, { version: number; source: PythonSource }>();

  get(document: TextDocument): PythonSource {
    const cached = this.sources.get(document.uri);
    if (cached?.version === document.version) return cached.source;
    const text = document.getText();
    const edits = lastEdits.get(document);
    const source =
      cached !== undefined && edits !== undefined && cached.version === document.version - 1
        ? updatePythonSource(cached.source, text, edits)
        : createPythonSource(text);
    this.sources.set(document.uri, { version: document.version, source });
    return source;
  }

  /** A Python source for a file that is not open (read from disk by the caller). */
  forText(text: string): PythonSource {
    return createPythonSource(text);
  }

  delete(uri: string): void {
    this.sources.delete(uri);
  }
}

export function isPythonDocument(document: TextDocument): boolean {
  return document.languageId === 'python' || /\.pyi?$/.test(document.uri);
}

/** Absolute file-system path of a `file:` URI, or undefined for other schemes. */
export function uriToPath(uri: string): string | undefined {
  try {
    const parsed = URI.parse(uri);
    return parsed.scheme === 'file' ? parsed.fsPath : undefined;
  } catch {
    return undefined;
  }
}

export function pathToUri(filePath: string): string {
  return URI.file(filePath).toString();
}
