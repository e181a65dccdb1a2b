// What must hold for every text, however broken: the engine's findings and fixes, the server's formatting, and the
// CLI's and the server's views of one analysis. Each check throws an AssertionError that names the rule and what
// went wrong; `PROPERTIES` wraps them for fast-check, used by the unit step and by `npm run fuzz`.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import * as z from 'zod/mini';
import { createScanner, parseTree, type Node, type ParseError, type SyntaxKind } from 'jsonc-parser';
import { DiagnosticSeverity, type FormattingOptions, type Position } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { formatJson } from '../../../server/src/cli/format-json';
import { fileResult, summarize } from '../../../server/src/cli/results';
import { analyze, type Analysis } from '../../../server/src/engine/analyze';
import type { OffsetRange, TextEdit } from '../../../server/src/engine/finding';
import { parse, parseWithJsonc, type ParsedDocument } from '../../../server/src/engine/parse';
import { POLICY_SKELETON } from '../../../server/src/engine/policy/model';
import { policySchema } from '../../../server/src/engine/policy/schema';
import { shellOf } from '../../../server/src/engine/validate-tree';
import type { RuleDefect } from '../../../server/src/engine/within-text';
import { toDiagnostics } from '../../../server/src/features/diagnostics';
import { getFormattingEdits } from '../../../server/src/features/structure';
import { engineInput } from './text-arbitrary';

const URI = 'file:///work/policy.loginpolicy.json';

/** The analysis of `text`, checking on the way that no rule reported a range or an edit outside the text. */
export function analyzeChecked(text: string): Analysis {
  const defects: RuleDefect[] = [];
  const analysis = analyze(text, { onRuleDefect: (d) => defects.push(d) });
  assert.deepEqual(defects, [], 'a rule reported a range or a fix edit outside the text, or overlapping edits');
  return analysis;
}

/** Every finding's range and every fix's edits lie inside the text; a fix's edits do not overlap. */
export function checkRanges(text: string, analysis: Analysis): void {
  for (const finding of analysis.findings) {
    assertInside(finding.range, text.length, `${finding.ruleId}: range`);
    for (const fix of finding.fixes ?? []) {
      for (const edit of fix.edits) assertInside(edit, text.length, `${finding.ruleId}: fix "${fix.title}": edit`);
      const sorted = sortedEdits(fix.edits);
      for (let i = 1; i < sorted.length; i++) {
        const previous = sorted[i - 1]!;
        assert.ok(
          sorted[i]!.offset >= previous.offset + previous.length && sorted[i]!.offset !== previous.offset,
          `${finding.ruleId}: fix "${fix.title}": edits ${show(previous)} and ${show(sorted[i]!)} overlap`,
        );
      }
    }
  }
}

/**
 * Applying a fix removes its finding: after the fix, the rule has fewer findings at the finding's place (its range
 * mapped through the edits), and none of them says the same thing. A fix that leaves the problem must not be offered.
 */
export function checkFixes(text: string, analysis: Analysis): void {
  for (const finding of analysis.findings) {
    count(tally.findings, finding.ruleId);
    for (const fix of finding.fixes ?? []) {
      if (fix.createFiles?.length) continue; // creates a policy elsewhere; not a repair of this text
      count(tally.fixes, `${finding.ruleId}: ${fix.title.replace(/"[^]*"/, '"…"')}`);
      const fixed = applyEdits(text, fix.edits);
      const after = analyzeChecked(fixed);
      const place = mapRange(finding.range, sortedEdits(fix.edits));
      const before = analysis.findings.filter((f) => f.ruleId === finding.ruleId && at(f.range, finding.range));
      const remaining = after.findings.filter((f) => f.ruleId === finding.ruleId && at(f.range, place));
      const same = remaining.find((f) => f.message === finding.message);
      assert.ok(
        remaining.length < before.length && !same,
        `${finding.ruleId}: fix "${fix.title}" leaves the finding (${show(finding.range)} → ${show(place)}): ` +
          `${JSON.stringify(finding.message)}; after the fix: ${JSON.stringify(remaining.map((f) => f.message))}; ` +
          `fixed text: ${JSON.stringify(fixed)}`,
      );
    }
  }
}

/** How often each rule's findings and fixes were checked: the campaign prints it, to show what was exercised. */
export const tally = { findings: new Map<string, number>(), fixes: new Map<string, number>() };

function count(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

/** The fix's edits applied to the text. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  let out = '';
  let from = 0;
  for (const edit of sortedEdits(edits)) {
    out += text.slice(from, edit.offset) + edit.content;
    from = edit.offset + edit.length;
  }
  return out + text.slice(from);
}

/**
 * Where a range is after the edits: its start moves to the start of an edit that covers it (or inserts at it), its
 * end to the end of the replacement of an edit that covers it; both shift by what edits before them changed.
 */
export function mapRange(range: OffsetRange, edits: readonly TextEdit[]): OffsetRange {
  const start = mapOffset(range.offset, edits, 'start');
  const end = Math.max(start, mapOffset(range.offset + range.length, edits, 'end'));
  return { offset: start, length: end - start };
}

function mapOffset(position: number, edits: readonly TextEdit[], side: 'start' | 'end'): number {
  let delta = 0;
  for (const edit of edits) {
    const end = edit.offset + edit.length;
    if (side === 'start') {
      if (edit.offset > position) break;
      if (position < end || edit.offset === position) return edit.offset + delta;
    } else {
      if (edit.offset > position || (edit.offset === position && edit.length > 0)) break;
      if (position < end) return edit.offset + delta + edit.content.length;
    }
    delta += edit.content.length - edit.length;
  }
  return position + delta;
}

/**
 * Whether a finding's range is at a place: shares a character with it; for an empty place (a deletion), contains it
 * strictly or is empty there too. A finding that merely starts where the deleted text was is the next one's.
 */
export function at(range: OffsetRange, place: OffsetRange): boolean {
  const end = range.offset + range.length;
  const placeEnd = place.offset + place.length;
  if (place.length === 0) {
    return (range.offset < place.offset && place.offset < end) || (range.length === 0 && range.offset === place.offset);
  }
  if (range.length === 0) return place.offset <= range.offset && range.offset < placeEnd;
  return range.offset < placeEnd && place.offset < end;
}

/**
 * The server's formatting. On any text: its edits are sound and change only the blanks between tokens (every
 * token, comments included, is kept as it was). On text that parses: formatting its result again changes nothing,
 * and the value is kept. (jsonc-parser's formatter leaves the blanks around a token it cannot place alone, so on
 * broken text a second pass may still move blanks: it never changes a token.)
 */
export function checkFormatting(text: string, options: FormattingOptions): void {
  const doc = TextDocument.create(URI, 'login-policy', 1, text);
  const edits = getFormattingEdits(doc, options);
  for (const edit of edits) {
    assertPosition(doc, edit.range.start);
    assertPosition(doc, edit.range.end);
  }
  const formatted = TextDocument.applyEdits(doc, edits); // throws on overlapping edits
  assert.deepEqual(tokensOf(formatted), tokensOf(text), `formatting changed a token: ${JSON.stringify(formatted)}`);
  // A final line break is kept, and one is added only when asked for.
  if (endsWithLineBreak(text)) {
    assert.ok(endsWithLineBreak(formatted), `formatting removed the final line break: ${JSON.stringify(formatted)}`);
  } else if (options.insertFinalNewline !== true) {
    assert.ok(!endsWithLineBreak(formatted), `formatting added a final line break: ${JSON.stringify(formatted)}`);
  }
  const errors: ParseError[] = [];
  const value = jsonValueOf(text, errors);
  if (errors.length > 0) return;
  const again = getFormattingEdits(TextDocument.create(URI, 'login-policy', 2, formatted), options);
  assert.deepEqual(again, [], `formatting is not idempotent: formatted text ${JSON.stringify(formatted)}`);
  const formattedErrors: ParseError[] = [];
  assert.deepEqual(
    jsonValueOf(formatted, formattedErrors),
    value,
    `formatting changed the value: formatted text ${JSON.stringify(formatted)}`,
  );
  assert.deepEqual(formattedErrors, [], `formatting broke the text: ${JSON.stringify(formatted)}`);
}

/**
 * The value a JSON-with-comments text holds, every key an own property: jsonc-parser's `parse` assigns keys, and
 * assigning "__proto__" sets the object's prototype instead (two equal texts would then hold unequal values).
 */
function jsonValueOf(text: string, errors: ParseError[]): unknown {
  const value = (node: Node | undefined): unknown => {
    if (!node) return undefined;
    if (node.type === 'array') return node.children!.map(value);
    if (node.type !== 'object') return node.value;
    const out: Record<string, unknown> = {};
    for (const property of node.children!) {
      const [key, item] = property.children!;
      Object.defineProperty(out, key!.value as string, {
        value: value(item),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  };
  return value(parseTree(text, errors, { allowTrailingComma: true }));
}

/** Whether only blanks follow the text's last line break (the text "ends with a newline"). */
function endsWithLineBreak(text: string): boolean {
  const tail = /[ \t\r\n]*$/.exec(text)![0];
  return /[\r\n]/.test(tail);
}

/** A position that names a character of the document (or its end), not one past a line's end. */
function assertPosition(doc: TextDocument, position: Position): void {
  const lineEnd =
    position.line + 1 < doc.lineCount ? doc.offsetAt({ line: position.line + 1, character: 0 }) : doc.getText().length;
  const lineStart = doc.offsetAt({ line: position.line, character: 0 });
  assert.ok(
    position.line >= 0 &&
      position.line < doc.lineCount &&
      position.character >= 0 &&
      lineStart + position.character <= lineEnd,
    `formatting edit at ${position.line}:${position.character} is outside the document`,
  );
}

/** The text's tokens, blanks and line breaks left out; a block comment's inner blanks count as one space. */
function tokensOf(text: string): string[] {
  const scanner = createScanner(text, false);
  const tokens: string[] = [];
  for (let kind = scanner.scan(); kind !== EOF; kind = scanner.scan()) {
    if (kind === TRIVIA || kind === LINE_BREAK) continue;
    const offset = scanner.getTokenOffset();
    tokens.push(text.slice(offset, offset + scanner.getTokenLength()).replace(/\s+/g, ' '));
  }
  return tokens;
}

/** jsonc-parser's SyntaxKind (a const enum, which isolated modules cannot read). */
const LINE_BREAK = 14 as SyntaxKind;
const TRIVIA = 15 as SyntaxKind;
const EOF = 17 as SyntaxKind;

/** The CLI's JSON output and the server's diagnostics say the same of one analysis. */
export function checkCliAgreesWithServer(text: string, analysis: Analysis): void {
  const file = fileResult('/work/policy.loginpolicy.json', 'policy.loginpolicy.json', text, analysis.findings);
  const cli = (JSON.parse(formatJson([file], summarize([file]))) as CliOutput).files[0]!.diagnostics;
  const server = toDiagnostics(TextDocument.create(URI, 'login-policy', 1, text), analysis.findings).map((d) => ({
    rule: d.code,
    severity: SEVERITY_NAMES[d.severity!],
    message: d.message,
    range: d.range,
  }));
  assert.deepEqual(cli, server, 'the CLI and the server disagree');
}

interface CliOutput {
  files: { diagnostics: unknown[] }[];
}

const SEVERITY_NAMES: Record<DiagnosticSeverity, string> = {
  [DiagnosticSeverity.Error]: 'error',
  [DiagnosticSeverity.Warning]: 'warning',
  [DiagnosticSeverity.Information]: 'info',
  [DiagnosticSeverity.Hint]: 'hint',
};

function assertInside(range: OffsetRange, length: number, what: string): void {
  assert.ok(
    Number.isInteger(range.offset) &&
      Number.isInteger(range.length) &&
      range.offset >= 0 &&
      range.length >= 0 &&
      range.offset + range.length <= length,
    `${what} ${show(range)} is outside a text of ${length} characters`,
  );
}

function sortedEdits(edits: readonly TextEdit[]): TextEdit[] {
  return [...edits].sort((a, b) => a.offset - b.offset || a.length - b.length);
}

function show(range: OffsetRange): string {
  return `${range.offset}+${range.length}`;
}

// ---- the properties, for fast-check -------------------------------------------------------------------------------

/**
 * What the formatter is asked for: editors send tab size and spaces or tabs, and may say whether to end with a
 * newline (VS Code and Neovim leave it out unless it is true).
 */
export const formattingOptions: fc.Arbitrary<FormattingOptions> = fc.record(
  {
    tabSize: fc.constantFrom(2, 4, 1, 8),
    insertSpaces: fc.boolean(),
    insertFinalNewline: fc.boolean(),
  },
  { requiredKeys: ['tabSize', 'insertSpaces'] },
);

/**
 * The fast tokenizer builds exactly what jsonc-parser builds (tree, comments, trailing commas, repeated keys, bulk
 * entries), with the policy skeleton and without.
 */
export function checkParse(text: string): void {
  for (const options of [{}, { skeleton: POLICY_SKELETON }]) {
    assert.deepEqual(plainDocument(parse(text, options)), plainDocument(parseWithJsonc(text, options)), 'parse');
  }
}

/** A parsed document as plain data: nodes without parent links, bulk entries by their map's offset. */
export function plainDocument(doc: ParsedDocument): unknown {
  const node = (n: Node | undefined, parent?: Node): unknown =>
    n && {
      // Features walk up the tree (the property of a value, the object of a property): each link must be right.
      parentIsRight: n.parent === parent,
      type: n.type,
      offset: n.offset,
      length: n.length,
      value: n.value as unknown,
      colonOffset: n.colonOffset,
      children: n.children?.map((child) => node(child, n)),
    };
  return {
    root: node(doc.root),
    syntaxErrors: doc.syntaxErrors,
    comments: doc.comments,
    trailingCommas: doc.trailingCommas,
    duplicateKeys: doc.duplicateKeys,
    bulk: [...doc.bulk].map(([map, entries]) => [map.offset, entries]),
    tooDeep: doc.tooDeep,
  };
}

const compiledPolicySchema = z.compile(policySchema);

/**
 * zod's compiled policy schema (which analyses use once a process has validated a few policies) reports exactly the
 * runtime's issues, raw and finalized,: on the shell the model validates, and on the whole value when the text is plain JSON.
 */
export function checkCompiledSchema(text: string): void {
  // Both what zod's Standard Schema surface reports and the raw issues of its run, which the model locates. (Not the
  // run's output value, which the model does not read: for a "__proto__" key the compiled schema's output differs.)
  const issuesOf = (schema: typeof policySchema, value: unknown): unknown => {
    const run = schema._zod.run({ value, issues: [] }, { async: false });
    return [schema['~standard'].validate(value), run instanceof Promise ? run : run.issues];
  };
  const root = parse(text, { skeleton: POLICY_SKELETON }).root;
  const values: unknown[] = root ? [shellOf(root, policySchema)] : [];
  try {
    values.push(JSON.parse(text));
  } catch {
    // Not plain JSON: the shell is all there is.
  }
  for (const value of values) {
    assert.deepEqual(issuesOf(compiledPolicySchema, value), issuesOf(policySchema, value), 'compiled schema');
  }
}

export type Check = (text: string, options: FormattingOptions) => void;

export interface Property {
  readonly name: string;
  /** Share of the unit step's cases. */
  readonly weight: number;
  readonly check: Check;
}

export const PROPERTIES: readonly Property[] = [
  {
    name: 'ranges',
    weight: 3,
    check: (text) => checkRanges(text, analyzeChecked(text)),
  },
  {
    name: 'fixes',
    weight: 3,
    check: (text) => checkFixes(text, analyzeChecked(text)),
  },
  {
    name: 'formatting',
    weight: 2,
    check: (text, options) => checkFormatting(text, options),
  },
  {
    name: 'cli-vs-server',
    weight: 2,
    check: (text) => checkCliAgreesWithServer(text, analyzeChecked(text)),
  },
  {
    name: 'parse',
    weight: 2,
    check: (text) => checkParse(text),
  },
  {
    name: 'compiled-schema',
    weight: 1,
    check: (text) => checkCompiledSchema(text),
  },
];

/** All of them on one input: what the long campaign runs, so each generated text is checked every way. */
export const checkAll: Check = (text, options) => {
  const analysis = analyzeChecked(text);
  checkRanges(text, analysis);
  checkFixes(text, analysis);
  checkCliAgreesWithServer(text, analysis);
  checkFormatting(text, options);
  checkParse(text);
  checkCompiledSchema(text);
};

/** A fast-check property of a check over generated texts and formatting options. */
export function propertyOf(check: Check): fc.IPropertyWithHooks<[string, FormattingOptions]> {
  return fc.property(engineInput(), formattingOptions, check);
}
