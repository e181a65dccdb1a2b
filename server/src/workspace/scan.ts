// The workspace on disk: a background scan of every policy and OIDC client file (with progress), and one file
// brought up to date when the editor's watcher reports it. Both only record what changed in the session and say
// which files that affects; deciding what to analyse again is the caller's job. Scans run one at a time, and a scan
// that a newer one superseded applies nothing; what the watcher reported while a scan ran wins over what it read.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { URI } from 'vscode-uri';
import type { ClientPort } from '../lsp/client-port';
import type { LoadedConfig } from '../project/config-store';
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

/** What of a config decides which files are policies: its `policies` globs and its snapshot folder. */
export function scanShapeOf(config: LoadedConfig | undefined): string {
  return JSON.stringify([config?.config?.policies ?? [], config?.config?.baseline ?? null]);
}

const NO_CONFIG = scanShapeOf(undefined);

export class WorkspaceScan {
  /** Bumped by each run(): a scan that a newer one superseded stops, or does not start. */
  private generation = 0;
  /** The scan running or last run: the next one starts when it ended. */
  private latest: Promise<unknown> = Promise.resolve();
  /**
   * While a scan runs: the files the watcher changed since the scan read them (or since it began, for files it has
   * not read). The scan leaves these as the watcher left them.
   */
  private touched: Set<string> | undefined;
  /** The scan shape of each config (by path) that the latest scan went by. */
  private shapes = new Map<string, string>();

  constructor(
    private readonly session: Session,
    private readonly documents: DocumentStore,
    private readonly client: ClientPort,
    /** True for a file a config's `policies` globs name (the watchers know them). */
    private readonly namedByConfig: (file: string) => boolean,
    /** A file left the workspace (deleted, or no longer a policy) and is not open: nothing of it is kept. */
    private readonly left: (file: string) => void,
    /** How a file the watcher reported is read (undefined: it cannot be); tests answer without the thread pool. */
    private readonly readText: (file: string) => Promise<string | undefined> = (file) =>
      readFile(file, 'utf8').catch(() => undefined),
  ) {}

  /**
   * Scans every workspace folder: files found become (or stay) policies on disk; files known before that are no
   * longer found (a config's globs changed, a folder was removed, deleted unseen) leave, and their diagnostics are
   * cleared. Waits for a scan still running, and resolves false when a newer scan superseded this one.
   */
  run(): Promise<boolean> {
    const generation = ++this.generation;
    const run = this.latest.then(() => this.scan(generation));
    this.latest = run.catch(() => undefined);
    return run;
  }

  /**
   * True when a config's scan shape differs from the one the latest scan went by (its buffer in the editor, else the
   * file): which files are policies may have changed, and a scan is due.
   */
  shapeChanged(configPath: string): boolean {
    const key = path.resolve(configPath);
    return scanShapeOf(this.session.configs.load(key)) !== (this.shapes.get(key) ?? NO_CONFIG);
  }

  private async scan(generation: number): Promise<boolean> {
    const { session, documents } = this;
    const superseded = () => generation !== this.generation;
    if (superseded()) return false;
    const started = Date.now();
    const folders = session.folders();
    const shapes = new Map<string, string>();
    const wentBy = (config: LoadedConfig | undefined) => {
      if (config && !shapes.has(config.path)) shapes.set(config.path, scanShapeOf(config));
      return config;
    };
    // Read now, before anything can change them: the shapes recorded are those the globs were taken from.
    const globs = new Map(folders.map((folder) => [folder, wentBy(session.configs.forDirectory(folder))?.config]));
    this.shapes = shapes;
    const touched = new Set<string>();
    this.touched = touched;
    try {
      const knownPolicies = new Set([...documents.onDisk, ...session.index.policyFiles()]);
      const knownClients = session.index.clientFiles();
      // No folder and nothing known from one (an editor with no workspace): nothing to scan or to drop.
      if (folders.length === 0 && knownPolicies.size === 0 && knownClients.length === 0) return false;
      const read = new Set<string>();
      const progress = folders.length > 0 ? await this.client.progress() : undefined;
      progress?.begin('Login policies', 0, 'Scanning the workspace…', false);
      const found = await session.index.scan(folders, {
        extraPolicyGlobs: (folder) => globs.get(folder)?.policies ?? [],
        progress: (done, total) =>
          progress?.report(Math.round((done / Math.max(total, 1)) * 100), `${done} of ${total} files`),
        skip: (file) => {
          const config = wentBy(session.configs.forFile(file));
          return session.isSnapshot(file, config);
        },
        speaksForItself: (file) => documents.isOpen(URI.file(file).toString()),
        read: (file) => {
          read.add(file);
          touched.delete(file);
        },
        stopped: superseded,
      });
      progress?.done();
      if (!found) return false;
      for (const file of knownPolicies) if (!found.has(file) && !touched.has(file)) this.dropPolicy(file);
      for (const file of knownClients) if (!read.has(file) && !touched.has(file)) session.index.removeClient(file);
      for (const [file, text] of found) if (!touched.has(file)) documents.setDisk(file, text);
      this.client.logger.info(`Workspace scan: ${found.size} policy file(s) in ${Date.now() - started} ms.`);
      return true;
    } finally {
      if (this.touched === touched) this.touched = undefined;
    }
  }

  /** A policy the scan no longer finds; an open one stays in the index while it is open. */
  private dropPolicy(file: string): void {
    const uri = URI.file(file).toString();
    const wasOnDisk = this.documents.dropDisk(file);
    if (this.documents.isOpen(uri)) {
      if (this.session.index.isPolicy(file)) this.documents.openOnly.add(file);
      return;
    }
    // Gone already: an open-only policy closed while the scan ran.
    if (!wasOnDisk && !this.session.index.isPolicy(file)) return;
    this.session.index.removePolicy(file);
    this.left(file);
    this.client.publish(uri, undefined, []);
  }

  /** Brings the session up to date with one file on disk the watcher reported. */
  async fileChanged(file: string, deleted: boolean): Promise<DiskChange> {
    const { session, documents } = this;
    const uri = URI.file(file).toString();
    if (deleted) {
      this.touched?.add(file);
      const open = documents.isOpen(uri);
      documents.openOnly.delete(file);
      const wasOnDisk = documents.dropDisk(file);
      const others = new Set([...session.index.removePolicy(file), ...session.index.removeClient(file)]);
      if (open) session.baselines.forget(file);
      else this.left(file);
      if (wasOnDisk && !open) this.client.publish(uri, undefined, []);
      return { others };
    }
    // Decided by name before reading: with the broad **/*.json watcher, most reports are of other JSON files.
    const name = session.workspaceRelative(file);
    if (isIgnoredPath(name)) return NOTHING;
    // A deployed snapshot is no policy of the workspace; the OIDC clients a pull wrote beside them are clients.
    const policy =
      !session.isSnapshot(file) && (isPolicyFileName(name) || documents.onDisk.has(file) || this.namedByConfig(file));
    if (!policy && !isOidcClientFileName(name)) return NOTHING;
    const text = await this.readText(file);
    if (text === undefined) return NOTHING;
    // From here on, what the watcher reported is newer than what a running scan read before.
    this.touched?.add(file);
    if (!policy) return { others: session.index.setClient(file, text) };
    documents.setDisk(file, text);
    // An open document speaks for itself, in the index and in the editor (its unsaved text).
    if (documents.isOpen(uri)) return NOTHING;
    return { self: uri, others: session.index.setPolicy(file, summarize(text)) };
  }
}
