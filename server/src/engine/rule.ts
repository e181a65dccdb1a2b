// The shape of a rule module: an id, a default severity, docs, and a pure check over the analysed document.
import type { AnalysisFacts } from './facts';
import type { Fix, OffsetRange, Severity } from './finding';
import type { ParsedDocument } from './parse';
import type { PolicyModel } from './policy/model';

/** Why a document was not analysed in full (the analysis-limit rule reports it). */
export type AnalysisLimit =
  | { readonly kind: 'size'; readonly size: number; readonly max: number }
  | { readonly kind: 'binary' }
  | { readonly kind: 'depth'; readonly max: number };

export interface RuleContext {
  readonly text: string;
  readonly parsed: ParsedDocument;
  readonly model: PolicyModel;
  readonly facts: AnalysisFacts;
  readonly now: Date;
  readonly limit: AnalysisLimit | undefined;
  readonly report: (finding: ReportedFinding) => void;
}

export interface ReportedFinding {
  readonly range: OffsetRange;
  readonly message: string;
  readonly fixes?: readonly Fix[];
  readonly unnecessary?: boolean;
  /**
   * A milder severity than the rule's default for this finding (login-url's custom login page is a hint). A
   * severity the user set for the rule applies to all its findings.
   */
  readonly severity?: Severity;
}

export interface RuleDocs {
  /** One line: what the rule catches. Used in rule lists, SARIF and the docs index. */
  readonly summary: string;
}

export interface Rule {
  /** Public, kebab-case, equal to the module's file name and to docs/rules/<id>.md. */
  readonly id: string;
  readonly defaultSeverity: Severity;
  readonly docs: RuleDocs;
  /**
   * `any`: runs on every document, even one cut short by an analysis limit (only analysis-limit needs this).
   * `parsed`: runs when the text was parsed in full, syntax errors or not (rules about the text itself).
   * `well-formed` (default): runs only without syntax errors. After a syntax error the tree is the parser's guess,
   * and findings about its shape (a "missing" property that sits after the error) would mislead.
   */
  readonly runsOn?: 'any' | 'parsed' | 'well-formed';
  check(ctx: RuleContext): void;
}

/** Identity function that gives rule modules a checked shape. */
export function defineRule(rule: Rule): Rule {
  return rule;
}
