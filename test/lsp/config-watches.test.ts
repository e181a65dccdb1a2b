// The file watchers a config adds over LSP: files its `policies` globs name and its deployed-snapshot folder are
// watched (relative to their folder), so a change on disk there reaches the findings without opening anything.
// Each test removes the files it wrote and puts back the config and snapshot it changed.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, afterEach, before, describe, it } from 'node:test';
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

  /** Files a test wrote, removed after it (and reported to the server as deleted). */
  const written: string[] = [];
  const write = (file: string, text: string) => {
    written.push(file);
    folder.write(file, text);
  };
  afterEach(async () => {
    for (const file of written) rmSync(folder.path(file), { force: true });
    if (written.length > 0) await watched(written.splice(0), 3);
  });

  it('watches the policies globs and the snapshot folder, relative to their folders', async () => {
    const registered = await client.waitFor(() => watchedPatterns()[0], 5000, 'a registration of the config watchers');
    assert.deepEqual(registered.patterns, [
      { base: pathToFileURL(folder.dir).href, pattern: 'policies/*.json' },
      { base: uriOf('deployed'), pattern: '**/*.json' },
    ]);
  });

  it('lints a new file that the policies globs name, unopened', async () => {
    write(
      'policies/team.json',
      policy((p) => void (p['colour'] = 'teal')),
    );
    write(
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
    write('clients/web.json', web('ACME Web'));
    write('notes/web.json', web('A copy in the notes'));
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
    const snapshot = `deployed/${VALID_POLICY.id}.json`;
    folder.write(snapshot, EDITED);
    await watched([snapshot], 2);
    await client.diagnostics(uriOf('acme.loginpolicy.json'), (p) => !immutable(p));
    // Deployed as it was again: the warning is back.
    folder.write(snapshot, DEPLOYED);
    await watched([snapshot], 2);
    await client.diagnostics(uriOf('acme.loginpolicy.json'), immutable);
  });

  it('replaces its registration when the config names other files', async () => {
    const first = await client.waitFor(() => watchedPatterns()[0], 5000, 'a registration of the config watchers');
    folder.write('.loginpolicyrc.json', JSON.stringify({ ...CONFIG, policies: ['more/*.json'] }));
    await watched(['.loginpolicyrc.json'], 2);
    const second = await client.waitFor(
      () => watchedPatterns().find((r) => r.patterns.some((p) => p.pattern === 'more/*.json')),
      5000,
      'the new registration',
    );
    assert.notEqual(second.id, first.id);
    // The old one goes once the new one is in place, so no write falls between them.
    await client.waitFor(
      () => (client.unregistered.includes(first.id) ? true : undefined),
      5000,
      'the old globs to be unwatched',
    );
    // The config as it was: its globs are watched again.
    const registrations = watchedPatterns().length;
    folder.write('.loginpolicyrc.json', JSON.stringify(CONFIG));
    await watched(['.loginpolicyrc.json'], 2);
    await client.waitFor(
      () => (watchedPatterns().length > registrations ? true : undefined),
      5000,
      'the config globs watched again',
    );
  });

  /**
   * Opens the config, types a glob into it and saves it; `saved` tells the server as an editor does. The file the new
   * glob names must then be scanned (its buffer was the config all along, so comparing the config before and after
   * the file changed saw no difference).
   */
  const scansSavedConfig = async (saved: (configUri: string) => Promise<void>) => {
    // The first scan is over once it published the workspace's policy: only a new scan can find the file now.
    await client.diagnostics(uriOf('acme.loginpolicy.json'));
    const configUri = uriOf('.loginpolicyrc.json');
    const named = { ...CONFIG, policies: [...CONFIG.policies, 'more/*.json'] };
    write(
      'more/team.json',
      policy((p) => void (p['colour'] = 'teal')),
    );
    await client.open(configUri, JSON.stringify(CONFIG), 'json');
    try {
      await client.change(configUri, JSON.stringify(named), 2);
      folder.write('.loginpolicyrc.json', JSON.stringify(named));
      await saved(configUri);
      await client.diagnostics(uriOf('more/team.json'), (p) =>
        p.diagnostics.some((d) => d.code === 'unknown-property'),
      );
    } finally {
      folder.write('.loginpolicyrc.json', JSON.stringify(CONFIG));
      await client.close(configUri);
      await watched(['.loginpolicyrc.json'], 2);
      // The scan of the config as it was again is over once the file it no longer names was cleared.
      await client.diagnostics(uriOf('more/team.json'), (p) => p.diagnostics.length === 0);
    }
  };

  it('scans the files an open config names once it is saved, when the watcher reports the file', async () => {
    await scansSavedConfig(() => watched(['.loginpolicyrc.json'], 2));
  });

  it('scans the files an open config names once it is saved, when the editor only says it saved it', async () => {
    await scansSavedConfig((configUri) =>
      client.connection.sendNotification('textDocument/didSave', { textDocument: { uri: configUri } }),
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
      // The end of the scan came after whatever the scan did to the file (the server answers in order): from then on,
      // the last word on the file must hold its finding. A scan that dropped the file would have cleared it.
      await client.diagnostics(uri, unknown);
    } finally {
      await client.stop();
      folder.remove();
    }
  });
});
