// The editor's settings per document (section "loginPolicy"), read with workspace/configuration and cached until
// they change. Problems in them are logged once each; an editor that cannot be asked gets the defaults.
import type { ClientPort } from '../lsp/client-port';
import { DEFAULT_SETTINGS, readSettings, SETTINGS_SECTION, type ServerSettings } from '../settings';
import { formatError } from '../util/logger';

export class SettingsCache {
  private readonly cache = new Map<string, Promise<ServerSettings>>();
  private readonly reported = new Set<string>();

  constructor(
    private readonly client: ClientPort,
    /** Whether the editor answers workspace/configuration (known after initialize). */
    private readonly canAsk: () => boolean,
  ) {}

  settingsFor(uri: string): Promise<ServerSettings> {
    if (!this.canAsk()) return Promise.resolve(DEFAULT_SETTINGS);
    let pending = this.cache.get(uri);
    if (!pending) {
      pending = this.client.configuration(uri, SETTINGS_SECTION).then(
        (raw) => this.read(raw),
        (e: unknown) => {
          this.client.logger.warn(`Could not read settings: ${formatError(e)}`);
          return DEFAULT_SETTINGS;
        },
      );
      this.cache.set(uri, pending);
    }
    return pending;
  }

  clear(): void {
    this.cache.clear();
  }

  private read(raw: unknown): ServerSettings {
    const { settings, problems } = readSettings(raw);
    for (const problem of problems) {
      if (this.reported.has(problem)) continue;
      this.reported.add(problem);
      this.client.logger.warn(`Settings: ${problem}`);
    }
    return settings;
  }
}
