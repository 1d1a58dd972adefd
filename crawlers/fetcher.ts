// The only code that talks HTTP for the crawlers. Every request is checked (http(s) only, the portal's own host,
// robots.txt, no private address unless allowed), conditional when we have seen the URL before, size-capped while
// streaming, retried with backoff on 5xx/network errors, recorded with store.recordFetch and archived by sha256.
import { createHash } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import zlib from 'node:zlib';
import type { FetchInput, Store } from '../db/store-types.ts';
import { FetchError, RefusedError } from '../core/errors.ts';
import { guardedLookup, isPrivateAddress } from './net.ts';
import { parseRobots, type RobotsRules } from './robots.ts';

export const USER_AGENT = 'nianbao/0.1 (+https://github.com/nianbao/nianbao)';

export interface FetcherOptions {
  store: Store;
  runId: number | null;
  /** Hosts (host:port) this crawl may touch: the portal's own. */
  hosts: string[];
  /** Where else documents (never list pages) may be fetched: the family's attachment / object-storage hosts that
   *  the portal's own articles point to, as patterns of `host/path`. Same safety rules (scheme, private addresses,
   *  robots, size). */
  documentHosts?: RegExp[];
  allowPrivate?: boolean;
  maxBytes?: number;
  retries?: number;
  backoffMs?: number;
  timeoutMs?: number;
  /** Total time per request, however the bytes trickle in (timeoutMs is per idle socket: a server that drips one
   *  byte every few seconds never trips it). */
  deadlineMs?: number;
  maxRedirects?: number;
  /** Politeness: the least time between two requests of this fetcher (one portal, one host). */
  minIntervalMs?: number;
  onResponse?(info: { url: string; status: number | null; bytes: number }): void;
}

export interface FetchRequest {
  url: string;
  method?: 'GET' | 'POST';
  form?: Record<string, string>;
  referrer?: string | null;
  /** Send If-None-Match / If-Modified-Since from the previous fetch (GET only). */
  conditional?: boolean;
  /** Skip the robots.txt check (for robots.txt itself). */
  skipRobots?: boolean;
  /** Archive the body (default true for 200 responses). */
  archive?: boolean;
  /** A document (attachment): may also come from one of `documentHosts`. */
  document?: boolean;
}

export interface FetchResult {
  url: string;
  finalUrl: string;
  status: number;
  headers: Record<string, string>;
  /** The body: downloaded, or the archived copy on 304. */
  body: Buffer;
  notModified: boolean;
  sha256: string;
  fetchId: number;
  /** Bytes that crossed the network for this request (0 on 304). */
  downloaded: number;
}

const KEEP = ['content-type', 'content-length', 'etag', 'last-modified', 'content-disposition', 'location'];
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const sleep = (ms: number) => new Promise((ok) => setTimeout(ok, ms));

/** A site's hosts as a Fetcher's `hosts`: the host itself and its www. twin (www.x.gov.cn ↔ x.gov.cn). */
export function siteHosts(host: string): string[] {
  return [host, host.startsWith('www.') ? host.slice(4) : `www.${host}`];
}

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  downloaded: number;
}

export class Fetcher {
  private robots = new Map<string, Promise<RobotsRules>>();
  readonly opts: Required<Omit<FetcherOptions, 'onResponse'>> & Pick<FetcherOptions, 'onResponse'>;
  requests = 0;
  bytes = 0;

  constructor(options: FetcherOptions) {
    this.opts = {
      allowPrivate: false,
      maxBytes: 20 * 1024 * 1024,
      retries: 2,
      backoffMs: 1000,
      timeoutMs: 30_000,
      deadlineMs: 180_000,
      maxRedirects: 5,
      minIntervalMs: 1000,
      documentHosts: [] as RegExp[],
      ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)),
    } as Fetcher['opts'];
  }

  /** Throws RefusedError for URLs this crawl must never request. Never opens a connection. */
  checkUrl(raw: string, document = false): URL {
    let parsed: URL;
    try {
      parsed = new URL(raw);
    } catch {
      throw new RefusedError(`refused: not a URL: ${raw}`, 'not-a-url', raw);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
      throw new RefusedError(`refused: scheme ${parsed.protocol} ${raw}`, 'scheme', raw);
    if (!this.opts.hosts.includes(parsed.host) && !(document && this.isDocumentSource(parsed)))
      throw new RefusedError(`refused: off-portal host ${parsed.host}`, 'off-portal', raw);
    const literal = parsed.hostname.replace(/^\[|\]$/g, '');
    if (isIP(literal) && isPrivateAddress(literal) && !this.opts.allowPrivate)
      throw new RefusedError(`refused: private address ${literal}`, 'private-address', raw);
    return parsed;
  }

  /** A document on one of the family's attachment sources: the patterns match `host/path` (no scheme, no query). */
  isDocumentSource(url: URL): boolean {
    return this.opts.documentHosts.some((pattern) => pattern.test(url.host + url.pathname));
  }

  async allowedByRobots(url: string): Promise<boolean> {
    return (await this.robotsFor(url)).isAllowed(url);
  }

  async robotsFor(url: string): Promise<RobotsRules> {
    const target = new URL(url);
    let rules = this.robots.get(target.origin);
    if (!rules) {
      const robotsUrl = `${target.origin}/robots.txt`;
      rules = this.fetch({ url: robotsUrl, skipRobots: true, archive: false, conditional: false })
        .then((r) => parseRobots(robotsUrl, r.status, r.body.toString('utf8'), USER_AGENT))
        .catch((e: Error) => parseRobots(robotsUrl, robotsStatusOf(e), '', USER_AGENT));
      this.robots.set(target.origin, rules);
    }
    return rules;
  }

  async fetch(req: FetchRequest): Promise<FetchResult> {
    const { store, runId } = this.opts;
    const method = req.method ?? 'GET';
    this.checkUrl(req.url, req.document);
    if (!req.skipRobots && !(await this.allowedByRobots(req.url)))
      throw new RefusedError(`refused: robots.txt disallows ${req.url}`, 'robots', req.url);
    const prev = method === 'GET' && req.conditional !== false ? await store.previousFetch(req.url) : null;
    const headers: Record<string, string> = {
      'user-agent': USER_AGENT,
      accept: '*/*',
      'accept-encoding': 'gzip, deflate, br',
      'accept-language': 'zh-CN,zh;q=0.9',
    };
    if (req.referrer) headers.referer = req.referrer;
    if (prev?.sha256) {
      if (prev.etag) headers['if-none-match'] = prev.etag;
      if (prev.lastModified) headers['if-modified-since'] = prev.lastModified;
    }
    const payload = req.form ? new URLSearchParams(req.form).toString() : undefined;
    if (payload) headers['content-type'] = 'application/x-www-form-urlencoded; charset=UTF-8';

    let url = req.url;
    const seen = new Set<string>([url]);
    // Every outcome of this request is recorded against req.url, with the hop it ended on.
    const record = (outcome: Omit<FetchInput, 'runId' | 'url' | 'finalUrl' | 'method' | 'referrer'>) =>
      store.recordFetch({ runId, url: req.url, finalUrl: url, method, referrer: req.referrer ?? null, ...outcome });
    for (let hop = 0; ; hop++) {
      let res: RawResponse;
      try {
        res = await this.withRetries(url, method, headers, payload);
      } catch (err) {
        const error = err as Error;
        await record({ status: err instanceof FetchError ? err.status : null, error: error.message });
        throw err instanceof FetchError || err instanceof RefusedError
          ? err
          : new FetchError(error.message, 'network', url, null, false);
      }
      if (res.status >= 300 && res.status < 400 && res.headers.location) {
        const next = new URL(res.headers.location, url).toString();
        const loop = seen.has(next);
        if (loop || hop + 1 > this.opts.maxRedirects) {
          const msg = loop ? `redirect loop at ${next}` : `more than ${this.opts.maxRedirects} redirects`;
          await record({ status: res.status, headers: res.headers, error: msg });
          throw new FetchError(msg, 'redirect', req.url, res.status);
        }
        this.checkUrl(next, req.document); // a redirect off the portal or to a private address is refused like a link
        if (!(await this.allowedByRobots(next)))
          throw new RefusedError(`refused: robots.txt disallows ${next}`, 'robots', next);
        seen.add(next);
        url = next;
        continue;
      }
      if (res.status === 304 && prev?.sha256) {
        let body: Buffer | null = null;
        try {
          body = await store.readDocument(prev.sha256);
        } catch {
          body = null;
        }
        if (body) {
          const fetchId = await record({
            status: 304,
            headers: res.headers,
            sha256: prev.sha256,
            size: body.length,
            notModified: true,
          });
          return {
            url: req.url,
            finalUrl: url,
            status: 304,
            headers: res.headers,
            body,
            notModified: true,
            sha256: prev.sha256,
            fetchId,
            downloaded: 0,
          };
        }
        // The archived copy is missing: ask again without conditions.
        delete headers['if-none-match'];
        delete headers['if-modified-since'];
        hop--;
        continue;
      }
      const digest = sha256(res.body);
      const fetchId = await record({
        status: res.status,
        headers: res.headers,
        sha256: digest,
        size: res.body.length,
        error: res.status >= 400 ? `HTTP ${res.status}` : null,
      });
      if (res.status >= 400) throw new FetchError(`HTTP ${res.status}`, 'http-status', req.url, res.status);
      if (res.status === 200 && req.archive !== false)
        await store.archiveDocument(res.body, {
          url: req.url,
          contentType: res.headers['content-type'] ?? null,
          fetchId,
        });
      return {
        url: req.url,
        finalUrl: url,
        status: res.status,
        headers: res.headers,
        body: res.body,
        notModified: false,
        sha256: digest,
        fetchId,
        downloaded: res.downloaded,
      };
    }
  }

  private async withRetries(
    url: string,
    method: string,
    headers: Record<string, string>,
    payload?: string,
  ): Promise<RawResponse> {
    for (let attempt = 0; ; attempt++) {
      try {
        const res = await this.once(url, method, headers, payload);
        if (res.status >= 500 && attempt < this.opts.retries) {
          await sleep(this.opts.backoffMs * 2 ** attempt);
          continue;
        }
        return res;
      } catch (err) {
        const permanent = err instanceof RefusedError || (err instanceof FetchError && err.permanent);
        if (permanent || attempt >= this.opts.retries) throw err;
        await sleep(this.opts.backoffMs * 2 ** attempt);
      }
    }
  }

  private lastAt = -Infinity;
  private gate: Promise<void> = Promise.resolve();

  /** Spaces requests evenly (Crawlee's per-minute cap allows a burst of a whole minute's quota at once): callers
   *  queue on one gate, and each leaves it at least minIntervalMs after the previous one did. */
  private pace(): Promise<void> {
    const turn = this.gate.then(async () => {
      const wait = this.lastAt + this.opts.minIntervalMs - Date.now();
      if (wait > 0) await sleep(wait);
      this.lastAt = Date.now();
    });
    this.gate = turn;
    return turn;
  }

  private async once(
    url: string,
    method: string,
    headers: Record<string, string>,
    payload?: string,
  ): Promise<RawResponse> {
    await this.pace();
    return this.request(url, method, headers, payload);
  }

  private request(
    url: string,
    method: string,
    headers: Record<string, string>,
    payload?: string,
  ): Promise<RawResponse> {
    const target = new URL(url);
    const lib = target.protocol === 'https:' ? https : http;
    const maxBytes = this.opts.maxBytes;
    this.requests++;
    return new Promise<RawResponse>((settle, fail) => {
      // Rejected first, then the socket destroyed: the deadline's reason wins over the 'aborted' that follows.
      const deadline = setTimeout(() => {
        reject(
          new FetchError(
            `deadline: no complete response within ${this.opts.deadlineMs} ms`,
            'timeout',
            url,
            null,
            false,
          ),
        );
        req.destroy();
      }, this.opts.deadlineMs);
      const resolve = (value: RawResponse) => {
        clearTimeout(deadline);
        settle(value);
      };
      const reject = (error: Error) => {
        clearTimeout(deadline);
        fail(error);
      };
      const req = lib.request(
        target,
        {
          method,
          headers: payload ? { ...headers, 'content-length': String(Buffer.byteLength(payload)) } : headers,
          lookup: guardedLookup(this.opts.allowPrivate),
          timeout: this.opts.timeoutMs,
        },
        (res) => {
          const kept: Record<string, string> = {};
          for (const header of KEEP)
            if (typeof res.headers[header] === 'string') kept[header] = res.headers[header] as string;
          const declared = Number(res.headers['content-length'] ?? NaN);
          if (declared > maxBytes) {
            res.destroy();
            this.opts.onResponse?.({ url, status: res.statusCode ?? null, bytes: 0 });
            return reject(
              new FetchError(
                `too large: ${declared} bytes declared, limit ${maxBytes}`,
                'too-large',
                url,
                res.statusCode ?? null,
              ),
            );
          }
          let downloaded = 0;
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => {
            downloaded += chunk.length;
            this.bytes += chunk.length;
            if (downloaded > maxBytes) {
              res.destroy();
              req.destroy();
              this.opts.onResponse?.({ url, status: res.statusCode ?? null, bytes: downloaded });
              reject(
                new FetchError(
                  `too large: body passed the limit of ${maxBytes} bytes`,
                  'too-large',
                  url,
                  res.statusCode ?? null,
                ),
              );
              return;
            }
            chunks.push(chunk);
          });
          res.on('error', (e) => reject(new FetchError(e.message, 'network', url, null, false)));
          res.on('end', () => {
            this.opts.onResponse?.({ url, status: res.statusCode ?? null, bytes: downloaded });
            let body: Buffer = Buffer.concat(chunks);
            try {
              body = decompress(body, String(res.headers['content-encoding'] ?? ''), maxBytes);
            } catch (err) {
              const tooBig =
                (err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError;
              return reject(
                new FetchError(
                  tooBig
                    ? `too large: more than ${maxBytes} bytes after decompression`
                    : `bad ${res.headers['content-encoding']} body: ${(err as Error).message}`,
                  tooBig ? 'too-large' : 'bad-encoding',
                  url,
                  res.statusCode ?? null,
                ),
              );
            }
            if (body.length > maxBytes)
              return reject(
                new FetchError(
                  `too large: ${body.length} bytes after decompression, limit ${maxBytes}`,
                  'too-large',
                  url,
                  res.statusCode ?? null,
                ),
              );
            resolve({ status: res.statusCode ?? 0, headers: kept, body, downloaded });
          });
        },
      );
      req.on('timeout', () =>
        req.destroy(new FetchError(`timeout after ${this.opts.timeoutMs} ms`, 'timeout', url, null, false)),
      );
      req.on('error', (err) =>
        reject(
          err instanceof FetchError || err instanceof RefusedError
            ? err
            : new FetchError(err.message, 'network', url, null, false),
        ),
      );
      req.end(payload);
    });
  }
}

/**
 * The status robots.txt counts as when its fetch failed. Too many redirects or a redirect we may not follow: RFC 9309
 * lets a crawler treat it as unavailable (404: allow). An HTTP status counts as itself; no answer (network error,
 * timeout, deadline) leaves it unreachable (null: assume disallowed).
 */
function robotsStatusOf(err: Error): number | null {
  if (err instanceof RefusedError || (err instanceof FetchError && err.reason === 'redirect')) return 404;
  return err instanceof FetchError ? err.status : null;
}

/** Inflates with an output cap, so a compression bomb fails at the size limit instead of exhausting memory. */
function decompress(body: Buffer, encoding: string, maxBytes: number): Buffer {
  const limit = { maxOutputLength: maxBytes };
  switch (encoding.trim().toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
      return zlib.gunzipSync(body, limit);
    case 'deflate':
      return zlib.inflateSync(body, limit);
    case 'br':
      return zlib.brotliDecompressSync(body, limit);
    default:
      return body;
  }
}
