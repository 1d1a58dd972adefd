// What one crawl of one portal has learnt so far, shared by its route handlers and read by the finish step.
import type { CrawlErrorKind, Verification } from '../db/store-types.ts';
import type { Found } from './candidates.ts';
import { errorKind } from './crawl-rules.ts';
import { placeOf, type PortalPlace } from './classify.ts';
import type { PageMeta } from './links.ts';
import type { Job } from './platforms/base.ts';

export interface CrawlError {
  url: string;
  error: string;
  /** What kind of failure (crawl-rules.ts errorKind): operators count portals' errors by it. */
  kind: CrawlErrorKind;
  /** The HTTP status of an http-status error. */
  status?: number | null;
}

/** The queue key of a job: one POST form to one URL is one job, whatever its label. */
export function jobKey(job: Job): string {
  return `${job.method ?? 'GET'} ${job.url} ${job.form ? new URLSearchParams(job.form).toString() : ''}`;
}

/** Which adapter handled one list page, and why it was chosen (detected, or named in portals.yaml). */
export interface ListHandled {
  url: string;
  adapter: string;
  why: string;
}

export class CrawlState {
  /** Listed reports by list-entry URL, until the finish step turns them into candidates. */
  readonly found = new Map<string, Found>();
  /** Entries judged not to be reports (or refused): never looked at again in this run. */
  readonly rejected = new Set<string>();
  /** Job keys ever queued; more of them than handled jobs means the budget stopped the crawl. */
  readonly enqueued = new Set<string>();
  /** SiteIDCode of each list page: a report linked straight to its file has no article page to carry one. */
  readonly pageSiteId = new Map<string, string | null>();
  readonly errors: CrawlError[] = [];
  handled = 0;
  pages = 0;
  columnFound = false;
  /** A list page failed: the listing is incomplete. */
  listFailed = false;
  /** The platform asked for (portals.yaml), else the first adapter detected on a column page: later columns of
   *  the same portal are handled by it. */
  platform: string;
  /** The adapter that handled the first column page. */
  adapterRan: string | null = null;
  /** Every column page: the adapter that handled it and why. */
  readonly lists: ListHandled[] = [];
  /** Report-like list entries any list page offered (before the portal rule): none at all means no adapter could
   *  read the column's list. */
  reportish = 0;

  constructor(
    public place: PortalPlace,
    platform: string | null | undefined,
  ) {
    this.platform = platform && platform !== 'auto' ? platform : 'unknown';
  }

  /** A bound function: adapters receive it as ctx.error. */
  readonly error = (url: string, message: string, kind: CrawlErrorKind = 'parse'): void => {
    this.errors.push({ url, error: message, kind });
  };

  /** An error thrown by the fetcher or a route: its kind from its type, never from its text. */
  readonly fail = (url: string, err: unknown, message = (err as Error).message): void => {
    const status = (err as { status?: unknown }).status;
    this.errors.push({ url, error: message, kind: errorKind(err), status: typeof status === 'number' ? status : null });
  };

  /** The run was stopped by a signal (AbortSignal of CrawlOptions): nothing it did not see may be marked gone. */
  interrupted = false;
  /** The home page's identity check, when this run made one. */
  verification: Verification | null = null;

  /** A portal added by URL alone: its pages' SiteIDCode (first 6 digits = 行政区划代码) names the county, which the
   *  classifier needs to tell this county's reports from reposted neighbours'. */
  learnPlace(meta: PageMeta, url: string): void {
    const siteId = meta.siteIdCode;
    this.pageSiteId.set(url, siteId);
    if (this.place.county) return;
    const code = siteId?.slice(0, 6);
    if (code && /^\d{6}$/.test(code)) this.place = placeOf(code, null);
  }

  get budgetHit(): boolean {
    return this.enqueued.size > this.handled;
  }
}
