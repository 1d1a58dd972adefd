// Job payloads, job ids and the context handlers run in. Shared by the BullMQ and in-process runtimes.
// Payloads stay small: a document travels as its sha256 plus where it came from; workers read the bytes from the store.
import type { DocumentOrigin } from '../../core/origin.ts';
import type { Report } from '../../extractors/report.ts';
import type { Store } from '../../db/store-types.ts';
import { EXTRACTOR_VERSION } from '../../extractors/version.ts';
import { config, loadConfig } from '../../core/config.ts';

export const QUEUE_NAMES = ['crawl', 'extract', 'load'] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

export interface CrawlJobData {
  /** One portal; or, with `host`, every enabled portal on that host one after another (the nightly schedule). */
  portalId?: number;
  host?: string;
  /** Distinguishes runs (the night's date, a demo run id): the same portal and runKey crawl once. No ':' allowed. */
  runKey: string;
  /** Loopback/private addresses allowed: the portal simulator only. */
  allowPrivate?: boolean;
}

/** An extract job is the document's origin: the bytes are read from the store by sha256. */
export type ExtractJobData = DocumentOrigin;

/** The extracted report travels to the loader (tens of kB of JSON); the document bytes never do. */
export interface LoadJobData {
  /** Named `doc` in the payload (jobs already queued carry it so). */
  doc: DocumentOrigin;
  extractorVersion: string;
  report: Report;
}

export interface JobDataMap {
  crawl: CrawlJobData;
  extract: ExtractJobData;
  load: LoadJobData;
}

/** Content-derived ids: a job enqueued twice runs once. BullMQ allows ':' only as exactly two separators. */
export function jobIdFor<Q extends QueueName>(queue: Q, data: JobDataMap[Q]): string {
  switch (queue) {
    case 'crawl': {
      const crawl = data as CrawlJobData;
      return `crawl:${crawl.portalId ?? safe(crawl.host ?? '')}:${safe(crawl.runKey)}`;
    }
    case 'extract': {
      const extract = data as ExtractJobData;
      return `extract:${extract.sha256}:${safe(EXTRACTOR_VERSION)}`;
    }
    default: {
      const load = data as LoadJobData;
      return `load:${load.doc.sha256}:${safe(load.extractorVersion)}`;
    }
  }
}

function safe(text: string): string {
  return text.replace(/:/g, '_');
}

export interface Enqueuer {
  /** Adds a job unless one with the same id exists; resolves to false when it was a duplicate. */
  enqueue<Q extends QueueName>(queue: Q, data: JobDataMap[Q]): Promise<boolean>;
}

export interface JobContext extends Enqueuer {
  store: Store;
  log(message: string): void;
  /** Aborted when the process was asked to stop (SIGINT/SIGTERM): a long job may stop early by throwing. */
  signal?: AbortSignal;
}

export type Handler<Q extends QueueName> = (data: JobDataMap[Q], ctx: JobContext) => Promise<unknown>;
export type Handlers = { [Q in QueueName]: Handler<Q> };

export interface RetryPolicy {
  /** Total tries, the first included. */
  attempts: number;
  /** First retry after this many ms; doubled each further retry. */
  backoffMs: number;
}

/** NIANBAO_ATTEMPTS and NIANBAO_BACKOFF_MS of the given environment (default: this process's). */
export function retryPolicyFromEnv(env?: NodeJS.ProcessEnv): RetryPolicy {
  const { attempts, backoffMs } = env ? loadConfig(env) : config();
  return { attempts, backoffMs };
}
