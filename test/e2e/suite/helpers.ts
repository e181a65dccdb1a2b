// Helpers for tests that run inside the real extension host: open fixtures, edit as typing would, and poll
// for what the user would see (never sleep for a fixed time).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'login-policy-lint.login-policy-lint';
export const POLICY_LANGUAGE = 'login-policy';

export function workspaceUri(...segments: string[]): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the tests need the fixture workspace open');
  return vscode.Uri.joinPath(folder.uri, ...segments);
}

/** Polls `probe` until it returns something other than undefined/false, or fails after `timeoutMs`. */
export async function waitFor<T>(
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) {
      const detail = last instanceof Error ? ` (last error: ${last.message})` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${detail}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function activate(): Promise<void> {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  if (!extension) throw new Error(`${EXTENSION_ID} is not installed`);
  await extension.activate();
}

/** Opens a fixture file in an editor and returns its document once its language is settled. */
export async function open(relative: string, language = POLICY_LANGUAGE): Promise<vscode.TextDocument> {
  const uri = workspaceUri(...relative.split('/'));
  await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: false });
  return waitFor(() => {
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    return doc?.languageId === language ? doc : undefined;
  }, `${relative} to open as ${language}`);
}

/** Our diagnostics on a document, once `accept` is true of them. */
export function diagnostics(
  uri: vscode.Uri,
  accept: (d: vscode.Diagnostic[]) => boolean,
  what = 'diagnostics',
  timeoutMs?: number,
): Promise<vscode.Diagnostic[]> {
  return waitFor(
    () => {
      const ours = vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'login-policy');
      return accept(ours) ? ours : undefined;
    },
    `${what} on ${vscode.workspace.asRelativePath(uri)}`,
    timeoutMs,
  );
}

/**
 * Runs `action` (opening the document, say), then waits until the server publishes diagnostics for `uri`, even
 * an empty list, and returns ours. "No finding" means something only after such a publish: before it, there is
 * none because nothing was analysed yet.
 */
export async function published(
  uri: vscode.Uri,
  action: () => Promise<unknown>,
  what = 'diagnostics',
): Promise<vscode.Diagnostic[]> {
  let seen = false;
  const listener = vscode.languages.onDidChangeDiagnostics((event) => {
    if (event.uris.some((u) => u.toString() === uri.toString())) seen = true;
  });
  try {
    await action();
    return await waitFor(
      () => seen && vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'login-policy'),
      `${what} published for ${vscode.workspace.asRelativePath(uri)}`,
    );
  } finally {
    listener.dispose();
  }
}

/**
 * The lines written so far to the output channel `channel` (the files behind the Output view, in the folder the
 * runner passes as E2E_LOGS), across restarts of the extension host.
 */
export function outputLines(channel: string): string[] {
  const logs = process.env['E2E_LOGS'];
  if (!logs) throw new Error('E2E_LOGS is not set: the runner passes the editor log folder there');
  return readdirSync(logs, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name === `${channel}.log`)
    .flatMap((entry) => readFileSync(path.join(entry.parentPath, entry.name), 'utf8').split('\n'));
}

export function codeOf(d: vscode.Diagnostic): string {
  return typeof d.code === 'object' ? String(d.code.value) : String(d.code);
}

/** Replaces the first occurrence of `from` with `to` through a WorkspaceEdit, as typing would change the text. */
export async function replace(doc: vscode.TextDocument, from: string, to: string): Promise<void> {
  const offset = doc.getText().indexOf(from);
  if (offset < 0) throw new Error(`"${from}" is not in ${doc.uri.path}`);
  const edit = new vscode.WorkspaceEdit();
  edit.replace(doc.uri, new vscode.Range(doc.positionAt(offset), doc.positionAt(offset + from.length)), to);
  if (!(await vscode.workspace.applyEdit(edit))) throw new Error('the edit was not applied');
}

export async function hoverText(doc: vscode.TextDocument, needle: string, delta = 1): Promise<string> {
  const offset = doc.getText().indexOf(needle);
  if (offset < 0) throw new Error(`"${needle}" is not in ${doc.uri.path}`);
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
    'vscode.executeHoverProvider',
    doc.uri,
    doc.positionAt(offset + delta),
  );
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : c.value))
    .join('\n');
}

export async function codeActions(doc: vscode.TextDocument, range: vscode.Range): Promise<vscode.CodeAction[]> {
  return vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, range);
}

export async function codeLenses(doc: vscode.TextDocument): Promise<vscode.CodeLens[]> {
  return vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri);
}

export function labelOf(item: vscode.CompletionItem): string {
  return typeof item.label === 'string' ? item.label : item.label.label;
}

/** Prints a measurement the runner collects into its report. */
export function metric(name: string, value: number, unit: string): void {
  console.log(`[metric] ${name}: ${Math.round(value)} ${unit}`);
}

/** A module of the fake Identity Cloud, compiled next to this suite and loaded at run time (not in its build). */
export function fakeModule(name: string): unknown {
  return module.require(path.resolve(__dirname, '../../fake-identity-cloud', name));
}

/** What the tests use of the fake Identity Cloud (test/fake-identity-cloud), started in the extension host. */
export interface FakeCloud {
  readonly host: string;
  readonly requests: readonly { method: string; path: string; status: number; clientId?: string; code?: number }[];
  close(): Promise<void>;
}

/**
 * Starts the fake Identity Cloud on 127.0.0.1 with an ephemeral port. It is compiled next to this suite
 * (out/test/fake-identity-cloud) and loaded at run time, so the suite's own build does not include it.
 */
export function startFakeCloud(options: { clients: object[] }): Promise<FakeCloud> {
  const modulePath = path.resolve(__dirname, '../../fake-identity-cloud/server.js');
  const { FakeIdentityCloud } = module.require(modulePath) as {
    FakeIdentityCloud: { start(o: object): Promise<FakeCloud> };
  };
  return FakeIdentityCloud.start(options);
}

/** The fake Identity Cloud seeded with its demo customer (test/fake-identity-cloud/demo-seed.ts). */
export interface DemoCloud extends FakeCloud {
  /** http://127.0.0.1:PORT: the API base (LOGIN_POLICY_API_BASE). */
  readonly url: string;
  addLoginPolicy(policy: object, options?: { id?: string }): object;
  injectFault(spec: { method?: string; path: string; kind: 'error500' | 'timeout' | 'slow'; times?: number }): number;
  loginPolicy(id: string): Record<string, unknown> | undefined;
}

/** The demo's ids and secrets, as the fake seeds them. */
export interface Demo {
  readonly customerId: string;
  readonly region: string;
  readonly configClient: { readonly id: string; readonly secret: string };
  readonly stalePolicy: { readonly id: string; readonly title: string };
  readonly clients: Record<'web' | 'ios' | 'partners' | 'loyalty', { readonly id: string; readonly name: string }>;
}

/** Starts the fake with the seeded demo of `npm run fake-cloud`: three policies, one with a stale owner secret. */
export async function startDemoCloud(): Promise<{ cloud: DemoCloud; demo: Demo }> {
  const { FakeIdentityCloud } = fakeModule('server.js') as {
    FakeIdentityCloud: { start(o: object): Promise<DemoCloud> };
  };
  const seed = fakeModule('demo-seed.js') as {
    DEMO: Demo;
    demoOptions(): object;
    seedDemo(cloud: DemoCloud): void;
  };
  const cloud = await FakeIdentityCloud.start(seed.demoOptions());
  seed.seedDemo(cloud);
  return { cloud, demo: seed.DEMO };
}
