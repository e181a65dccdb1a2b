// The seeded 1,000-edit keystroke trace (REPORT §4): TextDocument.update + full revalidation, P and D interleaved.
import type { Position, TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyzeOptionsFor, createJsonService, pipelineP, POLICY_URI } from './contenders';
import { claimSpans, intBelow, mulberry32, pick, SEED, type ClaimSpan } from './generate';
import { latency, msSince, type Latency } from './stats';

/** Characters typed inside claim values; `.`, space, `-` and digits can make the path invalid. */
const TYPED = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_______.... -0123456789';

interface Edit {
  readonly kind: 'type' | 'delete-quote' | 'delete-comma' | 'delete-colon' | 'revert';
  readonly change: TextDocumentContentChangeEvent;
}

export interface TraceResult {
  readonly edits: number;
  readonly warmupEdits: number;
  readonly kinds: Record<string, number>;
  readonly P: Latency;
  readonly D: Latency;
  /** p95(P) / p95(D) and median(P) / median(D), same run. */
  readonly p95Ratio: number;
  readonly medianRatio: number;
  /** Edits after which P / D reported at least one diagnostic. */
  readonly editsWithDiagnostics: { readonly P: number; readonly D: number };
  readonly samples: { readonly P: number[]; readonly D: number[] };
  readonly durationMs: number;
}

/** Line starts of a text, for offset → position without touching the documents under test. */
function positionsOf(text: string): (offset: number) => Position {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: offset - starts[lo]! };
  };
}

/**
 * `pairs` edit/revert pairs on `base`: 90 % type one character inside a claim value, 10 % delete a closing quote, a
 * comma or a colon (a syntax error). Each pair starts from `base`, so positions come from the base text.
 */
export function makeTrace(base: string, pairs: number, seed: number): Edit[] {
  const rng = mulberry32(seed);
  const spans = claimSpans(base);
  if (spans.length === 0) throw new Error('edit trace: no claim lines found in the fixture');
  const at = positionsOf(base);
  const edits: Edit[] = [];
  const oneChar = (offset: number): { start: Position; end: Position } => {
    const start = at(offset);
    return { start, end: { line: start.line, character: start.character + 1 } };
  };
  for (let i = 0; i < pairs; i++) {
    const span: ClaimSpan = pick(rng, spans);
    if (rng() < 0.9) {
      const offset = span.valueOffset + 1 + intBelow(rng, span.valueLength - 1);
      const start = at(offset);
      edits.push({ kind: 'type', change: { range: { start, end: start }, text: pick(rng, [...TYPED]) } });
      edits.push({ kind: 'revert', change: { range: oneChar(offset), text: '' } });
    } else {
      const which = pick(rng, ['quote', 'comma', 'colon'] as const);
      const offset =
        which === 'colon'
          ? span.colonOffset
          : which === 'comma' && span.commaOffset >= 0
            ? span.commaOffset
            : span.valueOffset + span.valueLength - 1;
      const kind = which === 'comma' && span.commaOffset < 0 ? 'quote' : which;
      const range = oneChar(offset);
      edits.push({ kind: `delete-${kind}`, change: { range, text: '' } });
      edits.push({ kind: 'revert', change: { range: { start: range.start, end: range.start }, text: base[offset]! } });
    }
  }
  return edits;
}

/** Replays the trace on one TextDocument per approach; every edit is timed for both, in alternating order. */
export async function runTrace(base: string, pairs = 500, warmupPairs = 50): Promise<TraceResult> {
  const started = process.hrtime.bigint();
  const json = createJsonService();
  const options = analyzeOptionsFor(base);
  let docP = TextDocument.create(POLICY_URI, 'login-policy', 1, base);
  let docD = TextDocument.create(POLICY_URI, 'json', 1, base);

  const stepP = (change: TextDocumentContentChangeEvent): [number, number] => {
    const start = process.hrtime.bigint();
    docP = TextDocument.update(docP, [change], docP.version + 1);
    const count = pipelineP(docP, options).length;
    return [msSince(start), count];
  };
  const stepD = async (change: TextDocumentContentChangeEvent): Promise<[number, number]> => {
    const start = process.hrtime.bigint();
    docD = TextDocument.update(docD, [change], docD.version + 1);
    const count = (await json.validate(docD)).length;
    return [msSince(start), count];
  };

  // Untimed warm-up on a differently seeded trace; every pair reverts, so both documents end as `base`.
  for (const edit of makeTrace(base, warmupPairs, SEED + 1)) {
    stepP(edit.change);
    await stepD(edit.change);
  }

  const trace = makeTrace(base, pairs, SEED);
  const samplesP: number[] = [];
  const samplesD: number[] = [];
  const kinds: Record<string, number> = {};
  let withP = 0;
  let withD = 0;
  for (let i = 0; i < trace.length; i++) {
    const edit = trace[i]!;
    kinds[edit.kind] = (kinds[edit.kind] ?? 0) + 1;
    let p: [number, number];
    let d: [number, number];
    if (i % 2 === 0) {
      p = stepP(edit.change);
      d = await stepD(edit.change);
    } else {
      d = await stepD(edit.change);
      p = stepP(edit.change);
    }
    samplesP.push(p[0]);
    samplesD.push(d[0]);
    if (p[1] > 0) withP++;
    if (d[1] > 0) withD++;
  }
  if (docP.getText() !== base || docD.getText() !== base) throw new Error('edit trace did not revert to the base text');
  const P = latency(samplesP);
  const D = latency(samplesD);
  return {
    edits: trace.length,
    warmupEdits: warmupPairs * 2,
    kinds,
    P,
    D,
    p95Ratio: P.p95 / D.p95,
    medianRatio: P.median / D.median,
    editsWithDiagnostics: { P: withP, D: withD },
    samples: { P: samplesP, D: samplesD },
    durationMs: msSince(started),
  };
}
