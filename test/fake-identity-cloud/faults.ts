// Faults injected per request: "the next K requests matching METHOD + path pattern answer 500 / never answer / are
// applied but their answer is lost / answer HTML / answer late / answer 204 with no body", so a test can fail each step
// of a rotation in turn.

export const FAULT_KINDS = ['error500', 'timeout', 'reset', 'lostAnswer', 'notJson', 'slow', 'noContent'] as const;
/**
 * - `error500`: HTTP 500 with an HTML page; `timeout`: never answers (until the client gives up or close());
 *   `reset`: the connection is dropped; `notJson`: HTTP 200 with an HTML page. These change nothing unless
 *   `applied` is set, in which case the request is carried out first.
 * - `lostAnswer`: the request is carried out, then the connection is dropped (the caller never learns it worked).
 * - `slow`: the normal answer, `delayMs` late.
 * - `noContent`: the request is carried out, then answered HTTP 204 with no body (an API that echoes nothing).
 */
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultSpec {
  /** Default: any method. */
  method?: string;
  /**
   * The path (never the query) it matches, whole: a RegExp, or a pattern where `*` stands for one path segment
   * and `**` for anything, e.g. `/c0ffee…/config/loginPolicies/*`.
   */
  path: string | RegExp;
  kind: FaultKind;
  /** How many matching requests it hits. Default 1; Infinity until removed. */
  times?: number;
  /** Wait before the fault (or, for `slow`, before the normal answer). Default 0, `slow` 1000. */
  delayMs?: number;
  /** Carry the request out before the fault answers (error500, timeout, notJson). `lostAnswer`, `noContent` always are. */
  applied?: boolean;
}

/** What one request gets. */
export interface Fault {
  readonly kind: FaultKind;
  readonly delayMs: number;
  /** The request is carried out (its state change happens) before the fault, or, for `slow`, before the answer. */
  readonly applied: boolean;
}

/** A fault as `GET /__fake/faults` and `faults()` show it. */
export interface FaultState {
  id: number;
  method: string;
  path: string;
  kind: FaultKind;
  delayMs: number;
  applied: boolean;
  /** null: until removed. */
  remaining: number | null;
  hits: number;
}

interface Rule {
  id: number;
  method?: string;
  pattern: RegExp;
  source: string;
  fault: Fault;
  remaining: number;
  hits: number;
}

const isKind = (value: unknown): value is FaultKind => FAULT_KINDS.some((k) => k === value);

/** A path pattern as a RegExp: `**` any characters, `*` one segment, everything else literal. */
export function pathPattern(pattern: string): RegExp {
  const body = pattern
    .split('**')
    .map((part) =>
      part
        .split('*')
        .map((literal) => literal.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('[^/]*'),
    )
    .join('.*');
  return new RegExp(`^${body}$`);
}

export class FaultInjector {
  private readonly rules: Rule[] = [];
  private nextId = 1;

  /** Adds a fault; the first added that matches a request hits it. Returns its id (for remove). */
  add(spec: FaultSpec): number {
    if (!isKind(spec.kind)) throw new RangeError(`unknown fault kind; use one of ${FAULT_KINDS.join(', ')}`);
    const times = spec.times ?? 1;
    if (!(times >= 1) || (Number.isFinite(times) && !Number.isInteger(times))) {
      throw new RangeError('times must be a whole number from 1, or Infinity');
    }
    const delayMs = spec.delayMs ?? (spec.kind === 'slow' ? 1000 : 0);
    if (!Number.isFinite(delayMs) || delayMs < 0) throw new RangeError('delayMs must be 0 or more');
    const applied =
      spec.kind === 'lostAnswer' || spec.kind === 'slow' || spec.kind === 'noContent' || (spec.applied ?? false);
    if (spec.kind === 'reset' && spec.applied) throw new RangeError('reset with applied: use kind lostAnswer');
    const id = this.nextId++;
    this.rules.push({
      id,
      ...(spec.method ? { method: spec.method.toUpperCase() } : {}),
      pattern: typeof spec.path === 'string' ? pathPattern(spec.path) : spec.path,
      source: typeof spec.path === 'string' ? spec.path : String(spec.path),
      fault: { kind: spec.kind, delayMs, applied },
      remaining: times,
      hits: 0,
    });
    return id;
  }

  /** The fault for this request, counted as used; undefined when none matches. */
  take(method: string, path: string): Fault | undefined {
    const rule = this.rules.find(
      (r) => r.remaining > 0 && (r.method === undefined || r.method === method) && r.pattern.test(path),
    );
    if (!rule) return undefined;
    rule.remaining--;
    rule.hits++;
    return rule.fault;
  }

  remove(id: number): boolean {
    const index = this.rules.findIndex((r) => r.id === id);
    if (index >= 0) this.rules.splice(index, 1);
    return index >= 0;
  }

  clear(): void {
    this.rules.length = 0;
  }

  /** Every fault added and not removed, used up or not. */
  list(): FaultState[] {
    return this.rules.map((r) => ({
      id: r.id,
      method: r.method ?? '*',
      path: r.source,
      kind: r.fault.kind,
      delayMs: r.fault.delayMs,
      applied: r.fault.applied,
      remaining: Number.isFinite(r.remaining) ? r.remaining : null,
      hits: r.hits,
    }));
  }
}

/** A FaultSpec from the JSON (or form) a control request carries. Throws RangeError with the reason. */
export function faultSpecFrom(input: Record<string, unknown>): FaultSpec {
  const { method, path, kind, times, delayMs, applied } = input;
  if (typeof path !== 'string' || !path.startsWith('/')) throw new RangeError('path must be a pattern starting with /');
  if (!isKind(kind)) throw new RangeError(`kind must be one of ${FAULT_KINDS.join(', ')}`);
  const number = (value: unknown, name: string): number | undefined => {
    if (value === undefined || value === '') return undefined;
    if (value === 'always') return Infinity;
    const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
    if (!Number.isFinite(n)) throw new RangeError(`${name} must be a number`);
    return n;
  };
  const spec: FaultSpec = { path, kind };
  if (typeof method === 'string' && method !== '' && method !== '*') spec.method = method;
  const t = number(times, 'times');
  if (t !== undefined) spec.times = t;
  const d = number(delayMs, 'delayMs');
  if (d !== undefined) spec.delayMs = d;
  if (applied === true || applied === 'true') spec.applied = true;
  return spec;
}
