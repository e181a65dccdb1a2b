// The editor's notifications, each handled in a fixed order by the parts of the server: initialize, the settings,
// trust and recorded fingerprints, documents opened, edited, closed and saved, watched files and workspace folders.
// Changes are recorded in the session first; then the diagnostics channel is told what to analyse again.
import path from 'node:path';
import { FileChangeType, type InitializeParams, type InitializeResult } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { PullChannel, PushChannel } from '../diagnostics/channel';
import { fsPathOf } from '../documents';
import { isConfigFile } from '../project/config-store';
import { relativeInside } from '../project/baseline';
import { RecordedFingerprintsNotification, WorkspaceTrustNotification, type InitializationOptions } from '../protocol';
import { formatError } from '../util/logger';
import { packageVersion } from '../util/package-root';
import { runSafeNotification } from '../util/run-safe';
import { verifyDocument } from './commands';
import { clientCapsOf, serverCapabilitiesFor } from './capabilities';
import type { ServerParts } from './parts';

export function registerLifecycle(parts: ServerParts): void {
  const { connection, logger, session, documents, analyzer, watchers, scan } = parts;
  const urisOf = (files: Iterable<string>) => [...files].map((file) => URI.file(file).toString());

  // ---- initialize ---------------------------------------------------------------------------------------------

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const options = (params.initializationOptions ?? {}) as InitializationOptions;
    const caps = clientCapsOf(params);
    parts.caps = caps;
    parts.channel = caps.pullDiagnostics
      ? new PullChannel(parts.client, documents, analyzer, parts.report, parts.scheduler, caps.debounceMs)
      : new PushChannel(parts.client, documents, analyzer, parts.report, parts.scheduler);
    session.setTrusted(options.workspaceTrusted !== false);
    if (options.recordedFingerprints) session.ownerSecrets.setRecorded(options.recordedFingerprints);
    session.setFolders(
      params.workspaceFolders?.map((f) => URI.parse(f.uri).fsPath) ??
        (params.rootUri ? [URI.parse(params.rootUri).fsPath] : []),
    );
    return {
      capabilities: serverCapabilitiesFor(caps),
      serverInfo: { name: 'login-policy-language-server', version: packageVersion() },
    };
  });

  /**
   * Scans the workspace (watching what the configs add first), then analyses everything again. A scan that a newer
   * one superseded leaves that to the newer one.
   */
  const rescan = async (): Promise<void> => {
    // Watch first: a file that a config's globs name and that appears during the scan is then seen either way.
    watchers.watchConfigPaths();
    if (await scan.run()) parts.channel.refreshAll();
  };
  const rescanSafely = () =>
    void rescan().catch((e: unknown) => logger.error(`Workspace scan failed: ${formatError(e)}`));
  /** A config changed in the editor (saved, or closed unsaved): a scan when which files are policies changed. */
  const rescanIfShapeChanged = (configPath: string) => {
    if (scan.shapeChanged(configPath)) rescanSafely();
  };

  connection.onInitialized(() => {
    runSafeNotification(logger, 'initialized', async () => {
      await watchers.registerFixed();
      if (parts.caps.folderEvents) {
        connection.workspace.onDidChangeWorkspaceFolders((event) => {
          runSafeNotification(logger, 'workspace folders', () => {
            const folders = new Set(session.folders());
            for (const removed of event.removed) folders.delete(URI.parse(removed.uri).fsPath);
            for (const added of event.added) folders.add(URI.parse(added.uri).fsPath);
            session.setFolders([...folders]);
            // The scan drops files of removed folders and finds those of added ones.
            rescanSafely();
          });
        });
      }
      rescanSafely();
      logger.info(
        `login-policy-language-server ${packageVersion()} ready (${parts.channel.pull ? 'pull' : 'push'} diagnostics, Node ${process.version})`,
      );
    });
  });

  // ---- settings, trust, what is known about secrets ------------------------------------------------------------

  connection.onDidChangeConfiguration((params) =>
    runSafeNotification(logger, 'configuration change', () => {
      parts.settings.changed(params.settings);
      parts.channel.refreshAll();
    }),
  );

  connection.onNotification(RecordedFingerprintsNotification.type, (params) =>
    runSafeNotification(logger, 'recorded fingerprints', () => {
      session.ownerSecrets.setRecorded(params.clients);
      logger.info(`Recorded owner secrets known for ${params.clients.length} client(s).`);
      parts.channel.refreshAll();
    }),
  );

  connection.onNotification(WorkspaceTrustNotification.type, (params) =>
    runSafeNotification(logger, 'workspace trust', () => {
      session.setTrusted(params.trusted);
      parts.channel.refreshAll();
    }),
  );

  // ---- documents ------------------------------------------------------------------------------------------------

  /** The documents under a config's folder: what a change of that config can affect. */
  const underConfig = (configPath: string): string[] => {
    const dir = path.dirname(configPath);
    const inside = (uri: string) => {
      const file = fsPathOf(uri);
      return file !== undefined && relativeInside(dir, file) !== undefined;
    };
    return [...documents.open.all().map((doc) => doc.uri), ...documents.unopenedDiskUris()].filter(inside);
  };

  /** An open config file's buffer is the config (edits apply as typed). Returns true for config files. */
  const trackConfigOverlay = (doc: TextDocument): boolean => {
    const file = fsPathOf(doc.uri);
    if (!file || !isConfigFile(file)) return false;
    session.configs.setOverlay(file, doc.getText());
    parts.channel.refreshLater(underConfig(file));
    return true;
  };

  /** Documents just opened: their first analysis runs at once, not after the typing debounce. */
  const justOpened = new Set<string>();
  documents.open.onDidOpen((event) =>
    runSafeNotification(logger, 'open', () => {
      trackConfigOverlay(event.document);
      parts.report.configOpened(event.document.uri);
      justOpened.add(event.document.uri);
      const file = fsPathOf(event.document.uri);
      // "The version first opened" is a baseline of last resort (no git, no snapshot folder).
      if (file) session.baselines.rememberFirstOpen(file, event.document.getText());
    }),
  );

  // TextDocuments fires this right after onDidOpen as well as on every edit.
  documents.open.onDidChangeContent((event) =>
    runSafeNotification(logger, 'change', () => {
      const uri = event.document.uri;
      if (justOpened.delete(uri)) {
        parts.channel.edited(uri, true);
        return;
      }
      trackConfigOverlay(event.document);
      parts.channel.edited(uri, false);
    }),
  );

  documents.open.onDidClose((event) =>
    runSafeNotification(logger, 'close', async () => {
      const uri = event.document.uri;
      parts.scheduler.cancel(uri);
      analyzer.closed(uri);
      const file = fsPathOf(uri);
      if (file && isConfigFile(file)) {
        // Its unsaved edits are gone: the file on disk is the config again.
        session.configs.clearOverlay(file);
        parts.channel.refreshLater(underConfig(file));
        rescanIfShapeChanged(file);
      }
      if (file && documents.onDisk.has(file)) {
        // Back to the file on disk: its findings stay in the Problems panel, without the unsaved edits.
        const change = await scan.fileChanged(file, false);
        if (change.self) parts.channel.refresh(change.self);
        parts.channel.refreshLater(urisOf(change.others));
        return;
      }
      // In the index only while open: other files stop seeing it.
      if (file && documents.openOnly.delete(file)) parts.channel.refreshLater(urisOf(session.index.removePolicy(file)));
      analyzer.forgotten(uri);
      parts.channel.cleared(uri);
    }),
  );

  documents.open.onDidSave((event) =>
    runSafeNotification(logger, 'save', async () => {
      const file = fsPathOf(event.document.uri);
      // The buffer was the config all along; saved, it may name other files (an editor may report no file change).
      if (file && isConfigFile(file)) return rescanIfShapeChanged(file);
      const settings = await parts.settings.settingsFor(event.document.uri);
      if (settings.verify.mode === 'onSave') await verifyDocument(parts, event.document.uri, false);
    }),
  );

  // ---- files on disk --------------------------------------------------------------------------------------------

  connection.onDidChangeWatchedFiles((params) =>
    runSafeNotification(logger, 'watched files', async () => {
      const changes = watchers.sort(params.changes, FileChangeType.Deleted);
      let needsScan = false;
      const configDocuments = new Set<string>();
      for (const config of changes.configs) {
        session.configs.invalidate(config);
        logger.info(`Configuration changed: ${config}`);
        // Which files are policies changes only with the `policies` globs or the snapshot folder. Compared with what
        // the latest scan went by: an open config's buffer was the config before the file changed, too.
        if (scan.shapeChanged(config)) needsScan = true;
        for (const uri of underConfig(config)) configDocuments.add(uri);
      }
      // Problems pushed for a config file that is not open come back from the policies' new analyses, if still there.
      if (changes.configs.length > 0) parts.report.clearConfigProblems();
      if (changes.headMoved || changes.snapshotConfigs.length > 0) session.baselines.refreshAll(session.trusted);
      // A pull rewrote a snapshot folder: which ids are deployed, and when that was pulled, changed for every file
      // under its config, not only for those whose deployed text changed.
      for (const config of changes.snapshotConfigs) for (const uri of underConfig(config)) configDocuments.add(uri);
      const others = new Set<string>();
      for (const { file, deleted } of changes.files) {
        const change = await scan.fileChanged(file, deleted);
        if (change.self) parts.channel.refresh(change.self);
        for (const other of change.others) others.add(other);
      }
      if (needsScan) await rescan();
      else {
        watchers.watchConfigPaths();
        parts.channel.refreshLater([...configDocuments, ...urisOf(others)]);
      }
    }),
  );
}
