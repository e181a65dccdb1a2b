// Identity Cloud in the real editor, against the fake's demo customer on 127.0.0.1: Connect (a refused secret keeps
// nothing), Pull into the folder the CLI would use (fingerprints only; the config's baseline set, its comments kept),
// the language server comparing a policy file with the pulled snapshot without reopening it (after the first pull,
// and after a re-pull through its watcher of the pulled folder), Show Deployment Status naming the stale policy and
// the OIDC clients it takes down, the status bar item, and Disconnect.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import {
  codeOf,
  diagnostics,
  EXTENSION_ID,
  open,
  published,
  startDemoCloud,
  waitFor,
  workspaceUri,
  type Demo,
  type DemoCloud,
} from './helpers';

/** The demo's owner client: its current secret, and the expired one the demo's default policy still embeds. */
const OWNER = {
  clientId: '7ns3pxeq92eghsqfu5sanshe939vmrjm',
  current: '2s277py2cv4ffg6vfwwjb2yf762tpfmv',
  expired: '6kr5746q7e4ex2gfedp8ehzjemwjjsqe',
};
const WRONG_SECRET = 'Wr0ngC0nf1gS3cr3tWr0ngC0nf1gS3cr3tWr0ng';
/** A policy the fake gets only before the second pull. */
const LATER_ID = '9f4c2a7e-3b1d-4e6a-8c5f-7d2b0e9a1c34';

const sha256 = (secret: string): string => createHash('sha256').update(secret, 'utf8').digest('hex');
const frozen = (d: vscode.Diagnostic[]) => d.filter((x) => codeOf(x) === 'immutable-identity-store');
const stale = (d: vscode.Diagnostic[]) => d.some((x) => codeOf(x) === 'stale-owner-secret');

interface PullResult {
  pulled: boolean;
  reason?: string;
  outDir?: string;
  written?: boolean;
  changes?: { added: string[]; changed: string[]; removed: string[] };
  baselineSet?: string;
}

describe('Identity Cloud: connect, pull, deployment status', () => {
  let cloud: DemoCloud;
  let demo: Demo;
  const configPath = () => workspaceUri('deployed-state', '.loginpolicyrc.json').fsPath;
  const pulledDir = () => workspaceUri('deployed-state', 'deployed').fsPath;
  const credentials = (secret: string) => ({
    customerId: demo.customerId,
    region: demo.region,
    configClientId: demo.configClient.id,
    configClientSecret: secret,
  });
  const pull = (args: object) =>
    vscode.commands.executeCommand<PullResult>('loginPolicy.pullDeployed', { configPath: configPath(), ...args });

  /** A copy of a deployed policy as a workspace file: its secret as a fingerprint, `entityType` edited. */
  function writePolicyFile(name: string, deployed: Record<string, unknown>, secret: string): vscode.Uri {
    const policy = structuredClone(deployed) as { identityStoreDetails: { connectionDetails: Record<string, string> } };
    policy.identityStoreDetails.connectionDetails['clientSecret'] = `sha256:${sha256(secret)}`;
    policy.identityStoreDetails.connectionDetails['entityType'] = 'customer';
    const uri = workspaceUri('deployed-state', name);
    writeFileSync(uri.fsPath, `${JSON.stringify(policy, null, 2)}\n`);
    return uri;
  }

  /** The body of a policy the fake gets before the second pull: the demo's default one with the current secret. */
  function laterPolicy(): Record<string, unknown> {
    const { id: _id, _links: _ignored, ...body } = structuredClone(cloud.loginPolicy(demo.stalePolicy.id)!);
    const details = (body['identityStoreDetails'] as { connectionDetails: Record<string, string> }).connectionDetails;
    details['clientSecret'] = OWNER.current;
    return { id: LATER_ID, ...body, title: 'ACME Later Login Policy' };
  }

  before(async () => {
    ({ cloud, demo } = await startDemoCloud());
    // Read by the extension host at each call: the loopback base of the fake instead of Identity Cloud.
    process.env['LOGIN_POLICY_API_BASE'] = cloud.url;
  });

  after(async () => {
    delete process.env['LOGIN_POLICY_API_BASE'];
    await vscode.commands.executeCommand('loginPolicy.disconnectIdentityCloud');
    await cloud.close();
  });

  it('refuses a wrong configuration client secret in words, and keeps nothing', async () => {
    const result = await vscode.commands.executeCommand<{ connected: boolean; reason?: string }>(
      'loginPolicy.connectIdentityCloud',
      credentials(WRONG_SECRET),
    );
    assert.deepEqual(result, {
      connected: false,
      reason: `POST /${demo.customerId}/login/token: the configuration client id or secret was refused (HTTP 401): Unauthorized; nothing was saved`,
    });
    assert.deepEqual(await pull({ setBaseline: false }), { pulled: false, reason: 'not connected to Identity Cloud' });
    assert.deepEqual(
      cloud.requests.map((r) => `${r.method} ${r.path} ${r.status}`),
      [`POST /${demo.customerId}/login/token 401`],
      'the token request only, and no request after the refusal',
    );
  });

  it('connects, pulls what is deployed, and the open policy is compared with it without reopening', async () => {
    const deployed = cloud.loginPolicy(demo.stalePolicy.id)!;
    const uri = writePolicyFile('acme-default.loginpolicy.json', deployed, OWNER.expired);
    const doc = await open('deployed-state/acme-default.loginpolicy.json');
    const before = await diagnostics(doc.uri, stale, 'the stale secret, judged by its fingerprint');
    assert.equal(frozen(before).length, 0, 'nothing to compare the edited entityType with yet');
    // A policy deployed only before the second pull (next test), open from now on: its lookups are long done then.
    const later = writePolicyFile('later.loginpolicy.json', laterPolicy(), OWNER.current);
    await published(later, () => open('deployed-state/later.loginpolicy.json'), 'a policy not deployed yet');

    const connected = await vscode.commands.executeCommand(
      'loginPolicy.connectIdentityCloud',
      credentials(demo.configClient.secret),
    );
    assert.deepEqual(connected, { connected: true, policies: 3 });
    const pulled = await pull({ setBaseline: true });
    assert.equal(pulled.pulled, true, pulled.reason);
    assert.equal(pulled.outDir, pulledDir(), 'deployed/ beside the .loginpolicyrc.json, as the CLI pulls');
    assert.equal(pulled.changes?.added.length, 8, '3 policies and 5 OIDC clients');
    assert.equal(pulled.baselineSet, configPath());

    // The pulled folder: every file as GET returns it, secrets as fingerprints only.
    const policyFile = readFileSync(path.join(pulledDir(), `${demo.stalePolicy.id}.json`), 'utf8');
    const expected = `${JSON.stringify(deployed, null, 2)}\n`.replace(
      JSON.stringify(OWNER.expired),
      JSON.stringify(`sha256:${sha256(OWNER.expired)}`),
    );
    assert.equal(policyFile, expected, 'byte for byte what pull writes');
    assert.deepEqual(
      readdirSync(path.join(pulledDir(), 'clients')).sort(),
      [...Object.values(demo.clients).map((c) => c.id), demo.configClient.id].map((id) => `${id}.json`).sort(),
    );
    for (const file of readdirSync(pulledDir(), { recursive: true, encoding: 'utf8' })) {
      if (!file.endsWith('.json')) continue;
      const text = readFileSync(path.join(pulledDir(), file), 'utf8');
      for (const secret of [OWNER.current, OWNER.expired, demo.configClient.secret]) {
        assert.ok(!text.includes(secret), `${file} holds no secret`);
      }
    }

    // The config compares with the pull now, and keeps its comments.
    const config = readFileSync(configPath(), 'utf8');
    assert.match(config, /"baseline": \{\s*"dir": "deployed"\s*\}/);
    assert.match(config, /\/\/ The fake Identity Cloud's demo customer/);

    const [warning] = frozen(
      await diagnostics(uri, (d) => frozen(d).length === 1, 'the frozen block compared with the pulled snapshot'),
    );
    assert.equal(doc.getText(warning!.range), '"customer"');
    assert.match(
      warning!.message,
      new RegExp(
        `^"identityStoreDetails\\.connectionDetails\\.entityType" was changed from "user" to "customer" \\(deployed: deployed/${demo.stalePolicy.id}\\.json\\)\\.`,
      ),
    );

    const api = vscode.extensions.getExtension<{ deployedState: { visible: boolean; text: string; tooltip: string } }>(
      EXTENSION_ID,
    )!.exports;
    const shown = await waitFor(
      () => api.deployedState.text === '$(cloud) Pulled just now' && api.deployedState,
      'the status bar item to show the pull',
    );
    assert.equal(shown.visible, true);
    assert.match(
      shown.tooltip,
      new RegExp(
        `from customer ${demo.customerId} \\(us\\) into deployed-state/deployed/: 3 login policies, 5 OIDC clients`,
      ),
    );
    assert.equal(frozen(vscode.languages.getDiagnostics(later)).length, 0, 'the policy not deployed yet');
  });

  it('a second pull reaches the language server, which compares a newly deployed policy', async () => {
    cloud.addLoginPolicy(laterPolicy(), { id: LATER_ID });
    const pulled = await pull({});
    assert.equal(pulled.pulled, true, pulled.reason);
    assert.deepEqual(pulled.changes, { added: [`${LATER_ID}.json`], changed: [], removed: [] });
    assert.equal(pulled.baselineSet, undefined, 'the config already compares with the pulled folder');
    const uri = workspaceUri('deployed-state', 'later.loginpolicy.json');
    const [warning] = frozen(
      await diagnostics(uri, (d) => frozen(d).length === 1, 'the new snapshot, seen without reopening the file'),
    );
    assert.match(warning!.message, new RegExp(`\\(deployed: deployed/${LATER_ID}\\.json\\)`));
  });

  it('a pull that fails says why in words and leaves the pulled folder as it was', async () => {
    const before = readdirSync(pulledDir(), { recursive: true, encoding: 'utf8' })
      .sort()
      .map((f) => [f, f.endsWith('.json') ? readFileSync(path.join(pulledDir(), f), 'utf8') : '']);
    cloud.injectFault({
      method: 'GET',
      path: `/${demo.customerId}/config/clients/${demo.clients.ios.id}`,
      kind: 'error500',
    });
    const pulled = await pull({});
    assert.deepEqual(pulled, {
      pulled: false,
      reason: `GET /${demo.customerId}/config/clients/${demo.clients.ios.id}: Identity Cloud failed (HTTP 500); nothing was written`,
    });
    const after = readdirSync(pulledDir(), { recursive: true, encoding: 'utf8' })
      .sort()
      .map((f) => [f, f.endsWith('.json') ? readFileSync(path.join(pulledDir(), f), 'utf8') : '']);
    assert.deepEqual(after, before);
    assert.deepEqual(
      readdirSync(workspaceUri('deployed-state').fsPath).filter((f) => f.includes('.pull-')),
      [],
      'no temporary folder left',
    );
  });

  it('shows which deployed policies break sign-in now and which OIDC clients they take down', async () => {
    const result = await vscode.commands.executeCommand<{ uri: string; policies: number; broken: number }>(
      'loginPolicy.showDeploymentStatus',
      { configPath: configPath() },
    );
    assert.deepEqual({ policies: result.policies, broken: result.broken }, { policies: 4, broken: 1 });
    const text = (await vscode.workspace.openTextDocument(vscode.Uri.parse(result.uri))).getText();
    assert.match(
      text,
      /^## Sign-in is broken now through 1 of 4 deployed login policies, taking down 2 OIDC clients$/m,
    );
    const file = workspaceUri('deployed-state', 'acme-default.loginpolicy.json').toString();
    const escaped = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    assert.match(
      text,
      new RegExp(
        `^- "ACME Default Login Policy" \\(\\[${escaped(demo.stalePolicy.id)}\\]\\(<${escaped(file)}>\\), v1\\): \\*\\*stale owner secret\\*\\*: it is not the current secret of client 7ns3pxeq… \\("demo owner"\\)`,
        'm',
      ),
    );
    assert.match(
      text,
      new RegExp(
        `^  It takes down 2 OIDC clients: ACME Web Login \\(\`${demo.clients.web.id}\`\\), ACME iOS App \\(\`${demo.clients.ios.id}\`\\)\\.$`,
        'm',
      ),
    );
    assert.match(
      text,
      /^\| \*\*stale\*\* \| v1 \| `0b5e8f2a-6c41-4d97-8e3a-5f1c2b9d7e60` \| ACME Default Login Policy \|/m,
    );
    for (const secret of [OWNER.current, OWNER.expired, demo.configClient.secret]) assert.ok(!text.includes(secret));
  });

  it('disconnects: the secret is forgotten, and a pull asks to connect first', async () => {
    assert.equal(await vscode.commands.executeCommand('loginPolicy.disconnectIdentityCloud'), true);
    const before = cloud.requests.length;
    assert.deepEqual(await pull({ setBaseline: false }), { pulled: false, reason: 'not connected to Identity Cloud' });
    assert.equal(cloud.requests.length, before, 'no request');
  });
});
