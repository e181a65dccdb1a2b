// The shapes of a rotation plan (DESIGN §14): the policies it replaces, the steps in the order they run, each with the
// API calls it makes, and what it leaves alone. Plain data with no secret, so a plan can be printed, sent to an editor
// or written as JSON as it is.
import type { SecretCheck } from './live-state';

/**
 * Where the new secret comes from: LOGIN_POLICY_NEW_OWNER_SECRET, stdin, typed into VS Code (a password box), or the
 * reset the rotation makes. A resume on the command line reads a typed secret from stdin.
 */
export type SecretSource = 'env' | 'stdin' | 'typed' | 'reset';
/** A secret someone gives, as opposed to one a reset makes. */
export type GivenSource = Exclude<SecretSource, 'reset'>;

export type StepKind =
  'reset' | 'prove' | 'create' | 'settings' | 'repoint' | 'delete-old' | 'files' | 'move-back' | 'delete-new';

/** pending: not run yet; started: a run began it and did not record its end (a kill, a crash); done; failed. */
export type StepProgress = 'pending' | 'started' | 'failed' | 'done';

export interface ClientRef {
  readonly id: string;
  readonly name: string;
}

export interface PlannedStep {
  /** Stable across runs: `create:<old id>`, `repoint:<old id>:<client id>`; the journal keys steps by it. */
  readonly id: string;
  readonly kind: StepKind;
  /** The old policies whose journals record this step (all of them for a shared step). */
  readonly journals: readonly string[];
  /** The old policy it concerns (none for a shared step). */
  readonly policyId?: string;
  readonly client?: ClientRef;
  /** What it does, in words. */
  readonly title: string;
  /** The requests it makes, method and path (`PUT /{customerId}/config/clients/{id}`). */
  readonly calls: readonly string[];
  readonly progress: StepProgress;
  /** True for what no sign-in waits for: --delete-old and the workspace files. */
  readonly optional: boolean;
}

export interface PlannedPolicy {
  readonly oldId: string;
  readonly oldTitle: string;
  /** Capture's verdict on the secret it embeds now. */
  readonly oldSecret: SecretCheck;
  /** Its secret is refused: sign-in through its clients fails now, so they move before anything optional. */
  readonly dead: boolean;
  /** Undefined when the old policy is gone (deleted by an earlier run of this rotation). */
  readonly exists: boolean;
  readonly newTitle: string;
  /** Known once created (by an earlier run, or found by its title). */
  readonly newId: string | undefined;
  readonly pushClaims: boolean | undefined;
  readonly allowedResponseTypes: readonly string[] | undefined;
  /** Bound to the old policy now: they move. */
  readonly toMove: readonly ClientRef[];
  /** Bound to the new policy already (an earlier run moved them). */
  readonly moved: readonly ClientRef[];
  readonly deleteOld: boolean;
  /** Where its journal is. */
  readonly journal: string;
}

export interface UntouchedPolicy {
  readonly id: string;
  readonly title: string;
  /** Why it is mentioned ("embeds another owner client", "its secret is not the old one"). */
  readonly note: string;
  readonly clients: number;
}

export interface RotationPlan {
  readonly mode: 'rotate' | 'abort';
  readonly customerId: string;
  readonly ownerClientId: string;
  readonly domain: string;
  /** A run of an unfinished rotation: some steps are done already. */
  readonly resuming: boolean;
  readonly newSecret: {
    readonly source: SecretSource;
    /** Capture's verdict on the given secret, when it is known before the run (never for a reset not made yet). */
    readonly check: SecretCheck | undefined;
  };
  readonly reset:
    | {
        readonly hoursToLive: number;
        /** When the reset was made (an earlier run), else undefined. */
        readonly at: string | undefined;
        /** Every deployed policy the reset puts on the clock (all named, or the plan is refused). */
        readonly affected: readonly string[];
      }
    | undefined;
  readonly policies: readonly PlannedPolicy[];
  readonly steps: readonly PlannedStep[];
  readonly untouched: {
    readonly policies: readonly UntouchedPolicy[];
    /** OIDC clients bound to none of the rotated policies (configuration clients included). */
    readonly clients: number;
  };
  /** Warnings worth a line of their own. */
  readonly notes: readonly string[];
}
