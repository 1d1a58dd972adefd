// IMPORT POINT for the review layer (engineer D: serve/review.ts `reviewRoutes({ pool, token })` and serve/review-ui.ts
// `reviewPanel(...)`). Loaded by path at start, so the server runs read-only until those files exist; when they do,
// their routes are mounted at / and the panel is shown on every report page.
import { existsSync } from 'node:fs';
import type { Hono } from 'hono';
import type pg from 'pg';
import type { ReportPageDeps } from './pages/report.ts';

const ROUTES = new URL('./review.ts', import.meta.url);
const PANEL = new URL('./review-ui.ts', import.meta.url);

export async function loadReview(opts: {
  pool: pg.Pool;
  token: string;
}): Promise<{ routes: Hono; panel?: ReportPageDeps['reviewPanel'] } | undefined> {
  if (!existsSync(ROUTES)) return undefined;
  const routesModule = (await import(ROUTES.href)) as { reviewRoutes(o: { pool: pg.Pool; token: string }): Hono };
  const panelModule = existsSync(PANEL)
    ? ((await import(PANEL.href)) as { reviewPanel?: ReportPageDeps['reviewPanel'] })
    : {};
  return { routes: routesModule.reviewRoutes(opts), panel: panelModule.reviewPanel };
}
