// Rotate Owner Secret in the real editor, against the fake Identity Cloud on 127.0.0.1 with sign-ins running through
// every OIDC client: the quick fix on a rotated owner secret appears only once the workspace is connected; from it,
// the command shows the plan in a read-only document, runs each step (logged in the Login Policy output) and leaves
// every client on the new policy with no failed sign-in, the workspace files updated as `rotate` updates them and the
// new file free of findings; then a reset whose run a server error interrupts is resumed from its journal to the same
// end. No secret reaches a log: the runner scans for the fixed ones, this test for the one the reset made.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import {
  codeActions,
  codeOf,
  diagnostics,
  fakeModule,
  open,
  outputLines,
  published,
  waitFor,
  workspaceUri,
} from './helpers';

const CUSTOMER = 'e2e0a7a7-0000-4000-8000-00000000e2e0';
const APP = 'e2er0t4t34pp1d000000000000';
const OWNER_ID = 'e2er0t4t30wn3rc11e2er0t4t30wn3r1';
/** Embedded in the deployed policy; the owner secret was reset with 48 hours of grace, so it still works. */
const OLD_SECRET = 'e2er0t4t30ld5ecr3te2er0t4t30ld5e';
/** The owner client's current secret: the one typed into the rotation. */
const CURRENT_SECRET = 'e2er0t4t3curr3nte2er0t4t3curr3nt';
const CONFIG_CLIENT = {
  id: 'e2ec0f1c-0000-4000-8000-00000000c0f1',
  secret: 'E2eR0tat3C0nfigCl13ntS3cr3t-0123456789abc',
};
const TITLE = 'ACME E2E Login Policy';
const HOUR_MS = 3_600_000;
const ROTATE_ACTION = 'Rotate owner secret through Identity Cloud…';

const rotatedFinding = (d: vscode.Diagnostic[]) => d.find((x) => codeOf(x) === 'rotated-owner-secret');
const sha256 = (secret: string): string => createHash('sha256').update(secret, 'utf8').digest('hex');

interface Figures {
  attempted: number;
  failed: number;
  perClient: Record<string, unknown>;
  /** The sign-ins judged right after each change the rotation made (part of attempted and failed). */
  atChanges: { attempted: number; failed: number };
}

/** What this test uses of the fake (test/fake-identity-cloud/server.ts). */
interface RotationCloud {
  readonly url: string;
  readonly host: string;
  readonly requests: readonly { method: string; path: string; status: number }[];
  addLoginPolicy(policy: object, options?: object): Record<string, unknown>;
  addOidcClient(client: object): Record<string, unknown>;
  loginPolicy(id: string): Record<string, unknown> | undefined;
  loginPolicies(): Record<string, unknown>[];
  oidcClient(id: string): Record<string, unknown> | undefined;
  currentSecret(clientId: string): string | undefined;
  injectFault(spec: { method?: string; path: string; kind: 'error500' }): number;
  startSignInLoad(options: { ratePerSecond: number }): { stop(): Figures };
  close(): Promise<void>;
}

interface RotateResult {
  outcome: string;
  message: string;
  plan?: string;
  mode?: string;
  policies?: { oldId: string; newId: string | undefined; clients: number }[];
  files?: string[];
}

describe('Identity Cloud: rotate an owner secret', () => {
  let cloud: RotationCloud;
  let policyId: string;
  const clientIds: string[] = [];
  const dir = () => workspaceUri('rotation').fsPath;
  const file = (...parts: string[]) => path.join(dir(), ...parts);
  const rotate = (args: object) =>
    vscode.commands.executeCommand<RotateResult>('loginPolicy.rotateOwnerSecret', { confirmed: true, ...args });
  const settings = () => vscode.workspace.getConfiguration('loginPolicy');
  /** Every policy on the fake whose title says it replaces the seeded one. */
  const rotated = () => cloud.loginPolicies().filter((p) => String(p['title']).startsWith(`${TITLE} (rotated `));
  const boundTo = (id: string) => clientIds.filter((c) => cloud.oidcClient(c)!['loginPolicy'] === id).length;

  before(async () => {
    const { FakeIdentityCloud, CONFIG_SCOPE } = fakeModule('server.js') as {
      FakeIdentityCloud: { start(o: object): Promise<RotationCloud> };
      CONFIG_SCOPE: string;
    };
    const { loginPolicyBody } = fakeModule('bodies.js') as { loginPolicyBody: (fields: object) => object };
    const now = Date.now();
    cloud = await FakeIdentityCloud.start({
      customerId: CUSTOMER,
      applicationId: APP,
      clients: [
        {
          clientId: OWNER_ID,
          features: ['owner'],
          secrets: [{ secret: OLD_SECRET, expiresAt: new Date(now + 48 * HOUR_MS) }, { secret: CURRENT_SECRET }],
        },
      ],
    });
    cloud.addOidcClient({
      id: CONFIG_CLIENT.id,
      name: 'e2e configuration client',
      type: 'confidential',
      tokenPolicy: 'tp-config',
      secret: CONFIG_CLIENT.secret,
      tokenScopes: [CONFIG_SCOPE],
    });
    const deployed = cloud.addLoginPolicy(
      loginPolicyBody({
        domain: cloud.host,
        title: TITLE,
        clientId: OWNER_ID,
        clientSecret: OLD_SECRET,
        applicationId: APP,
      }),
      { pushClaims: true },
    );
    policyId = String(deployed['id']);
    for (const name of ['Web', 'iOS', 'Android', 'Partners']) {
      const client = cloud.addOidcClient({
        name: `ACME ${name}`,
        type: 'public',
        loginPolicy: policyId,
        tokenPolicy: 'tp-login',
        redirectURIs: [`https://${name.toLowerCase()}.acme.example/callback`],
      });
      clientIds.push(String(client['id']));
    }
    // The project: a config that knows the reset (the old secret works 48 hours more), the policy file with its
    // secret as a fingerprint, and the web client's file.
    mkdirSync(file('policies'), { recursive: true });
    mkdirSync(file('apps'), { recursive: true });
    const config = {
      identityCloud: { customerId: CUSTOMER, region: 'us' },
      clients: [
        {
          clientId: OWNER_ID,
          features: ['owner'],
          secretSha256: sha256(CURRENT_SECRET),
          previousSecrets: [{ sha256: sha256(OLD_SECRET), validUntil: new Date(now + 48 * HOUR_MS).toISOString() }],
        },
      ],
    };
    writeFileSync(file('.loginpolicyrc.json'), `// The e2e rotation customer\n${JSON.stringify(config, null, 2)}\n`);
    const policy = structuredClone(deployed) as { identityStoreDetails: { connectionDetails: Record<string, string> } };
    policy.identityStoreDetails.connectionDetails['clientSecret'] = `sha256:${sha256(OLD_SECRET)}`;
    writeFileSync(file('policies', 'acme.loginpolicy.json'), `${JSON.stringify(policy, null, 2)}\n`);
    const web = cloud.oidcClient(clientIds[0]!)!;
    writeFileSync(
      file('apps', 'web.oidcclient.json'),
      `{\n  // the web app\n${JSON.stringify(web, null, 2).slice(2)}\n`,
    );
    process.env['LOGIN_POLICY_API_BASE'] = cloud.url;
    // The editor's live check proves the new secret: only to hosts this setting allows.
    await settings().update('verify.allowedHosts', ['http://127.0.0.1:*'], vscode.ConfigurationTarget.Workspace);
  });

  after(async () => {
    delete process.env['LOGIN_POLICY_API_BASE'];
    await settings().update('verify.allowedHosts', undefined, vscode.ConfigurationTarget.Workspace);
    await vscode.commands.executeCommand('loginPolicy.disconnectIdentityCloud');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await cloud.close();
    rmSync(dir(), { recursive: true, force: true });
  });

  it('offers the quick fix on a rotated owner secret only once the workspace is connected', async () => {
    const doc = await open('rotation/policies/acme.loginpolicy.json');
    const finding = rotatedFinding(
      await diagnostics(
        doc.uri,
        (d) => rotatedFinding(d) !== undefined,
        'the replaced secret still in its grace period',
      ),
    );
    const titles = async () => (await codeActions(doc, finding!.range)).map((a) => a.title);
    assert.ok(!(await titles()).includes(ROTATE_ACTION), 'not connected: no rotation offered');

    const connected = await vscode.commands.executeCommand('loginPolicy.connectIdentityCloud', {
      customerId: CUSTOMER,
      region: 'us',
      configClientId: CONFIG_CLIENT.id,
      configClientSecret: CONFIG_CLIENT.secret,
    });
    assert.deepEqual(connected, { connected: true, policies: 1 });
    const pulled = await vscode.commands.executeCommand<{ pulled: boolean; reason?: string }>(
      'loginPolicy.pullDeployed',
      { configPath: file('.loginpolicyrc.json'), setBaseline: false },
    );
    assert.equal(pulled.pulled, true, pulled.reason);
    assert.ok((await titles()).includes(ROTATE_ACTION), 'connected: the quick fix is offered');
  });

  it('rotates from the quick fix: the plan in a preview, each step logged, no failed sign-in, the files updated', async () => {
    const doc = await open('rotation/policies/acme.loginpolicy.json');
    const finding = rotatedFinding(await diagnostics(doc.uri, (d) => rotatedFinding(d) !== undefined));
    const action = (await codeActions(doc, finding!.range)).find((a) => a.title === ROTATE_ACTION)!;
    assert.equal(action.command?.command, 'loginPolicy.rotateOwnerSecret');
    const [given] = action.command.arguments as [{ policyFile: string }];
    assert.deepEqual(given, { policyFile: doc.uri.fsPath });

    const load = cloud.startSignInLoad({ ratePerSecond: 200 });
    const started = Date.now();
    // The choices the input boxes and quick picks would ask for; `confirmed` stands for the dialog's Rotate.
    const result = await rotate({ ...given, source: 'typed', newSecret: CURRENT_SECRET, deleteOld: true });
    const ms = Date.now() - started;
    const figures = load.stop();
    assert.equal(result.outcome, 'done', result.message);
    assert.equal(figures.failed, 0, `no sign-in failed: ${JSON.stringify(figures.perClient)}`);
    assert.ok(figures.atChanges.attempted > 0, 'every client judged after each change, not only sampled');
    assert.equal(Object.keys(figures.perClient).length, 4, `sign-ins through every client (${figures.attempted})`);

    const [created, ...more] = rotated();
    assert.deepEqual(more, [], 'exactly one new policy');
    const newId = String(created!['id']);
    assert.equal(boundTo(newId), 4, 'every client on the new policy');
    assert.equal(cloud.loginPolicy(policyId), undefined, 'the old policy deleted');
    assert.deepEqual(result.policies, [{ oldId: policyId, newId, clients: 4 }]);
    assert.equal(
      result.message.split(' Files updated: ')[0],
      `Rotated "${TITLE}" (${policyId}) to "${String(created!['title'])}" (${newId}): 4 OIDC clients re-pointed; the old policy is deleted.`,
    );

    // The plan was shown in a read-only document, in the CLI's words.
    const plan = vscode.workspace.textDocuments.find((d) => d.uri.toString() === result.plan);
    assert.ok(plan, 'the plan document is open');
    assert.equal(plan.uri.scheme, 'login-policy-rotation-plan');
    assert.match(
      plan.getText(),
      new RegExp(`^Rotation plan for owner client ${OWNER_ID} \\(Capture ${cloud.host.replace(/\./g, '\\.')}\\)`),
    );
    assert.match(plan.getText(), /^ {4}\d+\. re-point OIDC client "ACME Partners" /m);

    // Each step, logged as it ended (the notification shows the same titles as the steps start).
    const steps = await waitFor(() => {
      const lines = outputLines('Login Policy').filter((l) => /\[info\] \[\d+\/9\] /.test(l));
      return lines.length >= 9 && lines;
    }, 'the steps in the Login Policy output (written to its log file a little later)');
    assert.equal(steps.length, 9, steps.join('\n'));
    assert.match(
      steps[0]!,
      /\[1\/9\] prove the new secret: Capture must accept it for owner client .*: done in \d+ ms$/,
    );

    // The files, as `rotate` leaves them; the old policy file removed after the DELETE.
    assert.ok(!existsSync(file('policies', 'acme.loginpolicy.json')));
    const newFile = JSON.parse(readFileSync(file('policies', 'acme.new.loginpolicy.json'), 'utf8')) as {
      id: string;
      _links: unknown;
      identityStoreDetails: { connectionDetails: { clientSecret: string } };
    };
    assert.equal(newFile.id, newId);
    assert.deepEqual(newFile._links, created!['_links']);
    assert.equal(newFile.identityStoreDetails.connectionDetails.clientSecret, `sha256:${sha256(CURRENT_SECRET)}`);
    assert.match(
      readFileSync(file('apps', 'web.oidcclient.json'), 'utf8'),
      new RegExp(`^\\{\\n  // the web app\\n[^]*"loginPolicy": "${newId}"`),
    );
    assert.ok(existsSync(file('deployed', `${newId}.json`)), 'the pulled folder has the new snapshot');
    assert.ok(!existsSync(file('deployed', `${policyId}.json`)), 'and not the deleted one');
    const journal = JSON.parse(readFileSync(file('.loginpolicy-rotation', `${policyId}.json`), 'utf8')) as {
      done: boolean;
    };
    assert.equal(journal.done, true);

    // The new file embeds the current secret: nothing to report on it.
    const fresh = await published(
      vscode.Uri.file(file('policies', 'acme.new.loginpolicy.json')),
      () => open('rotation/policies/acme.new.loginpolicy.json'),
      'the new policy file',
    );
    assert.deepEqual(
      fresh.map(codeOf).filter((c) => c.endsWith('-owner-secret')),
      [],
      'no owner-secret finding on the new policy file',
    );
    console.log(
      `[metric] rotation of 4 clients in VS Code: ${ms} ms, ${figures.attempted} sign-ins (${figures.atChanges.attempted} right after a change), ${figures.failed} failed`,
    );
  });

  it('a reset whose run a server error interrupts resumes from its journal, with no failed sign-in', async () => {
    const [first] = rotated();
    const firstId = String(first!['id']);
    const failing = clientIds[2]!;
    cloud.injectFault({ method: 'PUT', path: `/${CUSTOMER}/config/clients/${failing}`, kind: 'error500' });
    const load = cloud.startSignInLoad({ ratePerSecond: 200 });
    const reset = {
      policyFile: file('policies', 'acme.new.loginpolicy.json'),
      source: 'reset',
      ownerClientId: OWNER_ID,
      ownerClientSecret: CURRENT_SECRET,
      hoursToLive: 1,
      deleteOld: true,
    };
    const interrupted = await rotate(reset);
    assert.equal(interrupted.outcome, 'interrupted', interrupted.message);
    assert.match(
      interrupted.message,
      new RegExp(
        `^The rotation was interrupted at step 7 of 10 \\(re-point OIDC client "ACME Android" .*\\): PUT /${CUSTOMER}/config/clients/${failing}: Identity Cloud failed \\(HTTP 500\\); Resume continues where it stopped \\(journal: rotation/\\.loginpolicy-rotation/${firstId}\\.json\\)\\.$`,
      ),
    );
    const journalFile = file('.loginpolicy-rotation', `${firstId}.json`);
    assert.equal((JSON.parse(readFileSync(journalFile, 'utf8')) as { done: boolean }).done, false);
    const resetSecret = cloud.currentSecret(OWNER_ID)!;
    assert.notEqual(resetSecret, CURRENT_SECRET, 'the reset was made');

    // The notification's Resume button runs the command with the journal.
    const resumed = await rotate({ journal: journalFile, unfinished: 'resume' });
    const figures = load.stop();
    console.log(
      `[metric] reset rotation in VS Code, interrupted and resumed: ${figures.attempted} sign-ins (${figures.atChanges.attempted} right after a change), ${figures.failed} failed`,
    );
    assert.equal(resumed.outcome, 'done', resumed.message);
    assert.equal(figures.failed, 0, `no sign-in failed: ${JSON.stringify(figures.perClient)}`);
    assert.ok(figures.atChanges.attempted > 0, 'every client judged after each change, not only sampled');
    const newest = rotated().filter((p) => String(p['id']) !== firstId);
    assert.equal(newest.length, 1, 'exactly one newer policy');
    const newestId = String(newest[0]!['id']);
    assert.equal(boundTo(newestId), 4, 'every client moved, none twice');
    assert.equal(cloud.loginPolicy(firstId), undefined, 'the replaced policy deleted');
    assert.ok(!existsSync(file('policies', 'acme.new.loginpolicy.json')), 'and its file');
    const newestFile = JSON.parse(readFileSync(file('policies', 'acme.new-2.loginpolicy.json'), 'utf8')) as {
      id: string;
    };
    assert.equal(newestFile.id, newestId);
    const config = readFileSync(file('.loginpolicyrc.json'), 'utf8');
    assert.match(config, /^\/\/ The e2e rotation customer\n/, 'comments kept');
    assert.ok(config.includes(`"secretSha256": "${sha256(resetSecret)}"`), 'the new fingerprint is current');

    // The resume's result line, which names the policy only the resume finished (the interrupted run logged its steps
    // up to the failure, and test 2 the same step lines): once it is in the log, every line of the run is.
    const newestTitle = String(newest[0]!['title']);
    const resultLine = `(${firstId}) to "${newestTitle}" (${newestId}): 4 OIDC clients re-pointed; the old policy is deleted.`;
    await waitFor(
      () => outputLines('Login Policy').some((l) => l.endsWith(resultLine)),
      "the resume's result line in the Login Policy output",
    );
    // The secret the reset made was never shown: not in the output, not in any log of the editor.
    const logs = process.env['E2E_LOGS']!;
    for (const entry of readdirSync(logs, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile()) continue;
      const text = readFileSync(path.join(entry.parentPath, entry.name), 'utf8');
      assert.ok(!text.includes(resetSecret), `${entry.name} holds the reset secret`);
    }
  });
});
