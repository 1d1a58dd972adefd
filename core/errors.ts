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

/** Why a fetch failed. The crawl decides on this (a 5xx or network failure may fall back to an archived copy, a
 *  size or redirect failure may not), never on the message, which is for people. */
export type FetchFailure = 'network' | 'timeout' | 'http-status' | 'too-large' | 'redirect' | 'bad-encoding';

/** A request that was made and failed. `permanent` false: a retry may help (network, timeout). */
export class FetchError extends NianbaoError {
  override name = 'FetchError';
  constructor(
    message: string,
    readonly reason: FetchFailure,
    readonly url: string,
    readonly status: number | null = null,
    readonly permanent = true,
  ) {
    super(message);
  }
}

/** Why the crawl would not make a request at all. */
export type Refusal = 'not-a-url' | 'scheme' | 'off-portal' | 'private-address' | 'robots';

/** A request the crawl must never make; nothing was sent. */
export class RefusedError extends NianbaoError {
  override name = 'RefusedError';
  readonly permanent = true;
  readonly status = null;
  constructor(
    message: string,
    readonly reason: Refusal,
    /** The refused URL; for an address found private when resolved, its host name. */
    readonly url: string,
  ) {
    super(message);
  }
}
