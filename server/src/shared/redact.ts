// Masks secrets in any text about to leave the process (logs, traces, error messages). Defence in depth: nothing is
// supposed to print a secret in the first place; this catches what slips through. Shared by client and server.

const MASK = '••••••••';

/** `••••••••g5h4`: how a secret may be shown to its owner in a hover, never in logs. */
export function maskSecret(secret: string): string {
  return secret.length >= 12 ? `${MASK}${secret.slice(-4)}` : MASK;
}

/** JSON properties whose string value is a credential, in plain or JSON-escaped text. */
const SECRET_PROPERTY =
  /((?:\\*")(?:clientSecret|client_secret|_secret|secret|new_secret|password|access_token)(?:\\*")\s*:\s*(?:\\*"))((?:[^"\\]|\\.)*?)((?:\\*"))/g;

/** Shorter values are never masked as secrets: they would mask ordinary words. Real secrets are much longer. */
export const MIN_SECRET_LENGTH = 8;

/** Replaced secrets kept masked, in forms (each secret has up to three): the last hundred or so. */
const RECENT_FORMS = 300;

export class SecretRedactor {
  /** Secrets kept for the whole session (credentials, responses, deployed baselines), in every form. */
  private readonly permanent = new Set<string>();
  /**
   * The secret each document embeds now, in every form: replaced when the document's secret changes, so that the
   * prefixes a user typed on the way to a secret are not kept for the rest of the session.
   */
  private readonly current = new Map<string, readonly string[]>();
  /** How many documents embed each form now (many files share one owner secret). */
  private readonly currentCounts = new Map<string, number>();
  /**
   * Forms no document embeds any more, newest last, at most RECENT_FORMS: a log line about a version just replaced
   * (a live check still under way, an error) may still hold its secret, so it stays masked for a while.
   */
  private readonly recent: string[] = [];
  /** Every known form once, longest first; recomputed after the set of forms changed. */
  private ordered: readonly string[] | undefined;

  /**
   * Remembers a secret seen in a document, SecretStorage or a response, so later text can be masked: as it is, as
   * JSON text quotes it (a value in a log line) and as a JSON message quotes JSON text (a document in a trace).
   */
  add(secret: string | undefined): void {
    for (const form of formsOf(secret)) {
      if (this.permanent.has(form)) continue;
      this.permanent.add(form);
      this.ordered = undefined;
    }
  }

  /** The secret a document (by uri) embeds now, replacing the one it embedded before; undefined: none any more. */
  setCurrent(key: string, secret: string | undefined): void {
    const forms = formsOf(secret);
    const before = this.current.get(key) ?? [];
    if (before.length === forms.length && before.every((form, i) => form === forms[i])) return;
    for (const form of before) this.count(form, -1);
    for (const form of forms) this.count(form, +1);
    if (forms.length > 0) this.current.set(key, forms);
    else this.current.delete(key);
  }

  /** A document is gone: its secret is no longer masked, unless another document or the session knows it. */
  forget(key: string): void {
    this.setCurrent(key, undefined);
  }

  redact(text: string): string {
    // Known secrets first, whole: the property pattern can end a value early at an escaped quote inside it, and
    // would leave the rest of a known secret in pieces that no longer match it. Longest first, so that a secret's
    // prefix (a shorter secret: what a user had typed so far) never masks only the start of the whole one.
    let out = text;
    for (const secret of this.orderedSecrets()) {
      if (out.includes(secret)) out = out.split(secret).join(MASK);
    }
    return out.replace(SECRET_PROPERTY, (_m, open: string, _value: string, close: string) => `${open}${MASK}${close}`);
  }

  private count(form: string, delta: number): void {
    const count = (this.currentCounts.get(form) ?? 0) + delta;
    if (count > 0) this.currentCounts.set(form, count);
    else {
      this.currentCounts.delete(form);
      this.remember(form);
    }
    // Only a form that appeared or went changes what is masked.
    if (count === 0 || count === delta) this.ordered = undefined;
  }

  private remember(form: string): void {
    const at = this.recent.indexOf(form);
    if (at >= 0) this.recent.splice(at, 1);
    this.recent.push(form);
    if (this.recent.length > RECENT_FORMS) this.recent.shift();
  }

  private orderedSecrets(): readonly string[] {
    this.ordered ??= [...new Set([...this.permanent, ...this.currentCounts.keys(), ...this.recent])].sort(
      (a, b) => b.length - a.length,
    );
    return this.ordered;
  }
}

/** A secret as it is, JSON-escaped once and twice; nothing for a value too short to be one. */
function formsOf(secret: string | undefined): string[] {
  if (!secret || secret.length < MIN_SECRET_LENGTH) return [];
  const escaped = jsonEscaped(secret);
  return [...new Set([secret, escaped, jsonEscaped(escaped)])];
}

/** The text as it stands between the quotes of a JSON string. */
function jsonEscaped(text: string): string {
  return JSON.stringify(text).slice(1, -1);
}
