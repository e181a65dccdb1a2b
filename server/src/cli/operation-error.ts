// An operation that failed (an API or network error, refused credentials, a folder that cannot be written): one line
// that names it in words, exit code 3 (DESIGN §9). Built from IdentityCloudError messages, never from a secret.
export class OperationError extends Error {}
