// The real server under random editing sessions: opens, full and incremental changes, closes, settings changes and
// watched-file events, with texts from the engine's property generators. The server never dies, and what it last
// published for each open document is what analyze() and the same conversion give for the final text; a closed
// document is left with no diagnostics. A fixed seed and a modest number of sessions keep the lsp step fast.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import type { Diagnostic, Range } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyze } from '../../server/src/engine/analyze';
import { SEVERITIES, type SeverityOrOff } from '../../server/src/engine/finding';
import { mergeOverrides, type SeverityOverrides } from '../../server/src/engine/severity';
import { toDiagnostics } from '../../server/src/features/diagnostics';
import { LspTestClient } from '../support/lsp-client';
import { engineInput, JSON_TOKENS } from '../unit/property/text-arbitrary';

const SEED = 20251010;
const SESSIONS = 50;
/** How long the server may take to publish what is expected (it debounces for 20 ms; the machine may be busy). */
const WAIT_MS = 8_000;

/**
 * The cross-file rules are off: their facts come from the other open documents, which analyze() alone does not
 * see. No baseline: the version first opened would otherwise be one (immutable-identity-store).
 */
const CONFIG_RULES: SeverityOverrides = {
  'duplicate-policy-id': 'off',
  'divergent-owner-secret': 'off',
  'clients-on-replaced-policy': 'off',
};
/** The rules a settings change may turn up, down or off. */
const TUNABLE = ['json-strict', 'json-syntax', 'schema', 'unknown-property', 'value-format', 'login-url'];

interface Model {
  readonly open: Set<number>;
}

interface Session {
  readonly client: LspTestClient;
  readonly uriOf: (doc: number) => string;
  readonly docs: Map<number, TextDocument>;
  readonly everOpened: Set<number>;
  settingsRules: SeverityOverrides;
}

type Command = fc.AsyncCommand<Model, Session>;

class Open implements Command {
  constructor(
    readonly doc: number,
    readonly text: string,
  ) {}
  check = (m: Readonly<Model>) => !m.open.has(this.doc);
  async run(m: Model, s: Session): Promise<void> {
    m.open.add(this.doc);
    s.everOpened.add(this.doc);
    s.docs.set(this.doc, TextDocument.create(s.uriOf(this.doc), 'login-policy', 1, this.text));
    await s.client.open(s.uriOf(this.doc), this.text);
  }
  toString = () => `open(${this.doc}, ${JSON.stringify(this.text)})`;
}

class ChangeAll implements Command {
  constructor(
    readonly doc: number,
    readonly text: string,
  ) {}
  check = (m: Readonly<Model>) => m.open.has(this.doc);
  async run(_m: Model, s: Session): Promise<void> {
    const doc = s.docs.get(this.doc)!;
    TextDocument.update(doc, [{ text: this.text }], doc.version + 1);
    await s.client.change(s.uriOf(this.doc), this.text, doc.version);
  }
  toString = () => `change(${this.doc}, ${JSON.stringify(this.text)})`;
}

/** Edits of a range, as an editor sends keystrokes and pastes: one or two in one notification. */
class ChangeRanges implements Command {
  constructor(
    readonly doc: number,
    readonly edits: readonly { at: number; remove: number; insert: string }[],
  ) {}
  check = (m: Readonly<Model>) => m.open.has(this.doc);
  async run(_m: Model, s: Session): Promise<void> {
    const doc = s.docs.get(this.doc)!;
    const changes: { range: Range; text: string }[] = [];
    for (const edit of this.edits) {
      // Each change applies to the text the previous one left, as LSP orders them.
      const length = doc.getText().length;
      const start = edit.at % (length + 1);
      const change = {
        range: { start: doc.positionAt(start), end: doc.positionAt(Math.min(length, start + edit.remove)) },
        text: edit.insert,
      };
      TextDocument.update(doc, [change], doc.version);
      changes.push(change);
    }
    TextDocument.update(doc, [], doc.version + 1);
    await s.client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: s.uriOf(this.doc), version: doc.version },
      contentChanges: changes,
    });
  }
  toString = () => `edit(${this.doc}, ${JSON.stringify(this.edits)})`;
}

class Close implements Command {
  constructor(readonly doc: number) {}
  check = (m: Readonly<Model>) => m.open.has(this.doc);
  async run(m: Model, s: Session): Promise<void> {
    m.open.delete(this.doc);
    s.docs.delete(this.doc);
    await s.client.close(s.uriOf(this.doc));
  }
  toString = () => `close(${this.doc})`;
}

class Settings implements Command {
  constructor(readonly rules: SeverityOverrides) {}
  check = () => true;
  async run(_m: Model, s: Session): Promise<void> {
    s.settingsRules = this.rules;
    s.client.settings = { rules: this.rules };
    await s.client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
  }
  toString = () => `settings(${JSON.stringify(this.rules)})`;
}

/**
 * The user stops typing: the server publishes for the document's current version, and what it publishes is what
 * analyze() gives for the text at that moment (under the settings of that moment).
 */
class Pause implements Command {
  constructor(readonly doc: number) {}
  check = (m: Readonly<Model>) => m.open.has(this.doc);
  async run(_m: Model, s: Session): Promise<void> {
    await expectDiagnostics(s, [this.doc]);
  }
  toString = () => `pause(${this.doc})`;
}

/** What a file watcher reports: the config touched, or a policy file that appears or goes away on disk. */
class Watched implements Command {
  constructor(
    readonly file: string,
    readonly type: 1 | 2 | 3,
  ) {}
  check = () => true;
  async run(_m: Model, s: Session): Promise<void> {
    await s.client.filesChanged([s.uriOf(-1).replace(/[^/]*$/, this.file)], this.type);
  }
  toString = () => `watched(${this.file}, ${this.type})`;
}

const DOCS = 3;
const doc = fc.nat({ max: DOCS - 1 });
const rangeEdit = fc.record({
  at: fc.nat(),
  remove: fc.nat({ max: 12 }),
  insert: fc.oneof(fc.constantFrom(...JSON_TOKENS, ''), fc.string({ maxLength: 6, unit: 'binary' })),
});
const open = fc.tuple(doc, engineInput()).map(([d, text]) => new Open(d, text));
const edit = fc
  .tuple(doc, fc.array(rangeEdit, { minLength: 1, maxLength: 2 }))
  .map(([d, edits]) => new ChangeRanges(d, edits));
// Listed twice or more: drawn that much more often (typing is most of an editing session).
const commands = fc.commands(
  [
    open,
    open,
    fc.tuple(doc, engineInput()).map(([d, text]) => new ChangeAll(d, text)),
    edit,
    edit,
    edit,
    edit,
    doc.map((d) => new Close(d)),
    doc.map((d) => new Pause(d)),
    doc.map((d) => new Pause(d)),
    fc
      .dictionary(fc.constantFrom(...TUNABLE), fc.constantFrom<SeverityOrOff>(...SEVERITIES), { maxKeys: 3 })
      .map((rules) => new Settings(rules)),
    fc
      .tuple(fc.constantFrom('.loginpolicyrc.json', 'gone.loginpolicy.json'), fc.constantFrom<1 | 2 | 3>(1, 2, 3))
      .map(([file, type]) => new Watched(file, type)),
  ],
  { maxCommands: 30, size: 'large' },
);

/** What a diagnostic says, without its docs link (an absolute file URL that depends on where the code runs). */
function essence(d: Diagnostic): unknown {
  const { codeDescription: _href, ...rest } = d;
  return rest;
}

describe('the server under random editing sessions', () => {
  let dir: string;
  let client: LspTestClient;
  let session = 0;

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'lpl-lsp-property-'));
    writeFileSync(path.join(dir, '.loginpolicyrc.json'), JSON.stringify({ baseline: 'none', rules: CONFIG_RULES }));
    client = (await LspTestClient.start({ rootPath: dir })).client;
  });

  after(async () => {
    await client.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it(`never dies, and ends with what analyze() gives for each open document (${SESSIONS} sessions)`, async () => {
    const property = fc.asyncProperty(commands, async (cmds) => {
      // Each session (and each shrinking attempt) has documents of its own, so no publication of another counts.
      const prefix = `s${session++}`;
      const s: Session = {
        client,
        uriOf: (d) => pathToFileURL(path.join(dir, `${prefix}-${d}.loginpolicy.json`)).href,
        docs: new Map(),
        everOpened: new Set(),
        settingsRules: {},
      };
      client.settings = {};
      await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
      try {
        await fc.asyncModelRun(() => ({ model: { open: new Set<number>() }, real: s }), cmds);
        await expectDiagnostics(s, [...s.everOpened]);
      } finally {
        for (const d of s.docs.keys()) await client.close(s.uriOf(d));
      }
    });
    // A failing session waits WAIT_MS per attempt while it shrinks: shrinking stops after a few minutes.
    const details = await fc.check(property, { seed: SEED, numRuns: SESSIONS, interruptAfterTimeLimit: 240_000 });
    if (!details.failed) assert.equal(details.numRuns, SESSIONS, 'sessions run before the time limit');
    else {
      assert.fail(
        `${fc.defaultReportMessage(details)}\n${String(details.errorInstance)}\nserver stderr: ${client.stderr.join('')}`,
      );
    }
  });
});

/** What the server last published for the documents, once it has caught up, is what analyze() gives. */
async function expectDiagnostics(s: Session, docs: readonly number[]): Promise<void> {
  const client = s.client;
  assert.equal(client.process.exitCode, null, 'the server is running');
  const severities = mergeOverrides(CONFIG_RULES, s.settingsRules);
  const expected = new Map<number, unknown[]>();
  for (const d of docs) {
    const doc = s.docs.get(d);
    if (doc) expected.set(d, toDiagnostics(doc, analyze(doc.getText(), { severities }).findings).map(essence));
  }
  const matches = (d: number): boolean => {
    const latest = client.published.get(s.uriOf(d))?.at(-1);
    const doc = s.docs.get(d);
    // A closed document is left with no diagnostics.
    if (!doc) return latest !== undefined && latest.diagnostics.length === 0;
    return latest?.version === doc.version && isDeepStrictEqual(latest.diagnostics.map(essence), expected.get(d));
  };
  try {
    await client.waitFor(() => (docs.every(matches) ? true : undefined), WAIT_MS, 'the diagnostics');
  } catch {
    // Say what differs.
    for (const d of docs) {
      const latest = client.published.get(s.uriOf(d))?.at(-1);
      assert.equal(latest?.version, s.docs.get(d)?.version, `version published for document ${d}`);
      assert.deepEqual(latest?.diagnostics.map(essence), expected.get(d) ?? [], `diagnostics of document ${d}`);
    }
  }
  // Nothing later may undo it: after a round trip (the server handles messages in order), it still holds.
  await client.request('textDocument/documentSymbol', { textDocument: { uri: s.uriOf(docs[0] ?? 0) } });
  assert.ok(docs.every(matches), 'the diagnostics changed after they were reached');
}

function isDeepStrictEqual(a: unknown, b: unknown): boolean {
  try {
    assert.deepStrictEqual(a, b);
    return true;
  } catch {
    return false;
  }
}
