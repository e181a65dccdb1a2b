// Leak tests of VS Code's Rotate Owner Secret (client/src/rotation-flow.ts, driven without VS Code): a typed secret
// Capture refuses, a typed one whose run a fault stops and Resume finishes, and a reset with owner credentials, against
// a fake whose every secret is a canary. No form of any of them, nor a whole fingerprint, reaches the Login Policy
// output channel as a user reads it, the plan previews, the questions or the notifications' words; no secret reaches a
// file of the workspace (the journal, the new policy files, .loginpolicyrc.json hold fingerprints at most).
import '../support/vscode-stub'; // first: client modules require('vscode')
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createLog } from '../../client/src/log';
import { runRotationFlow, type RotationInput, type RotationUi } from '../../client/src/rotation-flow';
import { loadConfigFile } from '../../server/src/identity-cloud/deployed-pull';
import { fingerprintedSecret } from '../../server/src/shared/fingerprint';
import type { FakeIdentityCloud } from '../fake-identity-cloud/server';
import type { RecordingChannel } from '../support/vscode-stub';
import {
  assertClean,
  CANARY,
  CLIENT_ID,
  CONFIG_CANARY,
  CONFIG_CLIENT_ID,
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

const CUSTOMER = '1eac0000-0000-4000-8000-0000000ed170';
const APP = 'l3ak3d1t0rr0t4t34pp1d0000a';
const HOUR_MS = 3_600_000;

describe('no secret in what Rotate Owner Secret shows, logs or writes in VS Code', () => {
  let cloud: FakeIdentityCloud;
  let dir: string;
  let policyId: string;
  const channel = createLog() as unknown as RecordingChannel;
  /** Everything the editor showed: previews, questions, notifications. */
  const shown: string[] = [];
  /** The secret the reset made, once it exists. */
  let extra: Forbidden[] = [];

  const ui: RotationUi = {
    progress: (title, work) => {
      shown.push(title);
      return work((message) => shown.push(message), new AbortController().signal);
    },
    preview: (text) => {
      shown.push(text);
      return Promise.resolve('login-policy-rotation-plan:/leak');
    },
    confirm: (question, detail, action) => {
      shown.push(question, detail, action);
      return Promise.resolve(true);
    },
    askNewSecret: (prompt) => {
      shown.push(prompt);
      return Promise.resolve(undefined);
    },
    log: channel,
  };

  const run = async (input: RotationInput) => {
    const outcome = await runRotationFlow(
      {
        connection: {
          customerId: CUSTOMER,
          region: 'eu',
          configClientId: CONFIG_CLIENT_ID,
          configClientSecret: CONFIG_CANARY,
          apiBase: cloud.url,
        },
        liveCheck: { allowedHosts: ['http://127.0.0.1:*'], timeoutMs: 2000 },
        cwd: dir,
        config: loadConfigFile(path.join(dir, '.loginpolicyrc.json')),
        policyFiles: new Map([[policyId, path.join(dir, 'policies/acme.loginpolicy.json')]]),
      },
      input,
      ui,
    );
    shown.push(outcome.message);
    return outcome;
  };

  function assertAllClean(): void {
    const all = [...FORBIDDEN, ...extra];
    assertClean('the Login Policy output', channel.text, all);
    assertClean('what the editor showed', shown.join('\n'), all);
    assertFilesUnder(
      dir,
      all.filter((f) => !f.fingerprint),
    );
  }

  before(async () => {
    const world = await startLeakCloud(CUSTOMER, APP, [
      { secret: CANARY, expiresAt: new Date(Date.now() + 48 * HOUR_MS) },
      { secret: CURRENT, expiresAt: new Date(Date.now() + 48 * HOUR_MS) },
      { secret: NEW_CANARY },
    ]);
    cloud = world.cloud;
    const policy = world.policy('Leak', CANARY);
    policyId = String(policy['id']);
    for (const name of ['Leak web', 'Leak app']) {
      cloud.addOidcClient({
        name,
        type: 'public',
        tokenPolicy: 'tp',
        loginPolicy: policyId,
        redirectURIs: ['https://x.example/cb'],
      });
    }
    dir = mkdtempSync(path.join(tmpdir(), 'lpl-leak-editor-rotate-'));
    writeFileSync(path.join(dir, '.loginpolicyrc.json'), '{}\n');
    mkdirSync(path.join(dir, 'policies'));
    const file = structuredClone(policy);
    (file['identityStoreDetails'] as { connectionDetails: Record<string, string> }).connectionDetails['clientSecret'] =
      fingerprintedSecret(CANARY);
    writeFileSync(path.join(dir, 'policies/acme.loginpolicy.json'), JSON.stringify(file, null, 2));
  });

  after(async () => {
    await cloud.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a typed secret Capture refuses, then one whose run a fault stops and Resume finishes', async () => {
    const typed = { mode: 'rotate', policyIds: [policyId], source: 'typed', deleteOld: true } as const;
    const wrong = await run({ ...typed, newSecret: WRONG_CANARY });
    assert.equal(wrong.kind, 'refused');
    assert.match(wrong.message, /^Capture does not accept the new secret \(402 invalid_client_credentials\)/);
    cloud.injectFault({ method: 'POST', path: `/${CUSTOMER}/config/loginPolicies`, kind: 'error500' });
    assert.equal((await run({ ...typed, newSecret: NEW_CANARY })).kind, 'interrupted');
    // The new policy does not exist yet: the resume needs the typed secret again.
    const resumed = await run({
      mode: 'rotate',
      policyIds: [policyId],
      source: undefined,
      deleteOld: false,
      newSecret: NEW_CANARY,
    });
    assert.equal(resumed.kind, 'done', resumed.message);
    assert.ok(
      readFileSync(path.join(dir, 'policies/acme.new.loginpolicy.json'), 'utf8').includes(
        fingerprintedSecret(NEW_CANARY),
      ),
      'the new policy file holds the fingerprint',
    );
    assertAllClean();
  });

  it('a reset with owner credentials, whose secret only the fake knows', async () => {
    const rotated = cloud.loginPolicies().find((p) => String(p['title']).startsWith('Leak (rotated '))!;
    policyId = String(rotated['id']);
    const outcome = await run({
      mode: 'rotate',
      policyIds: [policyId],
      source: 'reset',
      owner: { clientId: OWNER_CLIENT_ID, secret: OWNER_CANARY },
      hoursToLive: 1,
      deleteOld: true,
    });
    const reset = cloud.currentSecret(CLIENT_ID)!;
    assert.notEqual(reset, NEW_CANARY, 'the owner secret was reset');
    extra = forbidden('the secret the reset made', reset);
    assert.equal(outcome.kind, 'done', outcome.message);
    assert.ok(channel.lines.length > 20, 'the log was written');
    assertAllClean();
  });
});
