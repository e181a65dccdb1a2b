// Owner secrets recorded in the editor: the secret in SecretStorage (encrypted by VS Code), its fingerprint in
// an index in global state. Only fingerprints ever reach the language server.
import type * as vscode from 'vscode';
import { fingerprint } from '../../server/src/shared/fingerprint';
import type { RecordedFingerprint } from '../../server/src/protocol';
import { redactor } from './log';

const INDEX_KEY = 'loginPolicy.recordedOwnerSecrets';
const secretKey = (clientId: string) => `loginPolicy.ownerSecret/${clientId}`;

export class RecordedSecrets {
  constructor(private readonly context: vscode.ExtensionContext) {}

  fingerprints(): RecordedFingerprint[] {
    return this.context.globalState.get<RecordedFingerprint[]>(INDEX_KEY, []);
  }

  async record(clientId: string, secret: string): Promise<RecordedFingerprint> {
    redactor.add(secret);
    await this.context.secrets.store(secretKey(clientId), secret);
    const entry: RecordedFingerprint = { clientId, sha256: fingerprint(secret), recordedAt: new Date().toISOString() };
    await this.context.globalState.update(INDEX_KEY, [
      ...this.fingerprints().filter((f) => f.clientId !== clientId),
      entry,
    ]);
    return entry;
  }

  async forget(clientId: string): Promise<boolean> {
    const had = this.fingerprints().some((f) => f.clientId === clientId);
    await this.context.secrets.delete(secretKey(clientId));
    await this.context.globalState.update(
      INDEX_KEY,
      this.fingerprints().filter((f) => f.clientId !== clientId),
    );
    return had;
  }

  /** The recorded secret of a client (for filling a new policy), or undefined. */
  async secretOf(clientId: string): Promise<string | undefined> {
    const secret = await this.context.secrets.get(secretKey(clientId));
    redactor.add(secret);
    return secret;
  }

  /** Loads every recorded secret into the redactor, so no log line can show one. */
  async learnAll(): Promise<void> {
    for (const { clientId } of this.fingerprints()) await this.secretOf(clientId);
  }
}
