// The project's errors, in one module that every layer imports downward (extractors, crawlers, pipeline, db).
// Decisions are made by type, never by a name or message text: `permanent` says whether a retry can help.

/** Every error the project raises on purpose. */
export abstract class NianbaoError extends Error {
  /** True when retrying the same work cannot succeed (bad input, wrong usage, a refusal). */
  abstract readonly permanent: boolean;
}

/** Wrong usage of a command: exit code 2. */
export class UsageError extends NianbaoError {
  override name = 'UsageError';
  readonly permanent = true;
}

/** The input cannot be processed (corrupt, encrypted, empty, not a document): exit code 1, a one-line reason. */
export class InputError extends NianbaoError {
  override name = 'InputError';
  readonly permanent = true;
}

/** A job failure that retrying cannot fix: recorded on its document, never retried. */
export class PermanentError extends NianbaoError {
  override name = 'PermanentError';
  readonly permanent = true;
}

/** Should a failed job be given up now rather than retried? */
export function isPermanent(err: unknown): boolean {
  return err instanceof NianbaoError && err.permanent;
}
