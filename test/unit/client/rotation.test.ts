// VS Code's Rotate Owner Secret without VS Code: the flow (client/src/rotation-flow.ts) against the fake Identity Cloud,
// with a scripted editor standing in for the preview, the dialog and the progress notification, and the real
// redacting log channel. Nothing changes before the one question, and nothing after a "no"; Cancel stops between two
// steps and leaves a journal that resumes to the CLI's end state (no failed sign-in on the way); a failed step resumes
// the same way; a reset that would strand another policy names it; a refused secret stops at the plan; and the
// unfinished rotations the editor offers are found from the journals.
import '../../support/vscode-stub'; // first: client modules require('vscode')
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { parse as parseJsonc } from 'jsonc-parser';
import { createLog } from '../../../client/src/log';
import { runRotationFlow, type RotationInput, type RotationUi } from '../../../client/src/rotation-flow';
import { describeUnfinished, journalFilesIn, unfinishedRotations } from '../../../client/src/rotation-journals';
import { JOURNAL_FOLDER } from '../../../client/src/constants';
import { loadConfigFile } from '../../../server/src/identity-cloud/deployed-pull';
import { JOURNAL_DIR } from '../../../server/src/identity-cloud/rotation/journal';
import { fingerprint } from '../../../server/src/shared/fingerprint';
import type { RecordingChannel } from '../../support/vscode-stub';
import { embeddedSecret } from '../../cli/cloud-fixture';
import {
  assertRotated,
  CLIENT_FILE,
  CONFIG_CLIENT,
  CUSTOMER,
  NEW_POLICY_FILE,
  OWNER,
  POLICY_FILE,
  startWorld,
  type RotationWorld,
} from '../../cli/rotate-fixture';

/** Only what a change would send: the token request and live checks are POSTs that change nothing. */
const changes = (w: RotationWorld) =>
  w.cloud.requests.filter(
    (r) => r.method !== 'GET' && !r.path.endsWith('/login/token') && r.path !== '/entityType.list',
  );

/** The editor, scripted: answers the question, records what was shown, presses Cancel when told to. */
class ScriptedEditor implements RotationUi {
  readonly channel = createLog() as unknown as RecordingChannel;
  readonly log = this.channel;
  readonly previews: string[] = [];
  readonly questions: { question: string; detail: string; action: string; changesBefore: number }[] = [];
  readonly reports: string[] = [];
  readonly titles: string[] = [];
  readonly asked: string[] = [];

  constructor(
    private readonly world: RotationWorld,
    private readonly script: {
      answer?: boolean;
      /** Presses Cancel when a report matches. */
      cancelOn?: RegExp;
      newSecretAgain?: string;
    } = {},
  ) {}

  async progress<T>(
    title: string,
    work: (report: (message: string, increment?: number) => void, cancel: AbortSignal) => Promise<T>,
  ): Promise<T> {
    this.titles.push(title);
    const cancel = new AbortController();
    return work((message) => {
      this.reports.push(message);
      if (this.script.cancelOn?.test(message) && !cancel.signal.aborted) cancel.abort();
    }, cancel.signal);
  }

  preview(text: string): Promise<string> {
    this.previews.push(text);
    return Promise.resolve(`login-policy-rotation-plan:/plan-${this.previews.length}`);
  }

  confirm(question: string, detail: string, action: string): Promise<boolean> {
    this.questions.push({ question, detail, action, changesBefore: changes(this.world).length });
    return Promise.resolve(this.script.answer ?? true);
  }

  askNewSecret(prompt: string): Promise<string | undefined> {
    this.asked.push(prompt);
    return Promise.resolve(this.script.newSecretAgain);
  }
}

function setupOf(w: RotationWorld) {
  const config = loadConfigFile(path.join(w.dir, '.loginpolicyrc.json'));
  return {
    connection: {
      customerId: CUSTOMER,
      region: 'eu',
      configClientId: CONFIG_CLIENT.id,
      configClientSecret: CONFIG_CLIENT.secret,
      apiBase: w.cloud.url,
    },
    liveCheck: { allowedHosts: ['http://127.0.0.1:*'], timeoutMs: 3000 },
    cwd: w.dir,
    config,
    policyFiles: new Map([[w.policyId, path.join(w.dir, POLICY_FILE)]]),
  };
}

/** The owner secret was reset in the Console with a grace period: the secret a user types into the password box. */
function typedRotation(w: RotationWorld, extra: Partial<RotationInput> = {}): RotationInput {
  const newSecret = w.cloud.resetSecret(OWNER.clientId, 24);
  return { mode: 'rotate', policyIds: [w.policyId], source: 'typed', newSecret, deleteOld: false, ...extra };
}

/** A reset with the owner's own credentials and one hour of grace. */
const resetRotation = (w: RotationWorld, extra: Partial<RotationInput> = {}): RotationInput => ({
  mode: 'rotate',
  policyIds: [w.policyId],
  source: 'reset',
  owner: { clientId: OWNER.clientId, secret: OWNER.secret },
  hoursToLive: 1,
  deleteOld: false,
  ...extra,
});

const resume = (w: RotationWorld, extra: Partial<RotationInput> = {}): RotationInput => ({
  mode: 'rotate',
  policyIds: [w.policyId],
  source: undefined,
  deleteOld: false,
  ...extra,
});

describe('Rotate Owner Secret in the editor (the flow)', () => {
  let world: RotationWorld | undefined;
  afterEach(async () => {
    await world?.close();
    world = undefined;
  });

  it('shows the plan in the CLI words and asks once before anything changes; a "no" changes nothing', async () => {
    const w = (world = await startWorld({ clients: 3 }));
    const input = typedRotation(w);
    const declined = new ScriptedEditor(w, { answer: false });
    const outcome = await runRotationFlow(setupOf(w), input, declined);
    assert.equal(outcome.kind, 'declined');
    assert.equal(declined.questions.length, 1, 'one question');
    assert.deepEqual(changes(w), [], 'no request that changes anything');
    assert.equal(w.journal(), undefined, 'no journal');
    const [preview] = declined.previews;
    assert.match(preview!, /^Rotation plan for owner client /);
    // The words of `rotate`'s plan (the same function), with the journal relative to the folder.
    assert.ok(preview!.includes('new secret: from the secret typed into VS Code; Capture accepts it'));
    assert.ok(preview!.includes(`journal: ${JOURNAL_DIR}/${w.policyId}.json`));
    assert.match(preview!, /^ +\d+\. re-point OIDC client "ACME app 3" \(/m);
    assert.match(
      preview!.trimEnd().split('\n').at(-1)!,
      /^Nothing was changed yet\. "Rotate" in the dialog carries it out/,
    );

    const accepted = new ScriptedEditor(w);
    const done = await runRotationFlow(setupOf(w), { ...input }, accepted);
    assert.equal(done.kind, 'done', 'message' in done ? done.message : '');
    assert.equal(accepted.questions.length, 1, 'asked once');
    assert.equal(accepted.questions[0]!.changesBefore, 0, 'nothing changed before the question was answered');
    assert.equal(accepted.questions[0]!.action, 'Rotate');
    assert.ok(changes(w).length > 0);
    assertRotated(w, { deleted: false });
  });

  it('runs like rotate --apply: one log line per step, the files updated, no failed sign-in', async () => {
    const w = (world = await startWorld({ clients: 4 }));
    const input = typedRotation(w, { deleteOld: true });
    const editor = new ScriptedEditor(w);
    const load = w.startSignIns();
    const outcome = await runRotationFlow(setupOf(w), input, editor);
    const figures = load.stop();
    assert.equal(outcome.kind, 'done', 'message' in outcome ? outcome.message : '');
    assert.equal(figures.failed, 0, `no sign-in failed (${figures.attempted} attempted)`);
    const newPolicy = assertRotated(w, { deleted: true });
    const newId = String(newPolicy['id']);
    const steps = w.journal()!.steps;
    const logged = editor.channel.lines.filter((l) => /^\[info\] \[\d+\/\d+\] /.test(l));
    assert.equal(logged.length, steps.length, 'one log line per step');
    assert.match(logged[0]!, /^\[info\] \[1\/\d+\] prove the new secret: Capture must accept it .*: done in \d+ ms$/);
    assert.ok(
      editor.reports.some((r) => /^\[\d+\/\d+\] re-point OIDC client "ACME app 1" .*…$/.test(r)),
      'the notification names each step as it runs',
    );
    assert.equal(
      outcome.kind === 'done' && outcome.message,
      `Rotated "ACME Login Policy" (${w.policyId}) to "${String(newPolicy['title'])}" (${newId}): 4 OIDC clients re-pointed; the old policy is deleted. Files updated: ${outcome.kind === 'done' ? outcome.result.files.join(', ') : ''}.`,
    );
    // The files, as the CLI writes them.
    assert.ok(!existsSync(path.join(w.dir, POLICY_FILE)), 'the old policy file is removed after the DELETE');
    const file = JSON.parse(w.read(NEW_POLICY_FILE)) as Record<string, unknown>;
    assert.equal(file['id'], newId);
    assert.equal(embeddedSecret(file), `sha256:${fingerprint(input.newSecret!)}`);
    assert.match(w.read(CLIENT_FILE), new RegExp(`^\\{\\n  // the web app\\n[^]*"loginPolicy": "${newId}"`));
    assert.match(w.read('.loginpolicyrc.json'), new RegExp(`"secretSha256": "${fingerprint(input.newSecret!)}"`));
    for (const text of [editor.channel.text, ...editor.previews, outcome.message]) {
      for (const secret of w.secrets()) assert.ok(!text.includes(secret), 'no secret shown or logged');
    }
  });

  it('Cancel stops between two steps and leaves a journal that Resume continues, with no failed sign-in', async () => {
    const w = (world = await startWorld({ clients: 4 }));
    const load = w.startSignIns();
    const input = typedRotation(w);
    const cancelled = new ScriptedEditor(w, { cancelOn: /^\[5\/\d+\] .*…$/ });
    const stopped = await runRotationFlow(setupOf(w), input, cancelled);
    assert.equal(stopped.kind, 'stopped', 'message' in stopped ? stopped.message : '');
    assert.match(stopped.message, /^The rotation stopped before step 6 of 8 \(re-point OIDC client "ACME app 3" /);
    const journal = w.journal()!;
    assert.equal(journal.done, false);
    assert.deepEqual(
      journal.steps.map((s) => s.state),
      ['done', 'done', 'done', 'done', 'done'],
      'the step under way when Cancel was pressed finished; the next did not start',
    );
    const moved = w.clientIds.filter((id) => w.cloud.oidcClient(id)!['loginPolicy'] !== w.policyId);
    assert.equal(moved.length, 2, 'two clients moved before the stop');

    // What the editor offers: this rotation, unfinished, with the steps done.
    const [offered, ...more] = unfinishedRotations(journalFilesIn(w.dir));
    assert.deepEqual(more, []);
    assert.deepEqual(offered!.policyIds, [w.policyId]);
    assert.equal(describeUnfinished(offered!), '"ACME Login Policy" (5 steps done)');
    assert.equal(offered!.needsOwner, false);

    // Resume: the new policy exists, so the typed secret is read back from it; nothing is asked but the question.
    const resumed = new ScriptedEditor(w);
    const done = await runRotationFlow(setupOf(w), resume(w), resumed);
    const figures = load.stop();
    assert.equal(done.kind, 'done', 'message' in done ? done.message : '');
    assert.deepEqual(resumed.asked, [], 'the secret is not asked again');
    assert.match(resumed.previews[0]!, /^Resume the rotation plan for owner client /);
    assert.match(resumed.questions[0]!.question, /^Resume the rotation of "ACME Login Policy"\?$/);
    assertRotated(w, { deleted: false });
    assert.equal(figures.failed, 0, `no sign-in failed (${figures.attempted} attempted)`);
    assert.deepEqual(unfinishedRotations(journalFilesIn(w.dir)), [], 'nothing left to offer');
  });

  it('dismissing the box that asks for the new secret again is a cancel: one log line, the journal still resumes', async () => {
    const w = (world = await startWorld({ clients: 2 }));
    const input = typedRotation(w);
    // Stopped after the new secret was proven, before the new policy exists: a resume needs the secret again.
    await runRotationFlow(setupOf(w), input, new ScriptedEditor(w, { cancelOn: /^\[1\/\d+\] .*…$/ }));
    const journal = w.read(`${JOURNAL_DIR}/${w.policyId}.json`);
    const requests = changes(w).length;

    const dismissed = new ScriptedEditor(w, { newSecretAgain: undefined });
    const outcome = await runRotationFlow(setupOf(w), resume(w), dismissed);
    assert.equal(dismissed.asked.length, 1, 'the new secret was asked again');
    assert.deepEqual(outcome, {
      kind: 'cancelled',
      quiet: true,
      message: `Rotation not resumed: the new secret was not given again. Nothing was changed; Resume continues from the journal (${JOURNAL_DIR}/${w.policyId}.json).`,
    });
    assert.deepEqual(dismissed.channel.lines, [`[info] ${outcome.message}`], 'one quiet line in the log');
    assert.deepEqual(dismissed.previews, [], 'no plan shown');
    assert.equal(changes(w).length, requests, 'no request that changes anything');
    assert.equal(w.read(`${JOURNAL_DIR}/${w.policyId}.json`), journal, 'the journal as it was');
    assert.deepEqual(
      unfinishedRotations(journalFilesIn(w.dir)).map((u) => u.policyIds),
      [[w.policyId]],
      'still offered to resume',
    );

    const again = new ScriptedEditor(w, { newSecretAgain: input.newSecret });
    const done = await runRotationFlow(setupOf(w), resume(w), again);
    assert.equal(done.kind, 'done', done.message);
    assertRotated(w, { deleted: false });
  });

  it('Abort, after its own preview and one question, moves the clients back and deletes the new policy', async () => {
    const w = (world = await startWorld({ clients: 3 }));
    const load = w.startSignIns();
    await runRotationFlow(setupOf(w), typedRotation(w), new ScriptedEditor(w, { cancelOn: /^\[5\/\d+\] .*…$/ }));
    const newId = w.journal()!.newPolicy.id!;
    assert.equal(w.clientIds.filter((id) => w.cloud.oidcClient(id)!['loginPolicy'] === newId).length, 2);

    const declined = new ScriptedEditor(w, { answer: false });
    const abort = { mode: 'abort', policyIds: [w.policyId], source: undefined, deleteOld: false } as const;
    assert.equal((await runRotationFlow(setupOf(w), abort, declined)).kind, 'declined');
    assert.match(declined.previews[0]!, /^Abort plan for owner client /);
    assert.match(declined.previews[0]!, /^ +\d+\. move OIDC client "ACME app 1" .* back to the old policy$/m);
    assert.deepEqual(
      declined.questions.map((q) => [q.question, q.action]),
      [['Abort the rotation of "ACME Login Policy"?', 'Abort Rotation']],
    );
    assert.equal(w.clientIds.filter((id) => w.cloud.oidcClient(id)!['loginPolicy'] === newId).length, 2, 'no change');

    const editor = new ScriptedEditor(w);
    const aborted = await runRotationFlow(setupOf(w), abort, editor);
    const figures = load.stop();
    assert.equal(aborted.kind, 'done', aborted.message);
    assert.equal(
      aborted.message,
      `Aborted the rotation of "ACME Login Policy" (${w.policyId}): 2 OIDC clients moved back; the new policy is deleted.`,
    );
    for (const id of w.clientIds) assert.equal(w.cloud.oidcClient(id)!['loginPolicy'], w.policyId);
    assert.equal(w.cloud.loginPolicy(newId), undefined);
    assert.equal(w.journal()!.aborted, true);
    assert.deepEqual(unfinishedRotations(journalFilesIn(w.dir)), [], 'an aborted rotation is not offered again');
    assert.equal(figures.failed, 0, `no sign-in failed (${figures.attempted} attempted)`);
  });

  it('a reset with owner credentials: a failed step stops the run, Resume (with the credentials again) finishes it', async () => {
    const w = (world = await startWorld({ clients: 3 }));
    const load = w.startSignIns();
    w.cloud.injectFault({ method: 'PUT', path: `/${CUSTOMER}/config/clients/${w.clientIds[1]}`, kind: 'error500' });
    const input = resetRotation(w, { deleteOld: true });
    const first = new ScriptedEditor(w);
    const interrupted = await runRotationFlow(setupOf(w), input, first);
    assert.equal(interrupted.kind, 'interrupted');
    assert.match(
      interrupted.message,
      new RegExp(
        `^The rotation was interrupted at step 6 of 9 \\(re-point OIDC client "ACME app 2" .*\\): PUT /${CUSTOMER}/config/clients/${w.clientIds[1]}: Identity Cloud failed \\(HTTP 500\\); Resume continues where it stopped \\(journal: ${JOURNAL_DIR}/${w.policyId}\\.json\\)\\.$`,
      ),
    );
    assert.match(
      first.channel.text,
      /\[warning\] \[6\/9\] re-point OIDC client "ACME app 2" .*: failed after \d+ ms: /,
    );
    const newSecret = w.cloud.currentSecret(OWNER.clientId)!;
    assert.notEqual(newSecret, OWNER.secret, 'the reset was made');

    const second = new ScriptedEditor(w);
    const done = await runRotationFlow(
      setupOf(w),
      resume(w, { owner: { clientId: OWNER.clientId, secret: OWNER.secret } }),
      second,
    );
    const figures = load.stop();
    assert.equal(done.kind, 'done', 'message' in done ? done.message : '');
    assertRotated(w, { deleted: true });
    assert.equal(figures.failed, 0, `no sign-in failed (${figures.attempted} attempted)`);
    for (const text of [first.channel.text, second.channel.text, ...first.previews, ...second.previews]) {
      assert.ok(!text.includes(newSecret), 'the reset secret is never shown');
      assert.ok(!text.includes(OWNER.secret), 'nor the owner credentials');
    }
  });

  it('a reset that would stop another policy names it, and rotating both together goes ahead', async () => {
    const w = (world = await startWorld({ clients: 1, siblings: 1 }));
    const input = resetRotation(w, { confirmed: true });
    const editor = new ScriptedEditor(w);
    const refused = await runRotationFlow(setupOf(w), input, editor);
    assert.equal(refused.kind, 'refused');
    assert.deepEqual(refused.kind === 'refused' && refused.alsoAffected, [
      { id: w.siblingIds[0], title: 'ACME Sibling 1' },
    ]);
    assert.deepEqual(changes(w), []);
    const together = await runRotationFlow(setupOf(w), { ...input, policyIds: [w.policyId, w.siblingIds[0]!] }, editor);
    assert.equal(together.kind, 'done', 'message' in together ? together.message : '');
    assert.equal(editor.questions.length, 0, 'confirmed by the caller: no question');
  });

  it('a typed secret still in its grace period (a previous secret in .loginpolicyrc.json) stops at the plan', async () => {
    const w = (world = await startWorld({ clients: 2 }));
    const previous = w.cloud.resetSecret(OWNER.clientId, 24);
    w.cloud.resetSecret(OWNER.clientId, 24); // `previous` is now replaced: Capture accepts it for 24 hours more
    const configPath = path.join(w.dir, '.loginpolicyrc.json');
    const config = parseJsonc(readFileSync(configPath, 'utf8')) as { clients?: Record<string, unknown>[] };
    config.clients = [
      ...(config.clients ?? []).filter((c) => c['clientId'] !== OWNER.clientId),
      { clientId: OWNER.clientId, previousSecrets: [{ sha256: fingerprint(previous), validUntil: null }] },
    ];
    writeFileSync(configPath, JSON.stringify(config));
    const editor = new ScriptedEditor(w);
    const outcome = await runRotationFlow(
      setupOf(w),
      { mode: 'rotate', policyIds: [w.policyId], source: 'typed', newSecret: previous, deleteOld: false },
      editor,
    );
    assert.equal(outcome.kind, 'refused');
    assert.match(outcome.message, /previousSecrets of owner client/);
    assert.equal(editor.questions.length, 0);
    assert.deepEqual(changes(w), []);
  });

  it('another run holding the rotation (its lock) is a refusal: nothing is changed', async () => {
    const w = (world = await startWorld({ clients: 2 }));
    const lockDir = path.join(w.dir, JOURNAL_DIR);
    mkdirSync(lockDir, { recursive: true });
    // The CLI's rotate --apply, still running: a live process of this machine holds the lock.
    const holder = { pid: process.ppid, host: hostname(), startedAt: new Date().toISOString() };
    writeFileSync(path.join(lockDir, `${w.policyId}.lock`), `${JSON.stringify(holder)}\n`);
    const editor = new ScriptedEditor(w);
    const outcome = await runRotationFlow(setupOf(w), typedRotation(w), editor);
    assert.equal(outcome.kind, 'refused');
    assert.match(outcome.message, new RegExp(`another rotation of ${w.policyId} is running \\(pid ${process.ppid}\\)`));
    assert.deepEqual(
      changes(w).filter((r) => !r.path.includes('/reset')),
      [],
    );
  });

  it('a typed secret Capture does not accept stops at the plan, which says so', async () => {
    const w = (world = await startWorld({ clients: 2 }));
    const editor = new ScriptedEditor(w);
    const outcome = await runRotationFlow(
      setupOf(w),
      {
        mode: 'rotate',
        policyIds: [w.policyId],
        source: 'typed',
        newSecret: 'n0tth3s3cr3tn0tth3s3cr3tn0tth3s3',
        deleteOld: false,
      },
      editor,
    );
    assert.equal(outcome.kind, 'refused');
    assert.match(
      outcome.message,
      /^Capture does not accept the new secret \(402 invalid_client_credentials\); nothing was changed\.$/,
    );
    assert.equal(editor.questions.length, 0, 'no question: there is nothing to carry out');
    assert.match(
      editor.previews[0]!,
      /Capture does not accept the new secret .*: the rotation stops here, before anything is created/,
    );
    assert.deepEqual(changes(w), []);
  });
});

describe('unfinished rotations', () => {
  it('the journal folder the editor looks for is the one the core writes', () => {
    assert.equal(JOURNAL_FOLDER, JOURNAL_DIR);
  });

  it('leaves out finished, aborted and archived journals, files that are none, and folders of another name', async () => {
    const w = await startWorld({ clients: 2 });
    try {
      const editor = new ScriptedEditor(w, { cancelOn: /^\[3\/\d+\] .*…$/ });
      await runRotationFlow(setupOf(w), typedRotation(w), editor);
      const dir = path.join(w.dir, JOURNAL_DIR);
      const journal = w.read(`${JOURNAL_DIR}/${w.policyId}.json`);
      writeFileSync(path.join(dir, 'notes.json'), '{"not": "a journal"}');
      writeFileSync(path.join(dir, `${w.policyId}.20260101T000000Z.json`), journal);
      mkdirSync(path.join(w.dir, 'elsewhere'));
      writeFileSync(path.join(w.dir, 'elsewhere', `${w.policyId}.json`), journal);
      const found = unfinishedRotations([
        ...journalFilesIn(w.dir),
        path.join(w.dir, 'elsewhere', `${w.policyId}.json`),
      ]);
      assert.deepEqual(
        found.map((u) => [u.policyIds, u.stepsDone, u.journal]),
        [[[w.policyId], 3, path.join(dir, `${w.policyId}.json`)]],
      );
      writeFileSync(path.join(dir, `${w.policyId}.json`), journal.replace('"done": false', '"done": true'));
      assert.deepEqual(unfinishedRotations(journalFilesIn(w.dir)), []);
      assert.deepEqual(journalFilesIn(path.join(w.dir, 'nowhere')), []);
    } finally {
      await w.close();
    }
  });

  it('a reset rotation whose new policy is not created yet needs the owner credentials to resume', async () => {
    const w = await startWorld({ clients: 1 });
    try {
      const editor = new ScriptedEditor(w, { cancelOn: /^\[2\/\d+\] .*…$/ });
      assert.equal((await runRotationFlow(setupOf(w), resetRotation(w), editor)).kind, 'stopped');
      const [offered] = unfinishedRotations(journalFilesIn(w.dir));
      assert.equal(offered!.needsOwner, true);
      assert.equal(offered!.ownerClientId, OWNER.clientId);
    } finally {
      await w.close();
    }
  });
});
