// Leak tests of `rotate`: the plan in text and JSON, a run interrupted by a fault and resumed, a refused new secret,
// a reset whose new secret only the fake knows, and a refused abort, against a fake whose every secret is a
// canary: the new secret (LOGIN_POLICY_NEW_OWNER_SECRET), the owner credentials of the reset, the configuration
// client's, the embedded old ones and a wrong one. No form of any of them (nor a whole fingerprint) reaches stdout or
// stderr; no secret reaches a file (the journal, the new policy file, the pulled folder, .loginpolicyrc.json hold
// fingerprints at most), and the fake's request log holds none.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FakeIdentityCloud } from '../fake-identity-cloud/server';
import { fingerprint, fingerprintedSecret } from '../../server/src/shared/fingerprint';
import { runCliAsync } from '../support/cli';
import {
  assertClean,
  CANARY,
  CLIENT_ID,
  CURRENT,
  FORBIDDEN,
  forbidden,
  NEW_CANARY,
  OWNER_CANARY,
  OWNER_CLIENT_ID,
  WRONG_CANARY,
  type Forbidden,
} from './canaries';
import { assertFilesClean as assertFilesUnder, startLeakCloud } from './cloud-world';

const CUSTOMER = '1eac0000-0000-4000-8000-00000000a0a0';
const APP = 'l3akr0t4t34pp1d00000000000';
const HOUR_MS = 3_600_000;

describe('no secret in any output or file of rotate', () => {
  let cloud: FakeIdentityCloud;
  let dir: string;
  let env: Record<string, string>;
  let current: string;
  let stale: string;
  /** The secret the reset made: known to the fake only, and forbidden like the canaries once it exists. */
  let extra: Forbidden[] = [];
  const printed: string[] = [];

  async function run(args: string[], given: Record<string, string> = env): Promise<{ code: number; out: string }> {
    const { code, stdout, stderr } = await runCliAsync(args, dir, undefined, given);
    for (const [what, text] of [
      ['stdout', stdout],
      ['stderr', stderr],
    ] as const) {
      assertClean(`${what} of ${args.join(' ')}`, text, [...FORBIDDEN, ...extra]);
    }
    printed.push(stdout + stderr);
    return { code, out: stdout + stderr };
  }

  const assertFilesClean = () =>
    assertFilesUnder(
      dir,
      [...FORBIDDEN, ...extra].filter((f) => !f.fingerprint),
    );

  before(async () => {
    const now = Date.now();
    const world = await startLeakCloud(CUSTOMER, APP, [
      { secret: CANARY, expiresAt: new Date(now - 1000) },
      { secret: CURRENT, expiresAt: new Date(now + 48 * HOUR_MS) },
      { secret: NEW_CANARY },
    ]);
    cloud = world.cloud;
    const policy = (title: string, clientSecret: string) => world.policy(title, clientSecret)['id'] as string;
    current = policy('Leak current', CURRENT);
    stale = policy('Leak stale', CANARY);
    for (const [name, bound] of [
      ['Leak web', current],
      ['Leak app', current],
      ['Leak old web', stale],
    ] as const) {
      cloud.addOidcClient({
        name,
        type: 'public',
        tokenPolicy: 'tp',
        loginPolicy: bound,
        redirectURIs: ['https://x.example/cb'],
      });
    }
    dir = mkdtempSync(path.join(tmpdir(), 'lpl-leak-rotate-'));
    writeFileSync(
      path.join(dir, '.loginpolicyrc.json'),
      JSON.stringify({ verify: { allowedHosts: ['http://127.0.0.1:*'], timeoutMs: 2000 } }),
    );
    mkdirSync(path.join(dir, 'policies'));
    const file = cloud.loginPolicy(current)!;
    (file['identityStoreDetails'] as { connectionDetails: Record<string, string> }).connectionDetails['clientSecret'] =
      fingerprintedSecret(CURRENT);
    writeFileSync(path.join(dir, 'policies/current.loginpolicy.json'), JSON.stringify(file, null, 2));
    env = world.env;
    assert.equal((await run(['pull'])).code, 0);
  });

  after(async () => {
    await cloud.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the plan, a refused new secret, a run stopped by a fault and resumed, in text and JSON', async () => {
    const withNew = { ...env, LOGIN_POLICY_NEW_OWNER_SECRET: NEW_CANARY };
    assert.equal((await run(['rotate', '--policy', current], withNew)).code, 0);
    assert.equal((await run(['rotate', '--policy', current, '--format', 'json'], withNew)).code, 0);
    const wrong = await run(['rotate', '--policy', current, '--apply'], {
      ...env,
      LOGIN_POLICY_NEW_OWNER_SECRET: WRONG_CANARY,
    });
    assert.equal(wrong.code, 3);
    assert.match(wrong.out, /Capture does not accept the new secret \(402 invalid_client_credentials\)/);
    cloud.injectFault({ method: 'POST', path: `/${CUSTOMER}/config/loginPolicies`, kind: 'error500' });
    const failed = await run(['rotate', '--policy', 'policies/current.loginpolicy.json', '--apply'], withNew);
    assert.equal(failed.code, 3, failed.out);
    const done = await run(
      ['rotate', '--policy', 'policies/current.loginpolicy.json', '--delete-old', '--apply', '--format', 'json'],
      withNew,
    );
    assert.equal(done.code, 0, done.out);
    const written = readFileSync(path.join(dir, 'policies/current.new.loginpolicy.json'), 'utf8');
    assert.ok(
      written.includes(`"clientSecret": "sha256:${fingerprint(NEW_CANARY)}"`),
      'the new policy file holds the fingerprint',
    );
    assertFilesClean();
  });

  it('a reset with owner credentials, a refused abort, and its resume', async () => {
    const moved = cloud.oidcClients().find((c) => c['name'] === 'Leak web')!['loginPolicy'] as string;
    const ownerEnv = {
      ...env,
      LOGIN_POLICY_OWNER_CLIENT_ID: OWNER_CLIENT_ID,
      LOGIN_POLICY_OWNER_CLIENT_SECRET: OWNER_CANARY,
    };
    const both = ['--policy', stale, '--policy', moved];
    const plan = await run(['rotate', ...both, '--reset-secret', '--hours-to-live', '1'], ownerEnv);
    assert.equal(plan.code, 0, plan.out);
    // The move of the new policy's first client is carried out but its answer is lost: the dead policy's client has
    // moved already, so an abort is refused (moving it back would break its sign-ins).
    const first = cloud.oidcClients().find((c) => c['name'] === 'Leak web')!['id'] as string;
    cloud.injectFault({ method: 'PUT', path: `/${CUSTOMER}/config/clients/${first}`, kind: 'lostAnswer' });
    const failed = await run(['rotate', ...both, '--reset-secret', '--hours-to-live', '1', '--apply'], ownerEnv);
    const reset = cloud.currentSecret(CLIENT_ID)!;
    assert.notEqual(reset, NEW_CANARY, 'the owner secret was reset');
    extra = forbidden('the secret the reset made', reset);
    assertClean('the output of the interrupted reset run', printed.at(-1)!, extra);
    assert.equal(failed.code, 3, failed.out);
    cloud.clearFaults();
    const refused = await run(['rotate', ...both, '--abort', '--apply'], ownerEnv);
    assert.equal(refused.code, 3, refused.out);
    assert.match(refused.out, /--abort: the old policy [^ ]+ is no longer usable \(402 invalid_client_credentials\)/);
    const resumed = await run(['rotate', ...both, '--apply'], ownerEnv);
    assert.equal(resumed.code, 0, resumed.out);
    assert.ok(readFileSync(path.join(dir, '.loginpolicyrc.json'), 'utf8').includes(fingerprint(reset)));
    assertFilesClean();
  });

  it('a secret given where an argument goes is not echoed', async () => {
    for (const args of [
      ['rotate', NEW_CANARY, '--policy', current],
      ['rotate', '--policy', current, '--new-secret-from', NEW_CANARY],
      ['rotate', '--policy', current, '--reset-secret', '--hours-to-live', NEW_CANARY],
      ['rotate', '--policy', current, '--format', NEW_CANARY],
    ]) {
      const refused = await run(args);
      assert.equal(refused.code, 2, refused.out);
      assert.match(
        refused.out,
        /^login-policy-lint: (rotate takes no|--new-secret-from takes|--hours-to-live takes|--format takes)/,
      );
    }
  });

  it('the fake request log', () => {
    assert.ok(printed.length >= 10);
    assertClean('the fake server request log', JSON.stringify(cloud.requests), [...FORBIDDEN, ...extra]);
  });
});
