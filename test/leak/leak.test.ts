// Leak tests: a canary secret planted in policies, the config, the fake Identity Cloud and recorded
// fingerprints must appear in no output: CLI stdout/stderr in every format (with --verify), and every byte the
// language server sends (diagnostics, hovers, code lenses, logs, traces), with tracing at verbose.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { FakeIdentityCloud } from '../fake-identity-cloud/server';
import { fingerprint } from '../../server/src/shared/fingerprint';
import { runCliAsync } from '../support/cli';
import { LspTestClient } from '../support/lsp-client';

/** 32 lower-case letters and digits, as Capture makes them, and unlike anything else in the outputs. */
const CANARY = 'c4n4ry1eak7e5tc4n4ry1eak7e5tq9z8';
/** A second canary, only in a deployed snapshot: the server can know it from nowhere else. */
const DEPLOYED_CANARY = 'd3p1oy3dc4n4ryd3p1oy3dc4n4ry7x6w';
const CLIENT_ID = 'l3akt3stc1i3ntl3akt3stc1i3ntabcd';
const MOVED_ID = '6f1d2c3b-4a59-4e68-8d7c-0b1a2f3e4d5c';
/** Other ways the canary could slip out: base64 Basic auth, JSON-escaped, reversed by a careless mask. */
const FORBIDDEN = [
  CANARY,
  Buffer.from(`${CLIENT_ID}:${CANARY}`).toString('base64'),
  JSON.stringify(CANARY).slice(1, -1),
  fingerprint(CANARY),
  CANARY.slice(0, 16),
  DEPLOYED_CANARY,
  fingerprint(DEPLOYED_CANARY),
  DEPLOYED_CANARY.slice(0, 16),
];

function assertClean(what: string, output: string, forbiddenList: readonly string[] = FORBIDDEN): void {
  for (const forbidden of forbiddenList) {
    const at = output.indexOf(forbidden);
    assert.ok(
      at < 0,
      `${what} contains (part of) the canary secret or its full fingerprint: …${output.slice(Math.max(0, at - 200), at + 80)}…`,
    );
  }
}

/** What `fingerprint` and `import-clients` exist to print is the full fingerprint; the secret itself, never. */
const SECRET_FORMS = FORBIDDEN.filter((f) => f !== fingerprint(CANARY));

function policy(domain: string, secret = CANARY): string {
  return JSON.stringify(
    {
      identityStoreDetails: {
        type: 'janrainCapture',
        connectionDetails: {
          domain,
          applicationId: 'q7w2e9r4t6y1u8i3o5p0a2s4dz',
          entityType: 'user',
          clientId: CLIENT_ID,
          clientSecret: secret,
        },
      },
      loginURL: 'https://v1.api.eu.janrain.com/5d0f3c1e-8b7a-4e2d-9c61-0a4b7e3f2d19/auth-ui/v2/login',
      title: 'Leak test',
    },
    null,
    2,
  );
}

/** Everything the CLI printed, on stdout and stderr. */
async function run(args: string[], cwd: string, input?: string): Promise<string> {
  const { stdout, stderr } = await runCliAsync(args, cwd, input);
  return stdout + stderr;
}

describe('no secret in any output', () => {
  let cloud: FakeIdentityCloud;
  let dir: string;
  let pasted: string;

  before(async () => {
    cloud = await FakeIdentityCloud.start({
      clients: [
        {
          clientId: CLIENT_ID,
          features: ['owner'],
          secrets: [
            { secret: 'n3wn3wn3wn3wn3wn3wn3wn3wn3wn3wn3' },
            { secret: CANARY, expiresAt: new Date(Date.now() - 1000) },
          ],
        },
      ],
    });
    dir = mkdtempSync(path.join(tmpdir(), 'lpl-leak-'));
    // The canary everywhere a careless tool might echo it: a stale policy, a policy with a malformed secret
    // (value-format), a secret under a misspelled key, a syntax error next to it, and a config where someone
    // pasted the secret instead of its fingerprint.
    writeFileSync(path.join(dir, 'stale.loginpolicy.json'), policy(cloud.host));
    writeFileSync(
      path.join(dir, 'format.loginpolicy.json'),
      policy(cloud.host, ` ${CANARY.toUpperCase()} `).replace(CANARY.toUpperCase(), CANARY.toUpperCase()),
    );
    writeFileSync(
      path.join(dir, 'misplaced.loginpolicy.json'),
      policy(cloud.host).replace('"clientSecret"', '"clientSecre"'),
    );
    writeFileSync(path.join(dir, 'syntax.loginpolicy.json'), policy(cloud.host).replace(`"${CANARY}"`, `"${CANARY}`));
    // A separate folder: a broken config stops the CLI (exit 2) before it lints anything else.
    pasted = mkdtempSync(path.join(tmpdir(), 'lpl-leak-pasted-'));
    writeFileSync(
      path.join(pasted, '.loginpolicyrc.json'),
      JSON.stringify({ clients: [{ clientId: CLIENT_ID, secretSha256: CANARY, label: 'owner' }] }),
    );
    writeFileSync(path.join(pasted, 'p.loginpolicy.json'), policy(cloud.host));
    // A deployed policy whose secret was reset: the new policy moved the old secret into entityType.
    const deployedPolicy = (p: string) => JSON.stringify({ id: MOVED_ID, ...(JSON.parse(p) as object) }, null, 2);
    mkdirSync(path.join(dir, 'deployed'));
    writeFileSync(path.join(dir, 'deployed', `${MOVED_ID}.json`), deployedPolicy(policy(cloud.host, DEPLOYED_CANARY)));
    writeFileSync(
      path.join(dir, 'moved.loginpolicy.json'),
      deployedPolicy(policy(cloud.host, 'n3wn3wn3wn3wn3wn3wn3wn3wn3wn3wn3').replace('"user"', `"${DEPLOYED_CANARY}"`)),
    );
    writeFileSync(
      path.join(dir, '.loginpolicyrc.json'),
      JSON.stringify({
        baseline: { dir: 'deployed' },
        verify: { allowedHosts: ['http://127.0.0.1:*'], timeoutMs: 2000 },
        clients: [
          { clientId: CLIENT_ID, features: ['owner'], secretSha256: fingerprint('n3wn3wn3wn3wn3wn3wn3wn3wn3wn3wn3') },
        ],
      }),
    );
    writeFileSync(
      path.join(dir, 'clients.json'),
      JSON.stringify({ results: [{ client_id: CLIENT_ID, client_secret: CANARY, features: ['owner'] }], stat: 'ok' }),
    );
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
      assert.match(plain, /immutable-identity-store/, 'the moved secret was compared with the deployed one');
      assertClean(`--format ${format}`, plain);
      assertClean(`--format ${format} --verify`, await run(['--format', format, '--verify', '.'], dir));
    });
  }

  it('CLI with the broken config, fingerprint and import-clients', async () => {
    const broken = await run([], pasted);
    assert.match(broken, /invalid-config/);
    assertClean('broken config', broken);
    assertClean('fingerprint', await run(['fingerprint', '--client-id', CLIENT_ID], dir, CANARY), SECRET_FORMS);
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

  it('every message the language server sends, with tracing at verbose', async () => {
    const { client } = await LspTestClient.start({
      rootPath: dir,
      settings: { verify: { mode: 'onSave', allowedHosts: ['http://127.0.0.1:*'], timeoutMs: 2000 } },
    });
    const raw: string[] = [];
    client.process.stdout!.on('data', (d: Buffer) => raw.push(String(d)));
    try {
      await client.connection.sendNotification('$/setTrace', { value: 'verbose' });
      await client.connection.sendNotification('loginPolicy/recordedFingerprints', {
        clients: [{ clientId: 'another', sha256: fingerprint(CANARY) }],
      });
      const files = [
        'stale.loginpolicy.json',
        'format.loginpolicy.json',
        'misplaced.loginpolicy.json',
        'syntax.loginpolicy.json',
        'moved.loginpolicy.json',
      ]
        .map((name) => path.join(dir, name))
        .concat(path.join(pasted, '.loginpolicyrc.json'));
      for (const file of files) {
        const name = path.basename(file);
        const uri = pathToFileURL(file).href;
        const { readFileSync } = await import('node:fs');
        const text = readFileSync(file, 'utf8');
        await client.open(uri, text, name.endsWith('rc.json') ? 'jsonc' : 'login-policy');
        await client.diagnostics(uri, (p) => p.diagnostics.length > 0);
        const secretAt = Math.max(0, text.search(new RegExp(`${CANARY}|${DEPLOYED_CANARY}`)));
        const line = text.slice(0, secretAt).split('\n').length - 1;
        const character = secretAt - text.lastIndexOf('\n', secretAt - 1) - 1;
        const position = { line, character: character + 2 };
        await client.request('textDocument/hover', { textDocument: { uri }, position });
        await client.request('textDocument/codeLens', { textDocument: { uri } });
        await client.request('textDocument/documentSymbol', { textDocument: { uri } });
        await client.request('textDocument/completion', { textDocument: { uri }, position });
        const diagnostics = client.published.get(uri)!.at(-1)!.diagnostics;
        await client.request('textDocument/codeAction', {
          textDocument: { uri },
          range: { start: { line: 0, character: 0 }, end: { line: 30, character: 0 } },
          context: { diagnostics },
        });
        await client.connection.sendNotification('textDocument/didSave', { textDocument: { uri } });
        await client.request('workspace/executeCommand', {
          command: 'loginPolicy.verifyOwnerSecret',
          arguments: [uri],
        });
      }
      await client.waitFor(
        () =>
          client.logs.find((l) =>
            /Live check for .*stale\.loginpolicy\.json: Capture answered: rejected/.test(l.message),
          ),
        10_000,
        'the live check log',
      );
    } finally {
      await client.stop();
    }
    assert.ok(raw.join('').length > 1000, 'the server said plenty');
    // Reverting clientSecret writes the deployed secret back into the file: an edit the user picks, never displayed.
    // It is the one place the canary may travel; every title, message, hover and symbol stays clean.
    const revert = new RegExp(String.raw`"newText":"\\"clientSecret\\": \\"${DEPLOYED_CANARY}\\""`, 'g');
    const output = raw.join('');
    assert.match(output, revert, 'the revert of the moved secret was offered');
    assertClean('the language server output', output.replace(revert, '"newText":"<the revert>"'));
    assertClean('the language server stderr', client.stderr.join(''));
  });
});
