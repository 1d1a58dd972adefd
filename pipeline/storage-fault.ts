// A crawl records a document it could not archive as one page error among many and goes on; the bytes would then be
// lost without a word (a full disk lost 34 of 49 reports while `status` showed nothing). Both runtimes call this
// after a crawl job: a blob-store failure during the crawl fails the job (retried, then recorded and shown).
import type { Store } from '../db/store-types.ts';

export function throwStorageFault(store: Store, since: number): void {
  const fault = store.storageFault?.(since);
  if (fault) throw fault;
}

/** The error a failed crawl job reports: a blob-store failure during it is the cause, whatever the crawl made of it. */
export function rootCause(store: Store, since: number, err: unknown): unknown {
  return store.storageFault?.(since) ?? err;
}
