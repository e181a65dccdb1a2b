// The workspace on disk: a background scan of every policy and OIDC client file (with progress), and one file
// brought up to date when the editor's watcher reports it. Both only record what changed in the session and say
// which files that affects; deciding what to analyse again is the caller's job.
import { readFile } from 'node:fs/promises';
import { URI } from 'vscode-uri';
import type { ClientPort } from '../lsp/client-port';
import { isOidcClientFileName } from '../project/oidc-clients';
import { isIgnoredPath, isPolicyFileName } from '../project/policy-files';
import type { DocumentStore } from '../session/document-store';
import type { Session } from '../session/session';
import { summarize } from '../workspace-index';

/** What one file on disk changed: the file to analyse again itself (a policy), and the others it affects. */
export interface DiskChange {
  readonly self?: string;
  readonly others: ReadonlySet<string>;
}

const NOTHING: DiskChange = { others: new Set() };

export class WorkspaceScan {
  constructor(
    private readonly session: Session,
    private readonly documents: DocumentStore,
    private readonly client: ClientPort,
    /** True for a file a config's `policies` globs name (the watchers know them). */
    private readonly namedByConfig: (file: string) => boolean,
  ) {}

  /**
   * Scans every workspace folder: files found become (or stay) policies on disk; files known before that are no
   * longer found (a config's globs changed, a folder was removed) leave, and their diagnostics are cleared.
   */
  async run(): Promise<void> {
    const { session, documents } = this;
    const folders = session.folders();
    if (folders.length === 0) return;
    const started = Date.now();
    // The watcher may add files while the scan runs; only those known before it can have stopped being policies.
    const knownBefore = new Set(documents.onDisk);
    const progress = await this.client.progress();
    progress?.begin('Login policies', 0, 'Scanning the workspace…', false);
    const found = await session.index.scan(
      folders,
      (folder) => session.configs.forDirectory(folder)?.config?.policies ?? [],
      (done, total) => progress?.report(Math.round((done / Math.max(total, 1)) * 100), `${done} of ${total} files`),
      (file) => session.isSnapshot(file),
      (file) => documents.isOpen(URI.file(file).toString()),
    );
    for (const file of knownBefore) {
      if (found.has(file)) continue;
      const uri = URI.file(file).toString();
      documents.dropDisk(file);
      if (!documents.isOpen(uri)) {
        session.index.removePolicy(file);
        this.client.publish(uri, undefined, []);
      }
    }
    for (const [file, text] of found) documents.setDisk(file, text);
    progress?.done();
    this.client.logger.info(`Workspace scan: ${found.size} policy file(s) in ${Date.now() - started} ms.`);
  }

  /** Brings the session up to date with one file on disk the watcher reported. */
  async fileChanged(file: string, deleted: boolean): Promise<DiskChange> {
    const { session, documents } = this;
    const uri = URI.file(file).toString();
    if (deleted) {
      const open = documents.isOpen(uri);
      documents.openOnly.delete(file);
      session.baselines.forget(file);
      const wasOnDisk = documents.dropDisk(file);
      const others = new Set([...session.index.removePolicy(file), ...session.index.removeClient(file)]);
      if (wasOnDisk && !open) this.client.publish(uri, undefined, []);
      return { others };
    }
    // Decided by name before reading: with the broad **/*.json watcher, most reports are of other JSON files.
    const name = session.workspaceRelative(file);
    if (isIgnoredPath(name) || session.isSnapshot(file)) return NOTHING;
    const policy = isPolicyFileName(name) || documents.onDisk.has(file) || this.namedByConfig(file);
    if (!policy && !isOidcClientFileName(name)) return NOTHING;
    const text = await readFile(file, 'utf8').catch(() => undefined);
    if (text === undefined) return NOTHING;
    if (!policy) return { others: session.index.setClient(file, text) };
    documents.setDisk(file, text);
    // An open document speaks for itself, in the index and in the editor (its unsaved text).
    if (documents.isOpen(uri)) return NOTHING;
    return { self: uri, others: session.index.setPolicy(file, summarize(text)) };
  }
}
