// The engine's output vocabulary: findings with offset ranges and fixes as text edits.
// Protocol-free on purpose: the LSP and CLI edges convert offsets to lines and columns.

/** How loudly a finding is reported; `off` disables a rule. */
export type Severity = 'error' | 'warning' | 'info' | 'hint';
export type SeverityOrOff = Severity | 'off';

export const SEVERITIES: readonly SeverityOrOff[] = ['off', 'hint', 'info', 'warning', 'error'];

/** A span of the document, in UTF-16 code units (the unit of JS strings and of LSP). */
export interface OffsetRange {
  readonly offset: number;
  readonly length: number;
}

/** Replace `length` characters at `offset` with `content`. */
export interface TextEdit extends OffsetRange {
  readonly content: string;
}

/** A file a fix creates, named relative to the directory of the analysed document. */
export interface NewFile {
  readonly name: string;
  readonly content: string;
}

/** One way to resolve a finding. Edits apply to the analysed document. */
export interface Fix {
  readonly title: string;
  readonly edits: readonly TextEdit[];
  /** Files created next to the analysed document (never overwriting: the edge picks a free name). */
  readonly createFiles?: readonly NewFile[];
  /** Shown first in the editor's light bulb. */
  readonly isPreferred?: boolean;
}

export interface Finding {
  readonly ruleId: string;
  readonly severity: Severity;
  readonly message: string;
  readonly range: OffsetRange;
  readonly fixes?: readonly Fix[];
  /** Marks a finding on dead text (the editor fades it). */
  readonly unnecessary?: boolean;
}

/** Orders findings by position, then by rule id, so every consumer sees the same order. */
export function compareFindings(a: Finding, b: Finding): number {
  return a.range.offset - b.range.offset || a.range.length - b.range.length || compareIds(a.ruleId, b.ruleId);
}

/**
 * Orders ASCII ids (rule ids) as localeCompare would, without it: its first call sets up ICU collation, about 7 ms of
 * a language server's start.
 */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
