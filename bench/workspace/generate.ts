// Seeded workspaces of N ~1 KB login policies sharing owner clients, two OIDC client files per policy and a
// .loginpolicyrc.json, written to a folder for the workspace benchmark (issue 9). Same seed, same bytes.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { fingerprint } from '../../server/src/shared/fingerprint';
import { ALNUM, chars, intBelow, mulberry32, pick, SEED, uuid, type Rng } from '../generate';

/** How the policies share owner clients, and whether the config records their current secrets. */
export interface WorkspaceShape {
  /** Owner clients the policies are spread over (round robin). */
  readonly owners: number;
  /** True: `.loginpolicyrc.json` records each owner's current secret fingerprint (the policies are "current"). */
  readonly recorded: boolean;
}

export interface PolicyFile {
  readonly file: string;
  readonly uri: string;
  readonly text: string;
  /** Index of its owner client. */
  readonly owner: number;
}

export interface GeneratedWorkspace {
  readonly dir: string;
  readonly policies: readonly PolicyFile[];
  readonly clientFiles: number;
  /** Bytes of all policy files. */
  readonly policyBytes: number;
  /** Planted findings by rule id: how many policies carry one (each policy at most one of a kind). */
  readonly planted: Readonly<Record<string, number>>;
  readonly shape: WorkspaceShape;
  /** Kept to rewrite the config; never part of a result (they hold the generated secrets). */
  readonly owners: readonly OwnerClient[];
}

/** Files per folder: policies/batch-000/…, clients/batch-000/… (real repositories group them too). */
const BATCH = 500;

const CLAIMS: readonly (readonly [string, string])[] = [
  ['newsletter', 'optIn.status'],
  ['display_name', 'displayName'],
  ['zip', 'primaryAddress.zip'],
  ['city', 'primaryAddress.city'],
  ['tier', 'loyalty.tier'],
  ['since', 'loyalty.since'],
  ['store', 'preferences.store'],
  ['custNo', 'profiles.identifier'],
  ['lang', 'preferences.locale'],
  ['segment', 'statuses.segment'],
];
const SITES = ['web', 'shop', 'app', 'portal', 'kiosk', 'partners', 'support', 'careers'] as const;

/** Fisher–Yates with the seeded generator. */
function shuffled<T>(rng: Rng, items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = intBelow(rng, i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

export interface OwnerClient {
  readonly clientId: string;
  readonly secret: string;
}

/** Owner clients of one Capture application (one domain and application id), as many as asked. */
export function ownerClients(rng: Rng, count: number): OwnerClient[] {
  return Array.from({ length: count }, () => ({ clientId: chars(rng, ALNUM, 32), secret: chars(rng, ALNUM, 32) }));
}

/** A fresh owner secret for the "edit the embedded secret" measure (same format, another value). */
export function otherSecret(seed: number): string {
  return chars(mulberry32(seed), ALNUM, 32);
}

/**
 * Writes `count` policies (plus two client files each and the config) into `dir`. Planted findings, by index: every
 * 10th policy uses the Hosted Login v1 path (hosted-login-v1, info), every 25th has a claim value that is not an
 * attribute path (custom-claims, warning), every 50th an unknown top-level key (unknown-property, warning).
 */
export function writeWorkspace(dir: string, count: number, shape: WorkspaceShape): GeneratedWorkspace {
  const rng = mulberry32(SEED ^ count);
  const customerId = uuid(rng);
  const region = pick(rng, ['us', 'eu', 'au'] as const);
  const domain = `acme-prod.${region}.janraincapture.com`;
  const applicationId = chars(rng, ALNUM, 26);
  const owners = ownerClients(rng, shape.owners);
  const policies: PolicyFile[] = [];
  const planted: Record<string, number> = { 'hosted-login-v1': 0, 'custom-claims': 0, 'unknown-property': 0 };
  let policyBytes = 0;
  let clientFiles = 0;
  for (let i = 0; i < count; i++) {
    const batch = `batch-${String(Math.floor(i / BATCH)).padStart(3, '0')}`;
    const name = `${pick(rng, SITES)}-${String(i).padStart(5, '0')}`;
    const id = uuid(rng);
    const owner = i % owners.length;
    const { clientId, secret } = owners[owner]!;
    const claims = shuffled(rng, CLAIMS).slice(0, 6);
    const idToken = Object.fromEntries(claims.slice(0, 3));
    const userinfo = Object.fromEntries(claims.slice(3));
    if (i % 25 === 7) {
      userinfo['segment_label'] = 'statuses segment'; // a space: not an attribute path
      planted['custom-claims']!++;
    }
    const v1 = i % 10 === 3;
    if (v1) planted['hosted-login-v1']!++;
    const policy: Record<string, unknown> = {
      id,
      title: `ACME ${region.toUpperCase()} ${name} Login Policy`,
      loginURL: `https://v1.api.${region}.janrain.com/${customerId}/auth-ui/${v1 ? 'login' : 'v2/login'}`,
      identityStoreDetails: {
        type: 'janrainCapture',
        connectionDetails: { domain, applicationId, entityType: 'user', clientId, clientSecret: secret },
      },
      customClaims: { id_token: idToken, userinfo },
      _links: { self: { href: `/${customerId}/config/loginPolicies/${id}` } },
    };
    if (i % 50 === 11) {
      policy['comment'] = 'migrated from the 2024 tenant'; // not a policy property
      planted['unknown-property']!++;
    }
    const text = `${JSON.stringify(policy, null, 2)}\n`;
    const file = path.join(dir, 'policies', batch, `${name}.loginpolicy.json`);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
    policies.push({ file, uri: pathToFileURL(file).href, text, owner });
    policyBytes += text.length;
    for (const [kind, type] of [
      ['web', 'public'],
      ['server', 'confidential'],
    ] as const) {
      const client = {
        id: uuid(rng),
        name: `ACME ${name} ${kind}`,
        redirectURIs: [`https://${name}.acme.example/callback`],
        loginPolicy: id,
        tokenPolicy: uuid(rng),
        type,
      };
      const clientFile = path.join(dir, 'clients', batch, `${name}-${kind}.json`);
      mkdirSync(path.dirname(clientFile), { recursive: true });
      writeFileSync(clientFile, `${JSON.stringify(client, null, 2)}\n`);
      clientFiles++;
    }
  }
  writeConfig(dir, owners, shape.recorded);
  return { dir, policies, clientFiles, policyBytes, planted, shape, owners };
}

/**
 * The workspace's `.loginpolicyrc.json`: the owner clients (with their fingerprints when `recorded`), and no deployed
 * baseline, so that no `git` process is part of what is timed (and a temp folder inside a repository changes nothing).
 */
function writeConfig(dir: string, owners: readonly OwnerClient[], recorded: boolean): void {
  const config = {
    clients: owners.map((o, i) => ({
      clientId: o.clientId,
      features: ['owner'],
      ...(recorded ? { secretSha256: fingerprint(o.secret) } : {}),
      label: `owner ${i + 1}`,
    })),
    baseline: 'none',
  };
  writeFileSync(path.join(dir, '.loginpolicyrc.json'), `${JSON.stringify(config, null, 2)}\n`);
}

/** Rewrites the config of a generated workspace to record (or not) the owner fingerprints. */
export function setRecorded(workspace: GeneratedWorkspace, recorded: boolean): GeneratedWorkspace {
  writeConfig(workspace.dir, workspace.owners, recorded);
  return { ...workspace, shape: { ...workspace.shape, recorded } };
}
