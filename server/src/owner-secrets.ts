// The server's knowledge about owner secrets: fingerprints recorded in the editor, live check results and
// whether live checks are allowed at all (mode, workspace trust). Turns it into analysis facts, and runs
// live checks for documents. Holds no secret: the only credential it ever uses is the one in the document.
import path from 'node:path';
import type { Analysis } from './engine/analyze';
import type { AnalysisFacts } from './engine/facts';
import { knownClientsFrom } from './engine/owner-secret/known-clients';
import { PATHS } from './engine/policy/paths';
import { credentialsOf, LiveCheckService } from './identity-cloud/live-checks';
import { isFingerprinted } from './shared/fingerprint';
import type { LoadedConfig } from './project/config-store';
import type { RecordedFingerprint, VerifyResult } from './protocol';
import type { VerifySettings } from './settings';

export class OwnerSecrets {
  private recorded: readonly RecordedFingerprint[] = [];
  private trusted = true;
  readonly live: LiveCheckService;

  constructor(live = new LiveCheckService()) {
    this.live = live;
  }

  setRecorded(recorded: readonly RecordedFingerprint[]): void {
    this.recorded = recorded;
  }

  setTrusted(trusted: boolean): void {
    this.trusted = trusted;
  }

  /**
   * Facts for a policy at `documentPath` under `config`. Live results count only while live checks are on: a
   * user who turns them off gets the offline verdict.
   */
  factsFor(
    config: LoadedConfig | undefined,
    documentPath: string | undefined,
    settings: VerifySettings,
  ): AnalysisFacts {
    const configForFacts = config?.config && {
      path: documentPath
        ? path.relative(path.dirname(documentPath), config.path) || path.basename(config.path)
        : config.path,
      clients: config.config.clients,
    };
    const clients = knownClientsFrom(configForFacts, this.recorded);
    return this.whyNot(settings) ? { clients } : { clients, liveChecks: this.live.results() };
  }

  /** Why live checks cannot run for this document, or undefined when they can. */
  whyNot(settings: VerifySettings): string | undefined {
    if (settings.mode === 'off') return 'live checks are off (setting loginPolicy.verify.mode)';
    if (!this.trusted) return 'the workspace is not trusted';
    return undefined;
  }

  async verify(analysis: Analysis, settings: VerifySettings, force: boolean): Promise<VerifyResult> {
    const refused = this.whyNot(settings);
    if (refused) return { performed: false, reason: refused };
    const request = credentialsOf(analysis.model);
    if (!request) {
      const secret = analysis.model.string(PATHS.clientSecret);
      const reason =
        secret !== undefined && isFingerprinted(secret)
          ? 'the file holds only the fingerprint of its secret, not the secret to check'
          : 'the policy has no domain, clientId and clientSecret to check';
      return { performed: false, reason };
    }
    const outcome = await this.live.check(
      request,
      { ...settings, allowedHostsSetting: 'loginPolicy.verify.allowedHosts' },
      force,
    );
    return outcome.performed
      ? { performed: true, outcome: outcome.check.outcome }
      : { performed: false, reason: outcome.reason, ...(outcome.check ? { outcome: outcome.check.outcome } : {}) };
  }
}
