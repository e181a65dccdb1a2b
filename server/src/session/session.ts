// The workspace as the server knows it: configs, the index of policy and client files, what is known about owner
// secrets, the deployed baselines, trust, the workspace folders and the redactor. One owner for each of these, so
// no fact lives in two places. It raises events (a baseline changed) and never schedules analysis itself.
import path from 'node:path';
import { baselineSpecOf, DeployedBaselines, isDeployedSnapshot } from '../deployed-baselines';
import { deployedSecretOf } from '../engine/immutable/frozen-diff';
import { LiveCheckService } from '../identity-cloud/live-checks';
import { OwnerSecrets } from '../owner-secrets';
import { BaselineStore, relativeInside } from '../project/baseline';
import { ConfigStore, type LoadedConfig } from '../project/config-store';
import { SecretRedactor } from '../shared/redact';
import type { Clock } from '../util/clock';
import { WorkspaceIndex } from '../workspace-index';

export class Session {
  readonly redactor = new SecretRedactor();
  readonly configs = new ConfigStore();
  readonly index = new WorkspaceIndex();
  readonly ownerSecrets: OwnerSecrets;
  readonly baselines: DeployedBaselines;
  private trustedWorkspace = true;
  private readonly baselineListeners: ((file: string) => void)[] = [];

  constructor(clock: Clock) {
    this.ownerSecrets = new OwnerSecrets(new LiveCheckService({ now: () => clock.now() }));
    this.baselines = new DeployedBaselines(new BaselineStore(), (file) => {
      // A baseline appeared or changed: its secret is masked from now on (it may sit under another key of the
      // file, moved or pasted).
      this.redactor.add(deployedSecretOf(this.baselines.get(file)?.identityStoreDetails));
      for (const listener of this.baselineListeners) listener(file);
    });
  }

  /** Called when a file's deployed baseline appeared, changed or went away. */
  onBaselineChanged(listener: (file: string) => void): void {
    this.baselineListeners.push(listener);
  }

  get trusted(): boolean {
    return this.trustedWorkspace;
  }

  /** Untrusted workspaces: no live check and no git process. */
  setTrusted(trusted: boolean): void {
    this.trustedWorkspace = trusted;
    this.ownerSecrets.setTrusted(trusted);
  }

  /** The workspace folders: the config walk stops at them and the scan looks below them. */
  folders(): readonly string[] {
    return this.configs.boundaryList();
  }

  setFolders(folders: readonly string[]): void {
    this.configs.setBoundaries(folders);
  }

  /** A file in its config's snapshot folder is a copy of what is deployed, not a policy of the workspace. */
  isSnapshot(file: string, config: LoadedConfig | undefined = this.configs.forFile(file)): boolean {
    return isDeployedSnapshot(file, baselineSpecOf(config));
  }

  /** The config whose snapshot folder holds `file`, if any (a pull rewrote what is deployed for its files). */
  snapshotConfigOf(file: string): LoadedConfig | undefined {
    const config = this.configs.forFile(file);
    return this.isSnapshot(file, config) ? config : undefined;
  }

  /** Looks up what is deployed for a policy file with this id (in the background; a change raises the event). */
  refreshBaseline(file: string, id: string | undefined, config: LoadedConfig | undefined): void {
    this.baselines.refresh(file, id, baselineSpecOf(config), this.trustedWorkspace);
  }

  /** The path as the workspace scan's globs see it: relative to its workspace folder, with forward slashes. */
  workspaceRelative(file: string): string {
    for (const folder of this.folders()) {
      const relative = relativeInside(folder, file);
      if (relative !== undefined) return relative;
    }
    return file.split(path.sep).join('/');
  }
}
