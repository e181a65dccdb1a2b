// The CLI's view of a lint run: files with findings and positions, and the counts every format prints.
import type { Finding, Severity } from '../engine/finding';
import { LineIndex, type Position } from '../shared/line-index';

export interface FileResult {
  readonly absolutePath: string;
  /** Relative to the working folder, with forward slashes. */
  readonly path: string;
  readonly findings: readonly Finding[];
  readonly lines: LineIndex;
}

export interface Summary {
  readonly files: number;
  readonly errors: number;
  readonly warnings: number;
  readonly infos: number;
  readonly hints: number;
}

export function fileResult(
  absolutePath: string,
  relativePath: string,
  text: string,
  findings: readonly Finding[],
): FileResult {
  return { absolutePath, path: relativePath, findings, lines: new LineIndex(text) };
}

export function summarize(files: readonly FileResult[]): Summary {
  const count: Record<Severity, number> = { error: 0, warning: 0, info: 0, hint: 0 };
  for (const file of files) for (const finding of file.findings) count[finding.severity]++;
  return { files: files.length, errors: count.error, warnings: count.warning, infos: count.info, hints: count.hint };
}

export function rangeOf(file: FileResult, finding: Finding): { start: Position; end: Position } {
  return {
    start: file.lines.positionAt(finding.range.offset),
    end: file.lines.positionAt(finding.range.offset + finding.range.length),
  };
}
