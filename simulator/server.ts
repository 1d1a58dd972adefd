// The portal simulator: one node:http server on 127.0.0.1 hosting several fake county portals under /p/<slug>/.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import iconv from 'iconv-lite';
import {
  ANHUI_PER_PAGE,
  anhuiJson,
  anhuiShell,
  articleBody,
  entries,
  hanwebColumn,
  hanwebDatastore,
  HANWEB,
  page,
  staticList,
  trsList,
  TRS_PER_PAGE,
  type Entry,
} from './cms.ts';
import { generate } from './documents.ts';
import { buildFamilyPortals } from './families.ts';
import { addTraps, BIG_FILE_BYTES, buildSite, type SimPortal, type SimReport, type SimResponse } from './site.ts';

export type { SimPortal, SimReport } from './site.ts';

export interface TruthReport {
  id: string;
  portal: string;
  regionCode: string;
  agency: string;
  year: number;
  title: string;
  /** Where the portal's list points: the article page, or the file itself for a report listed as a direct link. */
  articleUrl: string;
  /** The URLs of the documents that hold the report's values (the article for HTML reports, else the attachment). */
  documents: string[];
  kind: string;
  /** The .expected.json of the document (corpus file, or generated into the simulator's temp folder while it runs);
   *  null for a synthetic stand-in. */
  expectedPath: string | null;
  removed: boolean;
  version: number;
}

export interface GroundTruth {
  portals: Array<{
    slug: string;
    url: string;
    regionCode: string;
    name: string;
    platform: string;
    columnUrl: string;
    /** Read only in a browser (SimPortal.needsBrowser). */
    needsBrowser: boolean;
    reports: TruthReport[];
  }>;
  /** URL prefixes a polite, safe crawler never requests (robots.txt disallowed). */
  disallowed: string[];
  /** Links that must never be connected to (private addresses, other hosts). */
  offsite: string[];
  calendarPrefix: string;
  redirectLoop: string;
  bigFile: string;
}

export interface Simulator {
  url: string;
  portals: SimPortal[];
  truth: GroundTruth;
  /** Request counts by path+query, for trap assertions. */
  hits: Map<string, number>;
  /** New bytes for one report's document (attachment, or the article for HTML reports); generated reports get
   *  new values and a new expected JSON (truth.expectedPath follows). */
  changeReport(id: string): Promise<void>;
  /** The report disappears: lists drop it, its pages answer 404. */
  removeReport(id: string): void;
  /** A transient outage: URLs starting with this prefix answer 503 until cleared with null. */
  setOutage(urlPrefix: string | null): void;
  close(): Promise<void>;
}

/** A family route's response, or the server's own with a Last-Modified date. */
interface Res extends SimResponse {
  lastModified?: string;
}

const MIME: Record<string, string> = {
  pdf: 'application/pdf',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  wps: 'application/octet-stream',
};
const html = (body: string, extra: Partial<Res> = {}): Res => ({
  status: 200,
  body,
  type: 'text/html; charset=utf-8',
  ...extra,
});
const notFound = (): Res => ({
  status: 404,
  body: '<html><body>404 Not Found</body></html>',
  type: 'text/html; charset=iso-8859-1',
  noCache: true,
});

function docBytes(report: SimReport): Buffer {
  return report.content.bytes!;
}

/** A re-published report: generated ones are re-rendered with new values (and a new expected JSON); corpus files
 *  get a trailing revision marker (new bytes, same values). */
async function revise(report: SimReport, tmp: string): Promise<void> {
  report.version++;
  const generated = report.content.generated;
  if (generated) {
    const who = {
      agency: report.agency,
      year: report.year,
      title: report.title,
      regionCode: generated.report.region_code!,
      publishedAt: report.published,
    };
    report.content = await generate(
      report.kind === 'html' ? 'html' : 'docx',
      who,
      generated.seed + 7919 * report.version,
      join(tmp, `${report.id}-v${report.version}.expected.json`),
    );
  } else if (report.content.bytes) {
    report.content = {
      ...report.content,
      bytes: Buffer.concat([report.content.bytes, Buffer.from(`\n% revision ${report.version}\n`)]),
    };
  } else {
    report.content = { ...report.content, html: `${report.content.html}<!-- revision ${report.version} -->` };
  }
}

function revisedDate(report: SimReport): string {
  const date = new Date(report.published + 'T00:00:00Z');
  date.setUTCDate(date.getUTCDate() + (report.version - 1));
  return date.toUTCString();
}

// The static site cuts long titles in its lists: "宝清县七星河乡人民政府2020年度政府信息公开工..." — the crawler must
// read the full title on the article page before deciding.
const GENERIC_CUT = 24;

function portalRoutes(
  portal: SimPortal,
  path: string,
  query: URLSearchParams,
  method: string,
  form: URLSearchParams,
): Res | null {
  const base = portal.basePath;
  const rel = (dir: string) => (href: string) => (href.startsWith(dir) ? './' + href.slice(dir.length) : href);
  // Module-rendered reports (xxgkAnnualReport.jsp?area=…&fbtime=…) are articles with a query.
  const report = portal.reports.find(
    (r) => r.articlePath === path || (query.size > 0 && r.articlePath === `${path}?${query}`),
  );
  if (report) {
    if (report.removed) return notFound();
    const dir = path.slice(0, path.lastIndexOf('/') + 1);
    const gbk = portal.family === 'trs';
    const id = Number(/(\d+)\.html$/.exec(path)?.[1] ?? 0);
    const body = page(portal, {
      title: report.title,
      charset: gbk ? 'gb2312' : 'utf-8',
      article: { title: report.title, date: report.published },
      body: `<div class="${{ hanweb: 'zoom', trs: 'TRS_Editor', anhui: 'j-fontContent', generic: 'content', jpaas: 'zoom', gkmlpt: 'content', truecms: 'zoom', xxgk: 'xxgk_content', epoint: 'ewb-article', cnnn: 'zfxxgk_content', gongkai: 'article-content' }[portal.family]}" id="zoom">\n${articleBody(report, portal.attachmentHref ?? (portal.family === 'trs' ? rel(dir) : (h) => h), portal.attachmentMarkup)}\n</div>`,
    });
    return {
      status: 200,
      body,
      gbk,
      type: gbk && id % 2 === 0 ? 'text/html' : gbk ? 'text/html; charset=gb2312' : 'text/html; charset=utf-8',
      lastModified: report.kind === 'html' ? revisedDate(report) : undefined,
      headers: report.delayMs ? { 'x-delay': String(report.delayMs) } : {},
    };
  }
  const att = portal.reports.find(
    (r) => r.attachmentPath && !r.onStorageHost && path + (query.size ? '?' + query : '') === r.attachmentPath,
  );
  if (att) {
    if (att.removed) return notFound();
    const ext = att.kind;
    const headers: Record<string, string> = {};
    let type = MIME[ext];
    if (portal.family === 'hanweb' || portal.namesFiles) {
      type = 'application/octet-stream';
      headers['content-disposition'] = `attachment; filename*=UTF-8''${encodeURIComponent(att.attachmentName!)}`;
    }
    return { status: 200, body: docBytes(att), type, headers, lastModified: revisedDate(att) };
  }
  const dist = portal.pages.get(path);
  if (dist) {
    const gbk = portal.family === 'trs';
    return {
      status: 200,
      gbk,
      type: gbk ? 'text/html' : 'text/html; charset=utf-8',
      body: page(portal, {
        title: dist.title,
        charset: gbk ? 'gb2312' : 'utf-8',
        article: { title: dist.title, date: dist.date },
        body: `<div class="TRS_Editor content" id="zoom"><h1>${dist.title}</h1>${dist.body}</div>`,
      }),
    };
  }
  if (portal.routes) return portal.routes({ path, query, method, form });
  const list = entries(portal);
  switch (portal.family) {
    case 'hanweb': {
      if (path === base || path === base + 'index.html')
        return html(
          staticList(portal, `${portal.name}人民政府`, [
            { title: '首页', href: base + 'index.html' },
            { title: '政务动态', href: base + 'col/col300/index.html' },
            { title: '政府信息公开', href: base + 'col/col100/index.html' },
            { title: '政府工作报告', href: base + 'col/col200/index.html' },
          ]),
        );
      if (path === base + 'col/col100/index.html')
        return html(
          staticList(portal, '政府信息公开', [
            { title: '政府信息公开指南', href: base + 'col/col101/index.html' },
            { title: '政府信息公开制度', href: base + 'col/col102/index.html' },
            { title: '政府信息公开年报', href: base + 'col/col1234/index.html' },
          ]),
        );
      if (path === base + 'col/col200/index.html' || path === base + 'col/col300/index.html')
        return html(
          staticList(portal, '政府工作报告', [
            {
              title: `${portal.name}2023年政府工作报告`,
              href: base + 'art/2023/2/1/art_200_1.html',
              date: '2023-02-01',
            },
          ]),
        );
      if (path === base + 'col/col1234/index.html') return html(hanwebColumn(portal, list, '政府信息公开年报'));
      if (path === base + 'module/web/jpage/dataproxy.jsp') {
        const ok =
          method === 'POST' &&
          form.get('columnid') === String(HANWEB.columnid) &&
          form.get('unitid') === String(HANWEB.unitid) &&
          form.get('webid') === String(HANWEB.webid);
        if (!ok) return { status: 200, body: '', type: 'text/html; charset=utf-8', noCache: true };
        const start = Number(query.get('startrecord')),
          end = Number(query.get('endrecord'));
        // Real jpage groups carry one look-ahead record, so adjacent groups overlap by one.
        return {
          status: 200,
          body: hanwebDatastore(portal, list, start - 1, end + 1),
          type: 'text/xml; charset=utf-8',
          noCache: true,
        };
      }
      return null;
    }
    case 'trs': {
      const col = base + 'zwgk/zfxxgknb/';
      if (path === base || path === base + 'index.html')
        return {
          status: 200,
          gbk: true,
          type: 'text/html; charset=gb2312',
          body: staticList(portal, `${portal.name}人民政府`, [
            { title: '首页', href: './index.html' },
            { title: '新闻中心', href: './xwzx/index.html' },
            { title: '政务公开', href: './zwgk/index.html' },
          ]).replace('charset=utf-8', 'charset=gb2312'),
        };
      if (path === base + 'zwgk/' || path === base + 'zwgk/index.html')
        return {
          status: 200,
          gbk: true,
          type: 'text/html',
          body: staticList(portal, '政务公开', [
            { title: '政府信息公开指南', href: './zfxxgkzn/index.html' },
            { title: '政府信息公开年报', href: './zfxxgknb/index.html' },
          ]).replace('charset=utf-8', 'charset=gb2312'),
        };
      const pageName = /^index(?:_(\d+))?\.html$/.exec(path.slice(col.length));
      if (path.startsWith(col) && (pageName || path === col)) {
        const cur = pageName?.[1] ? Number(pageName[1]) : 0;
        if (cur * TRS_PER_PAGE >= Math.max(list.length, 1)) return notFound();
        return { status: 200, gbk: true, type: 'text/html', body: trsList(portal, list, cur, col, rel(col)) };
      }
      return null;
    }
    case 'anhui': {
      if (path === base || path === base + 'index.html')
        return html(
          staticList(portal, `${portal.name}人民政府`, [
            { title: '首页', href: base + 'index.html' },
            { title: '政务公开', href: base + 'public/column/6596?type=4&action=index' },
          ]),
        );
      if (path === base + 'public/column/6596' && query.get('action') === 'index')
        return html(
          staticList(portal, '政务公开', [
            { title: '政府信息公开指南', href: base + 'public/column/6596?type=4&catId=7001&action=list' },
            { title: '政府信息公开年报', href: base + 'public/column/6596?type=4&catId=7011&action=list' },
          ]),
        );
      if (path === base + 'public/column/6596' && query.get('catId') === '7011') return html(anhuiShell(portal));
      if (path === base + 'public/column/list.json' && query.get('catId') === '7011') {
        const pageNo = Number(query.get('page') || 1);
        if (!(pageNo >= 1) || (pageNo - 1) * ANHUI_PER_PAGE >= Math.max(list.length, 1))
          return {
            status: 200,
            body: JSON.stringify({ total: list.length, page: pageNo, pageCount: 0, data: [] }),
            type: 'application/json',
          };
        return { status: 200, body: anhuiJson(list, pageNo), type: 'application/json; charset=utf-8' };
      }
      return null;
    }
    case 'generic': {
      const col = base + 'zfxxgk/zfxxgknb/';
      if (path === base || path === base + 'index.html')
        return html(
          staticList(portal, `${portal.name}人民政府`, [
            { title: '首页', href: base },
            { title: '政府信息公开', href: base + 'zfxxgk/' },
            { title: '办事服务', href: base + 'bsfw/' },
          ]),
        );
      if (path === base + 'zfxxgk/')
        return html(
          staticList(portal, '政府信息公开', [
            { title: '政府信息公开指南', href: base + 'zfxxgk/zn.html' },
            { title: '政府信息公开年报', href: col },
          ]),
        );
      const years = [2024, 2023, 2022, 2021, 2020, 2019];
      if (path === col) {
        const subs = [
          ...years.map((y) => ({ title: `${y}年`, href: `${col}${y}/` })),
          { title: '乡镇（街道）年报', href: `${col}xzjd/` },
        ];
        const rest = portal.links.map((l) => ({ title: l.title, href: l.href, date: l.date }));
        return html(
          staticList(
            portal,
            '政府信息公开年报',
            [...subs, ...rest],
            `<div class="calendar"><a href="${col}calendar/2024-01/">按日期浏览</a></div>`,
            GENERIC_CUT,
          ),
        );
      }
      const yearDir = /^(\d{4})\/$/.exec(path.slice(col.length));
      if (path.startsWith(col) && yearDir && years.includes(Number(yearDir[1])))
        return html(
          staticList(
            portal,
            `${yearDir[1]}年`,
            entries(portal, (r) => r.year === Number(yearDir[1]) && !r.articlePath.includes('/xzjd/'), []),
            '',
            GENERIC_CUT,
          ),
        );
      if (path === col + 'xzjd/')
        return html(
          staticList(
            portal,
            '乡镇（街道）年报',
            entries(portal, (r) => r.articlePath.includes('/xzjd/'), []),
            '',
            GENERIC_CUT,
          ),
        );
      const cal = /^calendar\/(\d{4})-(\d{2})\/$/.exec(path.slice(col.length));
      if (path.startsWith(col) && cal) {
        const month = new Date(Date.UTC(Number(cal[1]), Number(cal[2]) - 1, 1));
        const ym2 = (dd: Date) => `${dd.getUTCFullYear()}-${String(dd.getUTCMonth() + 1).padStart(2, '0')}`;
        const prev = new Date(month),
          next = new Date(month);
        prev.setUTCMonth(month.getUTCMonth() - 1);
        next.setUTCMonth(month.getUTCMonth() + 1);
        return html(
          staticList(portal, `${cal[1]}年${cal[2]}月`, [
            { title: '上一月', href: `${col}calendar/${ym2(prev)}/` },
            { title: '下一月', href: `${col}calendar/${ym2(next)}/` },
          ]),
          { noCache: true },
        );
      }
      if (path === col + 'loop/a.html')
        return { status: 302, body: '', headers: { location: col + 'loop/b.html' }, noCache: true };
      if (path === col + 'loop/b.html')
        return { status: 302, body: '', headers: { location: './a.html' }, noCache: true };
      if (path === col + 'error/500.html')
        return { status: 500, body: 'Internal Server Error', type: 'text/plain', noCache: true };
      if (path === col + 'private/2023/t1.html')
        return html(
          page(portal, {
            title: `${portal.name}民政局2023年政府信息公开工作年度报告`,
            body: '<table><tr><td>本不该被抓取</td></tr></table>',
          }),
        );
      return null;
    }
    default:
      return null;
  }
}

function etagOf(buf: Buffer): string {
  return `"${createHash('sha1').update(buf).digest('hex').slice(0, 16)}"`;
}

/** `families`: add the real-world family portals (simulator/families.ts) beside the four core ones, and the
 *  object-storage host (a second server) that one of them keeps its attachments on. */
export async function startSimulator(
  opts: { port?: number; seed?: number; families?: boolean } = {},
): Promise<Simulator> {
  const tmp = mkdtempSync(join(tmpdir(), 'nianbao-sim-'));
  const portals = await buildSite(opts.seed ?? 1, tmp);
  addTraps(portals);
  let storageUrl = '';
  if (opts.families) portals.push(...(await buildFamilyPortals(opts.seed ?? 1, tmp, () => storageUrl)));
  const hits = new Map<string, number>();
  let outage: string | null = null;
  let url = '';
  const generic = portals.find((p) => p.family === 'generic')!;
  const col = `${generic.basePath}zfxxgk/zfxxgknb/`;
  const bigPath = generic.reports.find((r) => r.extraAttachment)!.extraAttachment!.path;
  const robots = `User-agent: *\nDisallow: ${col}private/\nDisallow: /p/suibin/module/jslib/\n`;

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const requestUrl = new URL(req.url ?? '/', 'http://sim.local');
      const key = requestUrl.pathname + requestUrl.search;
      hits.set(key, (hits.get(key) ?? 0) + 1);
      void respond(req, res, requestUrl, Buffer.concat(chunks).toString()).catch(() => res.destroy());
    });
  });

  async function respond(req: IncomingMessage, res: ServerResponse, requestUrl: URL, body: string) {
    if (outage && `${url}${requestUrl.pathname}${requestUrl.search}`.startsWith(outage))
      return send(req, res, { status: 503, body: 'Service Unavailable', type: 'text/plain', noCache: true });
    if (requestUrl.pathname === '/robots.txt') return send(req, res, { status: 200, body: robots, type: 'text/plain' });
    if (requestUrl.pathname === bigPath) {
      // 30 MB, streamed from one repeated chunk, never held in memory.
      res.writeHead(200, { 'content-type': 'application/pdf', 'content-length': String(BIG_FILE_BYTES) });
      const chunk = Buffer.alloc(1 << 20, 0x20);
      let sent = 0;
      const pump = () => {
        while (sent < BIG_FILE_BYTES) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      res.on('close', () => {
        sent = BIG_FILE_BYTES;
      });
      return pump();
    }
    const portal = portals.find(
      (pp) => requestUrl.pathname.startsWith(pp.basePath) || requestUrl.pathname + '/' === pp.basePath,
    );
    const routed = portal
      ? portalRoutes(
          portal,
          requestUrl.pathname === portal.basePath.slice(0, -1) ? portal.basePath : requestUrl.pathname,
          requestUrl.searchParams,
          req.method ?? 'GET',
          new URLSearchParams(body),
        )
      : null;
    const out = routed ?? notFound();
    const delay = Number(out.headers?.['x-delay'] ?? 0);
    if (delay) await new Promise((ok) => setTimeout(ok, delay));
    send(req, res, out);
  }

  function send(req: IncomingMessage, res: ServerResponse, response: Res) {
    const buf =
      typeof response.body === 'string'
        ? response.gbk
          ? iconv.encode(response.body, 'gb18030')
          : Buffer.from(response.body)
        : response.body;
    const headers: Record<string, string> = { ...response.headers };
    delete headers['x-delay'];
    if (response.type) headers['content-type'] = response.type;
    if (response.status === 200 && !response.noCache) {
      const etag = etagOf(buf);
      const lastModified = response.lastModified ?? 'Mon, 01 Apr 2024 00:00:00 GMT';
      headers.etag = etag;
      headers['last-modified'] = lastModified;
      const inm = req.headers['if-none-match'];
      const ims = req.headers['if-modified-since'];
      if ((inm && inm === etag) || (!inm && ims && Date.parse(ims) >= Date.parse(lastModified))) {
        res.writeHead(304, { etag, 'last-modified': lastModified });
        return res.end();
      }
    }
    headers['content-length'] = String(buf.length);
    res.writeHead(response.status, headers);
    res.end(req.method === 'HEAD' ? undefined : buf);
  }

  // A busy port rejects (the caller falls back to a free one) instead of an unhandled 'error' event; the documents
  // written for this simulator go with it.
  await new Promise<void>((ok, fail) => {
    const refused = (error: Error) => {
      rmSync(tmp, { recursive: true, force: true });
      fail(error);
    };
    server.once('error', refused);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', refused);
      ok();
    });
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // The object-storage host: another host:port, serving only the attachments kept there.
  const storage = createServer((req, res) => {
    const requestUrl = new URL(req.url ?? '/', 'http://sim.local');
    hits.set(`storage:${requestUrl.pathname}`, (hits.get(`storage:${requestUrl.pathname}`) ?? 0) + 1);
    const doc = portals
      .flatMap((portal) => portal.reports)
      .find((r) => r.onStorageHost && r.attachmentPath === requestUrl.pathname);
    send(
      req,
      res,
      doc && !doc.removed
        ? { status: 200, body: docBytes(doc), type: MIME[doc.kind], lastModified: revisedDate(doc) }
        : notFound(),
    );
  });
  if (opts.families) {
    await new Promise<void>((ok) => storage.listen(0, '127.0.0.1', ok));
    storageUrl = `http://127.0.0.1:${(storage.address() as AddressInfo).port}`;
  }
  const truthReport = (portal: SimPortal, report: SimReport): TruthReport => ({
    id: report.id,
    portal: portal.slug,
    regionCode: portal.regionCode,
    agency: report.agency,
    year: report.year,
    title: report.title,
    articleUrl: url + (report.direct ? report.attachmentPath! : report.articlePath),
    documents: [(report.onStorageHost ? storageUrl : url) + (report.attachmentPath ?? report.articlePath)],
    kind: report.kind,
    expectedPath: report.content.expectedPath,
    removed: report.removed,
    version: report.version,
  });
  const truth: GroundTruth = {
    portals: portals.map((portal) => ({
      slug: portal.slug,
      url: url + portal.basePath,
      regionCode: portal.regionCode,
      name: portal.name,
      platform: portal.platform ?? portal.family,
      columnUrl: url + portal.columnPath,
      needsBrowser: portal.needsBrowser ?? false,
      reports: portal.reports.map((r) => truthReport(portal, r)),
    })),
    disallowed: [url + col + 'private/'],
    offsite: portals.flatMap((p) => p.links.filter((l) => /^https?:/.test(l.href)).map((l) => l.href)),
    calendarPrefix: url + col + 'calendar/',
    redirectLoop: url + col + 'loop/',
    bigFile: url + bigPath,
  };
  const find = (id: string) => {
    for (const portal of portals) {
      const report = portal.reports.find((x) => x.id === id);
      if (report)
        return {
          report,
          expected: truth.portals.find((tp) => tp.slug === portal.slug)!.reports.find((x) => x.id === id)!,
        };
    }
    throw new Error(`no simulated report ${id}`);
  };
  return {
    url,
    portals,
    truth,
    hits,
    async changeReport(id) {
      const { report, expected } = find(id);
      await revise(report, tmp);
      expected.version = report.version;
      expected.expectedPath = report.content.expectedPath;
    },
    removeReport(id) {
      const { report, expected } = find(id);
      report.removed = true;
      expected.removed = true;
    },
    setOutage(prefix) {
      outage = prefix;
    },
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        storage.closeAllConnections();
        if (storage.listening) storage.close();
        server.close(() => {
          rmSync(tmp, { recursive: true, force: true });
          ok();
        });
      }),
  };
}

export type { Entry };
