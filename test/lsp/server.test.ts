// The built language server, spawned over stdio and spoken to in LSP: diagnostics, hovers, completion, code
// actions, commands, settings, the config file, content detection and bad input. Each test opens its own documents
// and puts back what it changed, so any one of them runs alone (--test-name-pattern).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import type {
  CodeAction,
  CompletionItem,
  Diagnostic,
  DocumentSymbol,
  FoldingRange,
  Hover,
  MarkupContent,
  TextEdit,
} from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { GitRepo } from '../support/git-repo';
import { LspTestClient, messageOf } from '../support/lsp-client';
import { fingerprint } from '../../server/src/shared/fingerprint';
import { policy, VALID_POLICY } from '../unit/harness';

const SECRET = 'p9o8i7u6y5t4r3e2w1q0a9s8d7f6g5h4';
const BROKEN = policy((p) => {
  (p['identityStoreDetails'] as Record<string, unknown>)['type'] = 'janrain';
  p['loginUrl'] = p['loginURL'];
  delete p['loginURL'];
});

function uriOf(file: string): string {
  return pathToFileURL(file).href;
}

describe('language server over stdio', () => {
  let dir: string;
  let client: LspTestClient;
  let capabilities: Record<string, unknown>;

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'lpl-lsp-'));
    // The fixture policies' owner secret is recorded as current, so a healthy policy has no finding at all.
    writeFileSync(
      path.join(dir, '.loginpolicyrc.json'),
      JSON.stringify({
        clients: [
          { clientId: VALID_POLICY.identityStoreDetails.connectionDetails.clientId, secretSha256: fingerprint(SECRET) },
        ],
      }),
    );
    const started = await LspTestClient.start({ rootPath: dir });
    client = started.client;
    capabilities = started.initialize.capabilities as Record<string, unknown>;
  });

  after(async () => {
    await client.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Settings a test changed go back to the defaults for the next one. */
  afterEach(async () => {
    if (Object.keys(client.settings ?? {}).length === 0) return;
    client.settings = {};
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
  });

  it('declares its features', () => {
    for (const key of [
      'hoverProvider',
      'completionProvider',
      'codeActionProvider',
      'documentSymbolProvider',
      'foldingRangeProvider',
      'documentFormattingProvider',
      'executeCommandProvider',
    ]) {
      assert.ok(capabilities[key], key);
    }
  });

  it('publishes rule-coded diagnostics with docs links and exact ranges', async () => {
    const uri = uriOf(path.join(dir, 'broken.loginpolicy.json'));
    await client.open(uri, BROKEN);
    const { diagnostics } = await client.diagnostics(uri);
    const doc = TextDocument.create(uri, 'login-policy', 1, BROKEN);
    const byCode = (code: string) => diagnostics.filter((d) => d.code === code);
    for (const d of diagnostics) {
      assert.equal(d.source, 'login-policy');
      assert.match(d.codeDescription!.href, new RegExp(`^file://.*/docs/rules/${String(d.code)}\\.md$`));
    }
    const type = byCode('schema').find((d) => /janrainCapture/.test(messageOf(d)))!;
    assert.equal(doc.getText(type.range), '"janrain"');
    assert.equal(type.severity, 1);
    const unknown = byCode('unknown-property')[0]!;
    assert.equal(doc.getText(unknown.range), '"loginUrl"');
    assert.equal(unknown.severity, 2);
    assert.match(messageOf(unknown), /Did you mean "loginURL"\?/);
  });

  it('clears diagnostics once the document is fixed, for the latest version', async () => {
    const uri = uriOf(path.join(dir, 'fixme.loginpolicy.json'));
    // Not created yet (no id): its identityStoreDetails may still change, and no other file claims its id.
    const draft = (text: string) => text.replace(/\n {2}"id": "[^"]*",/, '');
    await client.open(uri, draft(BROKEN));
    await client.diagnostics(uri, (p) => p.diagnostics.length > 0);
    // Several quick edits: only the last version matters.
    await client.change(uri, draft(BROKEN.replace('"janrain"', '"janrainC"')), 2);
    await client.change(uri, draft(BROKEN.replace('"janrain"', '"janrainCap"')), 3);
    await client.change(uri, draft(policy()), 4);
    const latest = await client.diagnostics(uri, (p) => p.version === 4);
    assert.deepEqual(latest.diagnostics, []);
  });

  it('hovers: docs for keys, a masked secret, a read login URL', async () => {
    const uri = uriOf(path.join(dir, 'hover.loginpolicy.json'));
    const text = policy();
    await client.open(uri, text);
    const doc = TextDocument.create(uri, 'login-policy', 1, text);
    const hoverAt = async (needle: string) => {
      const hover = await client.request<Hover | null>('textDocument/hover', {
        textDocument: { uri },
        position: doc.positionAt(text.indexOf(needle) + 1),
      });
      return (hover?.contents as MarkupContent | undefined)?.value ?? '';
    };
    assert.match(await hoverAt('"entityType"'), /entity type/);
    const secret = await hoverAt(`"${SECRET}"`);
    assert.match(secret, /••••••••g5h4/);
    assert.ok(!secret.includes(SECRET));
    assert.match(await hoverAt('"https://'), /Hosted Login v2/);
    assert.equal(
      await client.request('textDocument/hover', { textDocument: { uri }, position: { line: 999, character: 0 } }),
      null,
    );
  });

  it('completes keys and values', async () => {
    const uri = uriOf(path.join(dir, 'complete.loginpolicy.json'));
    const text = '{ "identityStoreDetails": { "type":  } }';
    await client.open(uri, text);
    const items = await client.request<CompletionItem[]>('textDocument/completion', {
      textDocument: { uri },
      position: { line: 0, character: text.indexOf(':  }') + 2 },
    });
    assert.deepEqual(
      items.map((i) => i.label),
      ['"janrainCapture"'],
    );
  });

  it('offers fixes and rule documentation, and opens the documentation', async () => {
    const uri = uriOf(path.join(dir, 'fixes.loginpolicy.json'));
    await client.open(uri, BROKEN);
    const { diagnostics } = await client.diagnostics(uri);
    const unknown = diagnostics.find((d) => d.code === 'unknown-property')!;
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: unknown.range,
      context: { diagnostics: [unknown] },
    });
    const rename = actions.find((a) => a.title === 'Rename to "loginURL"')!;
    const edited = TextDocument.applyEdits(
      TextDocument.create(uri, 'login-policy', 1, BROKEN),
      rename.edit!.changes![uri] as TextEdit[],
    );
    assert.ok(edited.includes('"loginURL"') && !edited.includes('"loginUrl"'));
    const show = actions.find((a) => a.title === 'Show documentation for unknown-property')!;
    await client.request('workspace/executeCommand', show.command);
    const shown = await client.waitFor(() => client.shownDocuments.at(-1), 5000, 'showDocument');
    assert.match(shown.uri, /^file:\/\/.*\/docs\/rules\/unknown-property\.md$/);
  });

  it('gives symbols, folding ranges and formatting', async () => {
    const uri = uriOf(path.join(dir, 'structure.loginpolicy.json'));
    const text =
      '{"title":"t","identityStoreDetails":{"type":"janrainCapture","connectionDetails":{"clientSecret":"' +
      SECRET +
      '"}}}';
    await client.open(uri, text);
    const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
    assert.deepEqual(
      symbols.map((s) => s.name),
      ['title', 'identityStoreDetails'],
    );
    assert.ok(!JSON.stringify(symbols).includes(SECRET), 'the outline masks the secret');
    const edits = await client.request<TextEdit[]>('textDocument/formatting', {
      textDocument: { uri },
      options: { tabSize: 2, insertSpaces: true },
    });
    const formatted = TextDocument.applyEdits(TextDocument.create(uri, 'login-policy', 1, text), edits);
    assert.equal(formatted, JSON.stringify(JSON.parse(text), null, 2));
    await client.change(uri, formatted, 2);
    const folds = await client.request<FoldingRange[]>('textDocument/foldingRange', { textDocument: { uri } });
    assert.ok(folds.some((f) => f.startLine === 0));
  });

  it('switches plain .json files to a policy by content, and leaves other JSON alone', async () => {
    const policyUri = uriOf(path.join(dir, 'prod.json'));
    await client.open(policyUri, BROKEN, 'json');
    const found = await client.diagnostics(policyUri);
    assert.ok(found.diagnostics.some((d: Diagnostic) => d.code === 'schema'));
    const otherUri = uriOf(path.join(dir, 'package.json'));
    await client.open(otherUri, '{ "name": "x", "loginUrl": 1 }', 'json');
    const other = await client.diagnostics(otherUri);
    assert.deepEqual(other.diagnostics, []);
  });

  it('survives bad input and keeps answering', async () => {
    const cases: [string, string][] = [
      ['binary.loginpolicy.json', '\u0000\u0001\u0002garbage\u0000'],
      ['deep.loginpolicy.json', '['.repeat(100_000)],
      ['big.loginpolicy.json', `{"title": "${'x'.repeat(5 * 1024 * 1024)}"}`],
      ['empty.loginpolicy.json', ''],
    ];
    for (const [name, text] of cases) {
      const uri = uriOf(path.join(dir, name));
      await client.open(uri, text);
      const { diagnostics } = await client.diagnostics(uri, undefined, 20_000);
      assert.ok(diagnostics.length >= 1 && diagnostics.length <= 2, `${name}: ${diagnostics.length} diagnostics`);
    }
    // Still answering: a hover on a healthy policy opened after all that.
    const healthy = uriOf(path.join(dir, 'after-bad-input.loginpolicy.json'));
    await client.open(healthy, policy());
    const hover = await client.request<Hover | null>('textDocument/hover', {
      textDocument: { uri: healthy },
      position: { line: 1, character: 4 },
    });
    assert.match((hover?.contents as MarkupContent | undefined)?.value ?? '', /policy/i);
  });

  /** A Hosted Login v1 policy in a folder of its own (its own .loginpolicyrc.json), open in the editor. */
  const v1Policy = async (folder: string, config?: string) => {
    const sub = path.join(dir, folder);
    mkdirSync(sub);
    if (config !== undefined) writeFileSync(path.join(sub, '.loginpolicyrc.json'), config);
    const uri = uriOf(path.join(sub, 'v1.loginpolicy.json'));
    await client.open(
      uri,
      policy((p) => {
        p['loginURL'] = String(p['loginURL']).replace('/auth-ui/v2/login', '/auth-ui/login');
      }),
    );
    return { uri, configPath: path.join(sub, '.loginpolicyrc.json') };
  };
  const severityOfV1 = (p: { diagnostics: Diagnostic[] }) =>
    p.diagnostics.find((d) => d.code === 'hosted-login-v1')?.severity;
  const settingsChanged = () =>
    client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });

  it('applies rule severities from the editor settings, live', async () => {
    const { uri } = await v1Policy('by-settings');
    await client.diagnostics(uri, (p) => severityOfV1(p) === 3);
    client.settings = { rules: { 'hosted-login-v1': 'error' } };
    await settingsChanged();
    await client.diagnostics(uri, (p) => severityOfV1(p) === 1);
  });

  it('applies rule severities from .loginpolicyrc.json, live', async () => {
    const { uri, configPath } = await v1Policy('by-config');
    await client.diagnostics(uri, (p) => severityOfV1(p) === 3);
    writeFileSync(configPath, '{ "rules": { "hosted-login-v1": "off" } }');
    await client.filesChanged([uriOf(configPath)], 1);
    await client.diagnostics(uri, (p) => severityOfV1(p) === undefined);
  });

  it('lets the editor settings win over .loginpolicyrc.json for the same rule', async () => {
    const { uri } = await v1Policy('both-layers', '{ "rules": { "hosted-login-v1": "off" } }');
    client.settings = { rules: { 'hosted-login-v1': 'error' } };
    await settingsChanged();
    await client.diagnostics(uri, (p) => severityOfV1(p) === 1);
    // And the other way round: the config raises it, the settings lower it.
    const other = await v1Policy('both-layers-down', '{ "rules": { "hosted-login-v1": "error" } }');
    client.settings = { rules: { 'hosted-login-v1': 'hint' } };
    await settingsChanged();
    await client.diagnostics(other.uri, (p) => severityOfV1(p) === 4);
  });

  it('reports a broken config on the config file and on its policies, and ignores it', async () => {
    const { uri, configPath } = await v1Policy('broken-config', '{ "rules": { "hosted-login-v1": "off" } }');
    await client.diagnostics(uri, (p) => severityOfV1(p) === undefined);
    writeFileSync(configPath, '{ "rules": { "hosted-login-1": "off" } }');
    await client.filesChanged([uriOf(configPath)], 2);
    const onConfig = await client.diagnostics(uriOf(configPath), (p) => p.diagnostics.length > 0);
    assert.match(
      messageOf(onConfig.diagnostics[0]!),
      /Unknown rule "hosted-login-1"\. Did you mean "hosted-login-v1"\?/,
    );
    assert.equal(onConfig.diagnostics[0]!.code, 'invalid-config');
    const onPolicy = await client.diagnostics(uri, (p) => p.diagnostics.some((d) => d.code === 'invalid-config'));
    assert.equal(severityOfV1(onPolicy), 3, 'the broken config is ignored: the rule is back at its default');
  });

  it('leaves plain JSON alone when detection by content is off, and takes it up when it is turned on', async () => {
    client.settings = { detectByContent: false };
    await settingsChanged();
    const uri = uriOf(path.join(dir, 'undetected.json'));
    await client.open(uri, BROKEN, 'json');
    const first = await client.diagnostics(uri);
    assert.deepEqual(first.diagnostics, [], 'not a policy while detection is off');
    client.settings = {};
    await settingsChanged();
    const detected = await client.diagnostics(uri, (p) => p.diagnostics.length > 0);
    assert.ok(detected.diagnostics.some((d) => d.code === 'schema'));
  });

  it('asks for the settings of a document opened again, not those it had when it was closed', async () => {
    const uri = uriOf(path.join(dir, 'reopened.loginpolicy.json'));
    const unknownProperty = (p: { diagnostics: Diagnostic[] }) =>
      p.diagnostics.some((d) => d.code === 'unknown-property');
    await client.open(uri, BROKEN);
    await client.diagnostics(uri, unknownProperty);
    const beforeClose = client.publishedCount(uri);
    await client.close(uri);
    // Closed: its diagnostics are cleared (and nothing of its first opening comes after that).
    await client.waitFor(
      () =>
        client.published
          .get(uri)
          ?.slice(beforeClose)
          .find((p) => p.version === undefined),
      10_000,
      'the diagnostics cleared on close',
    );
    // The editor holds other settings for it now (a folder's settings file changed while it was closed, say).
    client.settings = { rules: { 'unknown-property': 'off' } };
    const published = client.publishedCount(uri);
    await client.open(uri, BROKEN);
    const reopened = await client.nextDiagnostics(uri, published);
    assert.equal(reopened.version, 1);
    assert.ok(!unknownProperty(reopened), JSON.stringify(reopened.diagnostics));
    await client.close(uri);
  });

  it('answers pull diagnostic requests', async () => {
    const uri = uriOf(path.join(dir, 'pulled.loginpolicy.json'));
    await client.open(uri, BROKEN);
    const report = await client.request<{ kind: string; items: Diagnostic[] }>('textDocument/diagnostic', {
      textDocument: { uri },
    });
    assert.equal(report.kind, 'full');
    assert.ok(report.items.some((d) => d.code === 'unknown-property'));
  });
});

describe('language server in pull mode', () => {
  it('advertises a diagnostic provider and does not push', async () => {
    const { client, initialize } = await LspTestClient.start({
      capabilities: {
        textDocument: { diagnostic: { dynamicRegistration: false } },
        workspace: { configuration: true },
      },
      initializationOptions: { pullDiagnostics: true },
    });
    try {
      assert.ok(initialize.capabilities.diagnosticProvider);
      const uri = 'file:///tmp/pull.loginpolicy.json';
      await client.open(uri, BROKEN);
      const report = await client.request<{ items: Diagnostic[] }>('textDocument/diagnostic', {
        textDocument: { uri },
      });
      assert.ok(report.items.length > 0);
      assert.equal(client.published.get(uri), undefined);
    } finally {
      await client.stop();
    }
  });
});

describe('language server timing', () => {
  it('validates a document as soon as it is opened, and edits after the debounce', async () => {
    const { client } = await LspTestClient.start({ initializationOptions: { debounceMs: 1500 } });
    try {
      const uri = 'file:///tmp/timing.loginpolicy.json';
      const opened = Date.now();
      await client.open(uri, BROKEN);
      await client.diagnostics(uri, (p) => p.diagnostics.length > 0, 1000);
      assert.ok(Date.now() - opened < 1000, 'first diagnostics do not wait for the debounce');
      const edited = Date.now();
      await client.change(uri, policy(), 2);
      await client.diagnostics(uri, (p) => p.version === 2, 5000);
      assert.ok(Date.now() - edited >= 1400, 'edits are validated after the debounce');
    } finally {
      await client.stop();
    }
  });

  it('keeps the typing debounce when the deployed version arrives meanwhile', async () => {
    // git answers slowly here (as on a busy machine or a large repository): the deployed version of the policy is
    // found while the user is typing, and that must not cut the wait for the typing to pause short.
    const repo = GitRepo.create('lpl-lsp-slow-git-');
    repo.write('acme.loginpolicy.json', policy());
    repo.commit('deployed');
    const bin = mkdtempSync(path.join(tmpdir(), 'lpl-slow-git-'));
    const answered = path.join(bin, 'answered');
    const realGit = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
    writeFileSync(
      path.join(bin, 'git'),
      // Only the read of the deployed file is slow, and it marks when it answered: the finding of the repository and
      // of the commit stay quick, so the answer comes well inside the typing debounce even on a loaded machine.
      `#!/bin/sh\ncase " $* " in *" cat-file "*|*" show "*) slow=1 ;; *) slow= ;; esac\n[ -n "$slow" ] && sleep 0.6\n"${realGit}" "$@"\nstatus=$?\n[ -n "$slow" ] && echo >> "${answered}"\nexit $status\n`,
    );
    chmodSync(path.join(bin, 'git'), 0o755);
    const { client } = await LspTestClient.start({
      initializationOptions: { debounceMs: 1500 },
      env: { ...process.env, PATH: `${bin}${path.delimiter}${process.env['PATH'] ?? ''}` },
    });
    try {
      const uri = uriOf(repo.path('acme.loginpolicy.json'));
      await client.open(uri, policy());
      await client.diagnostics(uri);
      assert.ok(!existsSync(answered), 'the deployed version is still being looked up');
      const edited = Date.now();
      await client.change(uri, policy().replace('acme-prod.eu', 'acme.eu'), 2);
      const { diagnostics } = await client.diagnostics(uri, (p) => p.version === 2, 5000);
      const waited = Date.now() - edited;
      assert.ok(existsSync(answered), 'git answered before the edit was validated');
      assert.ok(waited >= 1400, `edits are validated after the debounce, not ${waited} ms after the edit`);
      assert.ok(
        diagnostics.some((d) => d.code === 'immutable-identity-store'),
        'the edit saw the deployed version',
      );
    } finally {
      await client.stop();
      repo.remove();
      rmSync(bin, { recursive: true, force: true });
    }
  });
});

describe('language server with a minimal client', () => {
  it('works for a client that declares no capabilities at all', async () => {
    const { client } = await LspTestClient.start({ capabilities: {} });
    try {
      const uri = 'file:///tmp/minimal.loginpolicy.json';
      await client.open(uri, BROKEN);
      const { diagnostics } = await client.diagnostics(uri, (p) => p.diagnostics.length > 0);
      assert.ok(diagnostics.some((d) => d.code === 'schema'));
      await client.waitFor(() => client.logs.find((l) => /ready/.test(l.message)), 5000, 'the ready log line');
      assert.ok(!client.logs.some((l) => /failed/.test(l.message)), JSON.stringify(client.logs));
    } finally {
      await client.stop();
    }
  });
});
