// The JSON API: reports, one report with its versions, its cells with provenance, the coverage matrix and the flags.
// Lists page with limit/offset and say the total. Read-only; every parameter checked (params.ts) before SQL.
import { Hono } from 'hono';
import type pg from 'pg';
import { COVERAGE_STATES } from '../db/queries/coverage.ts';
import { chooseVersion } from './pages/report.ts';
import * as params from './params.ts';
import { BadRequest } from './params.ts';
import {
  coverageCells,
  flagCounts,
  listFlags,
  listReports,
  reportCells,
  reportDetail,
  reportFlags,
} from './queries.ts';

function state(raw: string | undefined): string | null {
  if (raw === undefined || raw === '') return null;
  if (!(COVERAGE_STATES as readonly string[]).includes(raw))
    throw new BadRequest(`state must be one of ${COVERAGE_STATES.join(', ')}, got '${raw.slice(0, 40)}'`);
  return raw;
}

export function apiRoutes(pool: pg.Pool): Hono {
  const api = new Hono();

  api.get('/api/reports', async (ctx) => {
    const arg = (name: string) => ctx.req.query(name);
    const filter = {
      region: params.region(arg('region')),
      year: params.year(arg('year')),
      agency: params.text('agency', arg('agency')),
      template: params.template(arg('template')),
    };
    const page = params.paging(arg);
    const { total, items } = await listReports(pool, filter, page);
    return ctx.json({ total, limit: page.limit, offset: page.offset, items });
  });

  api.get('/api/reports/:key', async (ctx) => {
    const key = params.reportKey(ctx.req.param('key'));
    const { versions, chosen } = await chooseVersion(pool, key, params.version(ctx.req.query('version')));
    const [detail, flags] = await Promise.all([
      reportDetail(pool, chosen.report_id),
      reportFlags(pool, chosen.report_id),
    ]);
    const { blob_path: _blob, report_id: _id, ...report } = detail;
    return ctx.json({
      ...report,
      flags,
      versions: versions.map(({ report_id: _rid, superseded_by: _sup, ...v }) => v),
    });
  });

  api.get('/api/reports/:key/cells', async (ctx) => {
    const key = params.reportKey(ctx.req.param('key'));
    const { chosen } = await chooseVersion(pool, key, params.version(ctx.req.query('version')));
    const page = params.paging((name) => ctx.req.query(name), 200);
    const { total, items } = await reportCells(pool, chosen.report_id, page);
    return ctx.json({
      key,
      extractor_version: chosen.extractor_version,
      status: chosen.status,
      total,
      limit: page.limit,
      offset: page.offset,
      items,
    });
  });

  api.get('/api/coverage', async (ctx) => {
    const arg = (name: string) => ctx.req.query(name);
    const filter = {
      province: params.text('province', arg('province')),
      region: params.region(arg('region')),
      year: params.year(arg('year')),
      state: state(arg('state')),
    };
    const page = params.paging(arg, 100);
    const { total, items } = await coverageCells(pool, filter, page);
    return ctx.json({ total, limit: page.limit, offset: page.offset, items });
  });

  // the quality page's table: flags of current reports by code, with how many reports carry each
  api.get('/api/flags/codes', async (ctx) => {
    const items = await flagCounts(pool, {
      severity: params.severity(ctx.req.query('severity')),
      code: params.flagCode(ctx.req.query('code')),
    });
    return ctx.json({ total: items.length, items });
  });

  api.get('/api/flags', async (ctx) => {
    const arg = (name: string) => ctx.req.query(name);
    const filter = {
      severity: params.severity(arg('severity')),
      code: params.flagCode(arg('code')),
      region: params.region(arg('region')),
      year: params.year(arg('year')),
    };
    const page = params.paging(arg, 100);
    const { total, items } = await listFlags(pool, filter, page);
    return ctx.json({ total, limit: page.limit, offset: page.offset, items });
  });

  return api;
}
