// Leak tests: canary secrets (canaries.ts) planted in policies, configs, the fake Identity Cloud, recorded
// fingerprints and the settings appear in no output and in no form: the CLI's stdout and stderr in every format
// (with --verify), every byte the language server sends, its log lines, and the client's message trace at verbose
// (written by vscode-jsonrpc's tracer through the client's own redacting channel, client/src/log.ts).
import '../support/vscode-stub'; // first: client modules require('vscode')
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { Trace, TraceFormat, type Hover } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { createTrace, learnSecrets } from '../../client/src/log';
import { FakeIdentityCloud } from '../fake-identity-cloud/server';
import { fingerprint } from '../../server/src/shared/fingerprint';
import { runCliAsync } from '../support/cli';
import { LspTestClient } from '../support/lsp-client';
import { createdChannels, languageClientTracer, type RecordingChannel } from '../support/vscode-stub';
import {
  assertClean,
  CANARY,
  CLIENT_ID,
  CURRENT,
  DEPLOYED_CANARY,
  jsonEscaped,
  SECRET_FORMS,
  SECRETS_ONLY,
} from './canaries';

const MASK = '••••••••';
const MOVED_ID = '6f1d2c3b-4a59-4e68-8d7c-0b1a2f3e4d5c';

/** A policy for the fake cloud's owner client, with `change` applied to its connectionDetails. */
function policy(domain: string, secret: string, change: (details: Record<string, unknown>) => void = () => {}) {
  const connectionDetails: Record<string, unknown> = {
    domain,
    applicationId: 'q7w2e9r4t6y1u8i3o5p0a2s4dz',
    entityType: 'user',
    clientId: CLIENT_ID,
    clientSecret: secret,
  };
  change(connectionDetails);
  return {
    identityStoreDetails: { type: 'janrainCapture', connectionDetails },
    loginURL: 'https://v1.api.eu.janrain.com/5d0f3c1e-8b7a-4e2d-9c61-0a4b7e3f2d19/auth-ui/v2/login',
    title: 'Leak test',
  };
}

const json = (value: unknown): string => JSON.stringify(value, null, 2);

/** Everything the CLI printed, on stdout and stderr. */
async function run(args: string[], cwd: string, input?: string): Promise<string> {
  const { stdout, stderr } = await runCliAsync(args, cwd, input);
  return stdout + stderr;
}

/**
 * The files the language server session opens, and where in each the probes (hover, completion) aim: at a
 * planted secret, written as the file holds it. `hover` is what the hover there must say.
 */
interface Probe {
  readonly file: string;
  readonly target: string;
  readonly hover?: RegExp;
}

describe('no secret in any output', () => {
  let cloud: FakeIdentityCloud;
  let dir: string;
  let pasted: string;
  let probes: Probe[];

  before(async () => {
    cloud = await FakeIdentityCloud.start({
      clients: [
        {
          clientId: CLIENT_ID,
          features: ['owner'],
          secrets: [{ secret: CANARY, expiresAt: new Date(Date.now() - 1000) }, { secret: CURRENT }],
        },
      ],
    });
    dir = mkdtempSync(path.join(tmpdir(), 'lpl-leak-'));
    const write = (file: string, text: string) => writeFileSync(path.join(dir, file), text);
    // The canary everywhere a careless tool might echo it: a stale policy, a policy with a malformed secret
    // (value-format: upper case, surrounded by spaces), a secret under a misspelled key, a syntax error right
    // after it, and a config where someone pasted the secret instead of its fingerprint.
    write('stale.loginpolicy.json', json(policy(cloud.host, CANARY)));
    write('format.loginpolicy.json', json(policy(cloud.host, ` ${CANARY.toUpperCase()} `)));
    write(
      'misplaced.loginpolicy.json',
      json(
        policy(cloud.host, CANARY, (details) => {
          details['clientSecre'] = details['clientSecret'];
          delete details['clientSecret'];
        }),
      ),
    );
    const quoted = JSON.stringify(CANARY);
    write(
      'syntax.loginpolicy.json',
      json(policy(cloud.host, CANARY)).replace(quoted, () => quoted.slice(0, -1)),
    );
    // A separate folder: a broken config stops the CLI (exit 2) before it lints anything else.
    pasted = mkdtempSync(path.join(tmpdir(), 'lpl-leak-pasted-'));
    writeFileSync(
      path.join(pasted, '.loginpolicyrc.json'),
      json({ clients: [{ clientId: CLIENT_ID, secretSha256: CANARY, label: 'owner' }] }),
    );
    writeFileSync(path.join(pasted, 'p.loginpolicy.json'), json(policy(cloud.host, CANARY)));
    // A deployed policy whose secret was reset: the new policy holds the current secret and moved the old one into
    // entityType.
    mkdirSync(path.join(dir, 'deployed'));
    write(`deployed/${MOVED_ID}.json`, json({ id: MOVED_ID, ...policy(cloud.host, DEPLOYED_CANARY) }));
    write(
      'moved.loginpolicy.json',
      json({
        id: MOVED_ID,
        ...policy(cloud.host, CURRENT, (details) => {
          details['entityType'] = DEPLOYED_CANARY;
        }),
      }),
    );
    write(
      '.loginpolicyrc.json',
      JSON.stringify({
        baseline: { dir: 'deployed' },
        verify: { allowedHosts: ['http://127.0.0.1:*'], timeoutMs: 2000 },
        clients: [{ clientId: CLIENT_ID, features: ['owner'], secretSha256: fingerprint(CURRENT) }],
      }),
    );
    write(
      'clients.json',
      JSON.stringify({ results: [{ client_id: CLIENT_ID, client_secret: CANARY, features: ['owner'] }], stat: 'ok' }),
    );
    probes = [
      { file: path.join(dir, 'stale.loginpolicy.json'), target: jsonEscaped(CANARY), hover: /\(masked\)/ },
      {
        file: path.join(dir, 'format.loginpolicy.json'),
        target: jsonEscaped(CANARY.toUpperCase()),
        hover: /\(masked\)/,
      },
      { file: path.join(dir, 'misplaced.loginpolicy.json'), target: jsonEscaped(CANARY) },
      { file: path.join(dir, 'syntax.loginpolicy.json'), target: jsonEscaped(CANARY), hover: /clientSecret/ },
      { file: path.join(dir, 'moved.loginpolicy.json'), target: DEPLOYED_CANARY, hover: /entity type/i },
      { file: path.join(dir, 'moved.loginpolicy.json'), target: CURRENT, hover: /\(masked\)/ },
      { file: path.join(pasted, '.loginpolicyrc.json'), target: jsonEscaped(CANARY), hover: /secretSha256/ },
    ];
  });

  after(async () => {
    await cloud.close();
    rmSync(dir, { recursive: true, force: true });
    rmSync(pasted, { recursive: true, force: true });
  });

  for (const format of ['text', 'json', 'sarif']) {
    it(`CLI --format ${format}, with and without --verify`, async () => {
      const plain = await run(['--format', format, '.'], dir);
      assert.match(plain, /stale-owner-secret/, 'the run really linted the policies');
      assert.match(plain, /value-format/, 'the malformed secret was checked');
      assert.match(plain, /immutable-identity-store/, 'the moved secret was compared with the deployed one');
      assertClean(`--format ${format}`, plain);
      assertClean(`--format ${format} --verify`, await run(['--format', format, '--verify', '.'], dir));
    });
  }

  it('CLI with the broken config, fingerprint and import-clients', async () => {
    const broken = await run([], pasted);
    assert.match(broken, /invalid-config/);
    assertClean('broken config', broken);
    const printed = await run(['fingerprint', '--client-id', CLIENT_ID], dir, CANARY);
    assert.ok(printed.includes(fingerprint(CANARY)), 'fingerprint read the whole canary');
    assertClean('fingerprint', printed, SECRET_FORMS);
    assertClean('import-clients', await run(['import-clients', 'clients.json'], dir), SECRET_FORMS);
    assertClean('--help', await run(['--help'], dir));
  });

  it('the fake Identity Cloud was really asked with the canary', () => {
    assert.ok(
      cloud.requests.some((r) => r.clientId === CLIENT_ID && r.code === 402),
      'the stale canary was rejected',
    );
    assertClean('the fake server request log', JSON.stringify(cloud.requests));
  });

  describe('a language server session', () => {
    /** Every byte the server wrote to stdout. */
    let sent = '';
    let stderr = '';
    let logs: string[] = [];
    /** What the client's trace channel (as the extension creates it) showed. */
    let trace: RecordingChannel;
    const hovers = new Map<Probe, string>();

    before(async () => {
      const verify = { mode: 'onSave', allowedHosts: ['http://127.0.0.1:*'], timeoutMs: 2000 };
      const { client } = await LspTestClient.start({ rootPath: dir, settings: { verify } });
      const raw: Buffer[] = [];
      client.process.stdout!.on('data', (d: Buffer) => raw.push(d));
      try {
        const channel = createTrace('Login Policy Trace');
        trace = createdChannels.at(-1)!;
        await client.connection.trace(Trace.Verbose, languageClientTracer(channel), {
          sendNotification: true,
          traceFormat: TraceFormat.Text,
        });
        await client.connection.sendNotification('loginPolicy/recordedFingerprints', {
          clients: [{ clientId: 'another', sha256: fingerprint(CANARY) }],
        });
        const opened = new Set<string>();
        for (const probe of probes) await probeFile(client, probe, opened, hovers);
        await client.waitFor(
          () =>
            client.logs.find((l) =>
              /Live check for .*stale\.loginpolicy\.json: Capture answered: rejected/.test(l.message),
            ),
          10_000,
          'the live check log',
        );
        // Someone pastes the secret into the wrong settings: the server says the values are wrong, in its log.
        client.settings = { rules: { 'value-format': CANARY }, verify: { ...verify, mode: CANARY } };
        await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
        await client.waitFor(
          () => (client.logs.filter((l) => /^Settings: /.test(l.message)).length >= 2 ? true : undefined),
          10_000,
          'the settings problems in the log',
        );
      } finally {
        await client.stop();
      }
      sent = Buffer.concat(raw).toString('utf8');
      stderr = client.stderr.join('');
      logs = client.logs.map((l) => l.message);
    });

    it('every probe hit a planted secret', () => {
      for (const probe of probes) {
        if (probe.hover) assert.match(hovers.get(probe) ?? '', probe.hover, `the hover on ${probe.target}`);
      }
    });

    it('every byte the language server sends', () => {
      assert.ok(sent.length > 1000, 'the server said plenty');
      // Reverting clientSecret writes the deployed secret back into the file: an edit the user picks, never
      // displayed. It is the one place a secret may travel; every title, message, hover and symbol stays clean.
      const revert = `"newText":"${jsonEscaped(`"clientSecret": ${JSON.stringify(DEPLOYED_CANARY)}`)}"`;
      assert.ok(sent.includes(revert), 'the revert of the moved secret was offered');
      assertClean('the language server output', sent.split(revert).join('"newText":"<the revert>"'));
      assertClean('the language server stderr', stderr);
    });

    it('the server log, with secrets pasted into the settings', () => {
      const problem = (pattern: RegExp) => {
        const line = logs.find((l) => pattern.test(l));
        assert.ok(line, `a log line matches ${String(pattern)}:\n${logs.join('\n')}`);
        return line;
      };
      // The problems are logged, and name the values without quoting them: a value that looks like no expected word
      // may be a secret the server has not seen yet (then nothing could mask it).
      assert.match(problem(/^Settings: loginPolicy\.rules\.value-format: /), /: a \d+-character value is not one of/);
      assert.match(problem(/^Settings: loginPolicy\.verify\.mode: /), /: a \d+-character value is not off/);
      assert.ok(logs.some((l) => /^Live check for /.test(l)));
      assertClean('the server log', logs.join('\n'));
    });

    it("the client's message trace at verbose", () => {
      const text = trace.text;
      const opened = text.match(/Sending notification 'textDocument\/didOpen'/g) ?? [];
      assert.equal(opened.length, new Set(probes.map((p) => p.file)).size, 'every document was traced');
      assert.match(text, /Received response 'textDocument\/hover - \(\d+\)'/);
      assert.match(text, /Sending response 'workspace\/configuration - \(\d+\)'/, 'the settings were traced');
      assert.match(text, /Received notification 'window\/logMessage'/);
      assert.ok(text.includes(MASK));
      assertClean("the client's trace", text, SECRETS_ONLY);
      assert.match(text, /"text": "<\d+ characters of document text>"/, 'a document shows as its length');
    });
  });
});

/** Opens a file as the extension would, runs every request on it, and aims hover and completion at the target. */
async function probeFile(
  client: LspTestClient,
  probe: Probe,
  opened: Set<string>,
  hovers: Map<Probe, string>,
): Promise<void> {
  const uri = pathToFileURL(probe.file).href;
  const text = readFileSync(probe.file, 'utf8');
  const languageId = probe.file.endsWith('rc.json') ? 'jsonc' : 'login-policy';
  const at = text.indexOf(probe.target);
  assert.ok(at >= 0, `the probe target ${JSON.stringify(probe.target)} is in ${probe.file}`);
  if (!opened.has(uri)) {
    opened.add(uri);
    if (languageId === 'login-policy') learnSecrets(text); // as the extension does when a document opens
    await client.open(uri, text, languageId);
    await client.diagnostics(uri, (p) => p.version === 1 && p.diagnostics.length > 0);
  }
  const position = TextDocument.create(uri, languageId, 1, text).positionAt(at + 2);
  const hover = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position });
  hovers.set(probe, hover ? JSON.stringify(hover.contents) : '');
  await client.request('textDocument/completion', { textDocument: { uri }, position });
  await client.request('textDocument/codeLens', { textDocument: { uri } });
  await client.request('textDocument/documentSymbol', { textDocument: { uri } });
  const diagnostics = client.published.get(uri)!.at(-1)!.diagnostics;
  await client.request('textDocument/codeAction', {
    textDocument: { uri },
    range: { start: { line: 0, character: 0 }, end: { line: 30, character: 0 } },
    context: { diagnostics },
  });
  await client.connection.sendNotification('textDocument/didSave', { textDocument: { uri } });
  await client.request('workspace/executeCommand', { command: 'loginPolicy.verifyOwnerSecret', arguments: [uri] });
}
