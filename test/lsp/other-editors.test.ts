// The server as editors other than VS Code meet it (Neovim, Helix, Emacs, Zed): it asks only what the editor
// declared, offers only actions the editor can carry out, keeps a formatted file as it is, takes settings from
// whichever source the editor uses, names no VS Code command, and answers workspace/diagnostic in pull mode.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import type {
  ClientCapabilities,
  CodeAction,
  Diagnostic,
  Hover,
  MarkupContent,
  PublishDiagnosticsParams,
  TextEdit,
  WorkspaceDiagnosticReport,
  WorkspaceDocumentDiagnosticReport,
} from 'vscode-languageserver-protocol';
import { DEFAULT_CAPABILITIES, LspTestClient, messageOf } from '../support/lsp-client';
import { policy, VALID_POLICY } from '../unit/harness';

/** What Neovim 0.7.2 declares, cut to what matters here: no showDocument, no pull diagnostics, no refreshes. */
const NEOVIM_CAPABILITIES: ClientCapabilities = {
  workspace: { applyEdit: true, configuration: true, workspaceFolders: true, workspaceEdit: {} },
  textDocument: {
    synchronization: { didSave: true },
    publishDiagnostics: { relatedInformation: true, tagSupport: { valueSet: [1, 2] } },
    hover: { contentFormat: ['markdown', 'plaintext'] },
    codeAction: {
      codeActionLiteralSupport: { codeActionKind: { valueSet: ['', 'quickfix', 'refactor', 'source'] } },
      dataSupport: true,
    },
    documentSymbol: { hierarchicalDocumentSymbolSupport: true },
  },
  window: { workDoneProgress: true, showDocument: { support: false } },
};

/** The same editor without workspace/configuration (settings come only pushed, or with initialize). */
const NO_CONFIGURATION: ClientCapabilities = {
  ...NEOVIM_CAPABILITIES,
  workspace: { ...NEOVIM_CAPABILITIES.workspace, configuration: false },
};

/** A policy with an unknown key (a rename fix) whose owner secret nothing vouches for (unverified-owner-secret). */
const TYPO = policy((p) => {
  p['titel'] = p['title'];
  delete p['title'];
});
const FORMATTED = `${JSON.stringify(VALID_POLICY, null, 2)}\n`;

const uriOf = (file: string) => pathToFileURL(file).href;
const ruleIds = (p: PublishDiagnosticsParams) => p.diagnostics.map((d) => String(d.code));

/** The requests an editor with these capabilities may be sent. */
function declaredRequests(caps: ClientCapabilities): Set<string> {
  const declared = new Set<string>();
  if (caps.workspace?.configuration) declared.add('workspace/configuration');
  if (caps.window?.workDoneProgress) declared.add('window/workDoneProgress/create');
  if (caps.window?.showDocument?.support) declared.add('window/showDocument');
  if (caps.workspace?.diagnostics?.refreshSupport) declared.add('workspace/diagnostic/refresh');
  if (caps.workspace?.codeLens?.refreshSupport) declared.add('workspace/codeLens/refresh');
  if (caps.workspace?.didChangeWatchedFiles?.dynamicRegistration) declared.add('client/registerCapability');
  if (caps.workspace?.didChangeConfiguration?.dynamicRegistration) declared.add('client/registerCapability');
  if (caps.workspace?.applyEdit) declared.add('workspace/applyEdit');
  return declared;
}

describe('an editor other than VS Code (Neovim 0.7.2 capabilities)', () => {
  let dir: string;
  let client: LspTestClient;
  let uri: string;
  let first: PublishDiagnosticsParams;

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'lpl-editors-'));
    const started = await LspTestClient.start({
      rootPath: dir,
      capabilities: NEOVIM_CAPABILITIES,
      // Neovim answers workspace/configuration with null for a section its config does not hold.
      settings: null,
    });
    client = started.client;
    uri = uriOf(path.join(dir, 'typo.loginpolicy.json'));
    await client.open(uri, TYPO);
    first = await client.diagnostics(uri);
  });

  after(async () => {
    await client.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('offers the fixes but not "Show documentation", which it could not open', async () => {
    const unknown = first.diagnostics.filter((d) => d.code === 'unknown-property');
    assert.equal(unknown.length, 1);
    assert.match(unknown[0]!.codeDescription!.href, /docs\/rules\/unknown-property\.md$/, 'the link is the way');
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: unknown[0]!.range,
      context: { diagnostics: unknown },
    });
    assert.ok(actions.some((a) => a.title === 'Rename to "title"'));
    assert.deepEqual(
      actions.filter((a) => a.title.startsWith('Show documentation')),
      [],
    );
  });

  it('answers the documentation command with a message holding the address, not with showDocument', async () => {
    await client.request('workspace/executeCommand', {
      command: 'loginPolicy.showRuleDocumentation',
      arguments: ['unknown-property'],
    });
    const message = await client.waitFor(
      () => client.messages.find((m) => m.message.includes('unknown-property')),
      5000,
      'a message with the rule page',
    );
    assert.match(message.message, /^Documentation of unknown-property: file:.*\/docs\/rules\/unknown-property\.md$/);
    assert.ok(!client.requests.includes('window/showDocument'));
  });

  it('names the editor-independent ways to know a secret, and no VS Code command', async () => {
    const unverified = first.diagnostics.find((d) => d.code === 'unverified-owner-secret');
    assert.ok(unverified, `findings: ${ruleIds(first).join(', ')}`);
    assert.match(messageOf(unverified), /login-policy-lint fingerprint/);
    const line = TYPO.split('\n').findIndex((l) => l.includes('"clientSecret"'));
    const hover = await client.request<Hover>('textDocument/hover', {
      textDocument: { uri },
      position: { line, character: TYPO.split('\n')[line]!.indexOf('clientSecret') + 2 },
    });
    const text = (hover.contents as MarkupContent).value;
    assert.match(text, /login-policy-lint fingerprint/);
    for (const words of [...first.diagnostics.map(messageOf), text]) assert.doesNotMatch(words, /Login Policy:/);
  });

  it('formats a formatted file with no edit, keeping its final newline', async () => {
    const formattedUri = uriOf(path.join(dir, 'formatted.loginpolicy.json'));
    await client.open(formattedUri, FORMATTED);
    // Neovim (and VS Code) send only these two options unless the user asks for more.
    const edits = await client.request<TextEdit[]>('textDocument/formatting', {
      textDocument: { uri: formattedUri },
      options: { tabSize: 2, insertSpaces: true },
    });
    assert.deepEqual(edits, []);
    await client.close(formattedUri);
  });

  it('adds a final newline only when the editor asks for one', async () => {
    const bareUri = uriOf(path.join(dir, 'bare.loginpolicy.json'));
    const bare = FORMATTED.trimEnd();
    await client.open(bareUri, bare);
    const format = (options: Record<string, unknown>) =>
      client.request<TextEdit[]>('textDocument/formatting', { textDocument: { uri: bareUri }, options });
    assert.deepEqual(await format({ tabSize: 2, insertSpaces: true }), []);
    const added = await format({ tabSize: 2, insertSpaces: true, insertFinalNewline: true });
    assert.deepEqual(
      added.map((e) => e.newText),
      ['\n'],
    );
    await client.close(bareUri);
  });

  it('takes settings pushed with didChangeConfiguration when workspace/configuration holds none', async () => {
    await client.connection.sendNotification('workspace/didChangeConfiguration', {
      settings: { loginPolicy: { rules: { 'unverified-owner-secret': 'off' } } },
    });
    // Publishes already on their way may come first: wait for one without the finding (a timeout is the failure).
    const next = await client.diagnostics(uri, (p) => !ruleIds(p).includes('unverified-owner-secret'));
    assert.ok(ruleIds(next).includes('unknown-property'));
  });

  it('sends only the requests the editor declared, and logs no error', () => {
    const declared = declaredRequests(NEOVIM_CAPABILITIES);
    const undeclared = client.requests.filter((method) => !declared.has(method));
    assert.deepEqual(undeclared, []);
    assert.deepEqual(
      client.logs.filter((l) => l.type === 1),
      [],
    );
  });
});

describe('settings from every source, for an editor without workspace/configuration', () => {
  let dir: string;
  let uri: string;

  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'lpl-settings-'));
    uri = uriOf(path.join(dir, 'typo.loginpolicy.json'));
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  const severityOf = (p: PublishDiagnosticsParams, rule: string): number | undefined =>
    p.diagnostics.find((d: Diagnostic) => d.code === rule)?.severity;

  it('reads initializationOptions.settings at start', async () => {
    const { client } = await LspTestClient.start({
      rootPath: dir,
      capabilities: NO_CONFIGURATION,
      initializationOptions: { debounceMs: 20, settings: { rules: { 'unverified-owner-secret': 'error' } } },
    });
    try {
      await client.open(uri, TYPO);
      const published = await client.diagnostics(uri);
      assert.equal(severityOf(published, 'unverified-owner-secret'), 1);
      assert.ok(!client.requests.includes('workspace/configuration'));
    } finally {
      await client.stop();
    }
  });

  it('then the settings of didChangeConfiguration, sectioned or not, over those of initialize', async () => {
    const { client } = await LspTestClient.start({
      rootPath: dir,
      capabilities: NO_CONFIGURATION,
      initializationOptions: {
        debounceMs: 20,
        settings: { loginPolicy: { rules: { 'unverified-owner-secret': 'error' } } },
      },
    });
    try {
      await client.open(uri, TYPO);
      assert.equal(severityOf(await client.diagnostics(uri), 'unverified-owner-secret'), 1);
      await client.connection.sendNotification('workspace/didChangeConfiguration', {
        settings: { loginPolicy: { rules: { 'unverified-owner-secret': 'warning' } } },
      });
      await client.diagnostics(uri, (p) => severityOf(p, 'unverified-owner-secret') === 2);
      // Helix and some lspconfig setups send the section itself.
      await client.connection.sendNotification('workspace/didChangeConfiguration', {
        settings: { rules: { 'unverified-owner-secret': 'off', 'unknown-property': 'hint' } },
      });
      const unsectioned = await client.diagnostics(uri, (p) => severityOf(p, 'unknown-property') === 4);
      assert.equal(severityOf(unsectioned, 'unverified-owner-secret'), undefined);
    } finally {
      await client.stop();
    }
  });
});

describe('the VS Code extension, which says it has its own commands', () => {
  it('is told of "Login Policy: Record Current Owner Client Secret" where a secret is not verified', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lpl-vscode-words-'));
    const { client } = await LspTestClient.start({
      rootPath: dir,
      initializationOptions: { debounceMs: 20, clientCommands: ['loginPolicy.recordOwnerSecret'] },
    });
    try {
      const uri = uriOf(path.join(dir, 'p.loginpolicy.json'));
      await client.open(uri, TYPO);
      const unverified = (await client.diagnostics(uri)).diagnostics.find((d) => d.code === 'unverified-owner-secret');
      assert.match(messageOf(unverified!), /record it with "Login Policy: Record Current Owner Client Secret"/);
    } finally {
      await client.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('workspace diagnostics in pull mode (workspace/diagnostic)', () => {
  let dir: string;
  let client: LspTestClient;
  const files = { typo: '', valid: '', gone: '' };

  const PULL_CAPABILITIES: ClientCapabilities = {
    workspace: { configuration: true, diagnostics: { refreshSupport: true } },
    textDocument: { diagnostic: { relatedDocumentSupport: false } },
  };

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'lpl-workspace-pull-'));
    files.typo = path.join(dir, 'typo.loginpolicy.json');
    files.valid = path.join(dir, 'valid.loginpolicy.json');
    files.gone = path.join(dir, 'gone.loginpolicy.json');
    // Three ids: no file's findings depend on another's.
    writeFileSync(files.typo, TYPO.replace(VALID_POLICY.id, '2c2e91a4-3f5d-4b8e-a1c6-92d04e7f3b58'));
    writeFileSync(files.valid, FORMATTED);
    writeFileSync(files.gone, TYPO.replace(VALID_POLICY.id, '0c2e91a4-3f5d-4b8e-a1c6-92d04e7f3b58'));
    const started = await LspTestClient.start({
      rootPath: dir,
      capabilities: PULL_CAPABILITIES,
      initializationOptions: { debounceMs: 20, pullDiagnostics: true },
    });
    client = started.client;
    assert.deepEqual(
      (started.initialize.capabilities.diagnosticProvider as { workspaceDiagnostics?: boolean }).workspaceDiagnostics,
      true,
    );
    // The scan is done when the server asks the editor to pull again.
    await client.waitFor(() => (client.diagnosticRefreshes > 0 ? true : undefined), 10_000, 'the scan to end');
  });

  after(async () => {
    await client.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const pull = async (previous: WorkspaceDocumentDiagnosticReport[] = []) =>
    (
      await client.request<WorkspaceDiagnosticReport>('workspace/diagnostic', {
        previousResultIds: previous.flatMap((r) => (r.resultId ? [{ uri: r.uri, value: r.resultId }] : [])),
      })
    ).items;
  const byFile = (items: WorkspaceDocumentDiagnosticReport[], file: string) => items.find((r) => r.uri === uriOf(file));

  it('reports the findings of files never opened, then only what changed', async () => {
    const firstPull = await pull();
    const typo = byFile(firstPull, files.typo);
    assert.equal(typo?.kind, 'full');
    assert.ok(typo.kind === 'full' && typo.items.some((d) => d.code === 'unknown-property'), JSON.stringify(typo));
    assert.equal(byFile(firstPull, files.valid)?.kind, 'full');
    assert.ok(typo.resultId, 'a result id to send back');

    // Nothing changed: every file is answered "unchanged".
    const again = await pull(firstPull);
    assert.deepEqual(
      again.map((r) => r.kind),
      again.map(() => 'unchanged'),
    );
    assert.equal(again.length, 3);

    // One file fixed on disk, one deleted: the fixed one is re-sent, the deleted one emptied, the other unchanged.
    const refreshes = client.diagnosticRefreshes;
    writeFileSync(files.typo, FORMATTED.replace(VALID_POLICY.id, '1c2e91a4-3f5d-4b8e-a1c6-92d04e7f3b58'));
    unlinkSync(files.gone);
    await client.filesChanged([uriOf(files.typo)], 2);
    await client.filesChanged([uriOf(files.gone)], 3);
    await client.waitFor(() => (client.diagnosticRefreshes > refreshes ? true : undefined), 10_000, 'a refresh');
    const third = await pull(again);
    const fixed = byFile(third, files.typo);
    assert.ok(fixed?.kind === 'full' && !fixed.items.some((d) => d.code === 'unknown-property'), JSON.stringify(fixed));
    const gone = byFile(third, files.gone);
    assert.ok(gone?.kind === 'full' && gone.items.length === 0, JSON.stringify(gone));
    assert.equal(byFile(third, files.valid)?.kind, 'unchanged');
  });

  it('leaves open documents to the document pulls', async () => {
    const uri = uriOf(files.valid);
    await client.open(uri, FORMATTED);
    try {
      assert.equal(byFile(await pull(), files.valid), undefined);
    } finally {
      await client.close(uri);
    }
  });
});

describe('an editor that refuses the dynamic registrations it declared', () => {
  it('still scans the workspace and follows its folders, and says in the log what it could not register', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lpl-refused-'));
    const added = mkdtempSync(path.join(tmpdir(), 'lpl-refused-added-'));
    writeFileSync(path.join(dir, 'typo.loginpolicy.json'), TYPO);
    writeFileSync(path.join(added, 'typo.loginpolicy.json'), TYPO.replace(VALID_POLICY.id, 'added-policy'));
    const { client } = await LspTestClient.start({
      rootPath: dir,
      capabilities: {
        ...DEFAULT_CAPABILITIES,
        workspace: { ...DEFAULT_CAPABILITIES.workspace, workspaceFolders: true },
      },
      refuseRegistrations: true,
    });
    try {
      const unknownProperty = (p: PublishDiagnosticsParams) => ruleIds(p).includes('unknown-property');
      await client.diagnostics(uriOf(path.join(dir, 'typo.loginpolicy.json')), unknownProperty);
      assert.ok(
        client.logs.some((l) => l.type === 2 && l.message.startsWith('Could not register for settings changes:')),
        JSON.stringify(client.logs),
      );
      await client.connection.sendNotification('workspace/didChangeWorkspaceFolders', {
        event: { added: [{ uri: uriOf(added), name: 'added' }], removed: [] },
      });
      await client.diagnostics(uriOf(path.join(added, 'typo.loginpolicy.json')), unknownProperty);
    } finally {
      await client.stop();
      rmSync(dir, { recursive: true, force: true });
      rmSync(added, { recursive: true, force: true });
    }
  });
});
