// The crawl's two judgements that need no network: is a list entry a report, and may this run mark reports gone.
import { FetchError, RefusedError } from '../core/errors.ts';
import type { CrawlErrorKind, CrawlOutcome as RunOutcome } from '../db/store-types.ts';
import { classifyTitle, type PortalPlace } from './classify.ts';
import { isAttachmentUrl } from './links.ts';

const TRUNCATED = /(\.{3}|…+|‥)\s*$/;
/** A cut title that may still be a report: the cut can fall inside the key phrase (…政府信息公…, …政府信…). */
const CUT_REPORTISH = /信息公开|年报|年度报|政府信息?公?$|信息公$/;

export type EntryTriage =
  | { verdict: 'accept'; agency: string | null; year: number }
  /** A report-ish title cut by the list template: fetched, then kept or dropped by the article's full title. */
  | { verdict: 'provisional'; agency: string | null; year: number }
  | { verdict: 'reject'; reason: string };

/** A list text cut with "..." decides nothing: a report-ish one is fetched and judged by its full title. A link
 *  straight to a file is taken on its cut title when that classifies; cut before it does, it is fetched and judged
 *  by the file's name (Content-Disposition or URL), never dropped for being cut. */
export function triageEntry(title: string, place: PortalPlace, url: string): EntryTriage {
  const truncated = TRUNCATED.test(title);
  const verdict = classifyTitle(title.replace(TRUNCATED, ''), place, { truncated });
  const direct = isAttachmentUrl(url);
  if (!verdict.report && !(truncated && CUT_REPORTISH.test(title.replace(TRUNCATED, ''))))
    return { verdict: 'reject', reason: verdict.reason };
  const agency = verdict.report ? verdict.agency : null;
  const year = verdict.report ? verdict.year : 0;
  return { verdict: truncated && (!direct || !verdict.report) ? 'provisional' : 'accept', agency, year };
}

/** The name a file was served under: Content-Disposition's filename* / filename, else the URL's last segment;
 *  without its extension. */
export function servedFileName(contentDisposition: string | null | undefined, url: string): string {
  const header = contentDisposition ?? '';
  const star = /filename\*\s*=\s*(?:UTF-8|utf-8)?''([^;]+)/.exec(header)?.[1];
  const plain = /filename\s*=\s*"?([^";]+)"?/.exec(header)?.[1];
  const last = new URL(url).pathname.split('/').pop() ?? '';
  const raw = star ?? plain ?? last;
  let name = raw;
  try {
    name = decodeURIComponent(raw);
  } catch {
    name = raw;
  }
  return name.replace(/\.[A-Za-z0-9]{2,5}$/, '').trim();
}

/** The article's own title without the site suffix ("…年度报告_某某县人民政府网"). */
export function articleFullTitle(articleTitle: string | null | undefined): string {
  return (articleTitle ?? '').replace(/[_|｜-][^_|｜-]*(网|政府|门户|平台)$/, '').trim();
}

export type GoneBlocker = 'budget' | 'no-column' | 'fatal' | 'list-failed' | 'interrupted';

export interface CrawlOutcome {
  budgetHit: boolean;
  columnFound: boolean;
  fatal: boolean;
  listFailed: boolean;
  interrupted?: boolean;
}

/** Only a complete listing proves a report gone: a budget stop, a missing column, an aborted crawl or a failed
 *  list page each leave reports unseen that may still be there. */
export function goneDecision(outcome: CrawlOutcome): { markGone: boolean; blockers: GoneBlocker[] } {
  const blockers: GoneBlocker[] = [];
  if (outcome.budgetHit) blockers.push('budget');
  if (!outcome.columnFound) blockers.push('no-column');
  if (outcome.fatal) blockers.push('fatal');
  if (outcome.listFailed) blockers.push('list-failed');
  if (outcome.interrupted) blockers.push('interrupted');
  return { markGone: blockers.length === 0, blockers };
}

/** An error's kind from its type (core/errors.ts): a refusal by its reason, a fetch failure by its reason. */
export function errorKind(err: unknown): CrawlErrorKind {
  if (err instanceof RefusedError) {
    if (err.reason === 'robots' || err.reason === 'off-portal' || err.reason === 'private-address') return err.reason;
    return 'off-portal'; // not-a-url, scheme: a link the crawl may not follow
  }
  if (err instanceof FetchError) {
    if (err.reason === 'http-status') return 'http-status';
    if (err.reason === 'too-large') return 'budget';
    if (err.reason === 'bad-encoding') return 'parse';
    return 'network'; // network, timeout, redirect loops
  }
  return 'parse';
}

/** A listing that offers fewer than this share of the entries of the last complete run has failed, not shrunk:
 *  portals drop old reports rarely and a few at a time, while a changed template drops them all. */
export const SHRUNK_SHARE = 0.5;

export function listingShrank(entries: number, lastComplete: number | null): boolean {
  return lastComplete !== null && lastComplete >= 4 && entries < lastComplete * SHRUNK_SHARE;
}

/** The run's one-word outcome: failed (nothing usable from the listing), interrupted, partial (the listing was
 *  cut short: nothing marked gone), complete. */
export function runOutcome(outcome: CrawlOutcome & { interrupted: boolean; listingFailed: boolean }): RunOutcome {
  if (outcome.interrupted) return 'interrupted';
  if (outcome.fatal || !outcome.columnFound || outcome.listingFailed) return 'failed';
  if (outcome.budgetHit || outcome.listFailed) return 'partial';
  return 'complete';
}
