// The review layer of `nianbao serve` (serve/review.ts routes, serve/review-ui.ts panel), put together for the app:
// the routes with the token printed at start, and the report page's panel filled on the server with the report's
// reviews (db/reviews.ts), so the page shows them without waiting for the panel's script.
import type { Hono } from 'hono';
import type pg from 'pg';
import { reviewsOf } from '../db/reviews.ts';
import type { ReportPageDeps } from './pages/report.ts';
import { reviewRoutes } from './review.ts';
import { reviewPanel } from './review-ui.ts';

export interface Review {
  routes: Hono;
  panel: NonNullable<ReportPageDeps['reviewPanel']>;
}

export async function loadReview(opts: { pool: pg.Pool; token: string }): Promise<Review> {
  return {
    routes: reviewRoutes(opts),
    panel: async (input) => reviewPanel(input, await reviewsOf(opts.pool, input.key)),
  };
}
