// One real language server (server/dist/server.js --stdio) over a workspace folder, spoken to as an editor does:
// push diagnostics, settings, work done progress. Each phase waits for published diagnostics; a crash or a phase
// over its time limit ends the session with a reason (PhaseFailure) instead of hanging.
import { spawn, type ChildProcess } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type ProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { deathOf, nodeFlags, procUsage, reportedUsage } from './child';

export interface SessionOptions {
  readonly serverPath: string;
  readonly folder: string;
  readonly heapMb: number;
  /** Limit of each phase (the full pass, one series of edits). */
  readonly timeoutMs: number;
}

/** A phase did not complete: the server died, or it took longer than the limit (the server is then stopped). */
export class PhaseFailure extends Error {}

/** What the editor sends for the "loginPolicy" section: the defaults. */
const SETTINGS = { rules: {}, detectByContent: true, verify: { mode: 'off' } };

/** What VS Code declares that changes the server's work: settings per document, watchers, progress, versions. */
const CAPABILITIES = {
  workspace: {
    configuration: true,
    workspaceFolders: true,
    didChangeConfiguration: { dynamicRegistration: true },
    didChangeWatchedFiles: { dynamicRegistration: true, relativePatternSupport: true },
  },
  textDocument: {
    publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true },
  },
  window: { workDoneProgress: true },
};

interface Phase {
  readonly onPublish: (p: PublishDiagnosticsParams, at: number) => void;
  readonly done: () => boolean;
  readonly resolve: (at: number) => void;
  readonly reject: (e: Error) => void;
}

export interface FullPass {
  /** spawn → the last policy's first diagnostics after the scan ended. */
  readonly ms: number;
  /** The server's CPU time (user + system) by then: far less disturbed by other processes than wall time. */
  readonly cpuMs: number | undefined;
  /** What the server logged: "Workspace scan: N policy file(s) in X ms". */
  readonly scanFiles: number | undefined;
  readonly scanMs: number | undefined;
  readonly published: number;
  /** Diagnostics by rule id over every policy's latest publish: the pass did real work. */
  readonly byRule: Record<string, number>;
}

export class ServerSession {
  private readonly started = performance.now();
  private readonly connection: ProtocolConnection;
  private stderr = '';
  private phase: Phase | undefined;
  private failure: string | undefined;
  private scanEnded = false;
  private scanLog: { files: number; ms: number } | undefined;
  private polledPeak = 0;
  private stopping = false;
  private stopped: Promise<number | undefined> | undefined;
  private readonly poll: NodeJS.Timeout;

  private constructor(
    private readonly child: ChildProcess,
    private readonly options: SessionOptions,
  ) {
    this.connection = createProtocolConnection(
      new StreamMessageReader(child.stdout!),
      new StreamMessageWriter(child.stdin!),
    );
    child.stderr!.on('data', (d: Buffer) => (this.stderr += String(d)));
    child.on('exit', (code, signal) => {
      if (!this.stopping) this.fail(deathOf(code, signal, this.stderr));
    });
    // Errors on a dead pipe are reported by the exit above.
    this.connection.onError(() => undefined);
    this.connection.onClose(() => undefined);
    this.poll = setInterval(() => this.peakRss(), 250);
    this.poll.unref();
    this.listen();
  }

  static async start(options: SessionOptions): Promise<ServerSession> {
    const child = spawn(process.execPath, [...nodeFlags(options.heapMb), options.serverPath, '--stdio'], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const session = new ServerSession(child, options);
    const rootUri = pathToFileURL(options.folder).href;
    await session.guard(
      session.connection.sendRequest('initialize', {
        processId: process.pid,
        rootUri,
        workspaceFolders: [{ uri: rootUri, name: 'workspace' }],
        capabilities: CAPABILITIES,
        // No debounce: an edit's time is the server's work, not its wait for the typing to pause.
        initializationOptions: { debounceMs: 0 },
      }),
    );
    await session.connection.sendNotification('initialized', {});
    return session;
  }

  private listen(): void {
    const c = this.connection;
    c.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      this.phase?.onPublish(p, performance.now());
      this.check();
    });
    c.onNotification('$/progress', (p: { value: { kind: string } }) => {
      if (p.value.kind === 'end') this.endScan();
    });
    c.onNotification('window/logMessage', (p: { message: string }) => {
      const m = /Workspace scan: (\d+) policy file\(s\) in (\d+) ms/.exec(p.message);
      if (!m) return;
      this.scanLog = { files: Number(m[1]), ms: Number(m[2]) };
      this.endScan();
    });
    c.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => SETTINGS));
    c.onRequest('window/workDoneProgress/create', () => null);
    c.onRequest('client/registerCapability', () => null);
    c.onRequest('client/unregisterCapability', () => null);
    c.onRequest('workspace/codeLens/refresh', () => null);
    c.listen();
  }

  private endScan(): void {
    this.scanEnded = true;
    this.check();
  }

  private check(): void {
    const phase = this.phase;
    if (phase?.done()) {
      this.phase = undefined;
      phase.resolve(performance.now());
    }
  }

  /** Ends the session: the current phase (if any) fails with `reason`, the server is stopped. */
  private fail(reason: string, timedOut = false): void {
    const after = timedOut ? '' : ` after ${((performance.now() - this.started) / 1000).toFixed(0)} s`;
    this.failure ??= `${reason}${after}`;
    clearInterval(this.poll);
    const phase = this.phase;
    this.phase = undefined;
    phase?.reject(new PhaseFailure(this.failure));
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }

  /** A request's answer, unless the server dies first. */
  private guard<T>(promise: Promise<T>): Promise<T> {
    return Promise.race([
      promise,
      new Promise<never>((_, reject) => this.child.once('exit', () => reject(new PhaseFailure(this.failure ?? '')))),
    ]);
  }

  /** Runs `send` and waits, within the time limit, until `done` holds after some publish; resolves with that time. */
  private until(what: string, onPublish: Phase['onPublish'], done: () => boolean, send?: () => void): Promise<number> {
    if (this.failure) return Promise.reject(new PhaseFailure(this.failure));
    return new Promise<number>((resolve, reject) => {
      const limit = this.options.timeoutMs;
      const timer = setTimeout(() => this.fail(`timed out (${what} took over ${limit / 1000} s)`, true), limit);
      const settle =
        <T>(fn: (v: T) => void) =>
        (v: T) => {
          clearTimeout(timer);
          fn(v);
        };
      this.phase = { onPublish, done, resolve: settle(resolve), reject: settle(reject) };
      send?.();
      this.check();
    });
  }

  /** spawn → every policy in `expected` has diagnostics published after the scan ended. */
  async fullPass(expected: readonly string[]): Promise<FullPass> {
    const wanted = new Set(expected);
    const after = new Map<string, readonly string[]>();
    let duringScan = 0;
    const at = await this.until(
      'the full pass',
      (p) => {
        if (!wanted.has(p.uri)) return;
        if (!this.scanEnded) duringScan++;
        else
          after.set(
            p.uri,
            p.diagnostics.map((d) => String(d.code)),
          );
      },
      () => this.scanEnded && after.size === wanted.size,
    ).catch((e: unknown) => {
      // A server that publishes while it scans and not again after is told apart from one that never finished.
      const note = duringScan > 0 ? `; ${duringScan} publish(es) came before the scan ended` : '';
      const counts = `${after.size.toLocaleString('en-US')} of ${wanted.size.toLocaleString('en-US')} published`;
      throw e instanceof PhaseFailure ? new PhaseFailure(`${e.message} (${counts}${note})`) : e;
    });
    const byRule: Record<string, number> = {};
    for (const codes of after.values()) for (const code of codes) byRule[code] = (byRule[code] ?? 0) + 1;
    return {
      ms: at - this.started,
      cpuMs: procUsage(this.child.pid).cpuMs,
      scanFiles: this.scanLog?.files,
      scanMs: this.scanLog?.ms,
      published: after.size,
      byRule,
    };
  }

  /** Opens a document (as the editor does when a tab opens) and waits for its first diagnostics. */
  open(uri: string, text: string): Promise<number> {
    return this.timed(uri, 1, 'opening a document', () =>
      this.connection.sendNotification('textDocument/didOpen', {
        textDocument: { uri, languageId: 'login-policy', version: 1, text },
      }),
    );
  }

  /** didChange (whole text) → the publish for that version, in ms. */
  edit(uri: string, text: string, version: number): Promise<number> {
    return this.timed(uri, version, 'an edit', () => this.change(uri, text, version));
  }

  /**
   * An edit that changes what other files see (the embedded secret): didChange → its own publish and a publish
   * with `rule` for every file of `affected`. Returns both times in ms.
   */
  async editAffecting(
    uri: string,
    text: string,
    version: number,
    affected: readonly string[],
    rule: string,
  ): Promise<{ ownMs: number; allMs: number }> {
    const waiting = new Set(affected);
    let own: number | undefined;
    const sent = performance.now();
    const at = await this.until(
      `re-publishing ${affected.length} affected files`,
      (p, time) => {
        if (p.uri === uri && p.version === version) own = time;
        else if (waiting.has(p.uri) && p.diagnostics.some((d) => d.code === rule)) waiting.delete(p.uri);
      },
      () => own !== undefined && waiting.size === 0,
      () => void this.change(uri, text, version),
    );
    return { ownMs: own! - sent, allMs: at - sent };
  }

  private change(uri: string, text: string, version: number): Promise<void> {
    return this.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: [{ text }],
    });
  }

  private async timed(uri: string, version: number, what: string, send: () => Promise<void>): Promise<number> {
    let published = false;
    const sent = performance.now();
    const at = await this.until(
      what,
      (p) => (published ||= p.uri === uri && p.version === version),
      () => published,
      () => void send(),
    );
    return at - sent;
  }

  /** The server's peak RSS so far (bytes), from /proc while it runs, else what it reported at exit. */
  peakRss(): number | undefined {
    const now = procUsage(this.child.pid).peakRssBytes;
    if (now !== undefined) this.polledPeak = Math.max(this.polledPeak, now);
    return this.polledPeak || reportedUsage(this.stderr).peakRssBytes;
  }

  /** shutdown + exit (once); resolves with the peak RSS over the whole session. */
  stop(): Promise<number | undefined> {
    this.stopped ??= this.shutdown();
    return this.stopped;
  }

  private async shutdown(): Promise<number | undefined> {
    if (!this.failure) {
      this.peakRss();
      this.stopping = true;
      const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
      try {
        await this.guard(this.connection.sendRequest('shutdown'));
        await this.connection.sendNotification('exit');
      } catch {
        // it died on the way out: its peak is known from /proc
      }
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    clearInterval(this.poll);
    this.connection.dispose();
    return this.polledPeak || reportedUsage(this.stderr).peakRssBytes;
  }
}
