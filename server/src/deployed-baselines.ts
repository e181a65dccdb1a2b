// Keeps, per policy file, what is deployed (the baseline the immutability rule compares with), looked up in the
// background: analysis stays synchronous and reads what is known, and a changed baseline (HEAD moved, a snapshot
// changed) triggers a fresh analysis of that file.
import path from 'node:path';
import { parse } from 'jsonc-parser';
import type { DeployedBaseline, DeployedState } from './engine/facts';
import { readDeployedState } from './project/pulled-state';
import { relativeInside, type Baseline, type BaselineSpec, type BaselineStore } from './project/baseline';
import type { LoadedConfig } from './project/config-store';

/** The config's `baseline`, with a `dir` made absolute against the config's folder; git HEAD by default. */
export function baselineSpecOf(config: LoadedConfig | undefined): BaselineSpec {
  const setting = config?.config?.baseline;
  if (setting === undefined) return { git: 'HEAD' };
  if (setting === 'none') return 'none';
  if ('dir' in setting) return { dir: path.resolve(config?.dir ?? process.cwd(), setting.dir) };
  return { git: setting.git };
}

/**
 * True for a file in the snapshot folder of its config (`baseline: {"dir": …}`): a copy of what is deployed, not a
 * policy of the workspace. Counting it would make every deployed policy a duplicate of its own snapshot.
 */
export function isDeployedSnapshot(file: string, spec: BaselineSpec): boolean {
  if (typeof spec !== 'object' || !('dir' in spec)) return false;
  return relativeInside(spec.dir, path.resolve(file)) !== undefined;
}

/** The deployed state a `baseline: {"dir": …}` folder records when `login-policy-lint pull` wrote it. */
export function deployedStateOf(spec: BaselineSpec): DeployedState | undefined {
  return typeof spec === 'object' && 'dir' in spec ? readDeployedState(spec.dir) : undefined;
}

/**
 * The facts of a baseline found for a policy with `id`. A deployed snapshot (a folder, as `pull` writes one) also
 * gives the deployed values of the fields a PUT may change; git and the version first opened are proxies of what is
 * deployed and do not.
 */
export function deployedBaselineOf(id: string, baseline: Baseline): DeployedBaseline {
  const facts = { id, identityStoreDetails: baseline.identityStoreDetails, label: baseline.label };
  if (baseline.source !== 'dir') return facts;
  const value = parse(baseline.text.replace(/^\uFEFF/, ''), [], { allowTrailingComma: true }) as unknown;
  if (typeof value !== 'object' || value === null) return facts;
  const deployed = value as Record<string, unknown>;
  return {
    ...facts,
    changeable: { title: deployed['title'], loginURL: deployed['loginURL'], customClaims: deployed['customClaims'] },
  };
}

/** What a file's deployed baseline is looked up with. */
interface Wanted {
  readonly id: string | undefined;
  readonly spec: BaselineSpec;
  readonly allowGit: boolean;
}

function isWanted(wanted: Wanted | undefined, id: string, spec: BaselineSpec, allowGit: boolean): boolean {
  return (
    wanted !== undefined &&
    wanted.id === id &&
    wanted.allowGit === allowGit &&
    JSON.stringify(wanted.spec) === JSON.stringify(spec)
  );
}

export class DeployedBaselines {
  private readonly known = new Map<string, { readonly facts: DeployedBaseline; readonly found: Baseline }>();
  /**
   * The id, where to look and whether git may run, as of each file's latest refresh: a lookup for anything else (an
   * older id, the snapshot folder a config named while it was typed, git before trust was granted) is dropped.
   */
  private readonly wanted = new Map<string, Wanted>();
  private readonly pending = new Set<string>();
  /** Bumped by invalidate(): a lookup that started before is not trusted, and a new one may start at once. */
  private generation = 0;

  constructor(
    private readonly store: BaselineStore,
    /** Called when a file's baseline appeared, changed or went away. */
    private readonly onChange: (file: string) => void,
  ) {}

  get(file: string): DeployedBaseline | undefined {
    return this.known.get(file)?.facts;
  }

  rememberFirstOpen(file: string, text: string): void {
    this.store.rememberFirstOpen(file, text);
  }

  /**
   * HEAD moved or a snapshot changed: drops cached git and snapshot results and looks again for every file with an
   * id. Only the files whose deployed version really changed are reported (once each).
   */
  refreshAll(allowGit: boolean): void {
    this.store.invalidate();
    this.generation++;
    for (const [file, { id, spec }] of this.wanted) {
      this.wanted.set(file, { id, spec, allowGit });
      if (id) this.lookUp(file, id, spec, allowGit);
    }
  }

  /**
   * Looks up the baseline of a policy with an id, unless the same lookup is already running. The config's spec
   * comes first, then the version first opened in this session ("none" means no baseline at all).
   */
  refresh(file: string, id: string | undefined, spec: BaselineSpec, allowGit: boolean): void {
    this.wanted.set(file, { id, spec, allowGit });
    if (!id) {
      if (this.known.delete(file)) this.onChange(file);
      return;
    }
    this.lookUp(file, id, spec, allowGit);
  }

  private lookUp(file: string, id: string, spec: BaselineSpec, allowGit: boolean): void {
    const generation = this.generation;
    // A lookup runs once per what it looks for: another spec or trust is another lookup, not a duplicate.
    const key = JSON.stringify([file, id, spec, allowGit, generation]);
    if (this.pending.has(key)) return;
    this.pending.add(key);
    void this.store
      .find({ filePath: file, id, spec, allowGit })
      .then((found) => found ?? (spec === 'none' ? undefined : this.store.firstOpen(file, id)))
      .then((found) => {
        // The id, the spec or trust changed, or HEAD moved, meanwhile: a newer lookup decides.
        if (!isWanted(this.wanted.get(file), id, spec, allowGit) || generation !== this.generation) return;
        const before = this.known.get(file)?.found;
        if (found) this.known.set(file, { facts: deployedBaselineOf(id, found), found });
        else this.known.delete(file);
        if (before?.text !== found?.text || before?.label !== found?.label) this.onChange(file);
      })
      .finally(() => this.pending.delete(key));
  }

  /** Forgets a file (deleted, or closed and not part of the workspace scan), with the text it was first opened with. */
  forget(file: string): void {
    this.known.delete(file);
    this.wanted.delete(file);
    this.store.forgetFirstOpen(file);
  }
}
