// The editor's settings per document (section "loginPolicy"), from whichever source the editor uses: asked for with
// workspace/configuration where the editor answers it, else the last settings it sent with
// workspace/didChangeConfiguration, else those of initializationOptions. Cached until they change; problems in them
// are logged once each; an editor that gives none gets the defaults.
import type { ClientPort } from '../lsp/client-port';
import { DEFAULT_SETTINGS, readSettings, sectionOf, SETTINGS_SECTION, type ServerSettings } from '../settings';
import { formatError } from '../util/logger';

export class SettingsCache {
  private readonly cache = new Map<string, Promise<ServerSettings>>();
  private readonly reported = new Set<string>();
  /** The section the editor last sent with workspace/didChangeConfiguration, if it sent one. */
  private pushed: unknown;

  constructor(
    private readonly client: ClientPort,
    /** Whether the editor answers workspace/configuration (known after initialize). */
    private readonly canAsk: () => boolean,
    /** The section sent with initialize (InitializationOptions.settings), known after initialize. */
    private readonly initial: () => unknown,
  ) {}

  settingsFor(uri: string): Promise<ServerSettings> {
    let pending = this.cache.get(uri);
    if (!pending) {
      pending = this.canAsk()
        ? this.client.configuration(uri, SETTINGS_SECTION).then(
            // An editor that answers but holds nothing for the section (say, Neovim with settings only pushed).
            (raw) => this.read(raw ?? this.fallback()),
            (e: unknown) => {
              this.client.logger.warn(`Could not read settings: ${formatError(e)}`);
              return this.read(this.fallback());
            },
          )
        : Promise.resolve(this.read(this.fallback()));
      this.cache.set(uri, pending);
    }
    return pending;
  }

  /**
   * workspace/didChangeConfiguration: the settings it carries, if any, replace those sent before (editors with
   * workspace/configuration send none, and are asked again).
   */
  changed(settings: unknown): void {
    const section = sectionOf(settings);
    if (section !== undefined) this.pushed = section;
    this.clear();
  }

  clear(): void {
    this.cache.clear();
  }

  /** A document closed or left the workspace: its settings are asked for again if it comes back. */
  forget(uri: string): void {
    this.cache.delete(uri);
  }

  private fallback(): unknown {
    return this.pushed ?? sectionOf(this.initial());
  }

  private read(raw: unknown): ServerSettings {
    if (raw === undefined || raw === null) return DEFAULT_SETTINGS;
    const { settings, problems } = readSettings(raw);
    for (const problem of problems) {
      if (this.reported.has(problem)) continue;
      this.reported.add(problem);
      this.client.logger.warn(`Settings: ${problem}`);
    }
    return settings;
  }
}
