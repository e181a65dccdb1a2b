// What `login-policy-lint pull` wrote, as the language server reads it: the pulled snapshot is the deployed baseline
// (immutable-identity-store, compared by fingerprint), a file whose id was not pulled is policy-not-deployed, a
// changed title is undeployed-change, and pulled OIDC clients show in the code lens on the id.
import assert from 'node:assert/strict';
import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { CodeLens, Diagnostic } from 'vscode-languageserver-protocol';
import { cloudWorld, DEMO, type CloudWorld } from '../cli/cloud-fixture';
import { DEFAULT_CAPABILITIES, LspTestClient, messageOf } from '../support/lsp-client';
import { OpenDocuments } from '../support/open-documents';

const codes = (p: { diagnostics: Diagnostic[] }) => p.diagnostics.map((d) => String(d.code));

/**
 * The workspace's copy of a deployed policy, with its secret in clear (as a team keeps it), and one for a policy that
 * no longer exists in Identity Cloud, under a config whose deployed state is the pulled folder. Returns the first.
 */
function writeWorkspace(w: CloudWorld): string {
  writeFileSync(path.join(w.dir, '.loginpolicyrc.json'), JSON.stringify({ baseline: { dir: 'deployed' } }));
  const current = `${JSON.stringify(w.cloud.loginPolicy(DEMO.currentPolicy.id)!, null, 2)}\n`;
  writeFileSync(path.join(w.dir, 'current.loginpolicy.json'), current);
  const gone = current.replaceAll(DEMO.currentPolicy.id, '0d9c8b7a-6f5e-4d3c-9b2a-1f0e9d8c7b6a');
  writeFileSync(path.join(w.dir, 'gone.loginpolicy.json'), gone);
  return current;
}

async function serverIn(w: CloudWorld): Promise<LspTestClient> {
  const { client } = await LspTestClient.start({
    rootPath: w.dir,
    capabilities: DEFAULT_CAPABILITIES,
    initializationOptions: { debounceMs: 20, clientCommands: ['loginPolicy.showPolicyClients'] },
  });
  return client;
}

describe('a workspace with a pull of what is deployed', () => {
  const world = cloudWorld();

  it('checks policy files against the pulled state', async () => {
    const w = world();
    const current = writeWorkspace(w);
    const pulled = await w.run(['pull']);
    assert.equal(pulled.code, 0, pulled.stderr);
    const client = await serverIn(w);
    try {
      const uri = (name: string) => pathToFileURL(path.join(w.dir, name)).href;
      // Unopened files are checked by the workspace scan.
      const goneFindings = await client.diagnostics(uri('gone.loginpolicy.json'), (p) =>
        codes(p).includes('policy-not-deployed'),
      );
      assert.match(
        messageOf(goneFindings.diagnostics.find((d) => d.code === 'policy-not-deployed')!),
        /^Policy 0d9c8b7a-6f5e-4d3c-9b2a-1f0e9d8c7b6a is not deployed \(deployed\/, pulled /,
      );
      const editor = new OpenDocuments(client);
      const opened = await editor.show(uri('current.loginpolicy.json'), current);
      for (const code of ['policy-not-deployed', 'immutable-identity-store', 'undeployed-change']) {
        assert.ok(
          !codes(opened).includes(code),
          `${code}: the file is as deployed (its secret matches by fingerprint)`,
        );
      }
      const lenses = await client.request<CodeLens[]>('textDocument/codeLens', {
        textDocument: { uri: uri('current.loginpolicy.json') },
      });
      assert.equal(
        lenses.find((l) => l.command?.command === 'loginPolicy.showPolicyClients')?.command?.title,
        '1 OIDC client uses this policy',
        'the pulled client bound to it',
      );

      const edited = current
        .replace(`"title": "${DEMO.currentPolicy.title}"`, '"title": "Renamed"')
        .replace(/"domain": "[^"]+"/, '"domain": "other.us.janraincapture.com"');
      await editor.show(uri('current.loginpolicy.json'), edited);
      const found = await client.diagnostics(
        uri('current.loginpolicy.json'),
        (p) => codes(p).includes('immutable-identity-store') && codes(p).includes('undeployed-change'),
      );
      const immutable = found.diagnostics.find((d) => d.code === 'immutable-identity-store')!;
      assert.match(messageOf(immutable), new RegExp(`\\(deployed: deployed/${DEMO.currentPolicy.id}\\.json\\)`));
      const change = found.diagnostics.find((d) => d.code === 'undeployed-change')!;
      assert.equal(change.severity, 4);
      assert.match(
        messageOf(change),
        /^"title" differs from the deployed policy .*: "ACME Login Policy v2" there, "Renamed" here\./,
      );
    } finally {
      await client.stop();
    }
  });
  it('follows a later pull: which policies are deployed, when that was pulled, and which clients use which', async () => {
    const w = world();
    const current = writeWorkspace(w);
    const client = await serverIn(w);
    try {
      const uri = (name: string) => pathToFileURL(path.join(w.dir, name)).href;
      /** What the extension tells the server after a pull: the files of the pulled folder changed. */
      const pulledFilesChanged = (files: string[], type: 1 | 2) =>
        client.filesChanged(
          files.map((file) => pathToFileURL(path.join(w.dir, 'deployed', file)).href),
          type,
        );
      const notDeployed = (pulledAt: string) => (p: { diagnostics: Diagnostic[] }) =>
        p.diagnostics.some(
          (d) => d.code === 'policy-not-deployed' && messageOf(d).includes(`(deployed/, pulled ${pulledAt})`),
        );
      const clientsLens = async () =>
        (
          await client.request<CodeLens[]>('textDocument/codeLens', {
            textDocument: { uri: uri('current.loginpolicy.json') },
          })
        ).find((l) => l.command?.command === 'loginPolicy.showPolicyClients')?.command?.title ?? 'none';
      const lensBecomes = (title: string) =>
        client.waitFor(async () => ((await clientsLens()) === title ? true : undefined), 10_000, `the lens "${title}"`);

      // Before the first pull, nothing says which policies are deployed.
      const before = await client.diagnostics(uri('gone.loginpolicy.json'));
      assert.ok(!codes(before).includes('policy-not-deployed'));
      await new OpenDocuments(client).show(uri('current.loginpolicy.json'), current);
      assert.equal(await clientsLens(), 'none');

      const pulled = await w.run(['pull']);
      assert.equal(pulled.code, 0, pulled.stderr);
      const files = readdirSync(path.join(w.dir, 'deployed'), { recursive: true, withFileTypes: true })
        .filter((entry) => entry.isFile())
        .map((entry) => path.relative(path.join(w.dir, 'deployed'), path.join(entry.parentPath, entry.name)));
      await pulledFilesChanged(files, 1);
      const firstPull = (JSON.parse(w.read('deployed/pulled.json')) as { pulledAt: string }).pulledAt;
      // The file not deployed, never opened and not edited, is told so, with the time of the pull.
      await client.diagnostics(uri('gone.loginpolicy.json'), notDeployed(firstPull));
      await lensBecomes('1 OIDC client uses this policy');

      // A later pull (after `rotate`, say) re-pointed the client to another policy.
      const clientFile = `clients/${DEMO.clients.partners.id}.json`;
      const repointed = w
        .read(`deployed/${clientFile}`)
        .replace(`"loginPolicy": "${DEMO.currentPolicy.id}"`, `"loginPolicy": "${DEMO.loyaltyPolicy.id}"`);
      assert.ok(repointed.includes(DEMO.loyaltyPolicy.id), 'the client is re-pointed');
      writeFileSync(path.join(w.dir, 'deployed', clientFile), repointed);
      const laterPull = '2031-01-02T03:04:05.000Z';
      const meta = JSON.parse(w.read('deployed/pulled.json')) as Record<string, unknown>;
      writeFileSync(path.join(w.dir, 'deployed/pulled.json'), JSON.stringify({ ...meta, pulledAt: laterPull }));
      await pulledFilesChanged([clientFile, 'pulled.json'], 2);
      await client.diagnostics(uri('gone.loginpolicy.json'), notDeployed(laterPull));
      await lensBecomes('none');
    } finally {
      await client.stop();
    }
  });
});
