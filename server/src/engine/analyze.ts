// The one pipeline entry: text → parse → model → rules → findings. Pure: facts that need I/O come in as data.
import type { Node } from 'jsonc-parser';
import type { AnalysisFacts, WorkspaceLookup } from './facts';
import { compareFindings, type Finding, type Severity } from './finding';
import { MAX_DEPTH, parse, type ParsedDocument } from './parse';
import { identityOf } from './policy/identity';
import { buildModel, POLICY_SKELETON, type PolicyModel } from './policy/model';
import type { AnalysisLimit, RuleContext } from './rule';
import analysisLimit from './rules/analysis-limit';
import { rules } from './rules/index';
import { severityOf, type SeverityOverrides } from './severity';
import { withinText, type RuleDefect } from './within-text';

/** Larger texts get one analysis-limit finding. Real policies are about 1 KB; 4 MiB leaves room for any of them. */
export const DEFAULT_MAX_FILE_SIZE = 4 * 1024 * 1024;

export interface AnalyzeOptions {
  readonly severities?: SeverityOverrides;
  readonly facts?: AnalysisFacts;
  /**
   * The other files of the workspace, asked once the text says what this policy is (its id, owner client and
   * secret); it fills `facts.workspace`.
   */
  readonly workspace?: WorkspaceLookup;
  /** The clock rules compare expiry dates with. */
  readonly now?: Date;
  /** In UTF-16 code units (string length). */
  readonly maxFileSize?: number;
  /**
   * At most this many findings in all (the editor's cap): errors first, and the last place goes to one
   * analysis-limit finding that says how many more there are. Unset: every finding (the CLI).
   */
  readonly maxFindings?: number;
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
  let limit: AnalysisLimit | undefined = text.length > max ? { kind: 'size', size: text.length, max } : undefined;
  let parsed = limit ? emptyParse(text) : parse(text, { skeleton: POLICY_SKELETON });
  if (!limit && looksBinary(text, parsed)) {
    limit = { kind: 'binary' };
    parsed = emptyParse(text);
  }
  if (parsed.tooDeep) limit = { kind: 'depth', max: MAX_DEPTH };
  const model = buildModel(limit ? emptyParse(text) : parsed);
  const findings: Finding[] = [];
  // One context for all rules; `report` stamps findings with the rule that is running.
  let ruleId = '';
  let severity: Severity = 'error';
  let overridden = false;
  const facts: AnalysisFacts = options.workspace
    ? { ...options.facts, workspace: options.workspace(identityOf(model)) }
    : (options.facts ?? {});
  const now = options.now ?? new Date();
  const ctx: RuleContext = {
    text,
    parsed,
    model,
    facts,
    now,
    limit,
    report: (f) => {
      const own = f.severity && !overridden ? f.severity : severity;
      findings.push(withinText(text.length, { ruleId, ...f, severity: own }, options.onRuleDefect));
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
    overridden = options.severities?.[rule.id] !== undefined;
    rule.check(ctx);
  }
  const kept = options.maxFindings !== undefined ? capped(findings, options.maxFindings, options.severities) : findings;
  kept.sort(compareFindings);
  let full: ParsedDocument | undefined;
  const fullTree = (): Node | undefined => {
    if (limit) return undefined;
    full ??= parse(text);
    return full.root;
  };
  return { text, parsed, model, findings: kept, limit, facts, now, fullTree };
}

const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2, hint: 3 };

/** The most severe findings within `max`, the last place taken by what was left out (unless that rule is off). */
function capped(findings: Finding[], max: number, severities: SeverityOverrides | undefined): Finding[] {
  if (findings.length <= max) return findings;
  const severity = severityOf(analysisLimit, severities);
  const room = severity ? max - 1 : max;
  const kept = [...findings]
    .sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || compareFindings(a, b))
    .slice(0, Math.max(0, room));
  if (!severity) return kept;
  const more = findings.length - kept.length;
  kept.push({
    ruleId: analysisLimit.id,
    severity,
    range: { offset: 0, length: 0 },
    message: `${more.toLocaleString('en-US')} more finding${more === 1 ? '' : 's'} in this file ${more === 1 ? 'is' : 'are'} not shown: the editor is sent at most ${max.toLocaleString('en-US')} per file, errors first. The CLI (login-policy-lint) lists all ${findings.length.toLocaleString('en-US')}.`,
  });
  return kept;
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

/**
 * NUL characters never occur in JSON text; a run of decoding failures (U+FFFD) means bytes that are not UTF-8.
 * Text that parsed without a syntax error or a comment can hold no control character (one in a string is a syntax
 * error), so only U+FFFD is looked for there: one native search instead of a pattern over the first kilobyte.
 */
function looksBinary(text: string, parsed: ParsedDocument): boolean {
  if (parsed.syntaxErrors.length === 0 && parsed.comments.length === 0 && !text.includes('\ufffd')) return false;
  if (text.includes('\u0000')) return true;
  const head = text.slice(0, 1024);
  // Almost every text has none of these: one native search instead of a loop over every character.
  if (!ODD.test(head)) return false;
  let odd = 0;
  for (let i = 0; i < head.length; i++) {
    const c = head.charCodeAt(i);
    if (c === 0xfffd || (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d)) odd++;
  }
  return head.length > 0 && odd / head.length > 0.1;
}

/** Characters that text does not hold but binary read as text does. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what this looks for
const ODD = /[\u0001-\u0008\u000b\u000c\u000e-\u001f\ufffd]/;
