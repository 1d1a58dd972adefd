// The web interface and JSON API of `nianbao serve` as one Hono app: server-rendered pages, the API, the archived
// sources (inert), pdf.js for the browser, and the review routes (serve/review.ts), the only ones that write.
import { Hono, type Context } from 'hono';
import type pg from 'pg';
import { log } from '../core/log.ts';
import { apiRoutes } from './api.ts';
import { escapeHtml, layout, html } from './html.ts';
import { codebookPage } from './pages/codebook.ts';
import { coverageHome, coverageProvince } from './pages/coverage.ts';
import { chooseVersion, reportPage, type ReportPageDeps } from './pages/report.ts';
import { portalsPage, qualityPage, reportsPage } from './pages/tables.ts';
import * as params from './params.ts';
import { BadRequest, NotFound } from './params.ts';
import { reportCells, reportDetail } from './queries.ts';
import { documentSource } from './source/documents.ts';
import { CENTRE_SCRIPT, PDF_VIEW_SCRIPT } from './source/pdf-view.ts';
import { pdfjsFile } from './static.ts';

export interface AppOptions {
  pool: pg.Pool;
  /** The archived bytes of a document (store.readDocument). */
  readDocument(sha256: string): Promise<Buffer>;
  /** Engineer D's review layer, when present: its routes (mounted at /) and the report page's panel. */
  review?: { routes: Hono; panel?: ReportPageDeps['reviewPanel'] };
  /** Host names the requests must name (Host header, port aside); unset: any. A server on the loopback sets its own
   *  names, so a web page elsewhere cannot read the data through a DNS name rebound to 127.0.0.1. */
  allowedHosts?: string[];
}

/** The host of a Host header without its port: `127.0.0.1:8420` → `127.0.0.1`, `[::1]:8420` → `[::1]`. */
export function hostName(header: string): string {
  return header.startsWith('[') ? header.slice(0, header.indexOf(']') + 1) : header.split(':')[0];
}

/** Our own pages: scripts only from this server (pdf.js, the review panel's inline script), nothing from elsewhere. */
const PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self' 'unsafe-inline' 'wasm-unsafe-eval'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "worker-src 'self' blob:",
  "frame-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
].join('; ');
/** An archived page: no script of it runs, nothing is loaded from its portal; only inline styles and data images. */
const SOURCE_CSP =
  "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

const isApi = (ctx: Context) => ctx.req.path.startsWith('/api/');

function oneLine(text: string): string {
  return text.split('\n')[0].slice(0, 300);
}

export function createApp(opts: AppOptions): Hono {
  const { pool } = opts;
  const sources = documentSource(opts.readDocument);
  const deps: ReportPageDeps = { pool, sources, reviewPanel: opts.review?.panel };
  const app = new Hono();
  const allowed = opts.allowedHosts && new Set(opts.allowedHosts.map((name) => name.toLowerCase()));

  if (allowed)
    app.use('*', async (ctx, next) => {
      const host = hostName(ctx.req.header('host') ?? '').toLowerCase();
      if (!allowed.has(host)) return ctx.text(`nianbao serve answers as ${[...allowed].join(', ')} only\n`, 421);
      await next();
    });

  app.use('*', async (ctx, next) => {
    await next();
    ctx.header('X-Content-Type-Options', 'nosniff');
    ctx.header('Referrer-Policy', 'no-referrer');
    if (!ctx.res.headers.has('Content-Security-Policy')) ctx.header('Content-Security-Policy', PAGE_CSP);
  });

  app.onError((err, ctx) => {
    const status = err instanceof BadRequest ? 400 : err instanceof NotFound ? 404 : 500;
    if (status === 500) log.error(`serve ${ctx.req.method} ${ctx.req.path}: ${err.stack ?? err.message}`);
    const message = status === 500 ? `internal error: ${oneLine(err.message)}` : oneLine(err.message);
    if (isApi(ctx)) return ctx.json({ error: message }, status);
    return ctx.html(
      layout(
        `error ${status}`,
        html`<h1>${status}</h1>
          <p>${message}</p>`,
      ),
      status,
    );
  });
  app.notFound((ctx) =>
    isApi(ctx)
      ? ctx.json({ error: `no such endpoint: ${ctx.req.method} ${ctx.req.path}` }, 404)
      : ctx.html(
          layout(
            'not found',
            html`<h1>404</h1>
              <p>no page ${ctx.req.path}</p>`,
          ),
          404,
        ),
  );

  app.route('/', apiRoutes(pool));
  if (opts.review) app.route('/', opts.review.routes);

  const arg = (ctx: Context) => (name: string) => ctx.req.query(name);
  app.get('/', async (ctx) => ctx.html(await coverageHome(pool)));
  app.get('/coverage', async (ctx) => {
    const province = params.text('province', ctx.req.query('province'));
    if (!province) return ctx.redirect('/');
    const page = await coverageProvince(pool, province);
    if (!page) throw new NotFound(`no province ${province} in the registry (give its name as printed, e.g. 黑龙江省)`);
    return ctx.html(page);
  });
  app.get('/portals', async (ctx) => ctx.html(await portalsPage(pool, params.paging(arg(ctx), 200))));
  app.get('/quality', async (ctx) =>
    ctx.html(await qualityPage(pool, params.paging(arg(ctx), 50), params.flagCode(ctx.req.query('code')))),
  );
  app.get('/codebook', (ctx) => ctx.html(codebookPage()));
  app.get('/reports', async (ctx) => {
    const filter = {
      region: params.region(ctx.req.query('region')),
      year: params.year(ctx.req.query('year')),
      agency: params.text('agency', ctx.req.query('agency')),
      template: params.template(ctx.req.query('template')),
    };
    return ctx.html(await reportsPage(pool, filter, params.paging(arg(ctx), 100)));
  });
  app.get('/reports/:key', async (ctx) => {
    const key = params.reportKey(ctx.req.param('key'));
    const options = { cell: params.cellPath(ctx.req.query('cell')), version: params.version(ctx.req.query('version')) };
    return ctx.html(await reportPage(deps, key, options));
  });

  // The archived HTML page with the cell marked, for the report page's sandboxed iframe.
  app.get('/reports/:key/source', async (ctx) => {
    const key = params.reportKey(ctx.req.param('key'));
    const { chosen } = await chooseVersion(pool, key, params.version(ctx.req.query('version')));
    const detail = (await reportDetail(pool, chosen.report_id))!;
    const doc = await sources.load(detail.document_sha256, { contentType: detail.content_type, url: detail.first_url });
    if (doc.format !== 'html') throw new BadRequest(`the source of ${key} is ${doc.format}, not an HTML page`);
    const path = params.cellPath(ctx.req.query('cell'));
    const cell = path ? (await reportCells(pool, chosen.report_id)).items.find((x) => x.path === path) : undefined;
    if (path && !cell) throw new NotFound(`report ${key} has no cell ${path}`);
    const marked = (await sources.marker(doc)).mark(cell?.at ?? null);
    ctx.header('Content-Security-Policy', SOURCE_CSP);
    ctx.header('X-Nianbao-Marked', marked.marked ? 'yes' : marked.note ? `no: ${marked.note}` : 'no cell asked');
    return ctx.html(marked.html);
  });

  // The archived bytes as they were fetched (pdf.js reads the PDF from here); never rendered as a page of ours.
  app.get('/reports/:key/document', async (ctx) => {
    const key = params.reportKey(ctx.req.param('key'));
    const { chosen } = await chooseVersion(pool, key, null);
    const detail = (await reportDetail(pool, chosen.report_id))!;
    const doc = await sources.load(detail.document_sha256, { contentType: detail.content_type, url: detail.first_url });
    ctx.header('Content-Security-Policy', SOURCE_CSP);
    ctx.header('Content-Type', doc.format === 'pdf' ? 'application/pdf' : 'application/octet-stream');
    ctx.header('Content-Disposition', `inline; filename="${key}.${doc.format}"`);
    return ctx.body(new Uint8Array(doc.bytes));
  });

  // browsers ask for it on every page; there is none
  app.get('/favicon.ico', (ctx) => ctx.body(null, 204));
  app.get('/static/pdf-view.js', (ctx) => {
    ctx.header('Content-Type', 'text/javascript; charset=utf-8');
    return ctx.body(PDF_VIEW_SCRIPT);
  });
  app.get('/static/centre.js', (ctx) => {
    ctx.header('Content-Type', 'text/javascript; charset=utf-8');
    return ctx.body(CENTRE_SCRIPT);
  });
  app.get('/static/pdfjs/*', async (ctx) => {
    const file = await pdfjsFile(ctx.req.path.slice('/static/pdfjs/'.length));
    if (!file) throw new NotFound(`no file ${escapeHtml(ctx.req.path)}`);
    ctx.header('Content-Type', file.type);
    ctx.header('Cache-Control', 'max-age=3600');
    return ctx.body(new Uint8Array(file.body));
  });
  return app;
}
