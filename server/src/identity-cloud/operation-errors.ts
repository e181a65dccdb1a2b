// The two ways pulling or reporting the deployed state stops, whichever front end runs it (DESIGN §9, §13): a
// setting, folder or config the user must change first (the CLI's exit 2), or an operation that failed: an API or
// network error, refused credentials, a folder that cannot be written (exit 3). One line that names it in words,
// built from IdentityCloudError messages and paths, never from a secret.

/** Bad usage or config: nothing was requested or written. The CLI's argument errors are of this class too. */
export class UsageError extends Error {}

/** Bad usage found only once the state was read (a rotation's refusal): exit 2, without a "--help" hint. */
export class RefusedUsage extends Error {}

/** An operation that failed. */
export class OperationError extends Error {}
