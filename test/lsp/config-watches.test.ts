// The file watchers a config adds over LSP: files its `policies` globs name and its deployed-snapshot folder are
// watched (relative to their folder), so a change on disk there reaches the findings without opening anything.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { DidChangeWatchedFilesRegistrationOptions, Hover, MarkupContent } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { GitRepo } from '../support/git-repo';
import { DEFAULT_CAPABILITIES, LspTestClient } from '../support/lsp-client';
import { policy, VALID_POLICY } from '../unit/harness';

const DEPLOYED = policy();
const EDITED = DEPLOYED.replace('"acme-prod.eu.janraincapture.com"', '"acme.eu.janraincapture.com"');
const CONFIG = { policies: ['policies/*.json'], baseline: { dir: 'deployed' } };

/** A relative pattern's base: a URI, or a workspace folder. */
const baseOf = (base: string | { uri: string }) => (typeof base === 'string' ? base : base.uri);

describe('watchers for what .loginpolicyrc.json adds', () => {
  let folder: GitRepo;
  let client: LspTestClient;
  const uriOf = (file: string) => pathToFileURL(folder.path(file)).href;
  const watched = (files: string[], type: 1 | 2 | 3) => client.filesChanged(files.map(uriOf), type);
  /** The relative patterns the server asked the editor to watch, registration by registration. */
  const watchedPatterns = () =>
    client.registrations
      .filter((r) => r.method === 'workspace/didChangeWatchedFiles')
      .map((r) => ({
        id: r.id,
        patterns: (r.registerOptions as DidChangeWatchedFilesRegistrationOptions).watchers.flatMap((w) =>
          typeof w.globPattern === 'string'
            ? []
            : [{ base: baseOf(w.globPattern.baseUri), pattern: w.globPattern.pattern }],
        ),
      }))
      .filter((r) => r.patterns.length > 0);

  before(async () => {
    folder = GitRepo.create('lpl-lsp-watch-', { git: false });
    folder.write('.loginpolicyrc.json', JSON.stringify(CONFIG));
    folder.write(`deployed/${VALID_POLICY.id}.json`, DEPLOYED);
    folder.write('acme.loginpolicy.json', EDITED);
    ({ client } = await LspTestClient.start({
      rootPath: folder.dir,
      capabilities: {
        ...DEFAULT_CAPABILITIES,
        workspace: {
          ...DEFAULT_CAPABILITIES.workspace,
          didChangeWatchedFiles: { dynamicRegistration: true, relativePatternSupport: true },
        },
      },
    }));
  });

  after(async () => {
    await client.stop();
    folder.remove();
  });

  it('watches the policies globs and the snapshot folder, relative to their folders', async () => {
    const registered = await client.waitFor(() => watchedPatterns()[0], 5000, 'a registration of the config watchers');
    assert.deepEqual(registered.patterns, [
      { base: pathToFileURL(folder.dir).href, pattern: 'policies/*.json' },
      { base: uriOf('deployed'), pattern: '**/*.json' },
    ]);
  });

  it('lints a new file that the policies globs name, unopened', async () => {
    folder.write(
      'policies/team.json',
      policy((p) => void (p['colour'] = 'teal')),
    );
    folder.write(
      'notes/team.json',
      policy((p) => void (p['colour'] = 'teal')),
    );
    await watched(['notes/team.json', 'policies/team.json'], 1);
    const found = await client.diagnostics(uriOf('policies/team.json'), (p) =>
      p.diagnostics.some((d) => d.code === 'unknown-property'),
    );
    assert.ok(found);
    assert.equal(client.published.get(uriOf('notes/team.json')), undefined, 'a file no glob names stays out');
  });

  it('counts OIDC client files where the scan looks for them, not any JSON the watcher reports', async () => {
    const web = (name: string) =>
      JSON.stringify({ name, loginPolicy: VALID_POLICY.id, type: 'public', redirectURIs: ['https://acme.example/cb'] });
    folder.write('clients/web.json', web('ACME Web'));
    folder.write('notes/web.json', web('A copy in the notes'));
    await watched(['notes/web.json', 'clients/web.json'], 1);
    const acme = uriOf('acme.loginpolicy.json');
    await client.open(acme, EDITED);
    const used = await client.waitFor(
      async () => {
        const hover = await client.request<Hover | null>('textDocument/hover', {
          textDocument: { uri: acme },
          position: TextDocument.create(acme, 'json', 1, EDITED).positionAt(EDITED.indexOf(VALID_POLICY.id) + 1),
        });
        const text = (hover?.contents as MarkupContent | undefined)?.value ?? '';
        return /\*\*Used by \d+ OIDC client/.test(text) ? text : undefined;
      },
      5000,
      'the clients in the hover on id',
    );
    assert.match(used, /\*\*Used by 1 OIDC client of this workspace:\*\* ACME Web \(`clients\/web\.json`\)/);
    await client.close(acme);
  });

  it('sees a snapshot that changed on disk: the deployed version moved', async () => {
    const immutable = (p: { diagnostics: { code?: unknown }[] }) =>
      p.diagnostics.some((d) => d.code === 'immutable-identity-store');
    await client.diagnostics(uriOf('acme.loginpolicy.json'), immutable);
    folder.write(`deployed/${VALID_POLICY.id}.json`, EDITED);
    await watched([`deployed/${VALID_POLICY.id}.json`], 2);
    await client.diagnostics(uriOf('acme.loginpolicy.json'), (p) => !immutable(p));
  });

  it('replaces its registration when the config names other files', async () => {
    const [first] = watchedPatterns();
    folder.write('.loginpolicyrc.json', JSON.stringify({ ...CONFIG, policies: ['more/*.json'] }));
    await watched(['.loginpolicyrc.json'], 2);
    const second = await client.waitFor(
      () => watchedPatterns().find((r) => r.patterns.some((p) => p.pattern === 'more/*.json')),
      5000,
      'the new registration',
    );
    assert.notEqual(second.id, first!.id);
    // The old one goes once the new one is in place, so no write falls between them.
    await client.waitFor(
      () => (client.unregistered.includes(first!.id) ? true : undefined),
      5000,
      'the old globs to be unwatched',
    );
  });
});

describe('a file the watcher reports while the workspace scan runs', () => {
  it('keeps it: the scan, which started before the file existed, does not drop it at its end', async () => {
    const folder = GitRepo.create('lpl-lsp-watch-scan-', { git: false });
    // Enough files that the scan is still running when the new one is reported.
    for (let i = 0; i < 1500; i++) folder.write(`bulk/p${i}.loginpolicy.json`, DEPLOYED);
    const { client } = await LspTestClient.start({
      rootPath: folder.dir,
      capabilities: { ...DEFAULT_CAPABILITIES, window: { ...DEFAULT_CAPABILITIES.window, workDoneProgress: true } },
    });
    try {
      const phase = (kind: string) =>
        client.waitFor(() => (client.progress.some((p) => p.value.kind === kind) ? true : undefined), 20_000, kind);
      await phase('begin');
      const late = folder.write(
        'late.loginpolicy.json',
        policy((p) => void (p['colour'] = 'teal')),
      );
      const uri = pathToFileURL(late).href;
      await client.filesChanged([uri], 1);
      assert.ok(!client.progress.some((p) => p.value.kind === 'end'), 'reported before the scan ended');
      await phase('end');
      const unknown = (p: { diagnostics: { code?: unknown }[] }) =>
        p.diagnostics.some((d) => d.code === 'unknown-property');
      await client.diagnostics(uri, unknown);
      // Whatever came after: the last word on the file still has its finding.
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.ok(unknown(client.published.get(uri)!.at(-1)!), 'its findings stay');
    } finally {
      await client.stop();
      folder.remove();
    }
  });
});
