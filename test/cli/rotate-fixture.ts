// A world for `rotate` tests: the fake Identity Cloud on 127.0.0.1 (ephemeral port) with one owner client, one login
// policy embedding its current secret and N OIDC clients bound to it, a configuration client, and a project folder
// with a policy file, an OIDC client file and a .loginpolicyrc.json that allows the fake's host. The CLI is spawned
// as a user runs it, with exactly the credentials a test gives; every output and the journal are checked for every
// secret the fake holds or has held. Sign-ins run through every client while a test wants them.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loginPolicyBody } from '../fake-identity-cloud/bodies';
import { CONFIG_SCOPE, FakeIdentityCloud, type SignInLoad } from '../fake-identity-cloud/server';
import { cliPath, type CliRun } from '../support/cli';
import { IdentityCloudClient } from '../../server/src/identity-cloud/identity-cloud-client';
import { fingerprintedSecret } from '../../server/src/shared/fingerprint';
import { assertNoSecret, embeddedSecret } from './cloud-fixture';

export const CUSTOMER = '40a7a7e0-0000-4000-8000-000000000001';
export const APP = 'r0t4t10n4pp1d00000000000ab';
export const OWNER = {
  clientId: 'r0t4t3own3rc1i3ntr0t4t3own3rc1i3',
  secret: 'r0t4t3curr3nts3cr3tr0t4t3curr3nt',
} as const;
export const CONFIG_CLIENT = {
  id: 'c0f1c11e-0000-4000-8000-00000000c0f1',
  secret: 'R0tat3C0nfigCl13ntS3cr3t-xyzXYZ0123456789',
} as const;
export const POLICY_TITLE = 'ACME Login Policy';
/** The policy file and OIDC client file the project folder holds (when asked for). */
export const POLICY_FILE = 'policies/acme.loginpolicy.json';
export const NEW_POLICY_FILE = 'policies/acme.new.loginpolicy.json';
export const CLIENT_FILE = 'apps/web.oidcclient.json';
/** The bar's rotation: a reset with one hour of grace, the old policy deleted, carried out. */
export const RESET_1H_DELETE_APPLY = ['--reset-secret', '--hours-to-live', '1', '--delete-old', '--apply'] as const;

export interface WorldOptions {
  /** OIDC clients bound to the policy. */
  readonly clients: number;
  /** Other policies embedding the same owner secret (a reset would put them on the clock too). */
  readonly siblings?: number;
}

export interface RotationWorld {
  readonly cloud: FakeIdentityCloud;
  readonly dir: string;
  readonly policyId: string;
  readonly clientIds: readonly string[];
  readonly siblingIds: readonly string[];
  /** The configuration client's and the owner client's credentials, and where the fake is. */
  readonly env: Record<string, string>;
  /** Spawns the CLI in `dir` and checks that nothing it printed holds a secret and that there is no stack trace. */
  run(args: readonly string[], options?: { env?: Record<string, string>; input?: string }): Promise<CliRun>;
  /** Spawns the CLI and hands back the process (to kill it) and its result. */
  start(args: readonly string[], env?: Record<string, string>): { child: ChildProcess; done: Promise<CliRun> };
  /** Every secret the fake holds or has held (the owner's old and new ones, the configuration client's, embedded). */
  secrets(): string[];
  /** The journal of the old policy, parsed (undefined when there is none), after checking it holds no secret. */
  journal(id?: string): Journal | undefined;
  read(file: string): string;
  /** Policies whose title says they replace the old one. */
  newPolicies(): Record<string, unknown>[];
  /** The configuration API as someone in the Console uses it, behind the rotation's back. */
  readonly console: IdentityCloudClient;
  /** Signs in through every login client at about 200 per second in total until stopped. */
  startSignIns(): SignInLoad;
  close(): Promise<void>;
}

export interface Journal {
  done: boolean;
  aborted: boolean;
  newPolicy: { title: string; id: string | null };
  steps: { id: string; state: string; ms?: number; note?: string }[];
  [key: string]: unknown;
}

export async function startWorld(options: WorldOptions): Promise<RotationWorld> {
  const cloud = await FakeIdentityCloud.start({
    customerId: CUSTOMER,
    applicationId: APP,
    clients: [
      {
        clientId: OWNER.clientId,
        features: ['access_issuer', 'direct_access', 'owner'],
        secrets: [{ secret: OWNER.secret }],
      },
    ],
  });
  cloud.addOidcClient({
    id: CONFIG_CLIENT.id,
    name: 'rotation configuration client',
    type: 'confidential',
    tokenPolicy: 'tp-config',
    secret: CONFIG_CLIENT.secret,
    tokenScopes: [CONFIG_SCOPE],
  });
  const body = (title: string) =>
    loginPolicyBody({
      domain: cloud.host,
      title,
      clientId: OWNER.clientId,
      clientSecret: OWNER.secret,
      applicationId: APP,
    });
  const policy = cloud.addLoginPolicy(
    { ...body(POLICY_TITLE), customClaims: { id_token: { tier: 'loyalty.tier' } } },
    { pushClaims: true, allowedResponseTypes: ['code', 'token id_token'] },
  );
  const policyId = String(policy['id']);
  const clientIds: string[] = [];
  for (let i = 0; i < options.clients; i++) {
    const client = cloud.addOidcClient({
      name: `ACME app ${i + 1}`,
      type: i % 2 === 0 ? 'public' : 'confidential',
      loginPolicy: policyId,
      tokenPolicy: 'tp-login',
      redirectURIs: [`https://app${i + 1}.acme.example/callback`],
    });
    clientIds.push(String(client['id']));
  }
  const siblingIds = Array.from({ length: options.siblings ?? 0 }, (_, i) => {
    const sibling = cloud.addLoginPolicy(body(`ACME Sibling ${i + 1}`));
    cloud.addOidcClient({
      name: `Sibling app ${i + 1}`,
      type: 'public',
      loginPolicy: String(sibling['id']),
      tokenPolicy: 'tp-login',
      redirectURIs: ['https://sibling.acme.example/callback'],
    });
    return String(sibling['id']);
  });
  const dir = mkdtempSync(path.join(tmpdir(), 'lpl-rotate-'));
  writeFileSync(
    path.join(dir, '.loginpolicyrc.json'),
    `// the project's settings\n${JSON.stringify({ verify: { allowedHosts: ['http://127.0.0.1:*'], timeoutMs: 3000 } }, null, 2)}\n`,
  );
  mkdirSync(path.join(dir, 'policies'));
  const file = structuredClone(policy);
  (file['identityStoreDetails'] as { connectionDetails: Record<string, string> }).connectionDetails['clientSecret'] =
    fingerprintedSecret(OWNER.secret);
  writeFileSync(path.join(dir, POLICY_FILE), `${JSON.stringify(file, null, 2)}\n`);
  if (clientIds[0]) {
    mkdirSync(path.join(dir, 'apps'));
    const web = cloud.oidcClient(clientIds[0])!;
    writeFileSync(path.join(dir, CLIENT_FILE), `{\n  // the web app\n${JSON.stringify(web, null, 2).slice(2)}\n`);
  }
  const env = {
    LOGIN_POLICY_API_BASE: cloud.url,
    LOGIN_POLICY_CUSTOMER_ID: CUSTOMER,
    LOGIN_POLICY_REGION: 'eu',
    LOGIN_POLICY_CONFIG_CLIENT_ID: CONFIG_CLIENT.id,
    LOGIN_POLICY_CONFIG_CLIENT_SECRET: CONFIG_CLIENT.secret,
    LOGIN_POLICY_OWNER_CLIENT_ID: OWNER.clientId,
    LOGIN_POLICY_OWNER_CLIENT_SECRET: OWNER.secret,
  };
  const held = new Set<string>([OWNER.secret, CONFIG_CLIENT.secret]);
  const secrets = (): string[] => {
    const current = cloud.currentSecret(OWNER.clientId);
    if (current) held.add(current);
    for (const p of cloud.loginPolicies()) held.add(embeddedSecret(p));
    return [...held];
  };
  const start = (args: readonly string[], given: Record<string, string> = env, input = '') => {
    const child = spawn(process.execPath, [cliPath, ...args], { cwd: dir, env: childEnv(given) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += String(d)));
    child.stderr.on('data', (d: Buffer) => (stderr += String(d)));
    const done = new Promise<CliRun>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code, signal) => resolve({ code: code ?? (signal ? -1 : -2), stdout, stderr }));
    });
    child.stdin.end(input);
    return { child, done };
  };
  const journal = (id = policyId): Journal | undefined => {
    const file = path.join(dir, '.loginpolicy-rotation', `${id}.json`);
    if (!existsSync(file)) return undefined;
    const text = readFileSync(file, 'utf8');
    assertNoSecret('the journal', text, secrets());
    return JSON.parse(text) as Journal;
  };
  return {
    cloud,
    dir,
    policyId,
    clientIds,
    siblingIds,
    env,
    secrets,
    journal,
    console: new IdentityCloudClient({
      customerId: CUSTOMER,
      region: 'eu',
      apiBase: cloud.url,
      configClientId: CONFIG_CLIENT.id,
      configClientSecret: CONFIG_CLIENT.secret,
    }),
    start: (args, given) => start(args, given),
    run: async (args, options = {}) => {
      const result = await start(args, options.env ?? env, options.input).done;
      assertNoSecret(`the output of ${args.join(' ')}`, result.stdout + result.stderr, secrets());
      assert.doesNotMatch(result.stderr, /\n\s+at |Error:|TypeError/, 'no stack trace');
      return result;
    },
    read: (file) => readFileSync(path.join(dir, file), 'utf8'),
    newPolicies: () => cloud.loginPolicies().filter((p) => String(p['title']).startsWith(`${POLICY_TITLE} (rotated `)),
    startSignIns: () => cloud.startSignInLoad({ ratePerSecond: 200 }),
    close: async () => {
      await cloud.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The test's environment without any LOGIN_POLICY_* variable of the shell, without colour, plus `extra`. */
function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return {
    ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('LOGIN_POLICY_'))),
    NO_COLOR: '1',
    ...extra,
  };
}

/** The lines a run printed that are neither the reading line nor a step's progress: the failure, when it failed. */
export function failureLines(stderr: string): string[] {
  return stderr
    .trimEnd()
    .split('\n')
    .filter((l) => l !== '' && !/^login-policy-lint: (reading |\[\d+\/\d+\] )/.test(l));
}

/** Waits until `check` holds (polling the file system or the fake), or fails after `ms`. Not a sleep: an event. */
export async function waitFor(what: string, check: () => boolean, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/** Every file under the project folder, for leak checks. */
export function projectFiles(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (at: string): void => {
    for (const entry of readdirSync(path.join(dir, at), { withFileTypes: true })) {
      const rel = at ? `${at}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(rel);
      else out.set(rel, readFileSync(path.join(dir, rel), 'utf8'));
    }
  };
  walk('');
  return out;
}

/** The end state of a rotation of the world's policy, whatever happened on the way. */
export function assertRotated(world: RotationWorld, options: { deleted: boolean }): Record<string, unknown> {
  const created = world.newPolicies();
  assert.equal(created.length, 1, `exactly one new policy: ${created.map((p) => String(p['id'])).join(', ')}`);
  const newPolicy = created[0]!;
  const newId = String(newPolicy['id']);
  assert.equal(embeddedSecret(newPolicy), world.cloud.currentSecret(OWNER.clientId), 'it embeds the current secret');
  for (const id of world.clientIds)
    assert.equal(world.cloud.oidcClient(id)!['loginPolicy'], newId, `client ${id} moved`);
  assert.equal(
    world.cloud.loginPolicy(world.policyId) === undefined,
    options.deleted,
    'the old policy deleted or kept',
  );
  assert.deepEqual(world.cloud.loginPolicySettings(newId), {
    pushClaims: true,
    allowedResponseTypes: ['code', 'token id_token'],
  });
  assert.deepEqual(newPolicy['customClaims'], { id_token: { tier: 'loyalty.tier' } });
  const journal = world.journal()!;
  assert.equal(journal.done, true, 'the journal is kept with done: true');
  assert.equal(journal.newPolicy.id, newId);
  return newPolicy;
}
