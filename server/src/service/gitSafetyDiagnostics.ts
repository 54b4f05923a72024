// Diagnostics from a secrets file's git status (computed by common/git). Pure.
import * as path from 'node:path';
import type { Diagnostic } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { IgnoreRuleSource, SecretsGitStatus } from '../../../common/git/secretsGitStatus';
import { DiagnosticBuilder, firstLineRange } from './secretsFileDiagnostics';

export const gitSafetyCodes = ['git-tracked', 'git-not-ignored', 'git-ignored-locally', 'git-check-limited'] as const;
export type GitSafetyCode = (typeof gitSafetyCodes)[number];

export function isGitSafetyCode(code: string): code is GitSafetyCode {
  return (gitSafetyCodes as readonly string[]).includes(code);
}

/** What a quick fix or the client's notification needs, in `diagnostic.data`. */
export interface GitSafetyData {
  filePath: string;
  ignored: boolean;
  tracked: boolean | undefined;
  repositoryRoot?: string;
  limited?: string;
}

function describeRule(rule: IgnoreRuleSource, root: string | undefined): string {
  const file = root !== undefined && !path.relative(root, rule.file).startsWith('..') ? path.relative(root, rule.file).split(path.sep).join('/') : rule.file;
  return `${file}:${rule.line} (${rule.pattern})`;
}

function limitation(status: SecretsGitStatus): string | undefined {
  switch (status.limited) {
    case 'untrusted-workspace':
      return 'The workspace is not trusted, so git was not run (a repository\'s config can make git execute commands): the .gitignore files were read directly, and whether git already tracks the file is unknown.';
    case 'git-disabled':
      return 'git was not run (--no-git): the .gitignore files were read directly, and whether git already tracks the file is unknown.';
    case 'git-missing':
      return 'git was not found: the .gitignore files were read directly, and whether git already tracks the file is unknown.';
    case 'git-failed':
      return `git could not answer (${status.detail ?? 'unknown error'}): the .gitignore files were read directly, and whether git already tracks the file is unknown.`;
    default:
      return undefined;
  }
}

/** Git-safety diagnostics of a project secrets file, on its first line. */
export function gitSafetyDiagnostics(document: TextDocument, status: SecretsGitStatus): Diagnostic[] {
  const builder = new DiagnosticBuilder(document);
  const range = firstLineRange(document.getText());
  const data: GitSafetyData = { filePath: status.filePath, ignored: status.ignored, tracked: status.tracked };
  if (status.repositoryRoot !== undefined) data.repositoryRoot = status.repositoryRoot;
  if (status.limited !== undefined) data.limited = status.limited;
  const limitedNote = limitation(status);

  if (status.tracked === true) {
    builder.add(
      range,
      'This secrets file is tracked by git: it is (or will be) in commits, and an ignore rule does not change that. Stop tracking it (the file stays on disk) and rotate every secret in it — the git history still holds the values.',
      'error',
      'git-tracked',
      { data },
    );
  }
  if (!status.ignored) {
    const reincluded = status.reincludedBy ? ` The rule ${describeRule(status.reincludedBy, status.repositoryRoot)} re-includes it.` : '';
    const where = status.repositoryRoot === undefined ? ' (This folder is not a git repository yet; once it is, nothing would keep the file out.)' : '';
    builder.add(
      range,
      `Git would not ignore this secrets file: "git add ." would commit its passwords and keys.${reincluded}${where} Add it to .gitignore.${limitedNote ? ` ${limitedNote}` : ''}`,
      'warning',
      'git-not-ignored',
      { data },
    );
  } else if (status.ignoredBy !== undefined && status.ignoredBy.kind !== 'gitignore' && status.tracked !== true) {
    const where = status.ignoredBy.kind === 'info-exclude' ? '.git/info/exclude' : 'your global git excludes file';
    builder.add(
      range,
      `Only ${where} ignores this secrets file: that protects this clone alone, so a collaborator's "git add ." would still commit it. Add it to the project's .gitignore.`,
      'information',
      'git-ignored-locally',
      { data },
    );
  }
  if (limitedNote !== undefined && status.ignored && status.tracked !== true) {
    builder.add(range, `Git check limited. ${limitedNote}`, status.limited === 'untrusted-workspace' ? 'information' : 'hint', 'git-check-limited', { data });
  }
  return builder.diagnostics;
}
