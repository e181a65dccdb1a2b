// The boundary of the Identity Cloud commands (client/src/command-boundary.ts) and the redacted notifications
// (client/src/notify.ts). An error nobody expected, whose words hold a secret, stands for a bug or an editor API that
// fails: each command (Connect, Disconnect, Pull, Status, Rotate, Resume, Abort) answers instead of rejecting, logs it
// masked with its stack, and says "internal error" in its notification; left to VS Code, its raw words would be shown
// and written to the extension host's log.
import { shownMessages, window, workspace } from '../../support/vscode-stub'; // first: client modules require('vscode')
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { INTERNAL_ERROR } from '../../../client/src/command-boundary';
import { commandFactories } from '../../../client/src/commands';
import { COMMANDS } from '../../../client/src/constants';
import type { Ctx } from '../../../client/src/ctx';
import { createLog, redactor } from '../../../client/src/log';
import { showErrorMessage, showInformationMessage } from '../../../client/src/notify';
import type { RecordingChannel } from '../../support/vscode-stub';

const CANARY = 'canaryBOUNDARYsecret-4f1e2d3c4b5a69788796a5b4c3d2';
const FIELDS = { customerId: 'e0a70b4f-1eef-4856-bcdb-f050fee66aae', region: 'us', configClientId: 'config-client' };
const JOURNAL = '/w/.loginpolicy-rotation/5dfd4950-46d1-4d53-b3b5-7fdca211d279.json';

/** What an editor API or a file system call might throw: its words hold a secret the redactor knows. */
const fault = () => new Error(`EACCES: permission denied, open '/w/${CANARY}.json'`);

/** The parts of the extension's context the commands reach before the fault: a redacting log, the connection. */
function fakeCtx(): { ctx: Ctx; log: RecordingChannel } {
  const log = createLog();
  const connection = { fields: () => FIELDS, forget: () => Promise.reject(fault()) };
  return { ctx: { log, connection } as unknown as Ctx, log: log as unknown as RecordingChannel };
}

describe('an unexpected error in an Identity Cloud command', () => {
  beforeEach(() => {
    redactor.add(CANARY);
    shownMessages.length = 0;
    // Where each command first asks the editor: which file is active, which folder holds the journal.
    Object.defineProperty(window, 'activeTextEditor', {
      configurable: true,
      get: () => {
        throw fault();
      },
    });
    workspace.getWorkspaceFolder = () => {
      throw fault();
    };
  });

  afterEach(() => {
    Object.defineProperty(window, 'activeTextEditor', { configurable: true, writable: true, value: undefined });
    workspace.getWorkspaceFolder = () => undefined;
  });

  const cases: [string, string, unknown, unknown, string][] = [
    ['Connect to Identity Cloud', COMMANDS.connectIdentityCloud, {}, { connected: false, reason: INTERNAL_ERROR }, ''],
    ['Disconnect from Identity Cloud', COMMANDS.disconnectIdentityCloud, undefined, false, ''],
    ['Pull Deployed Policies', COMMANDS.pullDeployed, {}, { pulled: false, reason: INTERNAL_ERROR }, ''],
    ['Show Deployment Status', COMMANDS.showDeploymentStatus, {}, undefined, ''],
    ...[{}, { journal: JOURNAL, unfinished: 'resume' }, { journal: JOURNAL, unfinished: 'abort' }].map(
      (args): [string, string, unknown, unknown, string] => [
        'Rotate Owner Secret',
        COMMANDS.rotateOwnerSecret,
        args,
        { outcome: 'internal-error', message: INTERNAL_ERROR },
        ' Run Rotate Owner Secret again: an unfinished rotation resumes from its journal.',
      ],
    ),
  ];

  for (const [title, id, args, answer, after] of cases) {
    it(`${title} ${JSON.stringify(args ?? null)}: answers, logs it masked with its stack, says "internal error"`, async () => {
      const { ctx, log } = fakeCtx();
      const run = commandFactories[id]!(ctx);
      assert.deepEqual(await run(args), answer, 'the command answers: it does not reject');
      const [line, ...more] = log.lines;
      assert.deepEqual(more, [], 'one log line');
      assert.ok(
        line!.startsWith(
          `[error] ${title} stopped at an internal error: Error: EACCES: permission denied, open '/w/••••••••.json'\n    at `,
        ),
        line,
      );
      assert.deepEqual(shownMessages, [
        {
          level: 'error',
          message: `${title} stopped at an internal error: see the Login Policy output.${after}`,
          rest: ['Show Output'],
        },
      ]);
      for (const text of [line!, String(JSON.stringify(answer))]) assert.ok(!text.includes(CANARY), 'no secret');
    });
  }
});

describe('a notification', () => {
  beforeEach(() => {
    redactor.add(CANARY);
    shownMessages.length = 0;
  });

  it("shows its message and a modal's detail redacted, and its buttons as they are", async () => {
    await showErrorMessage(`Could not connect: the answer was {"secret": "${CANARY}"}.`, 'Retry');
    await showInformationMessage(`Rotate ${CANARY}?`, { modal: true, detail: `It embeds ${CANARY}.` }, 'Rotate');
    assert.deepEqual(shownMessages, [
      { level: 'error', message: 'Could not connect: the answer was {"secret": "••••••••"}.', rest: ['Retry'] },
      {
        level: 'information',
        message: 'Rotate ••••••••?',
        rest: [{ modal: true, detail: 'It embeds ••••••••.' }, 'Rotate'],
      },
    ]);
  });
});
