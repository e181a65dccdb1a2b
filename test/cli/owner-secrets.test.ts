// The CLI's owner-secret features: fingerprint (stdin only), import-clients, and --verify against the fake
// Identity Cloud on 127.0.0.1, with the vendor page's scenario.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FakeIdentityCloud } from '../fake-identity-cloud/server';
import { runCli, runCliAsync } from '../support/cli';
import {
  GRACE_OWNER,
  LOGIN_CLIENT,
  scenarioClients,
  VENDOR_OWNER,
  scenarioPolicy,
} from '../fake-identity-cloud/scenario';
import { fingerprint } from '../../server/src/shared/fingerprint';

const ALL_SECRETS = [
  VENDOR_OWNER.currentSecret,
  VENDOR_OWNER.expiredSecret,
  GRACE_OWNER.currentSecret,
  GRACE_OWNER.previousSecret,
  LOGIN_CLIENT.secret,
];

function noSecretIn(...outputs: string[]): void {
  for (const output of outputs)
    for (const secret of ALL_SECRETS) assert.ok(!output.includes(secret), 'no secret in any output');
}

interface Json {
  files: {
    path: string;
    diagnostics: { rule: string; severity: string; message: string; range: { start: { line: number } } }[];
  }[];
}

describe('login-policy-lint fingerprint', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lpl-fp-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the secret from stdin and prints the clients entry', () => {
    const { code, stdout, stderr } = runCli(
      ['fingerprint', '--client-id', VENDOR_OWNER.clientId, '--features', 'owner', '--label', 'demo owner'],
      dir,
      `${VENDOR_OWNER.currentSecret}\n`,
    );
    assert.equal(code, 0);
    assert.deepEqual(JSON.parse(stdout), {
      clientId: VENDOR_OWNER.clientId,
      features: ['owner'],
      secretSha256: fingerprint(VENDOR_OWNER.currentSecret),
      label: 'demo owner',
    });
    assert.equal(
      fingerprint(VENDOR_OWNER.currentSecret),
      '264a6b4c15bc7c7f5c4661ffccab98421d274a1a7d51baa2d7724e2811b261ca',
    );
    noSecretIn(stdout, stderr);
  });

  it('never takes the secret from the command line, and needs one on stdin', () => {
    const argv = runCli(['fingerprint', VENDOR_OWNER.currentSecret], dir);
    assert.equal(argv.code, 2);
    assert.match(argv.stderr, /reads the secret from stdin, never from the command line/);
    noSecretIn(argv.stderr, argv.stdout);
    const empty = runCli(['fingerprint'], dir, '');
    assert.equal(empty.code, 2);
    assert.match(empty.stderr, /no secret on stdin/);
  });

  it('notes an unusual secret without showing it', () => {
    const { code, stderr } = runCli(['fingerprint', '--client-id', 'x'], dir, 'Not A Capture Secret!');
    assert.equal(code, 0);
    assert.match(stderr, /the secret is 21 characters, not 32 lower-case letters and digits/);
    assert.ok(!stderr.includes('Not A Capture Secret!'));
  });
});

describe('login-policy-lint import-clients', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lpl-import-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('turns a Capture clients/list response into entries without secrets', () => {
    writeFileSync(
      path.join(dir, 'list.json'),
      JSON.stringify({
        results: [
          {
            client_id: VENDOR_OWNER.clientId,
            client_secret: VENDOR_OWNER.currentSecret,
            description: 'application owner',
            whitelist: ['0.0.0.0/0'],
            features: ['access_issuer', 'direct_access', 'owner'],
          },
          {
            client_id: LOGIN_CLIENT.clientId,
            client_secret: LOGIN_CLIENT.secret,
            description: 'login client',
            features: ['login_client'],
          },
        ],
        stat: 'ok',
      }),
    );
    const { code, stdout, stderr } = runCli(['import-clients', 'list.json'], dir);
    assert.equal(code, 0);
    assert.deepEqual(JSON.parse(stdout), {
      clients: [
        {
          clientId: VENDOR_OWNER.clientId,
          features: ['access_issuer', 'direct_access', 'owner'],
          secretSha256: fingerprint(VENDOR_OWNER.currentSecret),
          label: 'application owner',
        },
        {
          clientId: LOGIN_CLIENT.clientId,
          features: ['login_client'],
          secretSha256: fingerprint(LOGIN_CLIENT.secret),
          label: 'login client',
        },
      ],
    });
    assert.match(stderr, /2 clients \(1 with the "owner" feature\); the plain secrets were dropped/);
    noSecretIn(stdout, stderr);
  });

  it('reads a Configuration API client list, and refuses what is not one without quoting it', () => {
    writeFileSync(
      path.join(dir, 'config-api.json'),
      JSON.stringify([
        { _id: GRACE_OWNER.clientId, _secret: GRACE_OWNER.currentSecret, name: 'ACME owner', features: ['owner'] },
      ]),
    );
    const ok = runCli(['import-clients', 'config-api.json'], dir);
    assert.equal(ok.code, 0);
    assert.equal(
      (JSON.parse(ok.stdout) as { clients: { secretSha256: string }[] }).clients[0]!.secretSha256,
      fingerprint(GRACE_OWNER.currentSecret),
    );
    writeFileSync(path.join(dir, 'broken.json'), `{"results": [{"client_secret": "${GRACE_OWNER.currentSecret}"`);
    const broken = runCli(['import-clients', 'broken.json'], dir);
    assert.equal(broken.code, 2);
    assert.match(broken.stderr, /"broken\.json" is not JSON\./);
    writeFileSync(
      path.join(dir, 'error.json'),
      JSON.stringify({ stat: 'error', code: 402, error: 'invalid_client_credentials' }),
    );
    assert.match(runCli(['import-clients', 'error.json'], dir).stderr, /is a Capture error response \(code 402\)/);
    noSecretIn(ok.stdout, ok.stderr, broken.stdout, broken.stderr);
  });
});

describe('login-policy-lint with a config of fingerprints', () => {
  it('reports the vendor page scenario as a stale owner secret on the clientSecret line', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lpl-vendor-'));
    try {
      writeFileSync(
        path.join(dir, 'greg.loginpolicy.json'),
        scenarioPolicy('se-demos-gstemp.us-dev.janraincapture.com', VENDOR_OWNER.clientId, VENDOR_OWNER.expiredSecret),
      );
      writeFileSync(
        path.join(dir, '.loginpolicyrc.json'),
        JSON.stringify({
          clients: [
            {
              clientId: VENDOR_OWNER.clientId,
              features: ['owner'],
              secretSha256: fingerprint(VENDOR_OWNER.currentSecret),
            },
          ],
        }),
      );
      const { code, stdout, stderr } = runCli([], dir);
      assert.equal(code, 1);
      assert.match(
        stdout,
        /^greg\.loginpolicy\.json:9:23: error stale-owner-secret: Stale owner secret \(fingerprint f35c5c81…\)/m,
      );
      noSecretIn(stdout, stderr);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('login-policy-lint --verify against the fake Identity Cloud', () => {
  let cloud: FakeIdentityCloud;
  let dir: string;

  before(async () => {
    cloud = await FakeIdentityCloud.start({ clients: scenarioClients(new Date()) });
    dir = mkdtempSync(path.join(tmpdir(), 'lpl-verify-'));
    writeFileSync(
      path.join(dir, '.loginpolicyrc.json'),
      JSON.stringify({ verify: { allowedHosts: ['http://127.0.0.1:*'], timeoutMs: 1000 } }),
    );
    writeFileSync(
      path.join(dir, 'stale.loginpolicy.json'),
      scenarioPolicy(cloud.host, VENDOR_OWNER.clientId, VENDOR_OWNER.expiredSecret),
    );
    writeFileSync(
      path.join(dir, 'current.loginpolicy.json'),
      scenarioPolicy(cloud.host, VENDOR_OWNER.clientId, VENDOR_OWNER.currentSecret),
    );
    writeFileSync(
      path.join(dir, 'grace.loginpolicy.json'),
      scenarioPolicy(cloud.host, GRACE_OWNER.clientId, GRACE_OWNER.previousSecret),
    );
    writeFileSync(
      path.join(dir, 'login-client.loginpolicy.json'),
      scenarioPolicy(cloud.host, LOGIN_CLIENT.clientId, LOGIN_CLIENT.secret),
    );
  });

  after(async () => {
    await cloud.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const rulesByFile = (stdout: string) =>
    Object.fromEntries(
      (JSON.parse(stdout) as Json).files.map((f) => [
        f.path,
        f.diagnostics.map((d) => d.rule).filter((r) => r !== 'value-format'),
      ]),
    );

  it('asks Capture and reports what it answered', async () => {
    const { code, stdout, stderr } = await runCliAsync(['--verify', '--format', 'json'], dir);
    assert.equal(code, 1);
    assert.deepEqual(rulesByFile(stdout), {
      'current.loginpolicy.json': [],
      'grace.loginpolicy.json': [],
      'login-client.loginpolicy.json': ['not-owner-client'],
      'stale.loginpolicy.json': ['stale-owner-secret'],
    });
    assert.match(stderr, /checking 4 embedded owner credentials against Capture/);
    noSecretIn(stdout, stderr);
  });

  it('tells a grace period from current when the config knows the new fingerprint', async () => {
    writeFileSync(
      path.join(dir, '.loginpolicyrc.json'),
      JSON.stringify({
        verify: { allowedHosts: ['http://127.0.0.1:*'], timeoutMs: 1000 },
        clients: [
          { clientId: GRACE_OWNER.clientId, features: ['owner'], secretSha256: fingerprint(GRACE_OWNER.currentSecret) },
        ],
      }),
    );
    const { stdout } = await runCliAsync(['--verify', '--format', 'json', 'grace.loginpolicy.json'], dir);
    const [finding] = (JSON.parse(stdout) as Json).files[0]!.diagnostics.filter((d) => d.rule !== 'value-format');
    assert.equal(finding?.rule, 'rotated-owner-secret');
    assert.match(finding.message, /its end is not recorded/);
  });

  for (const [mode, reason] of [
    ['timeout', /no answer within 1 s/],
    ['error500', /Capture answered HTTP 500/],
    ['rateLimit', /rate limiting \(510 api_limit_error\)/],
    ['notJson', /the answer was not JSON \(text\/html\)/],
    ['reset', /connection reset|network error/],
  ] as const) {
    it(`never calls a failed check (${mode}) stale: it is information with the reason`, async () => {
      cloud.setMode(mode);
      try {
        const { code, stdout, stderr } = await runCliAsync(
          ['--verify', '--format', 'json', 'stale.loginpolicy.json'],
          dir,
        );
        const findings = (JSON.parse(stdout) as Json).files[0]!.diagnostics.filter((d) => d.rule !== 'value-format');
        assert.deepEqual(
          findings.map((d) => [d.rule, d.severity]),
          [['secret-check-failed', 'info']],
        );
        assert.match(findings[0]!.message, reason);
        assert.equal(code, 0);
        noSecretIn(stdout, stderr);
      } finally {
        cloud.setMode('normal');
      }
    });
  }

  it('does not contact hosts that are not allowed', async () => {
    const other = mkdtempSync(path.join(tmpdir(), 'lpl-verify-denied-'));
    try {
      writeFileSync(
        path.join(other, 'p.loginpolicy.json'),
        scenarioPolicy(cloud.host, VENDOR_OWNER.clientId, VENDOR_OWNER.expiredSecret),
      );
      const before = cloud.requests.length;
      const { stdout } = await runCliAsync(['--verify', '--format', 'json'], other);
      assert.equal(cloud.requests.length, before, 'no request');
      const finding = (JSON.parse(stdout) as Json).files[0]!.diagnostics.find((d) => d.rule === 'secret-check-failed')!;
      assert.match(
        finding.message,
        /not checked: 127\.0\.0\.1:\d+ is not in the allowed hosts \(\*\.janraincapture\.com\)/,
      );
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });
});
