// startServer(connection): declares capabilities and wires every LSP handler to a feature module. Handlers are one
// line each and run inside runSafe, so a failure is logged and never takes the server down.
import {
  CodeLensRefreshRequest,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  DocumentDiagnosticReportKind,
  FileChangeType,
  TextDocuments,
  TextDocumentSyncKind,
  type CodeLens,
  type Connection,
  type Diagnostic,
  type Disposable,
  type DocumentDiagnosticReport,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { CONFIG_FINDING } from './engine/config/analyze-config';
import { getRule } from './engine/rules/index';
import { AnalysisCache, fsPathOf, POLICY_LANGUAGE_ID, type DocumentAnalysis } from './documents';
import { getCodeActions } from './features/code-actions';
import { getConfigCompletions, getPolicyCompletions } from './features/completion';
import { DIAGNOSTIC_SOURCE, docsUrlOf, toDiagnostics } from './features/diagnostics';
import { getConfigHover, getPolicyHover } from './features/hover';
import { getDocumentSymbols, getFoldingRanges, getFormattingEdits } from './features/structure';
import { parse } from './engine/parse';
import { ConfigStore, isConfigFile, type LoadedConfig } from './project/config-store';
import {
  DocumentStatusRequest,
  FILL_SECRET_PLACEHOLDER_COMMAND,
  SHOW_POLICY_CLIENTS_COMMAND,
  RecordedFingerprintsNotification,
  SHOW_RULE_DOCUMENTATION_COMMAND,
  VERIFY_OWNER_SECRET_COMMAND,
  WorkspaceTrustNotification,
  type DocumentStatus,
  type InitializationOptions,
  type VerifyResult,
} from './protocol';
import { OwnerSecrets } from './owner-secrets';
import { verdictOf } from './engine/owner-secret/verdict';
import { credentialsOf } from './identity-cloud/live-checks';
import { getCodeLenses, getIdLenses } from './features/code-lens';
import { getPolicyActions, type PolicyActionEnv } from './features/policy-actions';
import { DeployedBaselines, baselineSpecOf, isDeployedSnapshot } from './deployed-baselines';
import { deployedSecretOf } from './engine/immutable/frozen-diff';
import { BaselineStore, relativeInside } from './project/baseline';
import { ConfigWatches } from './project/config-watches';
import { isOidcClientFileName, OIDC_CLIENT_PATTERNS } from './project/oidc-clients';
import { isIgnoredPath, isPolicyFileName, POLICY_FILE_PATTERNS } from './project/policy-files';
import { newPolicyNames } from './project/replacement';
import { entryOf, WorkspaceIndex } from './workspace-index';
import { PATHS } from './engine/policy/paths';
import type { Analysis } from './engine/analyze';
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { DEFAULT_SETTINGS, readSettings, SETTINGS_SECTION, type ServerSettings } from './settings';
import { SecretRedactor } from './shared/redact';
import { connectionLogger, formatError } from './util/logger';
import { packageVersion } from './util/package-root';
import { runSafe, runSafeNotification } from './util/run-safe';
import { systemClock, type Clock } from './util/clock';
import { LiveCheckService } from './identity-cloud/live-checks';

const DEFAULT_DEBOUNCE_MS = 150;

export interface ServerOptions {
  /** The time findings are judged by (grace periods); tests move it forward. */
  readonly clock?: Clock;
}

export function startServer(connection: Connection, options: ServerOptions = {}): void {
  const clock = options.clock ?? systemClock;
  const redactor = new SecretRedactor();
  const logger = connectionLogger(connection, redactor);
  const documents = new TextDocuments(TextDocument);
  const configs = new ConfigStore();
  const ownerSecrets = new OwnerSecrets(new LiveCheckService({ now: () => clock.now() }));
  const index = new WorkspaceIndex();
  let trusted = true;
  const baselines = new DeployedBaselines(new BaselineStore(), (file) => {
    // A baseline appeared or changed: its secret is masked from now on (it may sit under another key of the file,
    // moved or pasted), and the file is analysed again.
    redactor.add(deployedSecretOf(baselines.get(file)?.identityStoreDetails));
    const uri = URI.file(file).toString();
    cache.delete(uri);
    if (pullDiagnostics) refreshPulledDiagnostics();
    else validateSoon(uri);
  });
  const cache = new AnalysisCache(
    configs,
    (config, documentPath, settings) => ({
      ...ownerSecrets.factsFor(config, documentPath, settings.verify),
      ...(documentPath ? workspaceFacts(documentPath, config) : {}),
    }),
    () => clock.now(),
  );
  /** Policy files known from disk (the workspace scan) that are not open: their findings are pushed too. */
  const diskDocuments = new Map<string, TextDocument>();
  const settingsCache = new Map<string, Promise<ServerSettings>>();
  const timers = new Map<string, NodeJS.Timeout>();
  /** Config files whose diagnostics we pushed while they were not open. */
  const pushedConfigs = new Set<string>();
  let pullDiagnostics = false;
  let supportsConfiguration = false;
  let workspaceFolderEvents = false;
  let codeLensRefresh = false;
  let fileEdits = { create: false, annotations: false };
  /** Commands the client runs itself (InitializationOptions.clientCommands). */
  let clientCommands = new Set<string>();
  let workDoneProgress = false;
  let workspaceFolders: string[] = [];
  const registers = { configuration: false, watchedFiles: false };
  /** The client takes watchers relative to a folder (LSP 3.17 RelativePattern). */
  let relativePatterns = false;
  let debounceMs = DEFAULT_DEBOUNCE_MS;
  const reportedSettingProblems = new Set<string>();

  // ---- settings -------------------------------------------------------------------------------------------------

  const settingsFor = (uri: string): Promise<ServerSettings> => {
    if (!supportsConfiguration) return Promise.resolve(DEFAULT_SETTINGS);
    let pending = settingsCache.get(uri);
    if (!pending) {
      pending = connection.workspace.getConfiguration({ scopeUri: uri, section: SETTINGS_SECTION }).then(
        (raw: unknown) => {
          const { settings, problems } = readSettings(raw);
          for (const problem of problems) {
            if (!reportedSettingProblems.has(problem)) {
              reportedSettingProblems.add(problem);
              logger.warn(`Settings: ${problem}`);
            }
          }
          return settings;
        },
        (e: unknown) => {
          logger.warn(`Could not read settings: ${formatError(e)}`);
          return DEFAULT_SETTINGS;
        },
      );
      settingsCache.set(uri, pending);
    }
    return pending;
  };

  // ---- analysis ---------------------------------------------------------------------------------------------------

  const analysisOf = async (doc: TextDocument): Promise<DocumentAnalysis> => {
    const settings = await settingsFor(doc.uri);
    const current = documents.get(doc.uri) ?? doc;
    const result = cache.get(current, settings);
    if (result.kind === 'policy') {
      rememberSecrets(result);
      const file = fsPathOf(current.uri);
      if (file && !isSnapshot(file, result.config))
        baselines.refresh(file, result.analysis.model.string(PATHS.id), baselineSpecOf(result.config), trusted);
    }
    return result;
  };

  /** Cross-file facts and the deployed baseline of a file; none for a deployed snapshot (it is no policy file). */
  const workspaceFacts = (file: string, config: LoadedConfig | undefined) => {
    if (isSnapshot(file, config)) return {};
    const baseline = baselines.get(file);
    return { workspace: index.factsFor(file), ...(baseline ? { baseline } : {}) };
  };
  const isSnapshot = (file: string, config = configs.forFile(file)): boolean =>
    isDeployedSnapshot(file, baselineSpecOf(config));
  /** Policy files the scan or the file watcher found on disk. */
  const onDisk = new Set<string>();
  /** Policies in the index only because they are open (a policy by its content, outside the scanned patterns). */
  const openOnly = new Set<string>();

  /** The document for a uri: the open one, else the one read from disk by the workspace scan. */
  const documentOf = (uri: string): TextDocument | undefined => documents.get(uri) ?? diskDocuments.get(uri);

  /** Secrets seen in documents are masked in every later log line. */
  const rememberSecrets = (result: Extract<DocumentAnalysis, { kind: 'policy' }>): void => {
    const secret = result.analysis.model.string(['identityStoreDetails', 'connectionDetails', 'clientSecret']);
    redactor.add(secret);
  };

  const diagnosticsOf = (doc: TextDocument, result: DocumentAnalysis): Diagnostic[] => {
    switch (result.kind) {
      case 'policy':
        return [...toDiagnostics(doc, result.analysis.findings), ...brokenConfigNotice(result.config)];
      case 'config':
        return toDiagnostics(doc, result.config.findings);
      default:
        return [];
    }
  };

  /** A policy whose config is broken says so once, at its top, with a link to the config file. */
  const brokenConfigNotice = (config: LoadedConfig | undefined): Diagnostic[] => {
    if (!config || config.findings.length === 0) return [];
    publishConfigFindings(config);
    return [
      {
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        severity: 2,
        code: CONFIG_FINDING,
        codeDescription: { href: docsUrlOf(CONFIG_FINDING) },
        source: DIAGNOSTIC_SOURCE,
        message: `${config.path} has ${config.findings.length} problem(s); its rules and clients are ignored until it is fixed.`,
      },
    ];
  };

  /** Shows a broken config's problems on the config file even when it is not open. */
  const publishConfigFindings = (config: LoadedConfig): void => {
    const uri = URI.file(config.path).toString();
    if (documents.get(uri)) return;
    const doc = TextDocument.create(uri, 'jsonc', 0, config.text);
    pushedConfigs.add(uri);
    void connection.sendDiagnostics({ uri, diagnostics: toDiagnostics(doc, config.findings) });
  };

  /** Findings that change with the clock (a grace period ending) are refreshed without an edit. */
  const refreshTimers = new Map<string, () => void>();
  const cancelRefresh = (uri: string): void => {
    refreshTimers.get(uri)?.();
    refreshTimers.delete(uri);
  };
  const refreshWhenTimeMatters = (uri: string, result: DocumentAnalysis): void => {
    cancelRefresh(uri);
    if (result.kind !== 'policy') return;
    const verdict = verdictOf(result.analysis);
    if (verdict?.secret.kind !== 'rotated' || !verdict.secret.validUntil) return;
    // Hourly while "in N hours" counts down, and once more just after the grace period ends.
    const left = verdict.secret.validUntil.getTime() - clock.now().getTime();
    const delay = Math.max(1000, Math.min(left + 1000, 3_600_000));
    refreshTimers.set(
      uri,
      clock.after(delay, () => {
        refreshTimers.delete(uri);
        cache.delete(uri);
        validateSoon(uri);
      }),
    );
  };

  const validate = async (uri: string): Promise<void> => {
    const doc = documentOf(uri);
    if (!doc || pullDiagnostics) return;
    const result = await analysisOf(doc);
    const latest = documentOf(uri);
    if (!latest || latest.version !== result.version) return; // a newer version is on its way
    refreshWhenTimeMatters(uri, result);
    // Other files see an open document as it is being edited (its id, owner client and secret).
    const file = fsPathOf(uri);
    if (result.kind === 'policy' && !result.analysis.limit && file && documents.get(uri)) {
      if (!isSnapshot(file, result.config)) {
        if (!onDisk.has(file)) openOnly.add(file);
        const model = result.analysis.model;
        const entry = entryOf(latest.getText(), {
          id: model.string(PATHS.id),
          clientId: model.string(PATHS.clientId),
          secret: model.string(PATHS.clientSecret),
          title: model.string(['title']),
        });
        revalidateOthers(uri, index.updatePolicy(file, entry));
      }
    }
    // A version only for open documents: the scan's disk copies have none the editor knows.
    const version = documents.get(uri) ? latest.version : undefined;
    await connection.sendDiagnostics({ uri, version, diagnostics: diagnosticsOf(latest, result) });
  };

  const schedule = (uri: string, delay: number): void => {
    clearTimeout(timers.get(uri));
    timers.set(
      uri,
      setTimeout(() => {
        timers.delete(uri);
        runSafeNotification(logger, `validate ${uri}`, () => validate(uri));
      }, delay),
    );
  };

  /**
   * Facts changed under a document (its baseline arrived, a grace period ended): analyse it again at once, unless an
   * edit's validation is already waiting for the typing to pause. That one sees the new facts too, and running now
   * would cut the debounce short.
   */
  const validateSoon = (uri: string): void => {
    if (!timers.has(uri)) schedule(uri, 0);
  };

  /** Another file's id, owner client or secret changed: the cross-file findings of the rest may change. */
  const revalidateOthers = (except: string, files: readonly string[]): void => {
    if (pullDiagnostics) {
      for (const file of files) cache.delete(URI.file(file).toString());
      refreshPulledDiagnostics();
      return;
    }
    for (const file of files) {
      const uri = URI.file(file).toString();
      if (uri === except || !documentOf(uri)) continue;
      cache.delete(uri);
      schedule(uri, debounceMs);
    }
  };

  /** In pull mode the editor asks again; one refresh for a burst of changes. */
  let pullRefresh: NodeJS.Timeout | undefined;
  const refreshPulledDiagnostics = (): void => {
    clearTimeout(pullRefresh);
    pullRefresh = setTimeout(() => {
      connection.languages.diagnostics.refresh().catch(() => undefined);
    }, debounceMs);
  };

  /** Settings, a config or what is known about secrets changed: everything open is analysed again. */
  const revalidateAll = (): void => {
    cache.clear();
    if (codeLensRefresh) connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
    for (const uri of pushedConfigs) void connection.sendDiagnostics({ uri, diagnostics: [] });
    pushedConfigs.clear();
    if (pullDiagnostics) {
      connection.languages.diagnostics.refresh().catch(() => undefined);
      return;
    }
    for (const doc of documents.all()) validateSoon(doc.uri);
    for (const uri of diskDocuments.keys()) if (!documents.get(uri)) validateSoon(uri);
  };

  // ---- lifecycle --------------------------------------------------------------------------------------------------

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const options = (params.initializationOptions ?? {}) as InitializationOptions;
    const capabilities = params.capabilities;
    supportsConfiguration = capabilities.workspace?.configuration === true;
    workspaceFolderEvents = capabilities.workspace?.workspaceFolders === true;
    registers.configuration = capabilities.workspace?.didChangeConfiguration?.dynamicRegistration === true;
    registers.watchedFiles = capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    relativePatterns = capabilities.workspace?.didChangeWatchedFiles?.relativePatternSupport === true;
    pullDiagnostics = options.pullDiagnostics === true && capabilities.textDocument?.diagnostic !== undefined;
    if (typeof options.debounceMs === 'number' && options.debounceMs >= 0) debounceMs = options.debounceMs;
    trusted = options.workspaceTrusted !== false;
    ownerSecrets.setTrusted(trusted);
    const edits = capabilities.workspace?.workspaceEdit;
    fileEdits = {
      create: edits?.documentChanges === true && (edits.resourceOperations ?? []).includes('create'),
      annotations: edits?.changeAnnotationSupport !== undefined,
    };
    workDoneProgress = capabilities.window?.workDoneProgress === true;
    if (options.recordedFingerprints) ownerSecrets.setRecorded(options.recordedFingerprints);
    const commands: unknown = options.clientCommands;
    clientCommands = new Set(Array.isArray(commands) ? commands.filter((c): c is string => typeof c === 'string') : []);
    codeLensRefresh = capabilities.workspace?.codeLens?.refreshSupport === true;
    const folders =
      params.workspaceFolders?.map((f) => URI.parse(f.uri).fsPath) ??
      (params.rootUri ? [URI.parse(params.rootUri).fsPath] : []);
    configs.setBoundaries(folders);
    workspaceFolders = folders;
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        hoverProvider: true,
        completionProvider: { triggerCharacters: ['"', ':'] },
        codeActionProvider: { codeActionKinds: ['quickfix', 'refactor.rewrite'] },
        documentSymbolProvider: true,
        foldingRangeProvider: true,
        documentFormattingProvider: true,
        documentRangeFormattingProvider: true,
        executeCommandProvider: { commands: [SHOW_RULE_DOCUMENTATION_COMMAND, VERIFY_OWNER_SECRET_COMMAND] },
        codeLensProvider: { resolveProvider: false },
        ...(pullDiagnostics
          ? { diagnosticProvider: { interFileDependencies: true, workspaceDiagnostics: false } }
          : {}),
        ...(workspaceFolderEvents
          ? { workspace: { workspaceFolders: { supported: true, changeNotifications: true } } }
          : {}),
      },
      serverInfo: { name: 'login-policy-language-server', version: packageVersion() },
    };
  });

  connection.onInitialized(() => {
    runSafeNotification(logger, 'initialized', async () => {
      // Dynamic registrations only where the client says it accepts them; other clients still work, they just
      // send settings changes unasked (or not at all) and see config edits when files are reopened.
      if (registers.configuration) {
        await connection.client.register(DidChangeConfigurationNotification.type, { section: SETTINGS_SECTION });
      }
      if (registers.watchedFiles) {
        await connection.client.register(DidChangeWatchedFilesNotification.type, {
          watchers: [
            { globPattern: '**/.loginpolicyrc.json' },
            ...POLICY_FILE_PATTERNS.map((globPattern) => ({ globPattern })),
            ...OIDC_CLIENT_PATTERNS.map((globPattern) => ({ globPattern })),
            // A commit or checkout moves HEAD: what is deployed (the git baseline) may change.
            { globPattern: '**/.git/HEAD' },
            { globPattern: '**/.git/refs/**' },
          ],
        });
      }
      if (workspaceFolderEvents)
        connection.workspace.onDidChangeWorkspaceFolders((event) => {
          runSafeNotification(logger, 'workspace folders', () => {
            const folders = new Set(configs.boundaryList());
            for (const removed of event.removed) folders.delete(URI.parse(removed.uri).fsPath);
            for (const added of event.added) folders.add(URI.parse(added.uri).fsPath);
            configs.setBoundaries([...folders]);
            workspaceFolders = [...folders];
            // The scan drops files of removed folders and finds those of added ones.
            void scanWorkspace().catch((e: unknown) => logger.error(`Workspace scan failed: ${formatError(e)}`));
          });
        });
      void scanWorkspace().catch((e: unknown) => logger.error(`Workspace scan failed: ${formatError(e)}`));
      logger.info(
        `login-policy-language-server ${packageVersion()} ready (${pullDiagnostics ? 'pull' : 'push'} diagnostics, Node ${process.version})`,
      );
    });
  });

  connection.onDidChangeConfiguration(() =>
    runSafeNotification(logger, 'configuration change', () => {
      settingsCache.clear();
      revalidateAll();
    }),
  );

  connection.onDidChangeWatchedFiles((params) =>
    runSafeNotification(logger, 'watched files', async () => {
      let everything = false;
      let rescan = false;
      const affected: string[] = [];
      for (const change of params.changes) {
        const file = fsPathOf(change.uri);
        if (!file) continue;
        if (isConfigFile(file)) {
          configs.invalidate(file);
          logger.info(`Configuration changed: ${file}`);
          // Its `policies` globs or snapshot folder may have changed which files are policies.
          rescan = true;
        } else if (/[/\\]\.git[/\\]/.test(file) || isSnapshot(file)) {
          baselines.invalidate(); // HEAD moved or a snapshot changed: deployed versions may have changed
          everything = true;
        } else {
          affected.push(...(await indexFileFromDisk(file, change.type === FileChangeType.Deleted)));
        }
      }
      if (rescan) await scanWorkspace();
      else if (everything) revalidateAll();
      else if (affected.length > 0) revalidateOthers('', affected);
    }),
  );

  /**
   * Brings the index and the unopened-file diagnostics up to date with one file on disk. Returns the other files
   * whose cross-file findings may change.
   */
  const indexFileFromDisk = async (file: string, deleted: boolean): Promise<string[]> => {
    const uri = URI.file(file).toString();
    if (deleted) {
      onDisk.delete(file);
      openOnly.delete(file);
      baselines.forget(file);
      const affected = index.removePolicy(file);
      if (index.remove(file)) affected.push(...index.policyFiles()); // a client file: its policy's findings
      if (diskDocuments.delete(uri) && !documents.get(uri)) void connection.sendDiagnostics({ uri, diagnostics: [] });
      return affected;
    }
    // Decided by name before reading: with the broad **/*.json watcher, most reports are of other JSON files.
    const name = workspaceRelative(file);
    if (isIgnoredPath(name) || isSnapshot(file)) return [];
    const policy = isPolicyFileName(name) || onDisk.has(file) || configWatches.isPolicy(file);
    if (!policy && !isOidcClientFileName(name)) return [];
    const text = await readFile(file, 'utf8').catch(() => undefined);
    if (text === undefined) return [];
    if (policy) {
      onDisk.add(file);
      openOnly.delete(file);
      const affected = index.updatePolicy(file, text);
      diskDocuments.set(uri, TextDocument.create(uri, POLICY_LANGUAGE_ID, Date.now(), text));
      cache.delete(uri);
      if (!documents.get(uri)) schedule(uri, 0);
      return affected.filter((f) => f !== file);
    }
    // A client file: the hovers, lenses and clients-on-replaced-policy findings of policies may change.
    return index.setClient(file, text) ? index.policyFiles() : [];
  };

  /** The path as the workspace scan's globs see it: relative to its workspace folder, with forward slashes. */
  const workspaceRelative = (file: string): string => {
    for (const folder of workspaceFolders) {
      const relative = relativeInside(folder, file);
      if (relative !== undefined) return relative;
    }
    return file.split(path.sep).join('/');
  };

  /** The background scan: every policy and OIDC client file of the workspace, with a progress report. */
  const scanWorkspace = async (): Promise<void> => {
    // Watch first: a file that a config's globs name and that appears during the scan is then seen either way.
    watchConfigPaths();
    if (workspaceFolders.length === 0) return;
    const started = Date.now();
    // The watcher may add files while the scan runs; only those known before it can have stopped being policies.
    const knownBefore = new Set(onDisk);
    // A client that refuses the progress token still gets its scan, just without a progress bar.
    const progress = workDoneProgress
      ? await connection.window.createWorkDoneProgress().catch(() => undefined)
      : undefined;
    progress?.begin('Login policies', 0, 'Scanning the workspace…', false);
    const found = new Set(
      await index.scan(
        workspaceFolders,
        (folder) => configs.forDirectory(folder)?.config?.policies ?? [],
        (done, total) => progress?.report(Math.round((done / Math.max(total, 1)) * 100), `${done} of ${total} files`),
        (file) => isSnapshot(file),
      ),
    );
    // A rescan (the config changed): files that are no longer policies leave the index and the Problems panel.
    for (const file of onDisk) {
      if (found.has(file) || !knownBefore.has(file)) continue;
      onDisk.delete(file);
      const uri = URI.file(file).toString();
      diskDocuments.delete(uri);
      if (!documents.get(uri)) {
        index.remove(file);
        void connection.sendDiagnostics({ uri, diagnostics: [] });
      }
    }
    for (const file of found) {
      onDisk.add(file);
      const uri = URI.file(file).toString();
      if (!documents.get(uri))
        diskDocuments.set(uri, TextDocument.create(uri, POLICY_LANGUAGE_ID, 0, index.textOf(file)!));
    }
    progress?.done();
    logger.info(`Workspace scan: ${found.size} policy file(s) in ${Date.now() - started} ms.`);
    revalidateAll();
  };

  /** Watches what the configs add: their `policies` globs and snapshot folders (re-registered when they change). */
  let configWatches = new ConfigWatches([]);
  let configWatchRegistration: Promise<Disposable | undefined> = Promise.resolve(undefined);
  const watchConfigPaths = (): void => {
    const next = new ConfigWatches(
      workspaceFolders.map((folder) => {
        const config = configs.forDirectory(folder);
        const spec = baselineSpecOf(config);
        return {
          folder,
          policies: config?.config?.policies ?? [],
          snapshotDir: typeof spec === 'object' && 'dir' in spec ? spec.dir : undefined,
        };
      }),
    );
    if (next.key === configWatches.key) return;
    configWatches = next;
    if (!registers.watchedFiles) return;
    // Chained, so that a quick second change never leaves the older registration behind.
    configWatchRegistration = configWatchRegistration.then(async (previous) => {
      const watchers = next.watchers(relativePatterns);
      try {
        const registered =
          watchers.length > 0
            ? await connection.client.register(DidChangeWatchedFilesNotification.type, { watchers })
            : undefined;
        // Only now: a write while both exist is reported (once, by either), none falls between them.
        previous?.dispose();
        return registered;
      } catch (e) {
        logger.warn(`Could not watch the configs' policy globs: ${formatError(e)}`);
        return previous;
      }
    });
  };

  // ---- documents --------------------------------------------------------------------------------------------------

  /** Documents just opened: their first analysis runs at once, not after the typing debounce. */
  const justOpened = new Set<string>();
  documents.onDidOpen((event) =>
    runSafeNotification(logger, 'open', () => {
      trackConfigOverlay(event.document);
      if (pushedConfigs.delete(event.document.uri))
        void connection.sendDiagnostics({ uri: event.document.uri, diagnostics: [] });
      justOpened.add(event.document.uri);
      const file = fsPathOf(event.document.uri);
      // "The version first opened" is a baseline of last resort (no git, no snapshot folder).
      if (file) baselines.rememberFirstOpen(file, event.document.getText());
    }),
  );
  // TextDocuments fires this right after onDidOpen as well as on every edit.
  documents.onDidChangeContent((event) =>
    runSafeNotification(logger, 'change', () => {
      const uri = event.document.uri;
      if (justOpened.delete(uri)) {
        schedule(uri, 0);
        return;
      }
      if (trackConfigOverlay(event.document)) revalidateAll();
      schedule(uri, debounceMs);
    }),
  );
  documents.onDidClose((event) =>
    runSafeNotification(logger, 'close', () => {
      const uri = event.document.uri;
      clearTimeout(timers.get(uri));
      timers.delete(uri);
      cancelRefresh(uri);
      cache.delete(uri);
      const path = fsPathOf(uri);
      if (path && isConfigFile(path)) {
        configs.clearOverlay(path);
        revalidateAll();
      }
      if (path && onDisk.has(path)) {
        // Back to the file on disk: its findings stay in the Problems panel, without the unsaved edits.
        void indexFileFromDisk(path, false).then((affected) => revalidateOthers(uri, affected));
        return;
      }
      if (path && openOnly.delete(path)) {
        // In the index only while open: other files stop seeing it.
        baselines.forget(path);
        revalidateOthers(uri, index.removePolicy(path));
      }
      if (!pullDiagnostics) void connection.sendDiagnostics({ uri, diagnostics: [] });
    }),
  );

  /** An open config file's buffer is the config (edits apply as typed). Returns true for config files. */
  const trackConfigOverlay = (doc: TextDocument): boolean => {
    const path = fsPathOf(doc.uri);
    if (!path || !isConfigFile(path)) return false;
    configs.setOverlay(path, doc.getText());
    cache.clear();
    return true;
  };

  /** What the frozen-block actions need from the server: file names, client files, editor capabilities. */
  const policyActionEnv = (doc: TextDocument, analysis: Analysis): PolicyActionEnv => ({
    doc,
    analysis,
    canCreateFiles: fileEdits.create,
    changeAnnotations: fileEdits.annotations,
    canFillSecrets: clientCommands.has(FILL_SECRET_PLACEHOLDER_COMMAND),
    takenTitles: () => index.titles(),
    now: clock.now(),
    newPolicyUri: () => {
      const file = fsPathOf(doc.uri);
      if (!file) return undefined;
      for (const name of newPolicyNames(file)) {
        const candidate = path.join(path.dirname(file), name);
        const uri = URI.file(candidate).toString();
        if (!existsSync(candidate) && !documents.get(uri)) return uri;
      }
      return undefined;
    },
    clientsToRepoint: () => {
      // The analysis already knows which policy this one replaces: no need to summarise the workspace again.
      const replaced = analysis.facts.workspace?.replaces;
      if (!replaced) return [];
      return index.clientsUsing(replaced.id).flatMap(({ file: clientFile }) => {
        const uri = URI.file(clientFile).toString();
        const open = documents.get(uri);
        if (open) return [{ uri, text: open.getText(), version: open.version }];
        try {
          return [{ uri, text: readFileSync(clientFile, 'utf8') }];
        } catch {
          return [];
        }
      });
    },
  });

  // ---- requests ---------------------------------------------------------------------------------------------------

  const withDocument = <T>(
    uri: string,
    fallback: T,
    fn: (doc: TextDocument, result: DocumentAnalysis) => T | Promise<T>,
  ): Promise<T> => {
    const doc = documents.get(uri);
    return doc ? analysisOf(doc).then((result) => fn(documents.get(uri) ?? doc, result)) : Promise.resolve(fallback);
  };

  // Pull requests are cheap (a cache lookup) and not cancelled, so the report type stays simple.
  connection.languages.diagnostics.on(async (params): Promise<DocumentDiagnosticReport> => {
    const empty: DocumentDiagnosticReport = { kind: DocumentDiagnosticReportKind.Full, items: [] };
    const report = await runSafe(logger, 'diagnostics', empty, undefined, () =>
      withDocument(params.textDocument.uri, empty, (doc, result): DocumentDiagnosticReport => ({
        kind: DocumentDiagnosticReportKind.Full,
        items: diagnosticsOf(doc, result),
      })),
    );
    return report instanceof Error ? empty : report;
  });

  connection.onHover((params, token) =>
    runSafe(logger, 'hover', null, token, () =>
      withDocument(params.textDocument.uri, null, (doc, result) => {
        if (result.kind === 'policy') return getPolicyHover(doc, result.analysis, params.position);
        if (result.kind === 'config') return getConfigHover(doc, params.position);
        return null;
      }),
    ),
  );

  connection.onCompletion((params, token) =>
    runSafe(logger, 'completion', [], token, () =>
      withDocument(params.textDocument.uri, [], (doc, result) => {
        if (result.kind === 'policy') return getPolicyCompletions(doc, params.position);
        if (result.kind === 'config') return getConfigCompletions(doc, params.position);
        return [];
      }),
    ),
  );

  connection.onCodeAction((params, token) =>
    runSafe(logger, 'code actions', [], token, () =>
      withDocument(params.textDocument.uri, [], (doc, result) => {
        if (result.kind === 'policy') {
          return [
            ...getCodeActions(doc, result.analysis.findings, params),
            ...getPolicyActions(policyActionEnv(doc, result.analysis), params),
          ];
        }
        if (result.kind === 'config') return getCodeActions(doc, result.config.findings, params);
        return [];
      }),
    ),
  );

  connection.onDocumentSymbol((params, token) =>
    runSafe(logger, 'symbols', [], token, () =>
      withDocument(params.textDocument.uri, [], (doc, result) =>
        result.kind === 'other' ? [] : getDocumentSymbols(doc, treeOf(doc, result), (text) => redactor.redact(text)),
      ),
    ),
  );

  connection.onFoldingRanges((params, token) =>
    runSafe(logger, 'folding', [], token, () =>
      withDocument(params.textDocument.uri, [], (doc, result) => {
        if (result.kind === 'other') return [];
        const comments = result.kind === 'policy' ? result.analysis.parsed.comments : parse(doc.getText()).comments;
        return getFoldingRanges(doc, treeOf(doc, result), comments);
      }),
    ),
  );

  connection.onDocumentFormatting((params, token) =>
    runSafe(logger, 'formatting', [], token, () =>
      withDocument(params.textDocument.uri, [], (doc, result) =>
        result.kind === 'other' ? [] : getFormattingEdits(doc, params.options),
      ),
    ),
  );

  connection.onDocumentRangeFormatting((params, token) =>
    runSafe(logger, 'range formatting', [], token, () =>
      withDocument(params.textDocument.uri, [], (doc, result) =>
        result.kind === 'other' ? [] : getFormattingEdits(doc, params.options, params.range),
      ),
    ),
  );

  connection.onExecuteCommand((params, token) =>
    runSafe(logger, `command ${params.command}`, null, token, async () => {
      if (params.command === VERIFY_OWNER_SECRET_COMMAND)
        return verifyDocument(String(params.arguments?.[0] ?? ''), true);
      if (params.command !== SHOW_RULE_DOCUMENTATION_COMMAND) return null;
      const ruleId = String(params.arguments?.[0] ?? '');
      if (!getRule(ruleId) && ruleId !== CONFIG_FINDING) {
        logger.warn(`No documentation for unknown rule "${ruleId}".`);
        return null;
      }
      await connection.window.showDocument({ uri: docsUrlOf(ruleId), takeFocus: true });
      return null;
    }),
  );

  /** A live check of a policy's embedded credentials, then a fresh analysis with its result. */
  const verifyDocument = async (uri: string, force: boolean): Promise<VerifyResult> => {
    const doc = documents.get(uri);
    if (!doc) return { performed: false, reason: 'the document is not open' };
    const result = await analysisOf(doc);
    if (result.kind !== 'policy') return { performed: false, reason: 'not a login policy' };
    const settings = await settingsFor(uri);
    const outcome = await ownerSecrets.verify(result.analysis, settings.verify, force);
    logger.info(
      `Live check for ${uri}: ${outcome.performed ? `Capture answered: ${outcome.outcome ?? ''}` : `not made: ${outcome.reason ?? ''}`}`,
    );
    if (outcome.performed) revalidateAll();
    return outcome;
  };

  connection.onCodeLens((params, token) =>
    runSafe(logger, 'code lens', [], token, () =>
      withDocument(params.textDocument.uri, [] as CodeLens[], async (doc, result) => {
        if (result.kind !== 'policy') return [];
        const settings = await settingsFor(doc.uri);
        // The clients lens opens a picker only VS Code's side has; other editors see the clients in the id hover.
        const id = result.analysis.model.string(PATHS.id);
        const clientUris =
          id && clientCommands.has(SHOW_POLICY_CLIENTS_COMMAND)
            ? index.clientsUsing(id).map(({ file }) => URI.file(file).toString())
            : [];
        const idLenses = getIdLenses(doc, result.analysis, clientUris);
        if (ownerSecrets.whyNot(settings.verify)) return idLenses;
        const credentials = credentialsOf(result.analysis.model);
        const last = credentials && ownerSecrets.live.lastResult(credentials);
        return [...idLenses, ...getCodeLenses(doc, result.analysis, last, clock.now())];
      }),
    ),
  );

  connection.onNotification(RecordedFingerprintsNotification.type, (params) =>
    runSafeNotification(logger, 'recorded fingerprints', () => {
      ownerSecrets.setRecorded(params.clients);
      logger.info(`Recorded owner secrets known for ${params.clients.length} client(s).`);
      revalidateAll();
    }),
  );

  connection.onNotification(WorkspaceTrustNotification.type, (params) =>
    runSafeNotification(logger, 'workspace trust', () => {
      trusted = params.trusted;
      ownerSecrets.setTrusted(params.trusted);
      revalidateAll();
    }),
  );

  documents.onDidSave((event) =>
    runSafeNotification(logger, 'save', async () => {
      const settings = await settingsFor(event.document.uri);
      if (settings.verify.mode === 'onSave') await verifyDocument(event.document.uri, false);
    }),
  );

  connection.onRequest(DocumentStatusRequest.type, (params, token) =>
    runSafe(logger, 'document status', statusOf(undefined), token, () =>
      withDocument(params.uri, statusOf(undefined), (_doc, result) => statusOf(result)),
    ),
  );

  documents.listen(connection);
  connection.listen();
}

function treeOf(doc: TextDocument, result: DocumentAnalysis) {
  return result.kind === 'policy' ? result.analysis.fullTree() : parse(doc.getText()).root;
}

function statusOf(result: DocumentAnalysis | undefined): DocumentStatus {
  if (!result || result.kind === 'other') return { kind: 'other', errors: 0, warnings: 0, infos: 0 };
  const findings = result.kind === 'policy' ? result.analysis.findings : result.config.findings;
  const count = (severity: string): number => findings.filter((f) => f.severity === severity).length;
  return {
    kind: result.kind,
    ...(result.kind === 'policy' && result.config
      ? { configPath: result.config.path, configBroken: result.config.findings.length > 0 }
      : {}),
    errors: count('error'),
    warnings: count('warning'),
    infos: count('info') + count('hint'),
  };
}
