import type { CheckReport } from './findings';

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** `path:line:col: severity code message`, one a line, then a summary line. */
export function formatText(report: CheckReport): string {
  const lines = report.findings.map((item) => `${item.path}:${item.line}:${item.column}: ${item.severity} ${item.code} ${item.message.replace(/\s*\r?\n\s*/g, ' ')}`);
  const { errors, warnings, information, hints, filesChecked } = report.summary;
  lines.push(`${plural(errors, 'error')}, ${plural(warnings, 'warning')}, ${information + hints} other ${information + hints === 1 ? 'note' : 'notes'} in ${plural(filesChecked, 'file')} checked`);
  return `${lines.join('\n')}\n`;
}
