/** Wrong usage of a command: exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** The input cannot be processed (corrupt, encrypted, empty, not a document): exit code 1, a one-line reason. */
export class InputError extends Error {
  override name = 'InputError';
}
