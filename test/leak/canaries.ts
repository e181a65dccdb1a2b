// The canary secrets the leak tests plant, and every form in which one could slip out of a tool: as it is, in any
// letter case, JSON-escaped once (a value quoted in a message) or twice (a document inside a JSON message),
// URL-encoded, in base64 Basic auth, as its first 16 or last 8 characters, or as its full fingerprint.
import assert from 'node:assert/strict';
import { fingerprint } from '../../server/src/shared/fingerprint';

export const CLIENT_ID = 'l3akt3stc1i3ntl3akt3stc1i3ntabcd';
/** The embedded stale secret. It holds a quote and a backslash, so its JSON-escaped forms differ from it. */
export const CANARY = 'c4n4ry"1eak\\7e5tc4n4ry1eak7e5tq9';
/** Only in a deployed snapshot (and moved into another field by a new policy): the server knows it from nowhere else. */
export const DEPLOYED_CANARY = 'd3p1oy3dc4n4ryd3p1oy3dc4n4ry7x6w';
/** The owner client's current secret: embedded in the policy that replaced the deployed one. */
export const CURRENT = 'n3wcurr3ntn3wcurr3ntn3wcurr3nt42';
/** The configuration client (a confidential OIDC client with the config scope) and a second owner API client. */
export const CONFIG_CLIENT_ID = 'c0c0c0c0-1eak-4000-8000-000000000001';
export const OWNER_CLIENT_ID = '0wn3r1d0wn3r1d0wn3r1d0wn3r1d0w99';
/** The configuration client's secret (LOGIN_POLICY_CONFIG_CLIENT_SECRET of pull and status): only in the environment. */
export const CONFIG_CANARY = 'cfgc4n4ry-Tok3nCl13nt/S3cr3t+c4n4ry==';
/** A second owner client's secret (LOGIN_POLICY_OWNER_CLIENT_SECRET of pull --owner-clients), embedded nowhere. */
export const OWNER_CANARY = '0wn3rc4n4ry0wn3rc4n4ry0wn3rc4n55';
/** A secret an OIDC client's GET answer carries (were the API to add one): pull writes its fingerprint only. */
export const OIDC_CANARY = '01dcc4n4ry01dcc4n4ry01dcc4n4ry66';
/** A wrong configuration client secret: refused by the token endpoint, and no more to be printed than a right one. */
export const WRONG_CANARY = 'wr0ngc4n4rywr0ngc4n4rywr0ngc4n88';
/** The new owner secret a rotation moves policies to (LOGIN_POLICY_NEW_OWNER_SECRET): embedded only in new policies. */
export const NEW_CANARY = 'n3wr0t4t3dc4n4ryn3wr0t4t3dc4n4r7';

/** The text between the quotes of a JSON string holding `text`. */
export function jsonEscaped(text: string): string {
  return JSON.stringify(text).slice(1, -1);
}

/** Every form of a secret that must not appear (compared case-insensitively), except its fingerprint. */
function formsOf(secret: string, clientId: string): string[] {
  const encodings = (text: string) => [
    text,
    jsonEscaped(text),
    jsonEscaped(jsonEscaped(text)),
    encodeURIComponent(text),
  ];
  return [
    ...encodings(secret),
    // A careless mask: more than the last 4 characters a hover may show, or the front.
    ...encodings(secret.slice(0, 16)),
    ...encodings(secret.slice(-8)),
    Buffer.from(`${clientId}:${secret}`).toString('base64'),
    Buffer.from(secret).toString('base64'),
  ];
}

export interface Forbidden {
  /** Which canary, for the failure message. */
  readonly name: string;
  /** Lower case: outputs are searched case-insensitively. */
  readonly form: string;
  readonly fingerprint: boolean;
}

/** Every form of one secret, and its full fingerprint (for a secret only known at run time, such as a reset's). */
export function forbidden(name: string, secret: string, clientId = CLIENT_ID): Forbidden[] {
  const forms = [...new Set(formsOf(secret, clientId).map((f) => f.toLowerCase()))];
  return [
    ...forms.map((form) => ({ name, form, fingerprint: false })),
    { name, form: fingerprint(secret), fingerprint: true },
  ];
}

/** Every form of every canary, and their full fingerprints. */
export const FORBIDDEN: readonly Forbidden[] = [
  ...forbidden('the stale canary', CANARY),
  ...forbidden('the deployed canary', DEPLOYED_CANARY),
  ...forbidden('the current secret', CURRENT),
  ...forbidden('the configuration client secret', CONFIG_CANARY, CONFIG_CLIENT_ID),
  ...forbidden('the owner client secret', OWNER_CANARY, OWNER_CLIENT_ID),
  ...forbidden("an OIDC client's secret", OIDC_CANARY),
  ...forbidden('the wrong configuration client secret', WRONG_CANARY, CONFIG_CLIENT_ID),
  ...forbidden('the new owner secret of a rotation', NEW_CANARY),
];

/** What `fingerprint` and `import-clients` exist to print is the stale canary's full fingerprint; its secret, never. */
export const SECRET_FORMS: readonly Forbidden[] = FORBIDDEN.filter((f) => f.form !== fingerprint(CANARY));

/**
 * The secrets alone, for what the client sends: the protocol carries fingerprints by design (the recorded ones,
 * and a config's text), so the client's trace shows them; only the server must not echo them.
 */
export const SECRETS_ONLY: readonly Forbidden[] = FORBIDDEN.filter((f) => !f.fingerprint);

/** Fails if `output` holds any forbidden form, in any letter case, naming the canary and showing where. */
export function assertClean(what: string, output: string, forbiddenList: readonly Forbidden[] = FORBIDDEN): void {
  const lower = output.toLowerCase();
  for (const { name, form } of forbiddenList) {
    const at = lower.indexOf(form);
    assert.ok(
      at < 0,
      `${what} contains ${name} (as ${JSON.stringify(form)}): …${output.slice(Math.max(0, at - 200), at + 80)}…`,
    );
  }
}
