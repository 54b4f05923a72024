import { version } from '../../../package.json';
import type { CheckReport } from './findings';

/** The `json` format: documented in docs/cli.md; `formatVersion` changes only when the shape does. */
export interface JsonReport extends CheckReport {
  formatVersion: 1;
  tool: { name: 'streamlit-secrets'; version: string };
  /** The exit code this run returns. */
  exitCode: number;
}

export function formatJson(report: CheckReport, exitCode: number): string {
  const output: JsonReport = { formatVersion: 1, tool: { name: 'streamlit-secrets', version }, findings: report.findings, summary: report.summary, exitCode };
  return `${JSON.stringify(output, null, 2)}\n`;
}
