// The built language server, spawned over stdio and spoken to in LSP: diagnostics, hovers, completion, code
// actions, commands, settings, the config file, content detection and bad input.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
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
    const uri = uriOf(path.join(dir, 'broken.loginpolicy.json'));
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
    const hover = await client.request<Hover | null>('textDocument/hover', {
      textDocument: { uri: uriOf(path.join(dir, 'hover.loginpolicy.json')) },
      position: { line: 1, character: 4 },
    });
    assert.ok(hover);
  });

  it('applies rule severities from settings and from .loginpolicyrc.json, live', async () => {
    const sub = path.join(dir, 'configured');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(sub);
    const uri = uriOf(path.join(sub, 'v1.loginpolicy.json'));
    const v1 = policy((p) => {
      p['loginURL'] = String(p['loginURL']).replace('/auth-ui/v2/login', '/auth-ui/login');
    });
    await client.open(uri, v1);
    const info = await client.diagnostics(uri, (p) => p.diagnostics.some((d) => d.code === 'hosted-login-v1'));
    assert.equal(info.diagnostics.find((d) => d.code === 'hosted-login-v1')!.severity, 3);

    client.settings = { rules: { 'hosted-login-v1': 'error' } };
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await client.diagnostics(uri, (p) => p.diagnostics.find((d) => d.code === 'hosted-login-v1')?.severity === 1);

    client.settings = {};
    const configPath = path.join(sub, '.loginpolicyrc.json');
    writeFileSync(configPath, '{ "rules": { "hosted-login-v1": "off" } }');
    await client.filesChanged([uriOf(configPath)], 1);
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await client.diagnostics(uri, (p) => !p.diagnostics.some((d) => d.code === 'hosted-login-v1'));

    // A broken config is reported on the config file and noted on the policy; it never crashes the server.
    writeFileSync(configPath, '{ "rules": { "hosted-login-1": "off" } }');
    await client.filesChanged([uriOf(configPath)], 2);
    const onConfig = await client.diagnostics(uriOf(configPath), (p) => p.diagnostics.length > 0);
    assert.match(
      messageOf(onConfig.diagnostics[0]!),
      /Unknown rule "hosted-login-1"\. Did you mean "hosted-login-v1"\?/,
    );
    assert.equal(onConfig.diagnostics[0]!.code, 'invalid-config');
    const onPolicy = await client.diagnostics(uri, (p) => p.diagnostics.some((d) => d.code === 'invalid-config'));
    assert.ok(
      onPolicy.diagnostics.some((d) => d.code === 'hosted-login-v1'),
      'the broken config is ignored',
    );
  });

  it('answers pull diagnostic requests', async () => {
    const uri = uriOf(path.join(dir, 'broken.loginpolicy.json'));
    const report = await client.request<{ kind: string; items: Diagnostic[] }>('textDocument/diagnostic', {
      textDocument: { uri },
    });
    assert.equal(report.kind, 'full');
    assert.ok(report.items.some((d) => d.code === 'unknown-property'));
  });

  it('never logs a secret', () => {
    assert.ok(client.logs.length > 0);
    for (const log of client.logs) assert.ok(!log.message.includes(SECRET));
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
