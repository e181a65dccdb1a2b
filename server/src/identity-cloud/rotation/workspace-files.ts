// What a rotation writes in the workspace once Identity Cloud holds the result (DESIGN §14 steps 3-6), for `rotate` and
// for VS Code's Rotate Owner Secret alike (one implementation of the executor's LocalSide): only files that exist are
// touched. The new policy file beside the old one (`<name>.new.loginpolicy.json`, reused when it exists),
// with the id and _links the API gave and the secret as its fingerprint; OIDC client files re-pointed; the pulled
// folder's snapshots; the old file and snapshot removed after a DELETE; the owner client's fingerprints in
// .loginpolicyrc.json. Each file is written whole through a rename, and running this twice changes nothing more.
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { applyEdits, findNodeAtLocation, getNodeValue, modify, parseTree, type Node } from 'jsonc-parser';
import { glob } from 'tinyglobby';
import { analyzeConfig } from '../../engine/config/analyze-config';
import { documentFormatting } from '../../engine/edits';
import { isObject } from '../api-types';
import { StepError, type LocalSide, type LocalUpdate } from './executor';
import { IGNORED_DIRS } from '../../project/policy-files';
import { OIDC_CLIENT_PATTERNS, readOidcClient } from '../../project/oidc-clients';
import type { LoadedConfig } from '../../project/config-store';
import { newPolicyNames } from '../../project/replacement';
import { summarize } from '../../workspace-index';
import { relative } from '../display-path';
import {
  CLIENTS_DIR,
  clientPath,
  isPulledPath,
  jsonText,
  metaOf,
  metaText,
  policyPath,
  PULLED_FILE,
  readPulledFiles,
  withSecretsFingerprinted,
} from '../pulled-folder';

const FORMATTING = { formattingOptions: { insertSpaces: true, tabSize: 2, eol: '\n' } };

export interface WorkspaceFilesOptions {
  readonly cwd: string;
  /** Where OIDC client files are looked for: the config's folder, else the working folder. */
  readonly root: string;
  readonly config: LoadedConfig | undefined;
  /** The workspace file of each old policy, when there is one. */
  readonly policyFiles: ReadonlyMap<string, string>;
  /** The pulled folder (baseline.dir, else deployed/); refreshed only when it holds a pull. */
  readonly pulledDir: string;
  readonly now: () => Date;
}

export class WorkspaceFiles implements LocalSide {
  readonly #changed: string[] = [];

  constructor(private readonly options: WorkspaceFilesOptions) {}

  async apply(update: LocalUpdate): Promise<readonly string[]> {
    this.#changed.length = 0;
    try {
      this.policyFiles(update);
      await this.clientFiles(update);
      this.pulledFolder(update);
      if (update.mode === 'rotate') this.configFile(update);
    } catch (error) {
      if (error instanceof StepError) throw error;
      const code = (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.name : 'error');
      throw new StepError(`a workspace file could not be written (${code}); Identity Cloud holds the result already`);
    }
    return [...this.#changed];
  }

  /** The new policy file beside the old one; the old one removed once its policy is deleted. */
  private policyFiles(update: LocalUpdate): void {
    for (const policy of update.policies) {
      const oldFile = this.options.policyFiles.get(policy.oldId);
      if (!oldFile) continue;
      const oldText = existsSync(oldFile) ? readFileSync(oldFile, 'utf8') : undefined;
      const target = policy.newId ? this.newFileOf(oldFile, policy.newId) : undefined;
      if (policy.newDocument && target) {
        const { insertSpaces, tabSize, eol } = documentFormatting(oldText ?? '');
        const text = `${JSON.stringify(policy.newDocument, null, insertSpaces ? tabSize : '\t')}\n`.replace(/\n/g, eol);
        this.write(target, text);
      } else if (!policy.newDocument && target && existsSync(target) && idIn(target) === policy.newId) {
        this.remove(target); // an abort deleted the policy this file describes
      }
      if (policy.oldDeleted && oldText !== undefined && summarize(oldText).id === policy.oldId) this.remove(oldFile);
    }
  }

  /**
   * `acme.new.loginpolicy.json` (then `.new-2`…) beside `acme.loginpolicy.json`: the first that is not the old file
   * itself and holds no other created policy (a file without an id, such as the quick fix's, is reused).
   */
  private newFileOf(oldFile: string, newId: string): string {
    const dir = path.dirname(oldFile);
    for (const name of newPolicyNames(oldFile)) {
      const candidate = path.join(dir, name);
      if (path.resolve(candidate) === path.resolve(oldFile)) continue;
      if (!existsSync(candidate)) return candidate;
      const id = idIn(candidate);
      if (id === undefined || id === newId) return candidate;
    }
    throw new StepError('no free name for the new policy file');
  }

  /** Workspace OIDC client files of moved clients: their `loginPolicy` edited in place, comments kept. */
  private async clientFiles(update: LocalUpdate): Promise<void> {
    const moves = new Map(update.clients.map((c) => [String(c.document['id']), c]));
    const from = new Set(update.clients.map((c) => c.from));
    const pulled = path.resolve(this.options.pulledDir);
    const files = await glob(OIDC_CLIENT_PATTERNS, {
      cwd: this.options.root,
      absolute: true,
      dot: true,
      onlyFiles: true,
      ignore: [...IGNORED_DIRS, '**/.loginpolicy-rotation/**'],
    });
    for (const file of files.map((f) => path.resolve(f)).sort()) {
      if (file === pulled || file.startsWith(pulled + path.sep)) continue; // the pulled folder is refreshed whole
      const text = readFileSync(file, 'utf8');
      const client = readOidcClient(text);
      if (!client) continue;
      const move = client.id ? moves.get(client.id) : undefined;
      // A file without an id names no client; it follows the policy it names, which no client uses any more.
      const to =
        move?.from === client.loginPolicy
          ? move.to
          : !client.id && from.has(client.loginPolicy)
            ? targetOf(update, client.loginPolicy)
            : undefined;
      if (to === undefined) continue;
      this.write(file, applyEdits(text, modify(text, ['loginPolicy'], to, FORMATTING)));
    }
  }

  /** The pulled folder, when it holds a pull: new and moved documents written, deleted ones removed, counts kept. */
  private pulledFolder(update: LocalUpdate): void {
    const dir = this.options.pulledDir;
    const before = readPulledFiles(dir);
    const meta = metaOf(before);
    if (!meta) return;
    const after = new Map(before);
    for (const policy of update.policies) {
      if (policy.newId && policy.newDocument) after.set(policyPath(policy.newId), jsonText(policy.newDocument));
      if (policy.newId && !policy.newDocument) after.delete(policyPath(policy.newId));
      if (policy.oldDeleted) after.delete(policyPath(policy.oldId));
    }
    for (const { document } of update.clients) {
      after.set(clientPath(String(document['id'])), jsonText(withSecretsFingerprinted(document)));
    }
    const changed = [...after].filter(([file, text]) => file !== PULLED_FILE && before.get(file) !== text);
    const removed = [...before.keys()].filter((file) => !after.has(file));
    if (changed.length === 0 && removed.length === 0) return;
    for (const [file, text] of changed) this.write(path.join(dir, ...file.split('/')), text);
    for (const file of removed) this.remove(path.join(dir, ...file.split('/')));
    const content = [...after.keys()].filter((f) => f !== PULLED_FILE && isPulledPath(f));
    this.write(
      path.join(dir, PULLED_FILE),
      metaText({
        ...meta,
        pulledAt: this.options
          .now()
          .toISOString()
          .replace(/\.\d{3}Z$/, 'Z'),
        policies: content.filter((f) => !f.startsWith(`${CLIENTS_DIR}/`)).length,
        clients: content.filter((f) => f.startsWith(`${CLIENTS_DIR}/`)).length,
      }),
    );
  }

  /** The owner client's entry: the new fingerprint current, the old ones in previousSecrets with when they stop. */
  private configFile(update: LocalUpdate): void {
    const config = this.options.config;
    if (!config || !update.newSecretSha256 || !existsSync(config.path)) return;
    const text = readFileSync(config.path, 'utf8');
    const next = recordRotatedSecret(text, update.ownerClientId, update.newSecretSha256, update.previousSecrets);
    if (next === text) return;
    if (analyzeConfig(next).findings.length > 0) {
      throw new StepError(
        `the updated ${relative(this.options.cwd, config.path)} would not be valid, so it was left as it was`,
      );
    }
    this.write(config.path, next);
  }

  private write(file: string, text: string): void {
    if (existsSync(file) && readFileSync(file, 'utf8') === text) return;
    const staging = `${file}.rotate-${process.pid}`;
    writeFileSync(staging, text);
    renameSync(staging, file);
    this.#changed.push(relative(this.options.cwd, file));
  }

  private remove(file: string): void {
    if (!existsSync(file)) return;
    rmSync(file);
    this.#changed.push(relative(this.options.cwd, file));
  }
}

function targetOf(update: LocalUpdate, from: string): string | undefined {
  return update.clients.find((c) => c.from === from)?.to;
}

function idIn(file: string): string | undefined {
  try {
    return summarize(readFileSync(file, 'utf8')).id;
  } catch {
    return undefined;
  }
}

/**
 * Records a rotated secret in a .loginpolicyrc.json text, comments kept: the client's `secretSha256` becomes the new
 * fingerprint, and each old one is in `previousSecrets` with when it stops (a known time replaces an unknown one; an
 * earlier time wins). A client the file does not name yet is added as an owner client.
 */
export function recordRotatedSecret(
  text: string,
  clientId: string,
  newSha256: string,
  previous: readonly { readonly sha256: string; readonly validUntil: string | null }[],
): string {
  let out = text.trim() === '' ? '{}\n' : text;
  const edit = (at: (string | number)[], value: unknown): void => {
    out = applyEdits(out, modify(out, at, value, FORMATTING));
  };
  const index = clientEntries(out).findIndex((e) => valueAt(e, ['clientId']) === clientId);
  if (index < 0) {
    edit(['clients', -1], {
      clientId,
      features: ['owner'],
      secretSha256: newSha256,
      ...(previous.length > 0 ? { previousSecrets: previous.map((p) => ({ ...p })) } : {}),
    });
    return out;
  }
  const current = valueAt(clientEntries(out)[index]!, ['secretSha256']);
  const list = (): { sha256?: unknown; validUntil?: unknown }[] => {
    const value = valueAt(clientEntries(out)[index]!, ['previousSecrets']);
    return Array.isArray(value) ? (value as { sha256?: unknown; validUntil?: unknown }[]) : [];
  };
  const wanted = [...previous];
  if (typeof current === 'string' && current !== newSha256 && !wanted.some((p) => p.sha256 === current)) {
    wanted.push({ sha256: current, validUntil: null });
  }
  for (const entry of wanted) {
    const at = list().findIndex((p) => isObject(p) && p.sha256 === entry.sha256);
    if (at < 0) {
      edit(['clients', index, 'previousSecrets', -1], { sha256: entry.sha256, validUntil: entry.validUntil });
      continue;
    }
    const known = list()[at]!.validUntil;
    const better =
      entry.validUntil !== null && (typeof known !== 'string' || Date.parse(entry.validUntil) < Date.parse(known));
    if (better) edit(['clients', index, 'previousSecrets', at, 'validUntil'], entry.validUntil);
  }
  // A secret cannot be current and previous at once (a rotation back to an earlier secret).
  const stale = list().findIndex((p) => isObject(p) && p.sha256 === newSha256);
  if (stale >= 0) edit(['clients', index, 'previousSecrets', stale], undefined);
  if (current !== newSha256) edit(['clients', index, 'secretSha256'], newSha256);
  return out;
}

function clientEntries(text: string): Node[] {
  const clients = findNodeAtLocation(parseTree(text) ?? parseTree('{}')!, ['clients']);
  return clients?.type === 'array' ? (clients.children ?? []) : [];
}

function valueAt(node: Node, at: string[]): unknown {
  const found = findNodeAtLocation(node, at);
  return found ? (getNodeValue(found) as unknown) : undefined;
}
