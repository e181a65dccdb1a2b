// The one pipeline entry: text → parse → model → rules → findings. Pure: facts that need I/O come in as data.
import type { Node } from 'jsonc-parser';
import type { AnalysisFacts } from './facts';
import { compareFindings, type Finding, type Severity } from './finding';
import { MAX_DEPTH, parse, type ParsedDocument } from './parse';
import { buildModel, POLICY_SKELETON, type PolicyModel } from './policy/model';
import type { AnalysisLimit, RuleContext } from './rule';
import { rules } from './rules/index';
import { severityOf, type SeverityOverrides } from './severity';
import { withinText, type RuleDefect } from './within-text';

/** Larger texts get one analysis-limit finding. Real policies are about 1 KB; 4 MiB leaves room for any of them. */
export const DEFAULT_MAX_FILE_SIZE = 4 * 1024 * 1024;

export interface AnalyzeOptions {
  readonly severities?: SeverityOverrides;
  readonly facts?: AnalysisFacts;
  /** The clock rules compare expiry dates with. */
  readonly now?: Date;
  /** In UTF-16 code units (string length). */
  readonly maxFileSize?: number;
  /**
   * Told when a rule reports a range or a fix edit outside the text, or overlapping edits (a rule bug: the finding
   * is then clamped to the text and the broken fix dropped). Tests use it to check the rules themselves.
   */
  readonly onRuleDefect?: (defect: RuleDefect) => void;
}

export interface Analysis {
  readonly text: string;
  readonly parsed: ParsedDocument;
  readonly model: PolicyModel;
  readonly findings: readonly Finding[];
  readonly limit: AnalysisLimit | undefined;
  /** The facts and clock the rules saw, so features (hover) judge the same way. */
  readonly facts: AnalysisFacts;
  readonly now: Date;
  /** Every node of the document, parsed on first use (hover, completion, symbols need it; diagnostics do not). */
  fullTree(): Node | undefined;
}

export function analyze(text: string, options: AnalyzeOptions = {}): Analysis {
  const max = options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  let limit: AnalysisLimit | undefined =
    text.length > max ? { kind: 'size', size: text.length, max } : looksBinary(text) ? { kind: 'binary' } : undefined;
  const parsed = limit ? emptyParse(text) : parse(text, { skeleton: POLICY_SKELETON });
  if (parsed.tooDeep) limit = { kind: 'depth', max: MAX_DEPTH };
  const model = buildModel(limit ? emptyParse(text) : parsed);
  const findings: Finding[] = [];
  // One context for all rules; `report` stamps findings with the rule that is running.
  let ruleId = '';
  let severity: Severity = 'error';
  const facts = options.facts ?? {};
  const now = options.now ?? new Date();
  const ctx: RuleContext = {
    text,
    parsed,
    model,
    facts,
    now,
    limit,
    report: (f) => {
      findings.push(withinText(text.length, { ruleId, severity, ...f }, options.onRuleDefect));
    },
  };
  const wellFormed = parsed.syntaxErrors.length === 0 && text.trim() !== '';
  for (const rule of rules) {
    const runsOn = rule.runsOn ?? 'well-formed';
    if (limit && runsOn !== 'any') continue;
    if (!wellFormed && runsOn === 'well-formed') continue;
    const chosen = severityOf(rule, options.severities);
    if (!chosen) continue;
    ruleId = rule.id;
    severity = chosen;
    rule.check(ctx);
  }
  findings.sort(compareFindings);
  let full: ParsedDocument | undefined;
  const fullTree = (): Node | undefined => {
    if (limit) return undefined;
    full ??= parse(text);
    return full.root;
  };
  return { text, parsed, model, findings, limit, facts, now, fullTree };
}

function emptyParse(text: string): ParsedDocument {
  return {
    text,
    root: undefined,
    syntaxErrors: [],
    comments: [],
    trailingCommas: [],
    duplicateKeys: [],
    bulk: new Map(),
    tooDeep: false,
  };
}

/** NUL characters never occur in JSON text; a run of decoding failures (U+FFFD) means bytes that are not UTF-8. */
function looksBinary(text: string): boolean {
  if (text.includes('\u0000')) return true;
  const head = text.slice(0, 1024);
  let odd = 0;
  for (let i = 0; i < head.length; i++) {
    const c = head.charCodeAt(i);
    if (c === 0xfffd || (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d)) odd++;
  }
  return head.length > 0 && odd / head.length > 0.1;
}
