// The review routes of `nianbao serve`, the server's only writes: confirm/dismiss a flag, correct a cell, retract a
// correction (db/reviews.ts does the checking and the SQL). A write needs `Authorization: Bearer <token>` (the token
// printed at start) and a JSON body: a form posted from another origin can set neither, so a page elsewhere cannot
// write through a researcher's browser (CSRF). Errors are one line of JSON: 400 bad input, 401 no or wrong token,
// 404 unknown report key or correction, 413 body too large, 415 not JSON.
import { createHash, timingSafeEqual } from 'node:crypto';
import { Hono, type Context, type Handler, type MiddlewareHandler } from 'hono';
import type { BlankEnv } from 'hono/types';
import { bodyLimit } from 'hono/body-limit';
import type pg from 'pg';
import { InputError } from '../core/errors.ts';
import { log } from '../core/log.ts';
import { correctCell, NotFoundError, retractCorrection, reviewFlag, reviewsOf } from '../db/reviews.ts';
import { reviewLists } from './review-ui.ts';

/** Far above any real review (a reason is at most 2,000 characters). */
const MAX_BODY = 16 * 1024;
/** The shortest token accepted: a guessable token would make the write routes public. */
const MIN_TOKEN = 16;

export function reviewRoutes(opts: { pool: pg.Pool; token: string }): Hono {
  const { pool } = opts;
  if (typeof opts.token !== 'string' || opts.token.length < MIN_TOKEN)
    throw new Error(`review token must be at least ${MIN_TOKEN} characters`);
  const app = new Hono();
  app.onError((err, ctx) => failure(ctx, err));

  const token = requireToken(opts.token);
  const limit = bodyLimit({
    maxSize: MAX_BODY,
    onError: (ctx) => ctx.json({ error: `body over ${MAX_BODY} bytes` }, 413),
  });
  const write = <P extends string>(path: P, handler: Handler<BlankEnv, P>) =>
    app.post(path, token, requireJson, limit, handler);

  write('/api/reports/:key/flags/review', async (ctx) => {
    const body = await jsonBody(ctx, ['code', 'path', 'decision', 'reason', 'reviewer']);
    return ctx.json(await reviewFlag(pool, ctx.req.param('key'), body as any), 201);
  });
  write('/api/reports/:key/cells/correction', async (ctx) => {
    const body = await jsonBody(ctx, ['path', 'value', 'reason', 'reviewer']);
    if (!('value' in body)) throw new InputError('value is required (a number, or null for a blank cell)');
    return ctx.json(await correctCell(pool, ctx.req.param('key'), body as any), 201);
  });
  write('/api/corrections/:id/retract', async (ctx) => {
    const param = ctx.req.param('id');
    if (!/^[1-9][0-9]{0,15}$/.test(param)) throw new NotFoundError(`unknown correction ${param}`);
    const body = await jsonBody(ctx, ['reason', 'reviewer']);
    return ctx.json(await retractCorrection(pool, Number(param), body as any), 201);
  });

  app.get('/api/reports/:key/reviews', async (ctx) => ctx.json(await reviewsOf(pool, ctx.req.param('key'))));
  // The lists of the report page's review panel, for its script to refresh them after a write.
  app.get('/reports/:key/review-lists', async (ctx) =>
    ctx.html(reviewLists(await reviewsOf(pool, ctx.req.param('key')))),
  );
  return app;
}

/** 401 unless the request carries the token; compared in constant time (digests, so lengths never differ). */
function requireToken(token: string): MiddlewareHandler {
  const expected = digest(token);
  return async (ctx, next) => {
    const match = /^Bearer +(\S+) *$/i.exec(ctx.req.header('Authorization') ?? '');
    if (!match || !timingSafeEqual(digest(match[1]), expected))
      return ctx.json({ error: 'review writes need Authorization: Bearer <the token nianbao serve printed>' }, 401);
    await next();
  };
}

const requireJson: MiddlewareHandler = async (ctx, next) => {
  const type = (ctx.req.header('Content-Type') ?? '').split(';')[0].trim().toLowerCase();
  if (type !== 'application/json')
    return ctx.json({ error: `send the body as Content-Type: application/json, not ${type || 'nothing'}` }, 415);
  await next();
};

/** The body as a JSON object with only the `allowed` fields (a misspelt field is an error, not ignored). */
async function jsonBody(ctx: Context, allowed: string[]): Promise<Record<string, unknown>> {
  const text = await ctx.req.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (err) {
    throw new InputError(`body is not JSON: ${(err as Error).message}`);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new InputError(`body must be a JSON object with ${allowed.join(', ')}`);
  const unknown = Object.keys(body).filter((name) => !allowed.includes(name));
  if (unknown.length) throw new InputError(`unknown field ${unknown.join(', ')} (expected ${allowed.join(', ')})`);
  return body as Record<string, unknown>;
}

function failure(ctx: Context, err: Error) {
  if (err instanceof NotFoundError) return ctx.json({ error: oneLine(err.message) }, 404);
  if (err instanceof InputError) return ctx.json({ error: oneLine(err.message) }, 400);
  log.error(`review ${ctx.req.method} ${ctx.req.path}: ${err.stack ?? err.message}`);
  return ctx.json({ error: `internal error: ${oneLine(err.message)}` }, 500);
}

function oneLine(text: string): string {
  return text.split('\n')[0].slice(0, 300);
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
