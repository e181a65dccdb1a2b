// `login-policy-lint pull` against the fake Identity Cloud's seeded demo: the pulled folder as DESIGN §13 describes it
// (GET documents, secrets as fingerprints only), deterministic re-pulls, removals, --owner-clients, and every failure
// as one line with exit 2 or 3 and nothing partial left on disk.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { IdentityCloudClient } from '../../server/src/identity-cloud/identity-cloud-client';
import { fingerprint } from '../../server/src/shared/fingerprint';
import { loginPolicyBody } from '../fake-identity-cloud/bodies';
import { GitRepo } from '../support/git-repo';
import {
  assertNoSecret,
  cloudWorld,
  DEMO,
  embeddedSecret,
  filesUnder,
  oneFailureLine,
  VENDOR_OWNER,
  type CloudWorld,
} from './cloud-fixture';

const POLICY_IDS = [DEMO.stalePolicy.id, DEMO.currentPolicy.id, DEMO.loyaltyPolicy.id];
const CLIENT_IDS = [...Object.values(DEMO.clients).map((c) => c.id), DEMO.configClient.id];

/** The GET document with its secret as pull writes it, as text: key order, indent and final newline included. */
function expectedPolicyFile(world: CloudWorld, id: string): string {
  const policy = world.cloud.loginPolicy(id)!;
  const text = `${JSON.stringify(policy, null, 2)}\n`;
  const secret = embeddedSecret(policy);
  return text.replace(JSON.stringify(secret), JSON.stringify(`sha256:${fingerprint(secret)}`));
}

/** Pull's files and the config, each checked for every secret of the fake. */
function assertNothingSecretOnDisk(world: CloudWorld): void {
  for (const [file, text] of filesUnder(world.dir)) assertNoSecret(file, text, world.secrets());
}

describe('login-policy-lint pull', () => {
  const world = cloudWorld();

  it('writes every policy as GET returns it with its secret as a fingerprint, every OIDC client, and pulled.json', async () => {
    const w = world();
    const { code, stdout, stderr } = await w.run(['pull']);
    assert.equal(code, 0, stderr);
    assert.equal(
      stdout,
      `Pulled 3 login policies and 5 OIDC clients of customer ${DEMO.customerId} (us) into deployed/: 8 files added.\n`,
    );
    assert.match(stderr, /^login-policy-lint: pulling 3 login policies and 5 OIDC clients of customer /);
    const files = filesUnder(path.join(w.dir, 'deployed'));
    assert.deepEqual(
      [...files.keys()].sort(),
      [...POLICY_IDS.map((id) => `${id}.json`), ...CLIENT_IDS.map((id) => `clients/${id}.json`), 'pulled.json'].sort(),
    );
    for (const id of POLICY_IDS) assert.equal(files.get(`${id}.json`), expectedPolicyFile(w, id), id);
    for (const id of CLIENT_IDS) {
      assert.equal(files.get(`clients/${id}.json`), `${JSON.stringify(w.cloud.oidcClient(id), null, 2)}\n`, id);
    }
    const pulled = JSON.parse(files.get('pulled.json')!) as Record<string, unknown>;
    assert.deepEqual(Object.keys(pulled), ['pulledAt', 'customerId', 'region', 'policies', 'clients']);
    assert.match(String(pulled['pulledAt']), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.deepEqual(
      { ...pulled, pulledAt: 'x' },
      {
        pulledAt: 'x',
        customerId: DEMO.customerId,
        region: 'us',
        policies: 3,
        clients: 5,
      },
    );
    assertNothingSecretOnDisk(w);
    assert.match(stderr, /note: add "baseline": \{"dir": "deployed"\} to \.loginpolicyrc\.json/);
  });

  it('makes lint check policy files against what it pulled', async () => {
    const w = world();
    writeFileSync(path.join(w.dir, '.loginpolicyrc.json'), JSON.stringify({ baseline: { dir: 'deployed' } }));
    assert.equal((await w.run(['pull'])).code, 0);
    const deployed = `${JSON.stringify(w.cloud.loginPolicy(DEMO.currentPolicy.id), null, 2)}\n`;
    writeFileSync(path.join(w.dir, 'renamed.loginpolicy.json'), deployed.replace(DEMO.currentPolicy.title, 'Renamed'));
    writeFileSync(
      path.join(w.dir, 'gone.loginpolicy.json'),
      deployed.replaceAll(DEMO.currentPolicy.id, '0d9c8b7a-6f5e-4d3c-9b2a-1f0e9d8c7b6a'),
    );
    const { stdout } = await w.run(['--format', 'json']);
    const files = (JSON.parse(stdout) as { files: { path: string; diagnostics: { rule: string }[] }[] }).files;
    const rules = (file: string) => files.find((f) => f.path === file)!.diagnostics.map((d) => d.rule);
    assert.deepEqual(
      files.map((f) => f.path),
      ['gone.loginpolicy.json', 'renamed.loginpolicy.json'],
      'the pulled snapshots are no policies of the project',
    );
    assert.ok(rules('gone.loginpolicy.json').includes('policy-not-deployed'));
    assert.ok(!rules('renamed.loginpolicy.json').includes('policy-not-deployed'));
    assert.ok(rules('renamed.loginpolicy.json').includes('undeployed-change'));
    assert.ok(!rules('renamed.loginpolicy.json').includes('immutable-identity-store'), 'the clear secret matches');
  });

  it('pulls into --out, else the baseline.dir of the config', async () => {
    const w = world();
    writeFileSync(path.join(w.dir, '.loginpolicyrc.json'), JSON.stringify({ baseline: { dir: 'ops/snapshots' } }));
    const configured = await w.run(['pull']);
    assert.equal(configured.code, 0, configured.stderr);
    assert.ok(existsSync(path.join(w.dir, 'ops/snapshots/pulled.json')));
    assert.doesNotMatch(configured.stderr, /note: add "baseline"/, 'the folder is the baseline already');
    const named = await w.run(['pull', '--out', 'elsewhere', '--format', 'json']);
    assert.equal(named.code, 0, named.stderr);
    const result = JSON.parse(named.stdout) as Record<string, unknown>;
    assert.equal(result['out'], 'elsewhere');
    assert.equal(result['policies'], 3);
    assert.equal(result['written'], true);
    assert.equal((result['files'] as { added: string[] }).added.length, 8);
    assert.ok(existsSync(path.join(w.dir, 'elsewhere/pulled.json')));
  });

  it('leaves git diff empty and pulledAt as it was when nothing changed', async () => {
    const w = world();
    assert.equal((await w.run(['pull'])).code, 0);
    // An old pulledAt: a re-pull that rewrote it would show, whatever the clock says.
    const meta = JSON.parse(w.read('deployed/pulled.json')) as Record<string, unknown>;
    writeFileSync(
      path.join(w.dir, 'deployed/pulled.json'),
      `${JSON.stringify({ ...meta, pulledAt: '2020-01-01T00:00:00Z' }, null, 2)}\n`,
    );
    const repo = GitRepo.initIn(w.dir);
    repo.commit('pulled');
    const before = filesUnder(path.join(w.dir, 'deployed'));
    const again = await w.run(['pull']);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(
      again.stdout,
      `Pulled 3 login policies and 5 OIDC clients of customer ${DEMO.customerId} (us) into deployed/: no change since 2020-01-01T00:00:00Z.\n`,
    );
    assert.deepEqual(filesUnder(path.join(w.dir, 'deployed')), before, 'byte-identical');
    assert.equal(repo.git('status', '--porcelain'), '');
  });

  it("removes a deleted policy's file, and only then moves pulledAt", async () => {
    const w = world();
    const extra = w.cloud.addLoginPolicy(
      loginPolicyBody({
        domain: w.cloud.host,
        title: 'Short-lived',
        clientId: VENDOR_OWNER.clientId,
        clientSecret: VENDOR_OWNER.currentSecret,
        applicationId: DEMO.applicationId,
      }),
    ).id as string;
    assert.equal((await w.run(['pull'])).code, 0);
    assert.ok(existsSync(path.join(w.dir, `deployed/${extra}.json`)));
    const meta = JSON.parse(w.read('deployed/pulled.json')) as Record<string, unknown>;
    writeFileSync(
      path.join(w.dir, 'deployed/pulled.json'),
      `${JSON.stringify({ ...meta, pulledAt: '2020-01-01T00:00:00Z' }, null, 2)}\n`,
    );
    const others = filesUnder(path.join(w.dir, 'deployed'));
    await apiClient(w).deleteLoginPolicy(extra);
    const { code, stdout } = await w.run(['pull']);
    assert.equal(code, 0);
    assert.match(stdout, /into deployed\/: 1 file removed\.\n$/);
    const after = filesUnder(path.join(w.dir, 'deployed'));
    assert.ok(!after.has(`${extra}.json`));
    for (const [file, text] of after) if (file !== 'pulled.json') assert.equal(text, others.get(file), file);
    const pulled = JSON.parse(after.get('pulled.json')!) as Record<string, unknown>;
    assert.notEqual(pulled['pulledAt'], '2020-01-01T00:00:00Z');
    assert.equal(pulled['policies'], 3);
  });

  it('keeps files of its folder that are not its own', async () => {
    const w = world();
    mkdirSync(path.join(w.dir, 'deployed/clients'), { recursive: true });
    writeFileSync(path.join(w.dir, 'deployed/README.md'), 'Pulled by login-policy-lint.\n');
    writeFileSync(path.join(w.dir, 'deployed/clients/.gitkeep'), '');
    assert.equal((await w.run(['pull'])).code, 0);
    assert.equal(w.read('deployed/README.md'), 'Pulled by login-policy-lint.\n');
    assert.equal(w.read('deployed/clients/.gitkeep'), '');
  });

  it('refuses a folder that is not its own, before any request', async () => {
    const w = world();
    mkdirSync(path.join(w.dir, 'src'));
    writeFileSync(path.join(w.dir, 'src/package.json'), '{"name": "app"}');
    const requests = w.cloud.requests.length;
    const foreign = await w.run(['pull', '--out', 'src']);
    assert.equal(foreign.code, 2);
    assert.match(
      foreign.stderr,
      /--out src has src\/package\.json, which is neither a login policy nor an OIDC client/,
    );
    assert.equal(w.read('src/package.json'), '{"name": "app"}');
    const here = await w.run(['pull', '--out', '.']);
    assert.equal(here.code, 2);
    assert.match(here.stderr, /--out \. holds the working folder/);
    assert.equal(w.cloud.requests.length, requests, 'no request was made');
  });

  it('prints its help', async () => {
    const { code, stdout } = await world().run(['pull', '--help']);
    assert.equal(code, 0);
    assert.match(stdout, /^Usage: login-policy-lint pull \[--out DIR\] \[--owner-clients\] \[--timeout-ms N\]/);
    assert.match(stdout, /LOGIN_POLICY_CONFIG_CLIENT_SECRET/);
  });
});

describe('login-policy-lint pull: failures', () => {
  const world = cloudWorld();

  for (const missing of [
    'LOGIN_POLICY_CUSTOMER_ID',
    'LOGIN_POLICY_REGION',
    'LOGIN_POLICY_CONFIG_CLIENT_ID',
    'LOGIN_POLICY_CONFIG_CLIENT_SECRET',
  ]) {
    it(`exits 2 naming ${missing} when it is missing or empty`, async () => {
      const w = world();
      for (const env of [without(w.env, missing), { ...w.env, [missing]: '' }, { ...w.env, [missing]: ' ' }]) {
        const { code, stderr } = await w.run(['pull'], env);
        assert.equal(code, 2);
        assert.match(stderr, new RegExp(`^login-policy-lint: missing credential variable ${missing}\\b`));
        assert.match(stderr, /Run "login-policy-lint pull --help" for usage\./);
      }
      assert.equal(w.cloud.requests.length, 0);
      assert.ok(!existsSync(path.join(w.dir, 'deployed')));
    });
  }

  it('takes the customer id and region from "identityCloud" of the config', async () => {
    const w = world();
    writeFileSync(
      path.join(w.dir, '.loginpolicyrc.json'),
      JSON.stringify({ identityCloud: { customerId: DEMO.customerId, region: 'us' } }),
    );
    const env = without(without(w.env, 'LOGIN_POLICY_CUSTOMER_ID'), 'LOGIN_POLICY_REGION');
    const { code, stderr } = await w.run(['pull'], env);
    assert.equal(code, 0, stderr);
  });

  it('exits 2 naming the owner variables for --owner-clients', async () => {
    const w = world();
    const { code, stderr } = await w.run(['pull', '--owner-clients']);
    assert.equal(code, 2);
    assert.match(
      stderr,
      /--owner-clients: missing credential variables LOGIN_POLICY_OWNER_CLIENT_ID, LOGIN_POLICY_OWNER_CLIENT_SECRET/,
    );
  });

  it('exits 2 on a bad region, API base or timeout, without repeating the value', async () => {
    const w = world();
    const region = await w.run(['pull'], { ...w.env, LOGIN_POLICY_REGION: 'usa' });
    assert.equal(region.code, 2);
    assert.match(region.stderr, /LOGIN_POLICY_REGION: the region must be two letters/);
    const base = await w.run(['pull'], { ...w.env, LOGIN_POLICY_API_BASE: 'http://user:pw@example.com' });
    assert.equal(base.code, 2);
    assert.match(base.stderr, /LOGIN_POLICY_API_BASE: the API base must not hold a user name or password/);
    assert.doesNotMatch(base.stderr, /pw@/);
    const timeout = await w.run(['pull', '--timeout-ms', '0']);
    assert.equal(timeout.code, 2);
    assert.match(timeout.stderr, /--timeout-ms must be a whole number of milliseconds from 1 to 600000, not "0"/);
    assert.equal(w.cloud.requests.length, 0);
  });

  const failures: [name: string, setup: (w: CloudWorld) => Record<string, string> | void, line: RegExp][] = [
    [
      'wrong credentials',
      (w) => ({ ...w.env, LOGIN_POLICY_CONFIG_CLIENT_SECRET: 'not-the-secret' }),
      /POST \/[\w-]+\/login\/token: the configuration client id or secret was refused \(HTTP 401\)/,
    ],
    [
      'an unknown customer (404)',
      (w) => ({ ...w.env, LOGIN_POLICY_CUSTOMER_ID: '00000000-0000-4000-8000-000000000000' }),
      /no such customer \(HTTP 404\): check the customer id and the region/,
    ],
    [
      'a server error on one policy (500)',
      (w) =>
        void w.cloud.injectFault({
          method: 'GET',
          path: `/**/loginPolicies/${DEMO.loyaltyPolicy.id}`,
          kind: 'error500',
        }),
      /GET \/[\w-]+\/config\/loginPolicies\/3e9a0d6b-[\w-]+: Identity Cloud failed \(HTTP 500\)/,
    ],
    [
      'a timeout on the client list',
      (w) => void w.cloud.injectFault({ method: 'GET', path: '/*/config/clients', kind: 'timeout' }),
      /GET \/[\w-]+\/config\/clients: no answer within 2 s \(timeout\)/,
    ],
    [
      'an answer that is not JSON',
      (w) => void w.cloud.injectFault({ method: 'GET', path: `/**/clients/${DEMO.clients.ios.id}`, kind: 'notJson' }),
      /GET \/[\w-]+\/config\/clients\/fd72dfd7-[\w-]+: the answer was not JSON \(HTTP 200, text\/html\)/,
    ],
  ];
  for (const [name, setup, line] of failures) {
    it(`exits 3 with one line and leaves nothing behind: ${name}`, async () => {
      const w = world();
      const env = setup(w) ?? w.env;
      // A short limit for the request the fake never answers, long enough that no other one meets it on a busy
      // machine (at 0.5 s the token request itself timed out under load).
      const first = await w.run(['pull', '--timeout-ms', '2000'], env);
      assert.equal(first.code, 3, first.stderr);
      assert.match(oneFailureLine(first.stderr), line);
      assert.match(first.stderr, /nothing was written\.\n$/);
      assert.equal(first.stdout, '');
      assert.deepEqual(readdirSync(w.dir), [], 'no folder, no staging folder');
    });
  }

  it('leaves an existing pulled folder byte for byte as it was when a later pull fails', async () => {
    const w = world();
    assert.equal((await w.run(['pull'])).code, 0);
    const before = filesUnder(w.dir);
    await apiClient(w).deleteLoginPolicy(
      w.cloud.addLoginPolicy(
        loginPolicyBody({
          domain: w.cloud.host,
          title: 'Gone',
          clientId: VENDOR_OWNER.clientId,
          clientSecret: VENDOR_OWNER.currentSecret,
          applicationId: DEMO.applicationId,
        }),
      ).id as string,
    );
    w.cloud.addLoginPolicy(
      loginPolicyBody({
        domain: w.cloud.host,
        title: 'New',
        clientId: VENDOR_OWNER.clientId,
        clientSecret: VENDOR_OWNER.currentSecret,
        applicationId: DEMO.applicationId,
      }),
    );
    w.cloud.injectFault({ method: 'GET', path: `/**/loginPolicies/${DEMO.currentPolicy.id}`, kind: 'error500' });
    const failed = await w.run(['pull']);
    assert.equal(failed.code, 3);
    assert.deepEqual(filesUnder(w.dir), before);
    assert.deepEqual(readdirSync(w.dir), ['deployed'], 'no staging folder left beside it');
  });
});

describe('login-policy-lint pull --owner-clients', () => {
  const world = cloudWorld();
  const CONFIG = (entries: string) => `// Our project
{
  "baseline": { "dir": "deployed" },
  "clients": [${entries}
  ]
}
`;

  it("merges the app's API clients as fingerprints, keeping labels and previous secrets, and comments", async () => {
    const w = world();
    const oldPrevious = { sha256: 'b'.repeat(64), validUntil: '2026-01-01T00:00:00Z' };
    writeFileSync(
      path.join(w.dir, '.loginpolicyrc.json'),
      CONFIG(`
    {
      "clientId": "${VENDOR_OWNER.clientId}",
      "label": "our owner",
      "secretSha256": "${fingerprint(VENDOR_OWNER.expiredSecret)}",
      "previousSecrets": [${JSON.stringify(oldPrevious)}]
    }`),
    );
    const { code, stdout, stderr } = await w.run(['pull', '--owner-clients'], w.ownerEnv);
    assert.equal(code, 0, stderr);
    assert.match(
      stdout,
      /Merged 3 API clients of 79y4mqf2rt3bxs378kw5479xdu into \.loginpolicyrc\.json: 2 added, 1 updated\./,
    );
    assert.match(
      stdout,
      /New current secret for 7ns3pxeq92eghsqfu5sanshe939vmrjm: the old fingerprint is now in "previousSecrets" with "validUntil": null/,
    );
    const text = w.read('.loginpolicyrc.json');
    assert.ok(text.startsWith('// Our project\n'), 'the comment is kept');
    const config = JSON.parse(text.replace(/^\/\/.*\n/, '')) as { clients: Record<string, unknown>[] };
    assert.deepEqual(config.clients[0], {
      clientId: VENDOR_OWNER.clientId,
      label: 'our owner',
      secretSha256: fingerprint(VENDOR_OWNER.currentSecret),
      previousSecrets: [oldPrevious, { sha256: fingerprint(VENDOR_OWNER.expiredSecret), validUntil: null }],
      features: ['access_issuer', 'direct_access', 'owner'],
    });
    assert.deepEqual(
      config.clients.slice(1).map((c) => [c['clientId'], c['features'], typeof c['secretSha256']]),
      [
        ['m3n8b2v7c1x6z9l4k5j0h2g7f3d8s1a6', ['access_issuer', 'direct_access', 'owner'], 'string'],
        ['t5r8e1w4q7a0s3d6f9g2h5j8k1l4z7x0', ['login_client'], 'string'],
      ],
    );
    assertNothingSecretOnDisk(w);
    // Nothing new: the config stays as it is, byte for byte.
    const again = await w.run(['pull', '--owner-clients'], w.ownerEnv);
    assert.equal(again.code, 0);
    assert.match(
      again.stdout,
      /3 API clients of 79y4mqf2rt3bxs378kw5479xdu: \.loginpolicyrc\.json already knew them\./,
    );
    assert.equal(w.read('.loginpolicyrc.json'), text);
  });

  it('keeps an edit made to the config while the pull runs', async () => {
    const w = world();
    const configPath = path.join(w.dir, '.loginpolicyrc.json');
    writeFileSync(configPath, CONFIG(''));
    // The policy list answers late, so the config is edited after the CLI read it and before it merges the clients.
    w.cloud.injectFault({
      method: 'GET',
      path: `/${DEMO.customerId}/config/loginPolicies`,
      kind: 'slow',
      delayMs: 1500,
    });
    const running = w.run(['pull', '--owner-clients'], w.ownerEnv);
    // The token request comes after the CLI has read its config.
    while (!w.cloud.requests.some((r) => r.path.endsWith('/token'))) await new Promise((r) => setTimeout(r, 10));
    writeFileSync(configPath, CONFIG('').replace('"baseline"', '"rules": { "login-url": "off" },\n  "baseline"'));
    const { code, stderr } = await running;
    assert.equal(code, 0, stderr);
    const config = JSON.parse(w.read('.loginpolicyrc.json').replace(/^\/\/.*\n/, '')) as Record<string, unknown>;
    assert.deepEqual(config['rules'], { 'login-url': 'off' }, 'the edit made during the pull is kept');
    assert.equal((config['clients'] as unknown[]).length, 3);
  });

  it('creates .loginpolicyrc.json when there is none', async () => {
    const w = world();
    const { code } = await w.run(['pull', '--owner-clients'], w.ownerEnv);
    assert.equal(code, 0);
    const config = JSON.parse(w.read('.loginpolicyrc.json')) as { clients: { clientId: string }[] };
    assert.equal(config.clients.length, 3);
    assertNothingSecretOnDisk(w);
  });

  it('exits 3 and writes nothing when the owner credentials are refused', async () => {
    const w = world();
    const { code, stderr } = await w.run(['pull', '--owner-clients'], {
      ...w.ownerEnv,
      LOGIN_POLICY_OWNER_CLIENT_SECRET: 'wrongwrongwrongwrongwrongwrong12',
    });
    assert.equal(code, 3);
    assert.match(
      oneFailureLine(stderr),
      /GET \/config\/79y4mqf2rt3bxs378kw5479xdu\/clients: the owner client id or secret was refused \(HTTP 401\)/,
    );
    assert.deepEqual(readdirSync(w.dir), []);
  });
});

function without(env: Record<string, string>, name: string): Record<string, string> {
  const { [name]: _dropped, ...rest } = env;
  return rest;
}

function apiClient(w: CloudWorld): IdentityCloudClient {
  return new IdentityCloudClient({
    customerId: DEMO.customerId,
    region: 'us',
    apiBase: w.cloud.url,
    configClientId: DEMO.configClient.id,
    configClientSecret: DEMO.configClient.secret,
  });
}
