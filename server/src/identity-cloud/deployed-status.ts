// The deployed state as `login-policy-lint status` and the editor's "Show Deployment Status" report it (DESIGN §13):
// the pulled folder read back, and for each pulled login policy its title, Hosted Login version, the OIDC clients
// bound to it, and the state of its embedded owner secret, judged by the engine's own verdict from the fingerprints
// (and live checks), exactly as the editor judges the same file. No request is made here.
import path from 'node:path';
import { analyze } from '../engine/analyze';
import type { AnalysisFacts, LiveCheck } from '../engine/facts';
import { knownClientsFrom, type RecordedFingerprint } from '../engine/owner-secret/known-clients';
import { ownerSecretVerdict, type OwnerSecretVerdict } from '../engine/owner-secret/verdict';
import { clientName, evidenceWords, liveAnswerWords, rotatedWhen, staleWhy } from '../engine/owner-secret/words';
import { parseLoginUrl } from '../engine/policy/login-url';
import { PATHS } from '../engine/policy/paths';
import type { LoadedConfig } from '../project/config-store';
import { isObject } from './api-types';
import { relative } from './display-path';
import { CLIENTS_DIR, metaOf, PULLED_FILE, readPulledFiles, type PulledMeta } from './pulled-folder';

export type SecretStateName = 'current' | 'rotated' | 'stale' | 'not-owner' | 'unknown' | 'check-failed';

/** One row, in the shape of `status --format json`. */
export interface StatusRow {
  readonly id: string;
  readonly title: string;
  readonly version: 'v1' | 'v2' | 'other';
  readonly clients: readonly { readonly id: string; readonly name: string }[];
  readonly secret: { readonly state: SecretStateName; readonly validUntil?: string; readonly why: string };
}

/** Sign-in through the policy fails now. */
export const BROKEN: readonly SecretStateName[] = ['stale', 'not-owner'];

/** The order rows are shown in: what breaks sign-in first, what is fine last. */
const ORDER: readonly SecretStateName[] = ['stale', 'not-owner', 'rotated', 'check-failed', 'unknown', 'current'];

export interface PulledPolicy {
  /** The file's name without `.json`: the id the policy was pulled under. */
  readonly fileId: string;
  readonly text: string;
}

export interface PulledClient {
  readonly id: string;
  readonly name: string;
  readonly loginPolicy: string | undefined;
}

/** A check that could not be made for one policy (it is gone from Identity Cloud): overrides the verdict's state. */
export interface NotChecked {
  readonly why: string;
}

export function statusRows(
  policies: readonly PulledPolicy[],
  clients: readonly PulledClient[],
  facts: AnalysisFacts,
  now: Date,
  notChecked: ReadonlyMap<string, NotChecked> = new Map(),
): StatusRow[] {
  const rows = policies.map((policy): StatusRow => {
    const analysis = analyze(policy.text, { facts, now });
    const model = analysis.model;
    const id = model.string(PATHS.id) ?? policy.fileId;
    const url = parseLoginUrl(model.string(['loginURL']) ?? '');
    const version = url?.version === 1 ? 'v1' : url?.version === 2 ? 'v2' : 'other';
    const bound = clients.filter((c) => c.loginPolicy === id).map(({ id: clientId, name }) => ({ id: clientId, name }));
    const verdict = analysis.limit ? undefined : ownerSecretVerdict(model, facts, now);
    const gone = notChecked.get(id);
    return {
      id,
      title: model.string(['title']) ?? '',
      version,
      clients: bound,
      secret: gone
        ? { state: 'check-failed', why: gone.why }
        : verdict
          ? secretOf(verdict, now)
          : { state: 'unknown', why: 'the policy has no owner clientId and clientSecret to judge' },
    };
  });
  return rows.sort((a, b) => ORDER.indexOf(a.secret.state) - ORDER.indexOf(b.secret.state));
}

/** The state, and why, in the words the editor's messages use. */
function secretOf(verdict: OwnerSecretVerdict, now: Date): StatusRow['secret'] {
  const { owner, secret } = verdict;
  const who = clientName(verdict.clientId, verdict.client);
  if (owner.kind === 'not-owner') {
    const why =
      owner.evidence.kind === 'live'
        ? `${liveAnswerWords(owner.evidence.check)}: ${who} is not an owner client (${evidenceWords(owner.evidence, now).replace(/^per /, '')})`
        : `${who} lacks the "owner" feature (${evidenceWords(owner.evidence, now)})`;
    return { state: 'not-owner', why };
  }
  switch (secret.kind) {
    case 'current':
      return { state: 'current', why: `the current secret of ${who} (${evidenceWords(secret.evidence, now)})` };
    case 'rotated':
      return {
        state: 'rotated',
        ...(secret.validUntil ? { validUntil: secret.validUntil.toISOString() } : {}),
        why: `a replaced secret of ${who}, accepted ${rotatedWhen(secret, now)} (${evidenceWords(secret.evidence, now)})`,
      };
    case 'stale':
      return {
        state: 'stale',
        ...(secret.expiredAt ? { validUntil: secret.expiredAt.toISOString() } : {}),
        why: staleWhy(verdict, secret, now),
      };
    case 'check-failed':
      return { state: 'check-failed', why: liveAnswerWords(secret.check) };
    case 'unknown':
      return {
        state: 'unknown',
        why: `the current secret of ${who} is not known: run "login-policy-lint pull --owner-clients", add its fingerprint to .loginpolicyrc.json, or use --verify`,
      };
  }
}

/** The pulled folder as status reads it. */
export interface PulledState {
  readonly meta: PulledMeta;
  readonly policies: PulledPolicy[];
  readonly clients: PulledClient[];
}

/**
 * The pulled folder's policies and OIDC clients; undefined when it holds no pulled.json (nothing was pulled there).
 * A client file that is not an OIDC client is skipped with a warning through `io.stderr`.
 */
export function readPulledState(
  outDir: string,
  io: { readonly cwd: string; readonly stderr: (text: string) => void },
): PulledState | undefined {
  const files = readPulledFiles(outDir);
  const meta = metaOf(files);
  if (!meta) return undefined;
  const policies: PulledPolicy[] = [];
  const clients: PulledClient[] = [];
  for (const [file, text] of files) {
    if (file === PULLED_FILE) continue;
    if (!file.startsWith(`${CLIENTS_DIR}/`)) {
      policies.push({ fileId: path.basename(file, '.json'), text });
      continue;
    }
    const client = clientOf(text);
    if (client) clients.push(client);
    else
      io.stderr(
        `login-policy-lint: warning: ${relative(io.cwd, outDir)}/${file} is not an OIDC client; pull again to restore it.\n`,
      );
  }
  return { meta, policies, clients };
}

function clientOf(text: string): PulledClient | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObject(value) || typeof value['id'] !== 'string') return undefined;
  return {
    id: value['id'],
    name: typeof value['name'] === 'string' ? value['name'] : '',
    loginPolicy: typeof value['loginPolicy'] === 'string' ? value['loginPolicy'] : undefined,
  };
}

/**
 * What the verdicts are judged with: the config's `clients` (named relative to `cwd` in the words), the fingerprints
 * recorded in the editor (they win, as in the language server), and live checks when there were any.
 */
export function statusFacts(
  config: LoadedConfig | undefined,
  cwd: string,
  recorded: readonly RecordedFingerprint[] = [],
  liveChecks?: ReadonlyMap<string, LiveCheck>,
): AnalysisFacts {
  return {
    clients: knownClientsFrom(
      config && { path: relative(cwd, config.path), clients: config.config?.clients },
      recorded,
    ),
    ...(liveChecks ? { liveChecks } : {}),
  };
}
