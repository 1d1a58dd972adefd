// From `nianbao demo` to the browser, as the README tells a researcher: the demo's data served, and in Chromium the
// coverage matrix shows every county-year of the simulated counties in the state v_coverage gives it, each cell
// linking to a report list that holds exactly the current reports of that county and year.
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { browserAvailable, CHROMIUM, CHROMIUM_ARGS } from '../../crawlers/chromium.ts';
import { createApp } from '../../serve/app.ts';
import { listen, type Running } from '../../serve/server.ts';
import { runCli } from '../helpers/cli.ts';
import { withTestStore, type TestStore } from '../helpers/db.ts';

const ARTIFACTS = fileURLToPath(new URL('../.artifacts/serve/', import.meta.url));
const skip = browserAvailable() ? false : `no Chromium at ${CHROMIUM} (apt-get install chromium)`;

let testStore: TestStore;
let server: Running;
let browser: Browser;
let demo: { serve: { command: string; url: string; report: string | null } };

describe('the demo data in the browser', { skip, timeout: 120_000 }, () => {
  before(async () => {
    testStore = await withTestStore();
    const result = await runCli(['demo', '--json', '--port', '0'], {
      databaseUrl: testStore.url,
      home: testStore.home,
    });
    assert.equal(result.code, 0, result.stderr);
    demo = JSON.parse(result.stdout);
    const app = createApp({ pool: testStore.store.pool, readDocument: (sha) => testStore.store.readDocument(sha) });
    server = await listen(app, '127.0.0.1', 0);
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
    await mkdir(ARTIFACTS, { recursive: true });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await testStore?.cleanup();
  });

  test('demo names the serve command and a report page', () => {
    assert.equal(demo.serve.command, 'npx nianbao serve');
    assert.equal(demo.serve.url, 'http://127.0.0.1:8420/');
    assert.match(demo.serve.report!, /^http:\/\/127\.0\.0\.1:8420\/reports\/[0-9a-f]{16}\?cell=[a-z_.]+$/);
  });

  test('the coverage matrix shows each demo county-year in its v_coverage state', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`${server.url}/`);
    const { rows } = await testStore.store.pool.query(
      `SELECT region_code, year, state, bodies FROM v_coverage
       WHERE region_code IN (SELECT region_code FROM reports WHERE status = 'current') ORDER BY region_code, year`,
    );
    assert.ok(rows.length >= 4 * 6, 'four simulated counties over the report years');
    assert.ok(rows.some((row) => row.state === 'loaded'));
    const shown = await page.$$eval('td.cell[data-region]', (cells) =>
      cells.map((cell) => [
        cell.getAttribute('data-region'),
        Number(cell.getAttribute('data-year')),
        cell.getAttribute('data-state'),
        cell.textContent!.trim(),
      ]),
    );
    assert.deepEqual(
      shown,
      rows.map((row) => [row.region_code, row.year, row.state, row.bodies ? String(row.bodies) : '·']),
    );
    await page.screenshot({ path: `${ARTIFACTS}demo-coverage.png`, fullPage: true });
    // the province summary: counties with a report loaded / counties, per year
    const { rows: provinces } = await testStore.store.pool.query(
      `SELECT province, year, count(*) FILTER (WHERE bodies > 0)::int AS with_reports, count(*)::int AS counties
       FROM v_coverage WHERE province IN (SELECT province FROM v_coverage WHERE bodies > 0) GROUP BY 1, 2`,
    );
    for (const row of provinces)
      assert.equal(
        (await page.locator(`td[data-province="${row.province}"][data-year="${row.year}"]`).textContent())?.trim(),
        `${row.with_reports}/${row.counties}`,
      );
    assert.ok(provinces.some((row) => row.with_reports > 1));

    // a loaded cell's link lists exactly that county-year's current reports
    const loaded = rows.find((row) => row.state === 'loaded' && row.bodies > 1)!;
    await page.click(`td.cell[data-region="${loaded.region_code}"][data-year="${loaded.year}"] a`);
    await page.waitForURL(`**/reports?region=${loaded.region_code}&year=${loaded.year}`);
    const keys = await page.$$eval('table a[href^="/reports/"]', (links) => links.map((link) => link.textContent));
    const { rows: expected } = await testStore.store.pool.query(
      `SELECT report_key FROM v_reports WHERE region_code = $1 AND year = $2 ORDER BY agency, report_key`,
      [loaded.region_code, loaded.year],
    );
    assert.deepEqual(
      keys,
      expected.map((row) => row.report_key),
    );
    await page.close();
  });
});
