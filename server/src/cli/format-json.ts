// Machine output, exactly DESIGN §9: one object with files, their diagnostics (zero-based LSP ranges) and a summary.
import type { FileResult, Summary } from './results';
import { rangeOf } from './results';

export function formatJson(files: readonly FileResult[], summary: Summary): string {
  const output = {
    files: files.map((file) => ({
      path: file.path,
      diagnostics: file.findings.map((finding) => ({
        rule: finding.ruleId,
        severity: finding.severity,
        message: finding.message,
        range: rangeOf(file, finding),
      })),
    })),
    summary,
  };
  return `${JSON.stringify(output, null, 2)}\n`;
}
