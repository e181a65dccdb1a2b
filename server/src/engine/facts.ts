// Facts that need I/O (what the current owner secret is, live check results, the deployed baseline, other files
// of the workspace) are gathered before analysis by the server or the CLI and handed to the rules as plain data.
// Rules never do I/O; with no facts they still run and say what they cannot know.

/** Where a piece of knowledge about a client comes from, for messages and hovers. */
export type KnowledgeSource =
  | { readonly kind: 'config'; readonly path: string; readonly label?: string }
  | { readonly kind: 'recorded'; readonly recordedAt?: string };

/** What is known about one API client, merged from .loginpolicyrc.json and recorded fingerprints. */
export interface KnownClient {
  readonly clientId: string;
  /** Capture features, when known. */
  readonly features?: readonly string[];
  readonly featuresSource?: KnowledgeSource;
  /** Fingerprint of the current secret, when known. */
  readonly currentSha256?: string;
  readonly currentSource?: KnowledgeSource;
  /**
   * Replaced secrets and when they stop working (the reset's grace period); `null`: replaced, end of grace unknown
   * (what `pull --owner-clients` records when it sees a new fingerprint, DESIGN §13).
   */
  readonly previousSecrets?: readonly { readonly sha256: string; readonly validUntil: string | null }[];
  readonly label?: string;
}

/** What Capture answered when the embedded credentials were tried (POST /entityType.list). */
export type LiveCheckResult =
  | { readonly outcome: 'accepted' }
  | { readonly outcome: 'rejected'; readonly code: number; readonly error: string }
  | { readonly outcome: 'not-owner'; readonly code: number; readonly error: string }
  | { readonly outcome: 'failed'; readonly reason: string };

export type LiveCheck = LiveCheckResult & {
  /** The Capture host asked. */
  readonly host: string;
  /** ISO time of the answer. */
  readonly checkedAt: string;
};

/** What is deployed for a policy with an id: the frozen block to compare the document with. */
export interface DeployedBaseline {
  /** The id of the deployed policy: a baseline only applies to a document with that id. */
  readonly id: string;
  /** The deployed `identityStoreDetails` value (parsed JSON). */
  readonly identityStoreDetails: unknown;
  /** Where it came from, for messages: "git HEAD", "deployed/<id>.json", "the version first opened". */
  readonly label: string;
  /** The deployed values of the fields a PUT may change, when the baseline is a deployed snapshot. */
  readonly changeable?: {
    readonly title?: unknown;
    readonly loginURL?: unknown;
    readonly customClaims?: unknown;
  };
}

/** What the last `login-policy-lint pull` found deployed (DESIGN §13): which policy ids exist. */
export interface DeployedState {
  /** Every deployed policy id, lower case. */
  readonly ids: ReadonlySet<string>;
  /** ISO time of the pull. */
  readonly pulledAt: string;
  /** For messages: the pulled folder and when. */
  readonly label: string;
}

/** What a policy says about itself that other files care about: read from its model, the same way everywhere. */
export interface PolicyIdentity {
  readonly id?: string;
  /** The owner client it embeds. */
  readonly clientId?: string;
  /** Fingerprint of the embedded secret (none for a placeholder or a missing secret). */
  readonly secretSha256?: string;
}

/** An OIDC client configuration file of the workspace (facts §3.4): which policy it uses. */
export interface OidcClientSummary {
  /** For messages, relative to the analysed document's folder. */
  readonly path: string;
  readonly id?: string;
  readonly name?: string;
  readonly loginPolicy: string;
}

/** A secret that other policies of the same owner client embed. */
export interface OtherSecret {
  readonly sha256: string;
  /** One file that embeds it (the first by path), for messages; relative to the analysed document's folder. */
  readonly path: string;
  /** How many files embed it. */
  readonly files: number;
}

/**
 * The cross-file facts of one document: only what its rules need, never a list of the workspace. Each part grows
 * only when the rule's own answer does (a policy really bound to 5,000 clients lists 5,000 clients).
 */
export interface WorkspaceFacts {
  /** Other policy files that claim this document's id. */
  readonly sameId: readonly { readonly path: string }[];
  /** Secrets other than this document's that policies of its owner client embed, one entry per secret. */
  readonly otherSecrets: readonly OtherSecret[];
  /** OIDC client files whose `loginPolicy` is this document's id. */
  readonly boundClients: readonly OidcClientSummary[];
  /**
   * When this document is a new policy generated to replace another (`x.new.loginpolicy.json` for `x`): that one,
   * and the OIDC client files still bound to it.
   */
  readonly replaces?: {
    readonly path: string;
    readonly id: string;
    readonly clients: readonly OidcClientSummary[];
  };
}

/** The workspace facts for a document, looked up by what its text says it is (known only once it is parsed). */
export type WorkspaceLookup = (identity: PolicyIdentity) => WorkspaceFacts;

export interface AnalysisFacts {
  /** Known clients by client id. */
  readonly clients?: ReadonlyMap<string, KnownClient>;
  /** Live check results by liveCheckKey(host, clientId, secret fingerprint). */
  readonly liveChecks?: ReadonlyMap<string, LiveCheck>;
  /** The deployed version of this policy, when it has an id and a baseline was found. */
  readonly baseline?: DeployedBaseline;
  /** The pulled deployed state of the policy's config (`baseline.dir` holding a pull), when there is one. */
  readonly deployed?: DeployedState;
  /** What the other files of the workspace say about this one. */
  readonly workspace?: WorkspaceFacts;
}

/** The key of a live check result: a result is only valid for the exact host, client and secret it tried. */
export function liveCheckKey(host: string, clientId: string, secretSha256: string): string {
  return `${host.trim().toLowerCase()}|${clientId}|${secretSha256}`;
}
