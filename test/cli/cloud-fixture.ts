// The seeded demo of the fake Identity Cloud (npm run fake-cloud) on 127.0.0.1 with an ephemeral port, a fresh project
// folder per test, the CLI run there with exactly the credentials a test gives, and the checks every test of `pull`
// and `status` makes: no secret the fake holds in any output or file, no stack trace, one line per failure.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach } from 'node:test';
import { DEMO, demoOptions, seedDemo } from '../fake-identity-cloud/demo-seed';
import { scenarioClients, VENDOR_OWNER } from '../fake-identity-cloud/scenario';
import { FakeIdentityCloud } from '../fake-identity-cloud/server';
import { runCliAsync, type CliRun } from '../support/cli';

export { DEMO, VENDOR_OWNER };

export interface CloudWorld {
  readonly cloud: FakeIdentityCloud;
  /** The project folder (the CLI's working folder). */
  readonly dir: string;
  /** The configuration client's credentials and where the fake is. */
  readonly env: Record<string, string>;
  /** `env` plus the owner client's credentials (for --owner-clients). */
  readonly ownerEnv: Record<string, string>;
  /** Runs the CLI in `dir` with `env` (or the given one), and checks that nothing it printed holds a secret. */
  run(args: readonly string[], env?: Record<string, string>): Promise<CliRun>;
  /** Every secret the fake holds or has held: API client secrets, the configuration client's, embedded ones. */
  secrets(): string[];
  /** A file of the project folder ("deployed/pulled.json"). */
  read(file: string): string;
}

/** A fresh fake with the seeded demo and a fresh project folder for each test. */
export function cloudWorld(): () => CloudWorld {
  let world: CloudWorld | undefined;
  beforeEach(async () => {
    const now = new Date();
    const cloud = await FakeIdentityCloud.start(demoOptions(now));
    seedDemo(cloud);
    const dir = mkdtempSync(path.join(tmpdir(), 'lpl-cloud-'));
    const env = {
      LOGIN_POLICY_API_BASE: cloud.url,
      LOGIN_POLICY_CUSTOMER_ID: DEMO.customerId,
      LOGIN_POLICY_REGION: DEMO.region,
      LOGIN_POLICY_CONFIG_CLIENT_ID: DEMO.configClient.id,
      LOGIN_POLICY_CONFIG_CLIENT_SECRET: DEMO.configClient.secret,
    };
    const ownerEnv = {
      ...env,
      LOGIN_POLICY_OWNER_CLIENT_ID: VENDOR_OWNER.clientId,
      LOGIN_POLICY_OWNER_CLIENT_SECRET: VENDOR_OWNER.currentSecret,
    };
    const secrets = (): string[] => [
      ...new Set([
        DEMO.configClient.secret,
        ...scenarioClients(now).flatMap((c) => c.secrets.map((s) => s.secret)),
        ...scenarioClients(now).flatMap((c) => cloud.currentSecret(c.clientId) ?? []),
        ...cloud.loginPolicies().map((p) => embeddedSecret(p)),
      ]),
    ];
    world = {
      cloud,
      dir,
      env,
      ownerEnv,
      secrets,
      read: (file) => readFileSync(path.join(dir, file), 'utf8'),
      run: async (args, given = env) => {
        const result = await runCliAsync(args, dir, undefined, given);
        assertNoSecret(`the output of ${args.join(' ')}`, result.stdout + result.stderr, secrets());
        assert.doesNotMatch(result.stderr, /\n\s+at |Error:|TypeError/, 'no stack trace');
        return result;
      },
    };
  });
  afterEach(async () => {
    if (!world) return;
    await world.cloud.close();
    rmSync(world.dir, { recursive: true, force: true });
    world = undefined;
  });
  return () => {
    assert.ok(world);
    return world;
  };
}

export function embeddedSecret(policy: Record<string, unknown>): string {
  const details = (policy['identityStoreDetails'] as { connectionDetails: { clientSecret: string } }).connectionDetails;
  return details.clientSecret;
}

/** Fails when `text` holds any of the secrets, naming which and where. */
export function assertNoSecret(what: string, text: string, secrets: readonly string[]): void {
  for (const secret of secrets) {
    const at = text.indexOf(secret);
    assert.ok(at < 0, `${what} holds a secret: …${text.slice(Math.max(0, at - 80), at)}<the secret>…`);
  }
}

/** Every file under `dir`, by path relative to it (forward slashes), with its text. */
export function filesUnder(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (at: string): void => {
    for (const name of readdirSync(path.join(dir, at)).sort()) {
      const relative = at ? `${at}/${name}` : name;
      if (statSync(path.join(dir, relative)).isDirectory()) walk(relative);
      else files.set(relative, readFileSync(path.join(dir, relative), 'utf8'));
    }
  };
  walk('');
  return files;
}

/** The one line a failure prints: `login-policy-lint: …`, and nothing else. */
export function oneFailureLine(stderr: string): string {
  const lines = stderr.trimEnd().split('\n');
  const failures = lines.filter((l) => !/^login-policy-lint: (pulling|reading|checking) /.test(l));
  assert.equal(failures.length, 1, `one line names the failure:\n${stderr}`);
  assert.match(failures[0]!, /^login-policy-lint: /);
  return failures[0]!;
}
