// The review routes through hono's app.request() (no socket): the token and JSON gates, one-line errors with their
// statuses, 201 with the entry written, and the GET that lists it; the panel's HTML escapes what reviewers typed;
// in real Chromium (when installed) the panel's script posts a correction, a verdict and a retraction.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Hono } from 'hono';
import { withTestStore, type TestStore } from '../helpers/db.ts';
import { makeReport } from '../db/fixtures.ts';
import { reviewRoutes } from '../../serve/review.ts';
import { reviewPanel, reviewLists } from '../../serve/review-ui.ts';
import { reviewsOf } from '../../db/reviews.ts';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { browserAvailable, CHROMIUM, CHROMIUM_ARGS } from '../../crawlers/chromium.ts';
import { listen } from '../../serve/server.ts';

const TOKEN = 'a3f1c0ffee5eed5a3f1c0ffee5eed5a3';
let testStore: TestStore;
let app: Hono;
let key: string;

before(async () => {
  testStore = await withTestStore();
  const url = 'http://www.suibin.gov.cn/art/2022/1/20/review.html';
  const fetchId = await testStore.store.recordFetch({ url, status: 200, fetchedAt: new Date(), headers: {} });
  const doc = await testStore.store.archiveDocument(Buffer.from('<html>review</html>'), {
    url,
    contentType: 'text/html',
    fetchId,
  });
  await testStore.store.upsertReport(makeReport(), { sha256: doc.sha256, url });
  key = doc.sha256.slice(0, 16);
  app = reviewRoutes({ pool: testStore.store.pool, token: TOKEN });
});
after(async () => {
  await testStore?.cleanup();
});

const JSON_TYPE = { 'Content-Type': 'application/json' };
const AUTH = { ...JSON_TYPE, Authorization: `Bearer ${TOKEN}` };

function post(path: string, body: unknown, headers: Record<string, string> = AUTH) {
  return app.request(path, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
}

/** The response's status and its one-line JSON error. */
async function failed(res: Response, status: number, message: RegExp) {
  assert.equal(res.status, status, await res.clone().text());
  const body = await res.json();
  assert.deepEqual(Object.keys(body), ['error']);
  assert.ok(!body.error.includes('\n'));
  assert.match(body.error, message);
}

async function entries(): Promise<number> {
  const { rows } = await testStore.store.pool.query(
    'SELECT (SELECT count(*) FROM cell_corrections) + (SELECT count(*) FROM flag_reviews) AS n',
  );
  return Number(rows[0].n);
}

const correction = { path: 'requests.new.commercial', value: 11, reason: '原表为11', reviewer: '王' };

describe('review routes', () => {
  test('a write without the token, with a wrong one or as a form post is refused, and nothing is written', async () => {
    const before = await entries();
    const url = `/api/reports/${key}/cells/correction`;
    await failed(await post(url, correction, JSON_TYPE), 401, /Authorization: Bearer/);
    await failed(await post(url, correction, { ...JSON_TYPE, Authorization: `Bearer ${TOKEN}x` }), 401, /Bearer/);
    await failed(await post(url, correction, { ...JSON_TYPE, Authorization: TOKEN }), 401, /Bearer/);
    // A cross-origin HTML form can send neither the header nor a JSON content type.
    const form = new URLSearchParams({ path: correction.path, value: '11', reason: 'x', reviewer: 'y' }).toString();
    await failed(
      await post(url, form, { 'Content-Type': 'application/x-www-form-urlencoded' }),
      401,
      /Authorization: Bearer/,
    );
    await failed(
      await post(url, form, { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/x-www-form-urlencoded' }),
      415,
      /^send the body as Content-Type: application\/json, not application\/x-www-form-urlencoded$/,
    );
    await failed(await post(url, 'x'.repeat(20_000)), 413, /body over 16384 bytes/);
    assert.equal(await entries(), before);
  });

  test('bad JSON and bad fields are 400, unknown keys and corrections 404, each in one line', async () => {
    const before = await entries();
    const url = `/api/reports/${key}/cells/correction`;
    await failed(await post(url, '{"path": '), 400, /^body is not JSON: /);
    await failed(await post(url, '[1]'), 400, /^body must be a JSON object with path, value, reason, reviewer$/);
    await failed(await post(url, { ...correction, vlaue: 1 }), 400, /^unknown field vlaue \(expected path, value/);
    const { value: _, ...noValue } = correction;
    await failed(await post(url, noValue), 400, /^value is required \(a number, or null for a blank cell\)$/);
    await failed(await post(url, { ...correction, value: '11' }), 400, /^value must be a finite number/);
    await failed(await post(url, { ...correction, reason: '' }), 400, /^reason is required$/);
    await failed(await post(url, { ...correction, path: 'requests.new.x' }), 400, /is not a cell of report/);
    await failed(await post('/api/reports/ffffffffffffffff/cells/correction', correction), 404, /^unknown report key/);
    await failed(await post('/api/corrections/abc/retract', { reason: 'x', reviewer: 'y' }), 404, /unknown correction/);
    await failed(await post('/api/corrections/99999/retract', { reason: 'x', reviewer: 'y' }), 404, /99999/);
    const flagUrl = `/api/reports/${key}/flags/review`;
    await failed(await post(flagUrl, { code: 'CELL_BLANK', decision: 'ok', reviewer: 'y' }), 400, /^decision must/);
    await failed(await app.request('/api/reports/nothex/reviews'), 404, /^unknown report key "nothex"/);
    assert.equal(await entries(), before);
  });

  test('201 with the entry on success; GET lists what is in force and the history', async () => {
    const made = await post(`/api/reports/${key}/cells/correction`, correction);
    assert.equal(made.status, 201);
    const entry = await made.json();
    assert.deepEqual(
      [entry.reportKey, entry.path, entry.extractedValue, entry.correctedValue, entry.reason, entry.reviewer],
      [key, 'requests.new.commercial', 1, 11, '原表为11', '王'],
    );
    assert.equal(typeof entry.id, 'number');

    const blank = await post(`/api/reports/${key}/cells/correction`, {
      path: 'requests.new.total',
      value: null,
      reason: '合计栏空白',
      reviewer: '李',
    });
    assert.equal(blank.status, 201);
    const blankEntry = await blank.json();
    assert.equal(blankEntry.correctedValue, null);

    const flag = await post(`/api/reports/${key}/flags/review`, {
      code: 'CELL_BLANK',
      path: 'requests.granted.research',
      decision: 'confirmed',
      reviewer: '王',
    });
    assert.equal(flag.status, 201);
    assert.deepEqual((({ code, path, decision, reason }) => ({ code, path, decision, reason }))(await flag.json()), {
      code: 'CELL_BLANK',
      path: 'requests.granted.research',
      decision: 'confirmed',
      reason: null,
    });

    const retracted = await post(`/api/corrections/${blankEntry.id}/retract`, { reason: '看错了', reviewer: '李' });
    assert.equal(retracted.status, 201);
    assert.equal((await retracted.json()).retracts, blankEntry.id);

    const listed = await app.request(`/api/reports/${key}/reviews`);
    assert.equal(listed.status, 200);
    const reviews = await listed.json();
    assert.deepEqual(reviews, JSON.parse(JSON.stringify(await reviewsOf(testStore.store.pool, key))));
    assert.deepEqual(
      reviews.corrections.map((c: any) => [c.correctionId, c.path, c.extractedValue, c.correctedValue, c.stale]),
      [[entry.id, 'requests.new.commercial', 1, 11, false]],
    );
    assert.deepEqual(
      reviews.flags.map((f: any) => [f.code, f.path, f.decision, f.flagStillPresent]),
      [['CELL_BLANK', 'requests.granted.research', 'confirmed', true]],
    );
    assert.equal(reviews.history.corrections.length, 3);
    assert.ok(reviews.raised.some((f: any) => f.code === 'CELL_BLANK'));

    const lists = await app.request(`/reports/${key}/review-lists`);
    assert.equal(lists.status, 200);
    assert.match(lists.headers.get('content-type') ?? '', /text\/html/);
    assert.match(await lists.text(), /data-retract="\d+"/);
  });

  test('the panel escapes every string a reviewer or the report supplied', async () => {
    const sneaky = '<script>alert(1)</script>"\'&';
    const res = await post(`/api/reports/${key}/flags/review`, {
      code: 'CELL_BLANK',
      path: 'requests.granted.research',
      decision: 'dismissed',
      reason: sneaky,
      reviewer: '<b>me</b>',
    });
    assert.equal(res.status, 201);
    const reviews = await reviewsOf(testStore.store.pool, key);
    const panel = reviewPanel(key, reviews);
    assert.ok(!panel.includes('<script>alert'), 'no markup from a reason');
    assert.ok(!panel.includes('<b>me</b>'));
    assert.ok(panel.includes('&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;'));
    assert.ok(panel.includes('&lt;b&gt;me&lt;/b&gt;'));
    assert.equal((panel.match(/<script>/g) ?? []).length, 1, "only the panel's own script");
    assert.ok(panel.includes(`data-report-key="${key}"`));
    // The report page's call (an object, no reviews): the script loads the same lists.
    const deferred = reviewPanel({ key, selected: 'requests.new.total' });
    assert.match(deferred, /data-load="on-start"/);
    assert.match(deferred, /data-selected="requests\.new\.total"/);
    assert.ok(reviewLists(reviews).includes('dismissed'));
  });

  test('a token shorter than 16 characters is refused at start', () => {
    assert.throws(() => reviewRoutes({ pool: testStore.store.pool, token: 'short' }), /at least 16 characters/);
  });
});

describe('mounted in the nianbao serve app', () => {
  test('the routes answer through createApp, errors keep their status, and the report page shows the panel', async () => {
    const { createApp } = await import('../../serve/app.ts');
    const { loadReview } = await import('../../serve/review-mount.ts');
    const review = await loadReview({ pool: testStore.store.pool, token: TOKEN });
    assert.ok(review?.panel, 'serve/review-mount.ts finds both modules');
    const full = createApp({
      pool: testStore.store.pool,
      readDocument: (sha) => testStore.store.readDocument(sha),
      review,
    });
    const bad = await full.request(`/api/reports/${key}/cells/correction`, {
      method: 'POST',
      headers: AUTH,
      body: JSON.stringify({ ...correction, path: 'requests.new.x' }),
    });
    await failed(bad, 400, /is not a cell of report/);
    await failed(
      await full.request(`/api/reports/${key}/cells/correction`, { method: 'POST', body: '{}' }),
      401,
      /Bearer/,
    );
    const listed = await full.request(`/api/reports/${key}/reviews`);
    assert.equal(listed.status, 200);
    assert.equal((await listed.json()).reportKey, key);
    const page = await full.request(`/reports/${key}?cell=requests.new.total`);
    assert.equal(page.status, 200);
    const text = await page.text();
    assert.match(text, /class="nianbao-review"/);
    assert.match(text, /data-selected="requests\.new\.total"/);
  });
});

const ARTIFACTS = fileURLToPath(new URL('../.artifacts/serve/', import.meta.url));
const noBrowser = browserAvailable() ? false : `no Chromium at ${CHROMIUM} (apt-get install chromium)`;

describe('the review panel in Chromium', { skip: noBrowser }, () => {
  test('token once, then a correction of the selected cell, a flag verdict and a retraction', async () => {
    const { createApp } = await import('../../serve/app.ts');
    const { loadReview } = await import('../../serve/review-mount.ts');
    const { pool } = testStore.store;
    const review = await loadReview({ pool, token: TOKEN });
    const full = createApp({ pool, readDocument: (sha) => testStore.store.readDocument(sha), review });
    const server = await listen(full, '127.0.0.1', 0);
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
      const errors: string[] = [];
      page.on('pageerror', (err) => errors.push(err.message));
      const path = 'active.regulations.in_force';
      await page.goto(`${server.url}/reports/${key}?cell=${path}`);
      const panel = page.locator('.nianbao-review');
      const status = panel.locator('.review-status');
      // Waits through Playwright's own selector engine: the page's CSP forbids waitForFunction's eval.
      const saysNow = (text: RegExp) => panel.locator('.review-status', { hasText: text }).waitFor({ timeout: 10_000 });
      assert.equal(await panel.locator('.review-cell').textContent(), path);

      // No token yet: nothing is sent.
      await panel.locator('[name=review-reviewer]').fill('赵研究员');
      await panel.locator('[name=review-value]').fill('4');
      await panel.locator('[name=review-reason]').fill('原表现行有效规章4件');
      await panel.locator('[data-review-action=correct]').click();
      await saysNow(/token first/);

      await panel.locator('[name=review-token]').fill(TOKEN);
      await panel.locator('[data-review-action=token]').click();
      await panel.locator('[data-review-action=correct]').click();
      await saysNow(/^correction #/);
      assert.match((await status.textContent()) ?? '', new RegExp(`correction #\\d+ saved: ${path} = 4`));
      const saved = (await pool.query('SELECT * FROM v_corrections WHERE report_key = $1 AND path = $2', [key, path]))
        .rows[0];
      assert.deepEqual(
        [Number(saved.extracted_value), Number(saved.corrected_value), saved.reviewer, saved.reason],
        [3, 4, '赵研究员', '原表现行有效规章4件'],
      );
      // The lists were refreshed in place.
      const row = panel.locator(`tr[data-correction-id="${saved.correction_id}"]`);
      assert.match((await row.textContent()) ?? '', /原表现行有效规章4件/);

      // A verdict from the flags table, after a reload: the token is still in this tab's sessionStorage.
      await page.reload();
      assert.equal(await panel.locator('.review-token-state').textContent(), 'token set for this tab');
      assert.equal(await panel.locator('[name=review-reviewer]').inputValue(), '赵研究员');
      await panel.locator('[name=review-reason]').fill('确为空白');
      await panel.locator('button[data-review-decision=dismissed][data-review-code=CELL_BLANK]').first().click();
      await saysNow(/^dismissed CELL_BLANK/);
      const verdict = (
        await pool.query('SELECT * FROM flag_reviews WHERE report_key = $1 ORDER BY id DESC LIMIT 1', [key])
      ).rows[0];
      assert.deepEqual(
        [verdict.decision, verdict.reason, verdict.reviewer, verdict.path],
        ['dismissed', '确为空白', '赵研究员', 'requests.granted.research'],
      );

      // A retraction needs a reason.
      await panel.locator(`button[data-retract="${saved.correction_id}"]`).click();
      await saysNow(/reason for the retraction/);
      await panel.locator('[name=review-reason]').fill('看错了行');
      await panel.locator(`button[data-retract="${saved.correction_id}"]`).click();
      await saysNow(/^retracted/);
      const left = await pool.query('SELECT 1 FROM v_corrections WHERE report_key = $1 AND path = $2', [key, path]);
      assert.equal(left.rowCount, 0);
      await mkdir(ARTIFACTS, { recursive: true });
      await panel.screenshot({ path: `${ARTIFACTS}review-panel.png` });
      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
      await server.close();
    }
  });
});
