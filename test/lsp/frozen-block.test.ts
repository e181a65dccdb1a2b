// The frozen identityStoreDetails over LSP, in a real git repository: the workspace scan (findings of unopened
// files, with progress), the immutable-identity-store warning against git HEAD, its revert fixes, "Generate a new
// login policy" applied as an editor would (new file created, old one reverted), the OIDC clients of a policy, and
// re-pointing them. Each test opens what it needs and leaves the workspace as it found it, so any one runs alone.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import type {
  CodeAction,
  CodeLens,
  Diagnostic,
  Hover,
  MarkupContent,
  PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { GitRepo } from '../support/git-repo';
import { DEFAULT_CAPABILITIES, LspTestClient, messageOf } from '../support/lsp-client';
import { OpenDocuments } from '../support/open-documents';
import { applyWorkspaceEdit } from '../support/workspace-edit';
import { policy, VALID_POLICY } from '../unit/harness';

const ID = VALID_POLICY.id;
const CLIENT_ID = VALID_POLICY.identityStoreDetails.connectionDetails.clientId;
const SECRET = VALID_POLICY.identityStoreDetails.connectionDetails.clientSecret;
const now = new Date();
/** The server dates a new policy's title in local time. */
const TODAY = [now.getFullYear(), now.getMonth() + 1, now.getDate()].map((n) => String(n).padStart(2, '0')).join('-');
const DEPLOYED = policy();
const EDITED = DEPLOYED.replace('"acme-prod.eu.janraincapture.com"', '"acme.eu.janraincapture.com"');

const CAPABILITIES = {
  ...DEFAULT_CAPABILITIES,
  workspace: {
    ...DEFAULT_CAPABILITIES.workspace,
    workspaceEdit: {
      documentChanges: true,
      resourceOperations: ['create' as const],
      changeAnnotationSupport: { groupsOnLabel: true },
    },
  },
  window: { ...DEFAULT_CAPABILITIES.window, workDoneProgress: true },
};

function oidcClient(name: string, loginPolicy: string, type = 'public'): string {
  return `${JSON.stringify({ name, type, redirectURIs: ['https://app.example.com/cb'], loginPolicy }, null, 2)}\n`;
}

const codesOf = (p: PublishDiagnosticsParams) => p.diagnostics.map((d) => String(d.code));

/** Starts a server on a fresh git repository: a deployed policy, its OIDC clients, and a broken unopened policy. */
async function deployedWorkspace(prefix: string): Promise<{ repo: GitRepo; client: LspTestClient }> {
  const repo = GitRepo.create(prefix);
  repo.write('acme.loginpolicy.json', DEPLOYED);
  repo.write('clients/web.json', oidcClient('ACME Web', ID, 'confidential'));
  repo.write('mobile.oidcclient.json', oidcClient('ACME App', ID));
  repo.write('other.oidcclient.json', oidcClient('Other', 'another-policy-id'));
  // Never opened: its findings come from the workspace scan.
  repo.write(
    'unopened.loginpolicy.json',
    policy((p) => {
      delete p['id'];
      (p['identityStoreDetails'] as { type: string }).type = 'janrain';
    }),
  );
  repo.commit('deployed');
  const { client } = await LspTestClient.start({
    rootPath: repo.dir,
    capabilities: CAPABILITIES,
    // As VS Code's side of the extension says: it runs these two commands itself.
    initializationOptions: {
      debounceMs: 20,
      clientCommands: ['loginPolicy.fillSecretPlaceholder', 'loginPolicy.showPolicyClients'],
    },
  });
  return { repo, client };
}

describe('a deployed policy in a git workspace', () => {
  let repo: GitRepo;
  let client: LspTestClient;
  let editor: OpenDocuments;
  const uriOf = (file: string) => pathToFileURL(repo.path(file)).href;
  const show = (file: string, text: string) => editor.show(uriOf(file), text);
  const actionsAt = (uri: string, diagnostics: Diagnostic[], only?: string[]) => {
    const range = diagnostics[0]?.range ?? { start: { line: 2, character: 4 }, end: { line: 2, character: 4 } };
    return client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range,
      context: { diagnostics, ...(only ? { only } : {}) },
    });
  };
  /** What the editor's file watcher reports after an edit created or changed files on disk. */
  const watched = (files: string[], type: 1 | 2 | 3) => client.filesChanged(files.map(uriOf), type);

  before(async () => {
    ({ repo, client } = await deployedWorkspace('lpl-lsp-frozen-'));
    editor = new OpenDocuments(client);
  });

  after(async () => {
    await client.stop();
    repo.remove();
  });

  // Each test leaves the workspace as it found it: nothing open, no generated policy, the client files as committed.
  afterEach(async () => {
    await editor.closeAll();
    const generated = readdirSync(repo.dir).filter((f) => /^acme\.new(-\d+)?\.loginpolicy\.json$/.test(f));
    for (const file of generated) rmSync(repo.path(file));
    if (generated.length > 0) await watched(generated, 3);
    // The next test must not take this deletion's late publish for the news of a file it creates under that name.
    for (const file of generated) await client.diagnostics(uriOf(file), (p) => p.diagnostics.length === 0);
    repo.git('checkout', '--', 'clients/web.json', 'mobile.oidcclient.json');
    await watched(['clients/web.json', 'mobile.oidcclient.json'], 2);
  });

  /** A policy generated earlier to replace acme's, as "Generate a new login policy" writes it. */
  const generated = (file: string, changes: (p: Record<string, unknown>) => void) => {
    const text = `${policy((p) => {
      delete p['id'];
      delete p['_links'];
      p['title'] = `ACME EU Login Policy v2 (${TODAY})`;
      changes(p);
    })}\n`;
    repo.write(file, text);
    return text;
  };

  it('scans the workspace with progress: unopened files get their findings', async () => {
    const unopened = await client.diagnostics(uriOf('unopened.loginpolicy.json'));
    const type = unopened.diagnostics.find((d) => d.code === 'schema')!;
    assert.match(messageOf(type), /"identityStoreDetails\.type" must be "janrainCapture", not "janrain"/);
    const kinds = await client.waitFor(
      () => {
        const kinds = client.progress.map((p) => p.value.kind);
        return kinds.includes('end') ? kinds : undefined;
      },
      5000,
      'the scan to end',
    );
    assert.equal(kinds[0], 'begin');
    assert.equal(client.progress[0]!.value.title, 'Login policies');
  });

  it('warns on the changed value once the frozen block is edited, against git HEAD', async () => {
    const uri = uriOf('acme.loginpolicy.json');
    const first = await show('acme.loginpolicy.json', DEPLOYED);
    assert.ok(!codesOf(first).includes('immutable-identity-store'));
    await show('acme.loginpolicy.json', EDITED);
    // The deployed version may still be on its way from git: the warning comes with it, for the same version.
    const { diagnostics } = await client.diagnostics(
      uri,
      (p) => p.version === editor.version(uri) && codesOf(p).includes('immutable-identity-store'),
    );
    const [warning, ...more] = diagnostics.filter((d) => d.code === 'immutable-identity-store');
    assert.equal(more.length, 0);
    assert.equal(warning!.severity, 2);
    assert.equal(TextDocument.create(uri, 'json', 0, EDITED).getText(warning!.range), '"acme.eu.janraincapture.com"');
    assert.match(
      messageOf(warning!),
      /^"identityStoreDetails\.connectionDetails\.domain" was changed from "acme-prod\.eu\.janraincapture\.com" to "acme\.eu\.janraincapture\.com" \(deployed: git HEAD\)\. A PUT of this policy fails with \{"errors": "identityStoreDetails cannot be changed"\}/,
    );
  });

  /** acme opened with the edited frozen block, once its warning is there. */
  const editedAcme = async () => {
    const uri = uriOf('acme.loginpolicy.json');
    await show('acme.loginpolicy.json', EDITED);
    const { diagnostics } = await client.diagnostics(
      uri,
      (p) => p.version === editor.version(uri) && codesOf(p).includes('immutable-identity-store'),
    );
    return { uri, warnings: diagnostics.filter((d) => d.code === 'immutable-identity-store') };
  };

  it('reverts the value, or the whole block, to the deployed one', async () => {
    const { uri, warnings } = await editedAcme();
    const actions = await actionsAt(uri, warnings);
    for (const title of [
      'Revert domain to the deployed value',
      'Revert all of identityStoreDetails to the deployed value',
    ]) {
      const action = actions.find((a) => a.title === title);
      assert.ok(action, title);
      const texts = new Map([[uri, EDITED]]);
      applyWorkspaceEdit(action.edit!, texts);
      assert.equal(JSON.stringify(JSON.parse(texts.get(uri)!)), JSON.stringify(JSON.parse(DEPLOYED)), title);
    }
  });

  it('generates a new policy with the edit and reverts the old file, in one previewable edit', async () => {
    const { uri, warnings } = await editedAcme();
    const generate = (await actionsAt(uri, warnings)).find((a) => a.title === 'Generate a new login policy')!;
    assert.equal(generate.kind, 'quickfix');
    assert.equal(generate.isPreferred, true);
    assert.equal(generate.command, undefined, 'the edited block holds its own secret: nothing to fill in');
    // Grouped by file in VS Code's preview; applied as a whole (edits needing confirmation start unchecked there).
    const annotations = Object.values(generate.edit!.changeAnnotations ?? {});
    assert.deepEqual(
      annotations.map((a) => [a.label, a.needsConfirmation]),
      [
        ['Create acme.new.loginpolicy.json', false],
        ['Revert acme.loginpolicy.json', false],
      ],
    );
    // The OIDC clients that still point at the old policy are listed where the edit is previewed.
    assert.match(
      annotations[0]!.description!,
      /OIDC clients bound to the old policy, to point at the new one once it has its id: ACME Web \(clients\/web\.json\), ACME App \(mobile\.oidcclient\.json\)\.$/,
    );

    const touched = applyWorkspaceEdit(generate.edit!, editor.texts);
    const created = uriOf('acme.new.loginpolicy.json');
    assert.deepEqual(touched.sort(), [uri, created].sort());
    assert.equal(editor.texts.get(uri), DEPLOYED, 'the old file is back to what is deployed');
    const expected = JSON.parse(EDITED) as Record<string, unknown>;
    delete expected['id'];
    delete expected['_links'];
    const written = readFileSync(repo.path('acme.new.loginpolicy.json'), 'utf8');
    assert.deepEqual(JSON.parse(written), { ...expected, title: `ACME EU Login Policy v2 (${TODAY})` });
    assert.ok(written.endsWith('}\n'));
    await editor.sync(uri);
    const seen = client.publishedCount(created);
    await watched(['acme.new.loginpolicy.json'], 1);
    // Once indexed, its findings are published like any unopened policy's.
    await client.nextDiagnostics(created, seen);
  });

  it('never overwrites: the next new policy is .new-2, with a placeholder for the secret it does not know', async () => {
    // A new policy generated before (and its title) is taken.
    generated('acme.new.loginpolicy.json', () => undefined);
    const earlier = uriOf('acme.new.loginpolicy.json');
    const seen = client.publishedCount(earlier);
    await watched(['acme.new.loginpolicy.json'], 1);
    await client.nextDiagnostics(earlier, seen);
    const uri = uriOf('acme.loginpolicy.json');
    await show('acme.loginpolicy.json', DEPLOYED);
    // No diagnostic to fix: offered as a refactoring anywhere in the policy.
    const actions = await actionsAt(uri, [], ['refactor']);
    const generate = actions.find((a) => a.title === 'Generate a new login policy')!;
    assert.equal(generate.kind, 'refactor.rewrite');
    const created = uriOf('acme.new-2.loginpolicy.json');
    assert.deepEqual(generate.command?.arguments, [created, CLIENT_ID, { generated: true }]);
    assert.equal(generate.command?.command, 'loginPolicy.fillSecretPlaceholder');
    applyWorkspaceEdit(generate.edit!, editor.texts);
    assert.equal(editor.texts.get(uri), DEPLOYED, 'nothing to revert');
    const text = readFileSync(repo.path('acme.new-2.loginpolicy.json'), 'utf8');
    const value = JSON.parse(text) as { identityStoreDetails: { connectionDetails: Record<string, string> } };
    assert.equal(
      value.identityStoreDetails.connectionDetails['clientSecret'],
      `<current secret of owner client ${CLIENT_ID}>`,
    );
    assert.equal(
      (value as unknown as { title: string }).title,
      `ACME EU Login Policy v2 (${TODAY}, 2)`,
      'a title no other policy of the workspace has',
    );
    assert.ok(!text.includes(SECRET));

    await editor.ensureOpen(created, text);
    const { diagnostics } = await client.diagnostics(created, (p) => codesOf(p).includes('clients-on-replaced-policy'));
    const schema = diagnostics.filter((d) => d.code === 'schema');
    assert.equal(schema.length, 1, 'the placeholder is refused until replaced');
    assert.match(messageOf(schema[0]!), /placeholder|current secret/i);
    // Recorded later? A quick fix on the placeholder has the editor fill it in.
    const fill = (await actionsAt(created, schema)).find((a) => a.title === 'Fill in the recorded owner secret')!;
    assert.deepEqual(fill.command?.arguments, [created, CLIENT_ID]);
    assert.equal(fill.edit, undefined, 'the server never holds the secret');
    const moved = diagnostics.find((d) => d.code === 'clients-on-replaced-policy')!;
    assert.equal(moved.severity, 3);
    assert.match(
      messageOf(moved),
      /^2 OIDC clients still use the policy this one replaces \(acme\.loginpolicy\.json, 7c2e91a4-3f5d-4b8e-a1c6-92d04e7f3b58\): ACME Web \(clients\/web\.json\), ACME App \(mobile\.oidcclient\.json\)\. Once this policy is created/,
    );
  });

  it('shows on the deployed id which OIDC clients use it', async () => {
    const uri = uriOf('acme.loginpolicy.json');
    await show('acme.loginpolicy.json', DEPLOYED);
    const doc = TextDocument.create(uri, 'json', 0, DEPLOYED);
    // The clients are known once the workspace scan read them.
    const hover = await client.waitFor(
      async () => {
        const answer = await client.request<Hover>('textDocument/hover', {
          textDocument: { uri },
          position: doc.positionAt(DEPLOYED.indexOf(ID) + 1),
        });
        const text = (answer.contents as MarkupContent).value;
        return /\*\*Used by \d+ OIDC client/.test(text) ? text : undefined;
      },
      5000,
      'the clients in the hover on id',
    );
    assert.match(
      hover,
      /\*\*Used by 2 OIDC clients of this workspace:\*\* ACME Web \(`clients\/web\.json`\), ACME App \(`mobile\.oidcclient\.json`\)/,
    );
    const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
    const lens = lenses.find((l) => l.command?.command === 'loginPolicy.showPolicyClients')!;
    assert.equal(lens.command!.title, '2 OIDC clients use this policy');
    assert.deepEqual(lens.command!.arguments, [[uriOf('clients/web.json'), uriOf('mobile.oidcclient.json')]]);
  });

  it('re-points the client files once the new policy has its id', async () => {
    const NEW_ID = '0d9c8b7a-6f5e-4d3c-9b2a-1f0e9d8c7b6a';
    const created = uriOf('acme.new.loginpolicy.json');
    // The new policy was created (POST) and got its id.
    const text = generated('acme.new.loginpolicy.json', (p) => {
      p['id'] = NEW_ID;
      (p['identityStoreDetails'] as { connectionDetails: { domain: string } }).connectionDetails.domain =
        'acme.eu.janraincapture.com';
    });
    await editor.show(created, text);
    // Run alone, the workspace scan may not have read the client files when the file first shows: wait for them.
    const { diagnostics } = await client.diagnostics(created, (p) => codesOf(p).includes('clients-on-replaced-policy'));
    const moved = diagnostics.filter((d) => d.code === 'clients-on-replaced-policy');
    assert.match(messageOf(moved[0]!), /Point them at this policy \(quick fix\), then deploy the client changes\./);
    const repoint = (await actionsAt(created, moved)).find(
      (a) => a.title === 'Point 2 OIDC client files at this policy',
    );
    assert.ok(repoint);
    applyWorkspaceEdit(repoint.edit!, editor.texts);
    for (const file of ['clients/web.json', 'mobile.oidcclient.json']) {
      assert.equal((JSON.parse(readFileSync(repo.path(file), 'utf8')) as { loginPolicy: string }).loginPolicy, NEW_ID);
    }
    assert.equal(readFileSync(repo.path('other.oidcclient.json'), 'utf8'), oidcClient('Other', 'another-policy-id'));
    // The editor's file watcher reports the changed files: nobody uses the old policy any more.
    await watched(['clients/web.json', 'mobile.oidcclient.json'], 2);
    await client.diagnostics(created, (p) => p.version === 1 && !codesOf(p).includes('clients-on-replaced-policy'));
  });
});

describe('a deployed policy whose edit is committed', () => {
  it('follows HEAD: once the edit is committed, it is what is deployed', async () => {
    const { repo, client } = await deployedWorkspace('lpl-lsp-head-');
    try {
      const editor = new OpenDocuments(client);
      const uri = pathToFileURL(repo.path('acme.loginpolicy.json')).href;
      await editor.show(uri, EDITED);
      await client.diagnostics(uri, (p) => codesOf(p).includes('immutable-identity-store'));
      repo.write('acme.loginpolicy.json', EDITED);
      repo.commit('the domain changed (deployed as a new policy, say)');
      await client.filesChanged([pathToFileURL(path.join(repo.dir, '.git/refs/heads/main')).href], 2);
      await client.diagnostics(uri, (p) => p.version === 1 && !codesOf(p).includes('immutable-identity-store'));
    } finally {
      await client.stop();
      repo.remove();
    }
  });
});

describe('a deployed policy outside git', () => {
  let folder: GitRepo;
  let client: LspTestClient;

  before(async () => {
    folder = GitRepo.create('lpl-lsp-nogit-', { git: false });
    ({ client } = await LspTestClient.start({ rootPath: folder.dir, capabilities: CAPABILITIES }));
  });

  after(async () => {
    await client.stop();
    folder.remove();
  });

  it('compares with the version first opened in this session', async () => {
    const uri = pathToFileURL(folder.write('acme.loginpolicy.json', DEPLOYED)).href;
    await client.open(uri, DEPLOYED);
    await client.diagnostics(uri);
    await client.change(uri, EDITED, 2);
    const { diagnostics } = await client.diagnostics(
      uri,
      (p) => p.version === 2 && codesOf(p).includes('immutable-identity-store'),
    );
    const warning = diagnostics.find((d) => d.code === 'immutable-identity-store')!;
    assert.match(messageOf(warning), /\(deployed: the version first opened\)/);
  });

  it('starts again from the version opened next, once a document that is no file on disk was closed', async () => {
    // Never written: the editor's buffer is all there is of it.
    const uri = pathToFileURL(folder.path('draft.loginpolicy.json')).href;
    await client.open(uri, DEPLOYED);
    await client.diagnostics(uri);
    await client.close(uri);
    // Opened again with other frozen values, then changed back to the text it had first: a change from the version
    // first opened this time.
    await client.open(uri, EDITED);
    await client.change(uri, DEPLOYED, 2);
    const { diagnostics } = await client.diagnostics(
      uri,
      (p) => p.version === 2 && codesOf(p).includes('immutable-identity-store'),
    );
    assert.match(
      messageOf(diagnostics.find((d) => d.code === 'immutable-identity-store')!),
      /the version first opened/,
    );
    await client.close(uri);
  });
});

describe('deployed snapshots, in an editor without the VS Code commands', () => {
  let folder: GitRepo;
  let client: LspTestClient;
  let editor: OpenDocuments;
  const uriOf = (file: string) => pathToFileURL(folder.path(file)).href;

  before(async () => {
    folder = GitRepo.create('lpl-lsp-snapshots-', { git: false });
    folder.write('.loginpolicyrc.json', JSON.stringify({ baseline: { dir: 'deployed' } }));
    folder.write(`deployed/${ID}.json`, DEPLOYED);
    folder.write('acme.loginpolicy.json', EDITED);
    folder.write('web.oidcclient.json', oidcClient('ACME Web', ID));
    // No clientCommands: like Neovim or Helix, which run no VS Code command.
    ({ client } = await LspTestClient.start({ rootPath: folder.dir, capabilities: CAPABILITIES }));
    editor = new OpenDocuments(client);
  });

  after(async () => {
    await client.stop();
    folder.remove();
  });

  afterEach(() => editor.closeAll());

  it('compares with the snapshot, which is no second policy with the same id', async () => {
    const uri = uriOf('acme.loginpolicy.json');
    const { diagnostics } = await client.diagnostics(uri, (p) => codesOf(p).includes('immutable-identity-store'));
    const warning = diagnostics.find((d) => d.code === 'immutable-identity-store')!;
    assert.match(messageOf(warning), /\(deployed: deployed\/7c2e91a4-3f5d-4b8e-a1c6-92d04e7f3b58\.json\)/);
    assert.ok(!codesOf({ uri, diagnostics }).includes('duplicate-policy-id'));
    // Opening the snapshot (to compare, say) does not make it a policy of the workspace either.
    const own = await editor.show(uriOf(`deployed/${ID}.json`), DEPLOYED);
    assert.ok(!codesOf(own).includes('duplicate-policy-id'));
    const again = await editor.show(uri, EDITED);
    assert.ok(!codesOf(again).includes('duplicate-policy-id'));
  });

  it('scans again when the config changes which files are policies', async () => {
    const team = uriOf('extra/team.json');
    folder.write(
      'extra/team.json',
      DEPLOYED.replace('"janrainCapture"', '"janrain"').replace(/\n {2}"id": "[^"]*",/, ''),
    );
    const configChanged = () => client.filesChanged([uriOf('.loginpolicyrc.json')], 2);
    folder.write('.loginpolicyrc.json', JSON.stringify({ baseline: { dir: 'deployed' }, policies: ['extra/*.json'] }));
    await configChanged();
    await client.diagnostics(team, (p) => codesOf(p).includes('schema'));
    folder.write('.loginpolicyrc.json', JSON.stringify({ baseline: { dir: 'deployed' } }));
    await configChanged();
    await client.diagnostics(team, (p) => p.diagnostics.length === 0);
    rmSync(folder.path('extra'), { recursive: true });
  });

  it('offers no command the editor does not have', async () => {
    const uri = uriOf('acme.loginpolicy.json');
    await editor.show(uri, EDITED);
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [], only: ['refactor'] },
    });
    const generate = actions.find((a) => a.title === 'Generate a new login policy')!;
    assert.ok(generate.edit, 'the edit itself works everywhere');
    assert.equal(generate.command, undefined);
    const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
    assert.deepEqual(lenses, []);
    // The hover still says which clients use the policy.
    const hover = await client.request<Hover>('textDocument/hover', {
      textDocument: { uri },
      position: TextDocument.create(uri, 'json', 0, EDITED).positionAt(EDITED.indexOf(ID) + 1),
    });
    assert.match((hover.contents as MarkupContent).value, /\*\*Used by 1 OIDC client of this workspace:\*\* ACME Web/);
  });
});

describe('the index follows the editor: folders, pulled diagnostics, client files opened and closed', () => {
  let repo: GitRepo;
  let other: GitRepo;
  let client: LspTestClient;
  const uriIn = (r: GitRepo, file: string) => pathToFileURL(r.path(file)).href;

  before(async () => {
    repo = GitRepo.create('lpl-lsp-follow-');
    repo.write('acme.loginpolicy.json', DEPLOYED);
    repo.write('web.oidcclient.json', oidcClient('ACME Web', ID));
    repo.commit('deployed');
    repo.write('acme.loginpolicy.json', EDITED);
    other = GitRepo.create('lpl-lsp-follow-added-', { git: false });
    // Another folder's copy of the same policy: a duplicate id while both folders are in the workspace.
    other.write('team.loginpolicy.json', DEPLOYED);
    ({ client } = await LspTestClient.start({
      rootPath: repo.dir,
      capabilities: {
        ...CAPABILITIES,
        workspace: { ...CAPABILITIES.workspace, workspaceFolders: true, diagnostics: { refreshSupport: true } },
        textDocument: { ...CAPABILITIES.textDocument, diagnostic: { dynamicRegistration: false } },
      },
      initializationOptions: {
        debounceMs: 20,
        pullDiagnostics: true,
        clientCommands: ['loginPolicy.showPolicyClients'],
      },
    }));
  });

  after(async () => {
    await client.stop();
    repo.remove();
    other.remove();
  });

  const opened = new Set<string>();
  /** Requests about a document need it open; each test opens what it asks about. */
  const ensureOpen = async (uri: string, text: string) => {
    if (opened.has(uri)) return;
    opened.add(uri);
    await client.open(uri, text);
  };
  afterEach(async () => {
    for (const uri of opened) await client.close(uri);
    opened.clear();
  });

  const pull = async (uri: string) =>
    (
      await client.request<{ items: Diagnostic[] }>('textDocument/diagnostic', {
        textDocument: { uri },
      })
    ).items.map((d) => String(d.code));

  it('shows the warning to an editor that pulls only on open and when the server asks', async () => {
    const uri = uriIn(repo, 'acme.loginpolicy.json');
    // The deployed version is read in the background; like VS Code, pull once on open, then only on a refresh request.
    let asked = client.diagnosticRefreshes;
    await ensureOpen(uri, EDITED);
    let codes = await pull(uri);
    const deadline = Date.now() + 5000; // waitFor fails the test when no refresh brings the warning in time
    while (!codes.includes('immutable-identity-store')) {
      await client.waitFor(
        () => (client.diagnosticRefreshes > asked ? true : undefined),
        deadline - Date.now(),
        'a request to pull again that brings the warning',
      );
      asked = client.diagnosticRefreshes;
      codes = await pull(uri);
    }
  });

  it('keeps an OIDC client file in the index after it is opened and closed', async () => {
    const policy = uriIn(repo, 'acme.loginpolicy.json');
    await ensureOpen(policy, EDITED);
    const lensTitles = async () =>
      (await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: policy } })).map(
        (l) => l.command?.title,
      );
    await client.waitFor(
      async () => ((await lensTitles()).includes('1 OIDC client uses this policy') ? true : undefined),
      5000,
      'the clients lens',
    );
    const web = uriIn(repo, 'web.oidcclient.json');
    await client.open(web, oidcClient('ACME Web', ID), 'json');
    await client.close(web);
    // The server handles messages in order: this request is answered after the close was handled.
    assert.ok((await lensTitles()).includes('1 OIDC client uses this policy'));
  });

  it('scans a workspace folder when it is added, and forgets it when it is removed', async () => {
    const acme = uriIn(repo, 'acme.loginpolicy.json');
    await ensureOpen(acme, EDITED);
    const folder = { uri: pathToFileURL(other.dir).href, name: 'team' };
    const hasDuplicate = async () => (await pull(acme)).includes('duplicate-policy-id');
    assert.equal(await hasDuplicate(), false);
    await client.connection.sendNotification('workspace/didChangeWorkspaceFolders', {
      event: { added: [folder], removed: [] },
    });
    await client.waitFor(async () => ((await hasDuplicate()) ? true : undefined), 5000, 'the added folder scanned');
    await client.connection.sendNotification('workspace/didChangeWorkspaceFolders', {
      event: { added: [], removed: [folder] },
    });
    await client.waitFor(async () => (!(await hasDuplicate()) ? true : undefined), 5000, 'the folder forgotten');
  });
});
