import * as path from 'node:path';
import type * as Sarif from 'sarif';
import { version } from '../../../package.json';
import { ExampleDriftCode } from '../../../server/src/service/exampleDrift';
import { gitSafetyCodes } from '../../../server/src/service/gitSafetyDiagnostics';
import { PythonDiagnosticCode } from '../../../server/src/service/pythonDiagnostics';
import { pathToUri } from '../../../server/src/documents';
import type { CheckReport, FindingSeverity } from './findings';

const levels: Record<FindingSeverity, Sarif.ReportingConfiguration.level> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

/** A rule's one-line description, by the family its code belongs to. */
function describeRule(code: string): string {
  if ((Object.values(PythonDiagnosticCode) as string[]).includes(code)) return 'A secrets read in Python code that raises when the app runs';
  if ((gitSafetyCodes as readonly string[]).includes(code)) return 'A secrets file that git would commit or already tracks';
  if ((Object.values(ExampleDriftCode) as string[]).includes(code)) return 'secrets.toml.example and the secrets files declare different keys';
  if (code.startsWith('config-')) return 'A .streamlit/config.toml setting about secrets files';
  return 'A secrets file Streamlit cannot load, or reads differently than written';
}

/** SARIF 2.1.0, as GitHub code scanning accepts it (relative paths resolve against the checkout). */
export function formatSarif(report: CheckReport): string {
  const codes = [...new Set(report.findings.map((item) => item.code))].sort();
  const rules: Sarif.ReportingDescriptor[] = codes.map((code) => ({ id: code, name: code, shortDescription: { text: describeRule(code) } }));
  const results: Sarif.Result[] = report.findings.map((item) => ({
    ruleId: item.code,
    ruleIndex: codes.indexOf(item.code),
    level: levels[item.severity],
    message: { text: item.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: path.isAbsolute(item.path) ? { uri: pathToUri(item.path) } : { uri: encodeURI(item.path), uriBaseId: '%SRCROOT%' },
          region: { startLine: item.line, startColumn: item.column, endLine: item.endLine, endColumn: item.endColumn },
        },
      },
    ],
  }));
  const log: Sarif.Log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{ tool: { driver: { name: 'streamlit-secrets', version, semanticVersion: version, rules } }, columnKind: 'utf16CodeUnits', results }],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
