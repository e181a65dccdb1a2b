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

export class SecretRedactor {
  private readonly secrets = new Set<string>();

  /**
   * Remembers a secret seen in a document, SecretStorage or a response, so later text can be masked: as it is, as
   * JSON text quotes it (a value in a log line) and as a JSON message quotes JSON text (a document in a trace).
   */
  add(secret: string | undefined): void {
    if (!secret || secret.length < MIN_SECRET_LENGTH) return;
    this.secrets.add(secret);
    const escaped = jsonEscaped(secret);
    if (escaped !== secret) this.secrets.add(escaped);
    this.secrets.add(jsonEscaped(escaped));
  }

  redact(text: string): string {
    // Known secrets first, whole: the property pattern can end a value early at an escaped quote inside it, and
    // would leave the rest of a known secret in pieces that no longer match it.
    let out = text;
    for (const secret of this.secrets) {
      if (out.includes(secret)) out = out.split(secret).join(MASK);
    }
    return out.replace(SECRET_PROPERTY, (_m, open: string, _value: string, close: string) => `${open}${MASK}${close}`);
  }
}

/** The text as it stands between the quotes of a JSON string. */
function jsonEscaped(text: string): string {
  return JSON.stringify(text).slice(1, -1);
}
