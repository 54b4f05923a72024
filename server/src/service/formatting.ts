import { diffLines } from 'diff';
import { parseTOML } from 'toml-eslint-parser';
import { Range, TextEdit } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { parseSecretsToml } from '../toml/parseSecretsToml';
import type { TomlFormatter } from '../toml/tomlFormatter';
import type { SecretNode } from '../toml/types';

/** What formatting a secrets or config file gives: edits, or none and why (never quoting the file). */
export interface FormatOutcome {
  edits: TextEdit[];
  /** Set when nothing is changed for a reason the user should hear. */
  notFormatted?: string;
}

/** One changed run of lines: original offsets [start, end) become `newText`. */
interface Hunk {
  start: number;
  end: number;
  newText: string;
}

/** Splits text into lines that keep their line ending. */
function linesOf(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/**
 * The changed runs of lines between `before` and `after`, in order. A run that replaces n lines by
 * n lines is split line by line, so formatting a selection touches only the selected lines.
 */
function lineHunks(before: string, after: string): Hunk[] {
  const hunks: Hunk[] = [];
  let offset = 0;
  let open: (Hunk & { removed: string[]; added: string[] }) | undefined;
  const close = (): void => {
    if (open === undefined) return;
    if (open.removed.length === open.added.length) {
      let at = open.start;
      open.removed.forEach((line, i) => {
        if (line !== open!.added[i]) hunks.push({ start: at, end: at + line.length, newText: open!.added[i]! });
        at += line.length;
      });
    } else {
      hunks.push({ start: open.start, end: open.end, newText: open.added.join('') });
    }
    open = undefined;
  };
  for (const part of diffLines(before, after)) {
    if (!part.added && !part.removed) {
      close();
      offset += part.value.length;
      continue;
    }
    open ??= { start: offset, end: offset, newText: '', removed: [], added: [] };
    if (part.removed) {
      offset += part.value.length;
      open.end = offset;
      open.removed.push(...linesOf(part.value));
    } else {
      open.added.push(...linesOf(part.value));
    }
  }
  close();
  return hunks;
}

function applyHunks(text: string, hunks: readonly Hunk[]): string {
  let out = '';
  let at = 0;
  for (const hunk of hunks) {
    out += text.slice(at, hunk.start) + hunk.newText;
    at = hunk.end;
  }
  return out + text.slice(at);
}

/** Same kinds, same values, same keys in the same order (Python dicts keep it), recursively. */
export function sameValue(a: SecretNode | undefined, b: SecretNode | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  if (a.kind !== b.kind || !Object.is(a.value, b.value)) return false;
  if (a.kind === 'table') {
    const left = [...(a.children ?? new Map<string, SecretNode>())];
    const right = [...(b.children ?? new Map<string, SecretNode>())];
    return left.length === right.length && left.every(([key, node], i) => right[i]![0] === key && sameValue(node, right[i]![1]));
  }
  if (a.kind === 'array') {
    const left = a.items ?? [];
    const right = b.items ?? [];
    return left.length === right.length && left.every((node, i) => sameValue(node, right[i]));
  }
  return true;
}

/** Problems (errors and warnings) per code: a format must add none. */
function problemCounts(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const problem of parseSecretsToml(text).problems) {
    if (problem.severity === 'error' || problem.severity === 'warning') counts.set(problem.code, (counts.get(problem.code) ?? 0) + 1);
  }
  return counts;
}

/** Whether a strict TOML 1.0 parser accepts `text` (Streamlit's TOML 0.5 parser knows nothing of TOML 1.1). */
function isToml10(text: string): boolean {
  try {
    parseTOML(text, { tomlVersion: '1.0.0' });
    return true;
  } catch {
    return false;
  }
}

/** Why `formatted` may not replace `original`, or undefined when Streamlit loads both to the same values. */
export function formattingChangesMeaning(original: string, formatted: string): string | undefined {
  const after = parseSecretsToml(formatted);
  if (after.root === undefined) return 'Streamlit could not load the formatted file';
  if (!sameValue(parseSecretsToml(original).root, after.root)) return 'Streamlit would load different values from the formatted file';
  if (isToml10(original) && !isToml10(formatted)) return "the formatted file would use TOML 1.1 syntax Streamlit's parser rejects";
  const before = problemCounts(original);
  for (const [code, count] of problemCounts(formatted)) {
    if (count > (before.get(code) ?? 0)) return "the formatted file would use TOML syntax Streamlit's parser treats differently";
  }
  return undefined;
}

/** String literals on one line (basic with escapes, literal), replaced before looking at the rest of the line. */
const oneLineString = /"(?:[^"\\\r\n]|\\.)*"|'[^'\r\n]*'/g;

/**
 * Lines whose whitespace or layout Streamlit's parser (`toml` 0.10.2) reads differently from
 * TOML, where our reader does not follow it (docs/streamlit-model.md §5; found by the formatter's
 * differential test against python3-toml). The formatter leaves them exactly as written:
 *  - whitespace before or after the dot of a dotted key is kept in the key name (`a . b` → `"a "`);
 *  - anything after triple quotes on their line (even spaces) can make the load lose keys;
 *  - a quoted key holding a backslash escape is split in odd places.
 */
function quirkLines(text: string): Set<number> {
  const lines = new Set<number>();
  text.split('\n').forEach((line, index) => {
    const content = line.endsWith('\r') ? line.slice(0, -1) : line;
    const triple = Math.max(content.lastIndexOf('"""'), content.lastIndexOf("'''"));
    if (triple >= 0 && triple + 3 < content.length) lines.add(index);
    if (/^\s*[^=]*"[^"=]*\\/.test(content)) lines.add(index);
    if (/\s\.|\.\s/.test(content.replace(oneLineString, '""'))) lines.add(index);
  });
  return lines;
}

const notFormatted = (reason: string): FormatOutcome => ({ edits: [], notFormatted: `Not formatted: ${reason}. The file is unchanged.` });

/**
 * Formats a secrets or config file with `format` (dprint's TOML plugin), keeping Streamlit's view of it: the
 * result must load in Streamlit (our reader, parseSecretsToml) to exactly the same values, with no
 * syntax Streamlit's TOML 0.5 parser rejects or reads differently — else no edit at all. With
 * `range`, only the changed runs of lines that touch it are applied (and checked).
 */
export function formatStreamlitToml(document: TextDocument, format: TomlFormatter, range?: Range): FormatOutcome {
  const text = document.getText();
  if (parseSecretsToml(text).root === undefined) return notFormatted('Streamlit cannot load this file as it is — fix the problems shown in it first');
  let formatted: string;
  try {
    formatted = format(text, { crlf: text.includes('\r\n') });
  } catch {
    return notFormatted('the TOML formatter could not read this file');
  }
  if (formatted === text) return { edits: [] };
  const quirks = quirkLines(text);
  const lineAt = (offset: number): number => document.positionAt(offset).line;
  const touchesQuirk = (hunk: Hunk): boolean => {
    for (let line = lineAt(hunk.start); line <= lineAt(Math.max(hunk.start, hunk.end - 1)); line++) if (quirks.has(line)) return true;
    return false;
  };
  let hunks = lineHunks(text, formatted).filter((hunk) => !touchesQuirk(hunk));
  if (range !== undefined) {
    const from = document.offsetAt({ line: range.start.line, character: 0 });
    const to = document.offsetAt({ line: range.end.line + 1, character: 0 });
    // A changed run touches the selected lines when it overlaps them (an insertion: when it lies within them).
    hunks = hunks.filter((hunk) => (hunk.start === hunk.end ? hunk.start >= from && hunk.start <= to : hunk.start < to && hunk.end > from));
  }
  if (hunks.length === 0) return { edits: [] };
  const why = formattingChangesMeaning(text, applyHunks(text, hunks));
  if (why !== undefined) return notFormatted(why);
  return { edits: hunks.map((hunk) => TextEdit.replace(Range.create(document.positionAt(hunk.start), document.positionAt(hunk.end)), hunk.newText)) };
}
