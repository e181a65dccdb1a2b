// A stand-in for the `vscode` module, so that client modules which only need output channels (client/src/log.ts),
// build code actions (client/src/rotation-code-actions.ts) or show notifications (client/src/notify.ts, the commands'
// boundary) run under node:test. Importing this file makes `require('vscode')` resolve to it: the real module exists
// only inside the extension host. Import it before any client module.
import Module from 'node:module';
import type * as vscode from 'vscode';
import type { Tracer } from 'vscode-languageserver-protocol';

/** An output channel that keeps every line written to it: what a user would read in the Output panel. */
export class RecordingChannel implements vscode.LogOutputChannel {
  readonly lines: string[] = [];
  /** Trace: the level at which the language client writes message traces. */
  readonly logLevel: vscode.LogLevel = LogLevel.Trace;
  readonly onDidChangeLogLevel: vscode.Event<vscode.LogLevel> = () => ({ dispose: () => undefined });

  constructor(readonly name: string) {}

  get text(): string {
    return this.lines.join('\n');
  }

  append(value: string): void {
    this.lines.push(value);
  }
  appendLine(value: string): void {
    this.lines.push(value);
  }
  replace(value: string): void {
    this.lines.splice(0, this.lines.length, value);
  }
  clear(): void {
    this.lines.length = 0;
  }
  trace(message: string, ...args: unknown[]): void {
    this.write('trace', message, args);
  }
  debug(message: string, ...args: unknown[]): void {
    this.write('debug', message, args);
  }
  info(message: string, ...args: unknown[]): void {
    this.write('info', message, args);
  }
  warn(message: string, ...args: unknown[]): void {
    this.write('warning', message, args);
  }
  error(error: string | Error, ...args: unknown[]): void {
    this.write('error', typeof error === 'string' ? error : `${error.name}: ${error.message}`, args);
  }
  show(): void {}
  hide(): void {}
  dispose(): void {}

  private write(level: string, message: string, args: unknown[]): void {
    this.lines.push([`[${level}] ${message}`, ...args.map(String)].join(' '));
  }
}

/** The parts of `vscode` the stubbed client modules use. */
export const LogLevel = { Off: 0, Trace: 1, Debug: 2, Info: 3, Warning: 4, Error: 5 } as const;

/** Every channel a client module created, in order. */
export const createdChannels: RecordingChannel[] = [];

/** A notification as the user would see it: its level, its text, and its options and buttons. */
export interface ShownMessage {
  readonly level: 'error' | 'warning' | 'information';
  readonly message: string;
  readonly rest: readonly unknown[];
}

/** Every notification shown, in order; each is dismissed (answers undefined). */
export const shownMessages: ShownMessage[] = [];

const notification =
  (level: ShownMessage['level']) =>
  (message: string, ...rest: unknown[]): Promise<undefined> => {
    shownMessages.push({ level, message, rest });
    return Promise.resolve(undefined);
  };

/** No editor is active unless a test says so (a getter that throws stands for an editor API that fails). */
export const window: { activeTextEditor: unknown } & Record<string, unknown> = {
  activeTextEditor: undefined,
  createOutputChannel(name: string): RecordingChannel {
    const channel = new RecordingChannel(name);
    createdChannels.push(channel);
    return channel;
  },
  showErrorMessage: notification('error'),
  showWarningMessage: notification('warning'),
  showInformationMessage: notification('information'),
};

/** Workspace trust, as a test sets it (VS Code's is read-only); no folder is open unless a test says so. */
export const workspace: {
  isTrusted: boolean;
  workspaceFolders: readonly unknown[] | undefined;
  getWorkspaceFolder: (uri: unknown) => unknown;
} = { isTrusted: true, workspaceFolders: undefined, getWorkspaceFolder: () => undefined };

/** A file URI: what a client module builds before asking the workspace about it. */
export class Uri {
  private constructor(
    readonly scheme: string,
    readonly fsPath: string,
  ) {}
  static file(fsPath: string): Uri {
    return new Uri('file', fsPath);
  }
  toString(): string {
    return `${this.scheme}://${this.fsPath}`;
  }
}

export const CodeActionKind = { QuickFix: 'quickfix' } as const;

/** A code action as a provider returns it: what a test reads of one. */
export class CodeAction {
  diagnostics?: unknown[];
  command?: { command: string; title: string; arguments?: unknown[] };
  constructor(
    readonly title: string,
    readonly kind?: string,
  ) {}
}

/**
 * The tracer vscode-languageclient hands to vscode-jsonrpc (BaseLanguageClient's `_tracer`): each traced message,
 * with its data on the next line, as one `trace` call on the trace output channel.
 */
export function languageClientTracer(channel: vscode.LogOutputChannel): Tracer {
  return {
    log(message: unknown, data?: string): void {
      if (typeof message !== 'string') channel.trace(JSON.stringify(message));
      else channel.trace(data === undefined ? message : `${message}\n${data}`);
    },
  };
}

// Node's resolver is told that the request "vscode" names this file. Only that exact request is redirected.
type Resolve = (this: unknown, request: string, ...rest: unknown[]) => string;
const loader = Module as unknown as { _resolveFilename: Resolve };
const resolve = loader._resolveFilename;
loader._resolveFilename = function (request, ...rest) {
  return request === 'vscode' ? __filename : resolve.call(this, request, ...rest);
};
