// `login-policy-lint status` on the fake Identity Cloud's seeded demo: which deployed policies break sign-in now and
// which OIDC clients they take down, from the pulled folder and the config's fingerprints (no request), with --verify
// (Capture's answer wins), with --pull, and its exit codes and JSON shape.
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { IdentityCloudClient } from '../../server/src/identity-cloud/identity-cloud-client';
import { fingerprint } from '../../server/src/shared/fingerprint';
import { loginPolicyBody } from '../fake-identity-cloud/bodies';
import { GRACE_OWNER, LOGIN_CLIENT } from '../fake-identity-cloud/scenario';
import {
  assertNoSecret,
  cloudWorld,
  DEMO,
  filesUnder,
  oneFailureLine,
  VENDOR_OWNER,
  type CloudWorld,
} from './cloud-fixture';

interface StatusJson {
  policies: {
    id: string;
    title: string;
    version: string;
    clients: { id: string; name: string }[];
    secret: { state: string; validUntil?: string; why: string };
  }[];
  summary: { policies: number; broken: number };
}

const FIRST_ID = '00000000-0000-4000-8000-000000000001';
const SECOND_ID = '00000000-0000-4000-8000-000000000002';
const ALLOW_FAKE = { allowedHosts: ['http://127.0.0.1:*'], timeoutMs: 5000 };

function writeConfig(w: CloudWorld, config: Record<string, unknown>): void {
  writeFileSync(path.join(w.dir, '.loginpolicyrc.json'), `${JSON.stringify(config, null, 2)}\n`);
}

/** The state of each policy by title. */
function states(json: StatusJson): Record<string, string> {
  return Object.fromEntries(json.policies.map((p) => [p.title, p.secret.state]));
}

/** A policy of the fake embedding an API client's credentials (with this id, when given); returns its id. */
function addPolicy(
  w: CloudWorld,
  title: string,
  clientId: string,
  clientSecret: string,
  bind?: string,
  fixedId?: string,
): string {
  const id = w.cloud.addLoginPolicy(
    loginPolicyBody({ domain: w.cloud.host, title, clientId, clientSecret, applicationId: DEMO.applicationId }),
    fixedId ? { id: fixedId } : {},
  ).id as string;
  if (bind) w.cloud.addOidcClient({ name: bind, type: 'public', tokenPolicy: DEMO.loginTokenPolicy, loginPolicy: id });
  return id;
}

describe('login-policy-lint status', () => {
  const world = cloudWorld();

  it('names the stale deployed policy and the OIDC clients it takes down (exit 1), from fingerprints alone', async () => {
    const w = world();
    assert.equal((await w.run(['pull', '--owner-clients'], w.ownerEnv)).code, 0);
    const requests = w.cloud.requests.length;
    // No credential at all: status reads the pulled folder and the config, nothing else.
    const text = await w.run(['status'], {});
    assert.equal(text.code, 1, text.stderr);
    assert.equal(w.cloud.requests.length, requests, 'no request was made');
    const lines = text.stdout.split('\n');
    assert.match(
      lines[0]!,
      new RegExp(`^Deployed login policies of customer ${DEMO.customerId} \\(us\\), pulled \\d{4}-`),
    );
    assert.match(
      lines[3]!,
      /^stale +v1 +0b5e8f2a-6c41-4d97-8e3a-5f1c2b9d7e60 +ACME Default Login Policy +ACME Web Login, ACME iOS App$/,
    );
    assert.ok(lines.slice(4, 6).every((l) => /^current +v2 /.test(l)));
    assert.match(
      text.stdout,
      /Sign-in is broken now through 1 of 3 deployed login policies, taking down 2 OIDC clients:\n {2}"ACME Default Login Policy" \(0b5e8f2a-6c41-4d97-8e3a-5f1c2b9d7e60, v1\): stale owner secret: it is not the current secret of client 7ns3pxeq… \("application owner \(vendor page: changing an owner client secret\)"\) \(per \.loginpolicyrc\.json\)\.\n {4}It takes down 2 OIDC clients: ACME Web Login \(15e60c44-a26e-45e3-9c9a-bbb7a4fd08f0\), ACME iOS App \(fd72dfd7-3ad8-4237-a74d-013e04ae947c\)\./,
    );

    const json = await w.run(['status', '--format', 'json'], {});
    assert.equal(json.code, 1);
    const parsed = JSON.parse(json.stdout) as StatusJson;
    assert.deepEqual(Object.keys(parsed), ['policies', 'summary']);
    assert.deepEqual(parsed.summary, { policies: 3, broken: 1 });
    assert.deepEqual(parsed.policies[0], {
      id: DEMO.stalePolicy.id,
      title: DEMO.stalePolicy.title,
      version: 'v1',
      clients: [DEMO.clients.web, DEMO.clients.ios].map(({ id, name }) => ({ id, name })),
      secret: {
        state: 'stale',
        why: 'it is not the current secret of client 7ns3pxeq… ("application owner (vendor page: changing an owner client secret)") (per .loginpolicyrc.json)',
      },
    });
    assert.deepEqual(
      parsed.policies
        .slice(1)
        .map((p) => [p.id, p.version, p.clients.map((c) => c.name), Object.keys(p.secret), p.secret.state]),
      [
        [DEMO.loyaltyPolicy.id, 'v2', ['ACME Loyalty App'], ['state', 'why'], 'current'],
        [DEMO.currentPolicy.id, 'v2', ['ACME Partner Portal'], ['state', 'why'], 'current'],
      ],
    );
  });

  it('says what it cannot judge, and exits 0, when nothing is known about the owner secret', async () => {
    const w = world();
    assert.equal((await w.run(['pull'])).code, 0);
    const { code, stdout } = await w.run(['status', '--format', 'json'], {});
    assert.equal(code, 0);
    const json = JSON.parse(stdout) as StatusJson;
    assert.deepEqual(Object.values(states(json)), ['unknown', 'unknown', 'unknown']);
    assert.match(json.policies[0]!.secret.why, /is not known: run "login-policy-lint pull --owner-clients"/);
  });

  it('exits 2 when there is no pulled folder', async () => {
    const w = world();
    const { code, stderr } = await w.run(['status'], {});
    assert.equal(code, 2);
    assert.match(
      stderr,
      /^login-policy-lint: no pulled state in deployed\/ \(no pulled\.json\): run "login-policy-lint pull" first/,
    );
  });

  it('exits 2, naming the path, when --out is a file', async () => {
    const w = world();
    writeFileSync(path.join(w.dir, 'notes.txt'), 'not a folder\n');
    const { code, stderr } = await w.run(['status', '--out', 'notes.txt'], {});
    assert.equal(code, 2);
    assert.match(stderr, /^login-policy-lint: notes\.txt is a file, not the pulled folder\.\n/);
  });

  it('reports a replaced secret whose grace period runs (rotated, with validUntil) and a non-owner (not-owner)', async () => {
    const w = world();
    // Ids that sort before the stale policy's: the rows are ordered by how bad their state is, not by id.
    addPolicy(w, 'Grace policy', GRACE_OWNER.clientId, GRACE_OWNER.previousSecret, 'Grace App', FIRST_ID);
    addPolicy(w, 'Wrong client policy', LOGIN_CLIENT.clientId, LOGIN_CLIENT.secret, 'Wrong App', SECOND_ID);
    assert.equal((await w.run(['pull', '--owner-clients'], w.ownerEnv)).code, 0);
    const validUntil = new Date(Date.now() + 40 * 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const config = JSON.parse(w.read('.loginpolicyrc.json')) as { clients: Record<string, unknown>[] };
    const grace = config.clients.find((c) => c['clientId'] === GRACE_OWNER.clientId)!;
    grace['previousSecrets'] = [{ sha256: fingerprint(GRACE_OWNER.previousSecret), validUntil }];
    writeConfig(w, config);
    const { code, stdout } = await w.run(['status', '--format', 'json'], {});
    assert.equal(code, 1);
    const json = JSON.parse(stdout) as StatusJson;
    const byTitle = Object.fromEntries(json.policies.map((p) => [p.title, p]));
    assert.equal(byTitle['Grace policy']!.secret.state, 'rotated');
    assert.equal(byTitle['Grace policy']!.secret.validUntil, new Date(validUntil).toISOString());
    assert.match(
      byTitle['Grace policy']!.secret.why,
      /^a replaced secret of client m3n8b2v7… .*, accepted until \d{4}-\d\d-\d\d \d\d:\d\d UTC \(in 40 hours\)/,
    );
    assert.equal(byTitle['Wrong client policy']!.secret.state, 'not-owner');
    assert.match(
      byTitle['Wrong client policy']!.secret.why,
      /^client t5r8e1w4… \("ACME web login client"\) lacks the "owner" feature/,
    );
    assert.deepEqual(json.summary, { policies: 5, broken: 2 });
    assert.deepEqual(
      json.policies.map((p) => p.secret.state),
      ['stale', 'not-owner', 'rotated', 'current', 'current'],
      'what breaks sign-in first',
    );
    const text = await w.run(['status'], {});
    assert.match(
      text.stdout,
      /Sign-in will break through 1 policy when a grace period ends:\n {2}"Grace policy" .*\n {4}It will take down 1 OIDC client: Grace App \(/,
    );
    assert.match(text.stdout, /"Wrong client policy" \([\w-]+, v2\): not an owner client: /);
  });

  it('prints its help', async () => {
    const { code, stdout } = await world().run(['status', '--help'], {});
    assert.equal(code, 0);
    assert.match(stdout, /^Usage: login-policy-lint status \[--pull\] \[--verify\]/);
  });
});

describe('login-policy-lint status --verify and --pull', () => {
  const world = cloudWorld();

  it("GETs each policy for its credentials and lets Capture's 402 decide (exit 1), writing no secret", async () => {
    const w = world();
    writeConfig(w, { verify: ALLOW_FAKE });
    assert.equal((await w.run(['pull'])).code, 0);
    const before = filesUnder(w.dir);
    const { code, stdout, stderr } = await w.run(['status', '--verify', '--format', 'json']);
    assert.equal(code, 1, stderr);
    assert.match(stderr, /checking 3 embedded owner credentials against Capture/);
    const json = JSON.parse(stdout) as StatusJson;
    assert.deepEqual(states(json), {
      'ACME Default Login Policy': 'stale',
      'ACME Loyalty Login Policy': 'current',
      'ACME Login Policy v2': 'current',
    });
    assert.match(
      json.policies[0]!.secret.why,
      /^Capture answered 402 invalid_client_credentials \(a live check against 127\.0\.0\.1:\d+ just now\)$/,
    );
    assert.ok(w.cloud.requests.some((r) => r.path === '/entityType.list' && r.code === 402));
    assert.deepEqual(filesUnder(w.dir), before, 'the live credentials stay in memory');
  });

  it('a live 402 wins over a fingerprint that says current', async () => {
    const w = world();
    writeConfig(w, {
      verify: ALLOW_FAKE,
      clients: [
        { clientId: VENDOR_OWNER.clientId, features: ['owner'], secretSha256: fingerprint(VENDOR_OWNER.expiredSecret) },
      ],
    });
    assert.equal((await w.run(['pull'])).code, 0);
    const offline = JSON.parse((await w.run(['status', '--format', 'json'], {})).stdout) as StatusJson;
    assert.equal(states(offline)['ACME Default Login Policy'], 'current', 'the out-of-date config says current');
    const verified = await w.run(['status', '--verify', '--format', 'json']);
    assert.equal(verified.code, 1);
    assert.equal(states(JSON.parse(verified.stdout) as StatusJson)['ACME Default Login Policy'], 'stale');
  });

  it('a fingerprint replaced since the last pull is "rotated" (end unknown) until --verify says it is dead', async () => {
    const w = world();
    // The last pull knew the expired secret as current; this one sees the new one.
    writeConfig(w, {
      verify: ALLOW_FAKE,
      clients: [{ clientId: VENDOR_OWNER.clientId, secretSha256: fingerprint(VENDOR_OWNER.expiredSecret) }],
    });
    assert.equal((await w.run(['pull', '--owner-clients'], w.ownerEnv)).code, 0);
    const offline = await w.run(['status', '--format', 'json'], {});
    assert.equal(offline.code, 0, 'replaced is a warning, not a broken policy');
    const policy = (JSON.parse(offline.stdout) as StatusJson).policies.find((p) => p.id === DEMO.stalePolicy.id)!;
    assert.equal(policy.secret.state, 'rotated');
    assert.equal(policy.secret.validUntil, undefined);
    assert.match(
      policy.secret.why,
      /accepted only for the grace period of the reset \(at most 168 hours; its end is not recorded\)/,
    );
    const verified = await w.run(['status', '--verify', '--format', 'json']);
    assert.equal(verified.code, 1);
    assert.equal(states(JSON.parse(verified.stdout) as StatusJson)['ACME Default Login Policy'], 'stale');
  });

  it('warns that a host outside verify.allowedHosts was not checked, and keeps what the fingerprints say', async () => {
    const w = world();
    assert.equal((await w.run(['pull', '--owner-clients'], w.ownerEnv)).code, 0);
    const requests = w.cloud.requests.filter((r) => r.path === '/entityType.list').length;
    const { code, stdout, stderr } = await w.run(['status', '--verify', '--format', 'json']);
    assert.equal(code, 1);
    assert.match(
      stderr,
      /warning: a live check was not made: 127\.0\.0\.1:\d+ is not in the allowed hosts \(\*\.janraincapture\.com\); add it to "verify\.allowedHosts" in \.loginpolicyrc\.json/,
    );
    assert.equal(
      w.cloud.requests.filter((r) => r.path === '/entityType.list').length,
      requests,
      'Capture was not asked',
    );
    assert.equal(states(JSON.parse(stdout) as StatusJson)['ACME Default Login Policy'], 'stale');
  });

  it('needs the configuration credentials for --verify (exit 2), and fails in one line when a GET fails (exit 3)', async () => {
    const w = world();
    writeConfig(w, { verify: ALLOW_FAKE });
    assert.equal((await w.run(['pull'])).code, 0);
    const missing = await w.run(['status', '--verify'], {});
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /missing credential variables LOGIN_POLICY_CUSTOMER_ID/);
    w.cloud.injectFault({ method: 'GET', path: `/**/loginPolicies/${DEMO.currentPolicy.id}`, kind: 'error500' });
    const failed = await w.run(['status', '--verify']);
    assert.equal(failed.code, 3);
    assert.match(
      oneFailureLine(failed.stderr),
      /loginPolicies\/7c2e91a4-[\w-]+: Identity Cloud failed \(HTTP 500\); nothing was checked\.$/,
    );
    assert.equal(failed.stdout, '');
  });

  it('reports a policy deleted since the pull as not checked', async () => {
    const w = world();
    writeConfig(w, { verify: ALLOW_FAKE });
    const gone = addPolicy(w, 'Deleted since', VENDOR_OWNER.clientId, VENDOR_OWNER.currentSecret);
    assert.equal((await w.run(['pull'])).code, 0);
    await new IdentityCloudClient({
      customerId: DEMO.customerId,
      region: 'us',
      apiBase: w.cloud.url,
      configClientId: DEMO.configClient.id,
      configClientSecret: DEMO.configClient.secret,
    }).deleteLoginPolicy(gone);
    const { stdout } = await w.run(['status', '--verify', '--format', 'json']);
    const policy = (JSON.parse(stdout) as StatusJson).policies.find((p) => p.id === gone)!;
    assert.deepEqual(policy.secret, {
      state: 'check-failed',
      why: 'not found in Identity Cloud any more (HTTP 404): pull again',
    });
  });

  it('--pull pulls first, then reports; with --verify it reads each policy once', async () => {
    const w = world();
    writeConfig(w, { verify: ALLOW_FAKE });
    const { code, stdout, stderr } = await w.run(['status', '--pull', '--verify', '--format', 'json']);
    assert.equal(code, 1, stderr);
    assert.match(stderr, /login-policy-lint: Pulled 3 login policies and 5 OIDC clients/);
    assert.deepEqual((JSON.parse(stdout) as StatusJson).summary, { policies: 3, broken: 1 });
    const gets = w.cloud.requests.filter((r) => r.method === 'GET' && /\/loginPolicies\/[\w-]+$/.test(r.path));
    assert.equal(gets.length, 3, 'the pulled documents are reused for the live check');
    for (const [file, text] of filesUnder(w.dir)) assertNoSecret(file, text, w.secrets());
  });

  it('--pull --owner-clients judges with the clients it has just merged', async () => {
    const w = world();
    const { code, stdout, stderr } = await w.run(
      ['status', '--pull', '--owner-clients', '--format', 'json'],
      w.ownerEnv,
    );
    assert.equal(code, 1, stderr);
    assert.equal(states(JSON.parse(stdout) as StatusJson)['ACME Default Login Policy'], 'stale');
  });

  it('refuses --owner-clients without --pull', async () => {
    const { code, stderr } = await world().run(['status', '--owner-clients'], {});
    assert.equal(code, 2);
    assert.match(stderr, /--owner-clients reads Identity Cloud: use it with --pull/);
  });

  it('leaves no pulled folder when --pull fails', async () => {
    const w = world();
    w.cloud.injectFault({ method: 'GET', path: '/*/config/loginPolicies', kind: 'error500' });
    const { code, stderr } = await w.run(['status', '--pull']);
    assert.equal(code, 3);
    assert.match(oneFailureLine(stderr), /HTTP 500\); nothing was written\.$/);
    rmSync(path.join(w.dir, '.loginpolicyrc.json'), { force: true });
    assert.deepEqual([...filesUnder(w.dir).keys()], []);
  });
});
