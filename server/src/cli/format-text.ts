// Human output: `path:line:column: severity rule-id: message` (one-based), then a summary line.
import type { FileResult, Summary } from './results';
import { rangeOf } from './results';

export function formatText(files: readonly FileResult[], summary: Summary, color: boolean): string {
  const paint = (code: string, text: string): string => (color ? `\u001b[${code}m${text}\u001b[0m` : text);
  const severityColor = { error: '31', warning: '33', info: '36', hint: '2' } as const;
  const lines: string[] = [];
  for (const file of files) {
    for (const finding of file.findings) {
      const { start } = rangeOf(file, finding);
      lines.push(
        `${file.path}:${start.line + 1}:${start.character + 1}: ${paint(severityColor[finding.severity], finding.severity)} ${finding.ruleId}: ${finding.message}`,
      );
    }
  }
  lines.push(summaryLine(summary));
  return `${lines.join('\n')}\n`;
}

export function summaryLine(summary: Summary): string {
  const problems = summary.errors + summary.warnings + summary.infos + summary.hints;
  const files = plural(summary.files, 'file');
  if (problems === 0) return `No problems in ${files}.`;
  return `${plural(problems, 'problem')} (${plural(summary.errors, 'error')}, ${plural(summary.warnings, 'warning')}, ${plural(summary.infos, 'info')}, ${plural(summary.hints, 'hint')}) in ${files}.`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
