import * as path from 'node:path';
import type { Diagnostic } from 'vscode-languageserver-types';
import { agentDiagnostic } from '../../../server/src/service/agentAnswers';
import type { CheckedFile } from '../../../server/src/workspace/folderCheck';

export type FindingSeverity = 'error' | 'warning' | 'information' | 'hint';

/** One diagnostic as the CLI reports it (the `json` format's `findings` items; see docs/cli.md). */
export interface Finding {
  /** Relative to the folder the CLI ran in (`/` separators), or absolute when outside it. */
  path: string;
  /** 1-based; `column` counts UTF-16 code units like the editor. */
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: FindingSeverity;
  code: string;
  message: string;
}

export interface CheckSummary {
  errors: number;
  warnings: number;
  information: number;
  hints: number;
  /** Files looked at (Python, secrets, example and config files). */
  filesChecked: number;
}

export interface CheckReport {
  findings: Finding[];
  summary: CheckSummary;
}


export function displayPath(filePath: string, cwd: string): string {
  const relative = path.relative(cwd, filePath);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return filePath;
  return relative.split(path.sep).join('/');
}

/** The agent tools' diagnostic shape (1-based ranges), with the path as the CLI shows it. */
function finding(filePath: string, diagnostic: Diagnostic, cwd: string): Finding {
  const { file, ...rest } = agentDiagnostic(displayPath(filePath, cwd), diagnostic);
  return { path: file, ...rest };
}

/** The checked files' diagnostics as findings, in path and position order, with the counts. */
export function buildReport(files: readonly CheckedFile[], cwd: string): CheckReport {
  const findings = files.flatMap((file) => file.diagnostics.map((diagnostic) => finding(file.filePath, diagnostic, cwd)));
  const count = (severity: FindingSeverity): number => findings.filter((item) => item.severity === severity).length;
  return {
    findings,
    summary: { errors: count('error'), warnings: count('warning'), information: count('information'), hints: count('hint'), filesChecked: files.length },
  };
}
