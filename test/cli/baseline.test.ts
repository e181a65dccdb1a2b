// The CLI's immutability check: edits to the frozen identityStoreDetails of a deployed policy, against git HEAD by
// default, a ref, a snapshot folder or nothing (--baseline); and the cross-file rules across the files it lints.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../support/cli';
import { GitRepo } from '../support/git-repo';
import { policy, VALID_POLICY } from '../unit/harness';

const ID = VALID_POLICY.id;
const OLD_SECRET = VALID_POLICY.identityStoreDetails.connectionDetails.clientSecret;
const NEW_SECRET = 'z1x2c3v4b5n6m7a8s9d0f1g2h3j4k5l6';

function run(args: string[], cwd: string) {
  const out = runCli(args, cwd);
  for (const secret of [OLD_SECRET, NEW_SECRET])
    assert.ok(!out.stdout.includes(secret) && !out.stderr.includes(secret), 'no secret in any output');
  return out;
}

/** The policy with changed connectionDetails. */
function edited(changes: Record<string, string>): string {
  return policy((p) => {
    const store = p['identityStoreDetails'] as { connectionDetails: Record<string, string> };
    Object.assign(store.connectionDetails, changes);
  });
}

/** `rule: message` of every finding of one rule in text output. */
function findings(stdout: string, rule: string): string[] {
  return stdout.split('\n').filter((line) => line.includes(` ${rule}: `));
}

describe('login-policy-lint --baseline', () => {
  let repo: GitRepo;

  before(() => {
    repo = GitRepo.create('lpl-cli-baseline-');
    repo.write('acme.loginpolicy.json', policy());
    repo.commit('the deployed policy');
    // Deployed later with another entity type: HEAD~1 still has "user".
    repo.write('acme.loginpolicy.json', edited({ entityType: 'customer' }));
    repo.commit('entity type customer (a new policy in real life)');
  });

  after(() => repo.remove());

  it('warns on each changed value against git HEAD by default, without showing a secret', () => {
    repo.write(
      'acme.loginpolicy.json',
      edited({ entityType: 'customer', domain: 'acme.eu.janraincapture.com', clientSecret: NEW_SECRET }),
    );
    const { code, stdout, stderr } = run([], repo.dir);
    assert.equal(stderr, '');
    assert.equal(code, 0, 'warnings alone pass');
    const lines = findings(stdout, 'immutable-identity-store');
    assert.equal(lines.length, 2, stdout);
    assert.match(
      lines[0]!,
      /^acme\.loginpolicy\.json:6:17: warning immutable-identity-store: "identityStoreDetails\.connectionDetails\.domain" was changed from "acme-prod\.eu\.janraincapture\.com" to "acme\.eu\.janraincapture\.com" \(deployed: git HEAD\)\. A PUT of this policy fails with \{"errors": "identityStoreDetails cannot be changed"\}/,
    );
    assert.match(
      lines[1]!,
      /^acme\.loginpolicy\.json:10:23: warning immutable-identity-store: "identityStoreDetails\.connectionDetails\.clientSecret" was changed from the secret with fingerprint [0-9a-f]{8}… to the secret with fingerprint [0-9a-f]{8}…/,
    );
    assert.equal(run(['--max-warnings', '0'], repo.dir).code, 1);
  });

  it('compares with the ref given, and with nothing for none', () => {
    repo.write('acme.loginpolicy.json', edited({ entityType: 'customer' }));
    assert.deepEqual(findings(run([], repo.dir).stdout, 'immutable-identity-store'), []);
    const older = findings(run(['--baseline', 'HEAD~1'], repo.dir).stdout, 'immutable-identity-store');
    assert.equal(older.length, 1);
    assert.match(
      older[0]!,
      /"identityStoreDetails\.connectionDetails\.entityType" was changed from "user" to "customer" \(deployed: git HEAD~1\)/,
    );
    repo.write('acme.loginpolicy.json', edited({ entityType: 'people' }));
    assert.deepEqual(findings(run(['--baseline', 'none'], repo.dir).stdout, 'immutable-identity-store'), []);
  });

  it('reads a folder of snapshots named <id>.json, from the flag or the config', () => {
    repo.write('acme.loginpolicy.json', edited({ entityType: 'customer' }));
    // As GET returns it: with _links, in another key order.
    const deployed = JSON.parse(policy()) as Record<string, unknown>;
    repo.write(`snapshots/${ID}.json`, JSON.stringify({ _links: deployed['_links'], ...deployed }));
    const flagged = findings(run(['--baseline', 'snapshots'], repo.dir).stdout, 'immutable-identity-store');
    assert.equal(flagged.length, 1);
    assert.match(
      flagged[0]!,
      /from "user" to "customer" \(deployed: snapshots\/7c2e91a4-3f5d-4b8e-a1c6-92d04e7f3b58\.json\)/,
    );
    repo.write('.loginpolicyrc.json', JSON.stringify({ baseline: { dir: 'snapshots' } }));
    try {
      assert.equal(findings(run([], repo.dir).stdout, 'immutable-identity-store').length, 1);
      // The flag wins over the config.
      assert.equal(findings(run(['--baseline', 'HEAD'], repo.dir).stdout, 'immutable-identity-store').length, 0);
    } finally {
      repo.write('.loginpolicyrc.json', '{}');
    }
  });

  it('never warns for a policy without id: it has not been created', () => {
    repo.write(
      'draft.loginpolicy.json',
      policy((p) => delete p['id']),
    );
    repo.commit('a draft');
    repo.write(
      'draft.loginpolicy.json',
      policy((p) => {
        delete p['id'];
        (p['identityStoreDetails'] as { type: string }).type = 'janrainCapture';
        (p['identityStoreDetails'] as { connectionDetails: { entityType: string } }).connectionDetails.entityType = 'x';
      }),
    );
    const { stdout } = run(['draft.loginpolicy.json'], repo.dir);
    assert.deepEqual(findings(stdout, 'immutable-identity-store'), []);
  });

  it('refuses a ref it cannot use instead of passing without a baseline', () => {
    const missing = run(['--baseline', 'origin/main'], repo.dir);
    assert.equal(missing.code, 2);
    assert.match(
      missing.stderr,
      /^login-policy-lint: --baseline origin\/main: no deployed baseline for acme\.loginpolicy\.json: "origin\/main" is not a commit in this repository \(in CI, fetch it first: actions\/checkout with fetch-depth: 0\)\./,
    );
    const unsafe = run(['--baseline', '--upload-pack=x'], repo.dir);
    assert.equal(unsafe.code, 2);
    const range = run(['--baseline', 'HEAD..main'], repo.dir);
    assert.equal(range.code, 2);
    assert.match(
      range.stderr,
      /--baseline expects a git ref, a folder of deployed snapshots or "none" \(got "HEAD\.\.main"\)/,
    );
  });

  it('refuses a --baseline that would skip every policy: empty (an unset CI variable), or a folder above them', () => {
    for (const value of ['', '.', '..']) {
      const { code, stdout, stderr } = run(['--baseline', value], repo.dir);
      assert.equal(code, 2, `--baseline "${value}"`);
      assert.equal(stdout, '');
      assert.match(
        stderr,
        /^login-policy-lint: --baseline (is empty|\.{1,2}: the snapshot folder holds the current folder)/,
      );
    }
    repo.write('.loginpolicyrc.json', JSON.stringify({ baseline: { dir: '.' } }));
    try {
      const { code, stderr } = run([], repo.dir);
      assert.equal(code, 2);
      assert.match(
        stderr,
        /error invalid-config: "baseline\.dir" must name a folder below the one of \.loginpolicyrc\.json/,
      );
    } finally {
      repo.write('.loginpolicyrc.json', '{}');
    }
  });

  it('warns (and goes on) when a ref named in the config does not exist', () => {
    repo.write('.loginpolicyrc.json', JSON.stringify({ baseline: { git: 'origin/release' } }));
    try {
      const { code, stderr } = run([], repo.dir);
      assert.equal(code, 0);
      assert.match(
        stderr,
        /^login-policy-lint: warning: no deployed baseline for [^:]*acme\.loginpolicy\.json[^:]*: "origin\/release" is not a commit in this repository .*Edits to their identityStoreDetails were not checked\.\n$/,
      );
    } finally {
      repo.write('.loginpolicyrc.json', '{}');
    }
  });
});

describe('login-policy-lint with a snapshot folder and OIDC client files', () => {
  let folder: GitRepo;
  before(() => {
    folder = GitRepo.create('lpl-cli-snapshots-', { git: false });
    folder.write('.loginpolicyrc.json', JSON.stringify({ baseline: { dir: 'deployed' } }));
    folder.write(`deployed/${ID}.json`, policy());
    folder.write('acme.loginpolicy.json', policy());
    folder.write(
      'acme.new.loginpolicy.json',
      policy((p) => delete p['id']),
    );
    folder.write('clients/web.json', JSON.stringify({ name: 'ACME Web', type: 'public', loginPolicy: ID }));
  });
  after(() => folder.remove());

  it('never lints a deployed snapshot as a policy of its own', () => {
    const { stdout } = run(['--format', 'json', '.'], folder.dir);
    const output = JSON.parse(stdout) as { files: { path: string; diagnostics: { rule: string }[] }[] };
    assert.deepEqual(output.files.map((f) => f.path).sort(), ['acme.loginpolicy.json', 'acme.new.loginpolicy.json']);
    assert.ok(!output.files.some((f) => f.diagnostics.some((d) => d.rule === 'duplicate-policy-id')));
  });

  it('lists the client files still on the policy a new one replaces', () => {
    const { stdout } = run([], folder.dir);
    assert.deepEqual(findings(stdout, 'clients-on-replaced-policy'), [
      'acme.new.loginpolicy.json:1:1: info clients-on-replaced-policy: 1 OIDC client still uses the policy this one replaces (acme.loginpolicy.json, 7c2e91a4-3f5d-4b8e-a1c6-92d04e7f3b58): ACME Web (clients/web.json). Once this policy is created (POST) and has its "id", point the client at it.',
    ]);
  });
});

describe('login-policy-lint outside a git repository', () => {
  let folder: GitRepo;
  before(() => {
    folder = GitRepo.create('lpl-cli-nogit-', { git: false });
    folder.write('acme.loginpolicy.json', policy());
  });
  after(() => folder.remove());

  it('has no baseline by default, and says so when one is asked for', () => {
    const plain = run([], folder.dir);
    assert.equal(plain.code, 0);
    assert.equal(plain.stderr, '');
    const asked = run(['--baseline', 'HEAD'], folder.dir);
    assert.equal(asked.code, 2);
    assert.match(
      asked.stderr,
      /--baseline HEAD: no deployed baseline for acme\.loginpolicy\.json: not in a git repository\./,
    );
  });

  it('reports two files claiming one id, and two secrets for one owner client', () => {
    folder.write(
      'copy.loginpolicy.json',
      policy((p) => {
        (p['identityStoreDetails'] as { connectionDetails: { clientSecret: string } }).connectionDetails.clientSecret =
          NEW_SECRET;
      }),
    );
    try {
      const { code, stdout } = run(['--format', 'json'], folder.dir);
      assert.equal(code, 1);
      const output = JSON.parse(stdout) as {
        files: { path: string; diagnostics: { rule: string; message: string }[] }[];
      };
      const rules = Object.fromEntries(output.files.map((f) => [f.path, f.diagnostics.map((d) => d.rule).sort()]));
      assert.deepEqual(rules, {
        'acme.loginpolicy.json': ['divergent-owner-secret', 'duplicate-policy-id', 'unverified-owner-secret'],
        'copy.loginpolicy.json': ['divergent-owner-secret', 'duplicate-policy-id', 'unverified-owner-secret'],
      });
      const duplicate = output.files[0]!.diagnostics.find((d) => d.rule === 'duplicate-policy-id')!;
      assert.match(
        duplicate.message,
        /^Policy id 7c2e91a4-3f5d-4b8e-a1c6-92d04e7f3b58 is also claimed by copy\.loginpolicy\.json/,
      );
    } finally {
      folder.write(
        'copy.loginpolicy.json',
        policy((p) => delete p['id']),
      );
    }
  });
});
