// The files the server asks the editor to watch: configs, policy and client files by name, git's HEAD and refs,
// and what each workspace folder's config adds (its `policies` globs and snapshot folder, registered again when
// they change, the new registration before the old one goes). Sorts each batch of reports by what it changes.
import {
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  type Disposable,
  type ProtocolNotificationType,
} from 'vscode-languageserver';
import { baselineSpecOf } from '../deployed-baselines';
import { fsPathOf } from '../documents';
import type { ClientCaps } from '../lsp/capabilities';
import type { ClientPort } from '../lsp/client-port';
import { isConfigFile } from '../project/config-store';
import { ConfigWatches } from '../project/config-watches';
import { OIDC_CLIENT_PATTERNS } from '../project/oidc-clients';
import { POLICY_FILE_PATTERNS } from '../project/policy-files';
import type { Session } from '../session/session';
import { SETTINGS_SECTION } from '../settings';
import { formatError } from '../util/logger';

/** A batch of watcher reports, sorted by what they change. */
export interface WatchedChanges {
  /** .loginpolicyrc.json files that changed. */
  readonly configs: string[];
  /** HEAD moved: deployed versions (git) may have changed. */
  readonly headMoved: boolean;
  /** Configs whose snapshot folder changed (a pull): what is deployed changed for every file under them. */
  readonly snapshotConfigs: string[];
  /** Other files: policies, clients (also those a pull wrote), or JSON the broad watcher reports. */
  readonly files: { readonly file: string; readonly deleted: boolean }[];
}

export class Watchers {
  private configWatches = new ConfigWatches([]);
  private registration: Promise<Disposable | undefined> = Promise.resolve(undefined);

  constructor(
    private readonly session: Session,
    private readonly client: ClientPort,
    private readonly caps: () => ClientCaps,
  ) {}

  /**
   * The fixed registrations, where the editor accepts them (others send changes unasked, or not at all). One the
   * editor refuses is logged and the rest goes on: the scan and the folder events do not depend on it.
   */
  async registerFixed(): Promise<void> {
    const caps = this.caps();
    if (caps.dynamicConfiguration) {
      await this.tryRegister('settings changes', DidChangeConfigurationNotification.type, {
        section: SETTINGS_SECTION,
      });
    }
    if (caps.dynamicWatchers) {
      await this.tryRegister('policy, client and config files', DidChangeWatchedFilesNotification.type, {
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
  }

  private async tryRegister<O>(what: string, type: ProtocolNotificationType<unknown, O>, options: O): Promise<void> {
    try {
      await this.client.register(type, options);
    } catch (e) {
      this.client.logger.warn(`Could not register for ${what}: ${formatError(e)}`);
    }
  }

  /** Watches what the folders' configs add (re-registered only when that changed). */
  watchConfigPaths(): void {
    const next = new ConfigWatches(
      this.session.folders().map((folder) => {
        const config = this.session.configs.forDirectory(folder);
        const spec = baselineSpecOf(config);
        return {
          folder,
          policies: config?.config?.policies ?? [],
          snapshotDir: typeof spec === 'object' && 'dir' in spec ? spec.dir : undefined,
        };
      }),
    );
    if (next.key === this.configWatches.key) return;
    this.configWatches = next;
    const caps = this.caps();
    if (!caps.dynamicWatchers) return;
    // Chained, so that a quick second change never leaves the older registration behind.
    this.registration = this.registration.then(async (previous) => {
      const watchers = next.watchers(caps.relativePatterns);
      try {
        const registered =
          watchers.length > 0
            ? await this.client.register(DidChangeWatchedFilesNotification.type, { watchers })
            : undefined;
        // Only now: a write while both exist is reported (once, by either), none falls between them.
        previous?.dispose();
        return registered;
      } catch (e) {
        this.client.logger.warn(`Could not watch the configs' policy globs: ${formatError(e)}`);
        return previous;
      }
    });
  }

  /** True for a file that a config's `policies` globs name. */
  namedByConfig(file: string): boolean {
    return this.configWatches.isPolicy(file);
  }

  /** Sorts a batch of reports. */
  sort(changes: readonly { readonly uri: string; readonly type: number }[], deletedType: number): WatchedChanges {
    const configs: string[] = [];
    const snapshotConfigs = new Set<string>();
    const files: { file: string; deleted: boolean }[] = [];
    let headMoved = false;
    for (const change of changes) {
      const file = fsPathOf(change.uri);
      if (!file) continue;
      if (isConfigFile(file)) configs.push(file);
      else if (/[/\\]\.git[/\\]/.test(file)) headMoved = true;
      else {
        const snapshotOf = this.session.snapshotConfigOf(file);
        if (snapshotOf) snapshotConfigs.add(snapshotOf.path);
        files.push({ file, deleted: change.type === deletedType });
      }
    }
    return { configs, headMoved, snapshotConfigs: [...snapshotConfigs], files };
  }
}
