import ignore from 'ignore';

/**
 * AI tools that read an ignore file in the workspace (README "AI agents"). Each reads gitignore
 * syntax, with these differences:
 * - `.cursorignore` (Cursor), `.aiignore` (JetBrains AI Assistant, Junie), `.codeiumignore`
 *   (Windsurf): one file at the workspace root.
 * - `.aiexclude` (Gemini Code Assist): any folder, for that folder and below; an EMPTY file excludes
 *   everything there; `!` is not reliably supported, so a rule only counts without it.
 * - Windsurf never indexes hidden paths (a segment starting with "."): `.streamlit/secrets.toml` is
 *   covered whatever `.codeiumignore` says.
 */
export interface AiIgnoreTool {
  file: string;
  tool: string;
  /** Read in every folder (for that folder and below), not only at the root. */
  nested: boolean;
  emptyMeansEverything: boolean;
  negationUnreliable: boolean;
  skipsHiddenPaths: boolean;
}

export const aiIgnoreTools: readonly AiIgnoreTool[] = [
  { file: '.cursorignore', tool: 'Cursor', nested: false, emptyMeansEverything: false, negationUnreliable: false, skipsHiddenPaths: false },
  { file: '.aiexclude', tool: 'Gemini Code Assist', nested: true, emptyMeansEverything: true, negationUnreliable: true, skipsHiddenPaths: false },
  { file: '.aiignore', tool: 'JetBrains AI Assistant', nested: false, emptyMeansEverything: false, negationUnreliable: false, skipsHiddenPaths: false },
  { file: '.codeiumignore', tool: 'Windsurf', nested: false, emptyMeansEverything: false, negationUnreliable: false, skipsHiddenPaths: true },
];

/** One ignore file found: its folder relative to the workspace root (`''` for the root, `/` separators). */
export interface FoundIgnoreFile {
  folder: string;
  text: string;
}

function isInside(folder: string, file: string): boolean {
  return folder === '' || file.startsWith(`${folder}/`);
}

/** Whether one ignore file's rules cover `relative` (a path below its folder, `/` separators). */
function fileCovers(tool: AiIgnoreTool, text: string, relative: string): boolean {
  const lines = text.split(/\r?\n/);
  if (tool.emptyMeansEverything && lines.every((line) => line.trim() === '')) return true;
  // Negation that may be ignored by the tool: counting it could call a file uncovered that the tool
  // covers, or covered that it does not; a rule only counts when it covers the file without any `!`.
  const rules = tool.negationUnreliable ? lines.filter((line) => !line.startsWith('!')) : lines;
  return ignore({ allowRelativePaths: true }).add(rules.join('\n')).ignores(relative);
}

/**
 * Whether `tool` keeps `relative` (a file's path from the workspace root, `/` separators) out of its
 * context, given the tool's ignore files found in the workspace. Pure.
 */
export function aiIgnoreCovers(tool: AiIgnoreTool, files: readonly FoundIgnoreFile[], relative: string): boolean {
  if (tool.skipsHiddenPaths && relative.split('/').some((segment) => segment.startsWith('.'))) return true;
  for (const found of files) {
    if (!tool.nested && found.folder !== '') continue;
    if (!isInside(found.folder, relative)) continue;
    if (fileCovers(tool, found.text, found.folder === '' ? relative : relative.slice(found.folder.length + 1))) return true;
  }
  return false;
}

/**
 * The line that makes the tool's root ignore file cover `relative`: anchored at the root, glob
 * characters escaped (the same rules as our `.gitignore` line).
 */
export function aiIgnoreLineFor(relative: string): string {
  let escaped = relative.replace(/[\\*?[\]]/g, (ch) => `\\${ch}`);
  if (escaped.endsWith(' ')) escaped = `${escaped.slice(0, -1)}\\ `;
  return `/${escaped}`;
}

/** What the quick fix needs, in `diagnostic.data`: the existing ignore file and the line to add. */
export interface AiIgnoreData {
  ignoreFile: string;
  line: string;
}

export const aiIgnoreCode = 'ai-ignore-missing';

/**
 * For each tool whose ignore file exists in the workspace and does not cover the secrets file at
 * `relative`: which existing file to add a line to (the root file; for `.aiexclude`, the deepest
 * one above the secrets file) and the line, relative to that file's folder. Tools without an ignore
 * file are not in use: nothing is proposed for them. Pure.
 */
export function missingAiIgnores(relative: string, found: ReadonlyMap<AiIgnoreTool, readonly FoundIgnoreFile[]>): { tool: AiIgnoreTool; folder: string; line: string }[] {
  const missing: { tool: AiIgnoreTool; folder: string; line: string }[] = [];
  for (const [tool, files] of found) {
    const usable = files.filter((file) => (tool.nested ? isInside(file.folder, relative) : file.folder === ''));
    if (usable.length === 0 || aiIgnoreCovers(tool, files, relative)) continue;
    const target = usable.reduce((deepest, file) => (file.folder.length > deepest.folder.length ? file : deepest));
    missing.push({ tool, folder: target.folder, line: aiIgnoreLineFor(target.folder === '' ? relative : relative.slice(target.folder.length + 1)) });
  }
  return missing;
}
