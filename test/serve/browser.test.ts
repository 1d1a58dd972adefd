// The web interface in real Chromium (Debian's, through playwright-core): the coverage matrix shows the loaded
// county-years as loaded, and a report page with ?cell=<path> marks exactly that cell in the source, for an HTML page
// (in its sandboxed iframe), a PDF (the box over the cell's text in pdf.js's text layer) and a DOCX (the reader's
// table). Position is checked by layout geometry: the marked cell lies in its column header's x-range and its row
// label's y-range. Screenshots go to test/.artifacts/serve/.
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser, Frame, Page } from 'playwright-core';
import { browserAvailable, CHROMIUM, CHROMIUM_ARGS } from '../../crawlers/chromium.ts';
import { REQUEST_COLUMNS } from '../../extractors/template/keys.ts';
import { createApp } from '../../serve/app.ts';
import { loadReview } from '../../serve/review-mount.ts';
import { listen, newToken, type Running } from '../../serve/server.ts';
import { withTestStore, type TestStore } from '../helpers/db.ts';
import { loadSources, type SourceFormat } from './fixture.ts';

const ARTIFACTS = fileURLToPath(new URL('../.artifacts/serve/', import.meta.url));
const skip = browserAvailable() ? false : `no Chromium at ${CHROMIUM} (apt-get install chromium)`;
const PATH = 'requests.denied_law_prohibited.commercial';
const ROW_LABEL = '2.其他法律行政法规禁止公开';
const COLUMN_LABEL = REQUEST_COLUMNS.find(([key]) => key === 'commercial')![1];

let testStore: TestStore;
let server: Running;
let browser: Browser;
let page: Page;
let keys: Record<SourceFormat, string>;
/** Script errors of our pages (pdf.js, the review panel): none expected. */
const pageErrors: string[] = [];

describe('nianbao serve in Chromium', { skip }, () => {
  before(async () => {
    testStore = await withTestStore();
    keys = await loadSources(testStore.store);
    // the app as nianbao serve builds it, review panel included
    const { pool } = testStore.store;
    const review = await loadReview({ pool, token: newToken() });
    const app = createApp({ pool, readDocument: (sha) => testStore.store.readDocument(sha), review });
    server = await listen(app, '127.0.0.1', 0);
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
    page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    // nothing but this server: an archived page or pdf.js asking for anything else fails the test
    const outside: string[] = [];
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(server.url) || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
      outside.push(url);
      return route.abort('blockedbyclient');
    });
    page.on('close', () => assert.deepEqual(outside, []));
    page.on('pageerror', (err) => pageErrors.push(err.message));
    await mkdir(ARTIFACTS, { recursive: true });
  });
  after(async () => {
    assert.deepEqual(pageErrors, []);
    await browser?.close();
    await server?.close();
    await testStore?.cleanup();
  });

  /** The cell of `path` in the store: raw text and position. */
  async function cellOf(key: string, path: string) {
    const { rows } = await testStore.store.pool.query(
      `SELECT raw, at FROM v_cell_provenance WHERE report_key = $1 AND path = $2 AND report_status = 'current'`,
      [key, path],
    );
    assert.equal(rows.length, 1, `${key} has ${path}`);
    return rows[0] as {
      raw: string;
      at: { table?: number; row?: number; col?: number; page?: number; bbox?: number[] };
    };
  }

  /**
   * The marked cell's text, and whether it sits under the column header and beside the row label (by geometry).
   * Given as source text: tsx's transform would add helpers (__name) the page does not have.
   */
  async function markedInGrid(frame: Frame | Page) {
    const script = `(() => {
      const [rowLabel, columnLabel] = ${JSON.stringify([ROW_LABEL.normalize('NFKC'), COLUMN_LABEL])};
      const marked = [...document.querySelectorAll('#nianbao-cell')];
      if (marked.length !== 1) return { count: marked.length };
      const cell = marked[0];
      const cells = [...cell.closest('table').querySelectorAll('td,th')];
      const text = (element) => (element.textContent || '').replace(/\\s+/g, '').normalize('NFKC');
      const header = cells.find((element) => text(element) === columnLabel);
      const label = cells.find((element) => text(element).endsWith(rowLabel));
      const box = cell.getBoundingClientRect();
      const h = header && header.getBoundingClientRect();
      const l = label && label.getBoundingClientRect();
      return {
        count: 1,
        text: cell.textContent.trim(),
        underHeader: !!h && h.left + h.width / 2 > box.left && h.left + h.width / 2 < box.right,
        besideLabel: !!l && l.top + l.height / 2 > box.top && l.top + l.height / 2 < box.bottom,
      };
    })()`;
    return frame.evaluate(script);
  }

  test('the coverage matrix shows the loaded county-years in their state from v_coverage', async () => {
    await page.goto(`${server.url}/`);
    const { rows } = await testStore.store.pool.query(
      `SELECT c.region_code, c.year, c.state FROM v_coverage c
       JOIN (SELECT DISTINCT region_code, year FROM reports WHERE status = 'current') r USING (region_code, year)`,
    );
    assert.equal(rows.length, 3);
    for (const row of rows) {
      assert.equal(row.state, 'loaded');
      const cell = page.locator(`td.cell[data-region="${row.region_code}"][data-year="${row.year}"]`);
      assert.equal(await cell.getAttribute('data-state'), row.state);
      assert.equal(await cell.locator('a').getAttribute('href'), `/reports?region=${row.region_code}&year=${row.year}`);
    }
    // a year without a report of a loaded county is not shown as loaded
    const other = page.locator('td.cell[data-region="230422"][data-year="2019"]');
    assert.notEqual(await other.getAttribute('data-state'), 'loaded');
    await page.screenshot({ path: `${ARTIFACTS}coverage.png`, fullPage: true });
  });

  test('HTML source: the asked-for cell is marked in the sandboxed archived page, and a click selects another', async () => {
    const cell = await cellOf(keys.html, PATH);
    await page.goto(`${server.url}/reports/${keys.html}?cell=${PATH}`);
    const frameElement = await page.waitForSelector('#source-frame');
    assert.equal(await frameElement.getAttribute('sandbox'), '');
    const frame = (await frameElement.contentFrame())!;
    await frame.waitForSelector('#nianbao-cell');
    const found = await markedInGrid(frame);
    assert.deepEqual(found, { count: 1, text: cell.raw, underHeader: true, besideLabel: true });
    assert.equal(
      await frame.locator('#nianbao-cell').getAttribute('data-nianbao-at'),
      `${cell.at.table},${cell.at.row},${cell.at.col}`,
    );
    assert.equal(await page.locator(`td.selected[data-path="${PATH}"]`).count(), 1);
    await page.screenshot({ path: `${ARTIFACTS}report-html.png` });

    // clicking another value selects it: the page and the marked source cell follow
    const next = 'requests.new.natural_person';
    await page.locator(`td[data-path="${next}"] a`).click();
    await page.waitForURL(`**/reports/${keys.html}?cell=${next}`);
    const nextFrame = (await (await page.waitForSelector('#source-frame')).contentFrame())!;
    const nextCell = await cellOf(keys.html, next);
    assert.equal(
      await nextFrame.locator('#nianbao-cell').getAttribute('data-nianbao-at'),
      `${nextCell.at.table},${nextCell.at.row},${nextCell.at.col}`,
    );
    assert.equal(await page.locator(`td.selected[data-path="${next}"]`).count(), 1);
  });

  /** The text of the pdf.js text layer whose spans are centred inside the drawn box, once the page is rendered. */
  async function textUnderBox(key: string, path: string) {
    await page.goto(`${server.url}/reports/${key}?cell=${path}`);
    await page.waitForSelector('#pdf-page[data-ready]');
    assert.equal(await page.locator('#pdf-page').getAttribute('data-ready'), 'true');
    return (await page.evaluate(`(() => {
      const box = document.querySelector('.pdf-box').getBoundingClientRect();
      const spans = [...document.querySelectorAll('.textLayer span')];
      const inside = spans.filter((span) => {
        const r = span.getBoundingClientRect();
        const x = r.left + r.width / 2;
        const y = r.top + r.height / 2;
        return r.width > 0 && x > box.left && x < box.right && y > box.top && y < box.bottom;
      });
      return { text: inside.map((span) => span.textContent).join('').trim(), spans: spans.length, width: box.width };
    })()`)) as { text: string; spans: number; width: number };
  }

  test('PDF source: pdf.js draws the page and the box covers exactly the cell text in its text layer', async () => {
    const cell = await cellOf(keys.pdf, PATH);
    const under = await textUnderBox(keys.pdf, PATH);
    assert.ok(under.spans > 50, 'the text layer is rendered');
    assert.ok(under.width > 0);
    assert.equal(under.text, cell.raw);
    await page.locator('.pdf-page').screenshot({ path: `${ARTIFACTS}report-pdf.png` });
    // and on every page of the document: its first value (by path) is the text under its box
    const { rows } = await testStore.store.pool.query(
      `SELECT DISTINCT ON ((at->>'page')::int) (at->>'page')::int AS page, path, raw FROM v_cell_provenance
       WHERE report_key = $1 AND report_status = 'current' AND raw <> '' ORDER BY (at->>'page')::int, path`,
      [keys.pdf],
    );
    assert.ok(rows.length >= 2, 'a table over several pages');
    for (const row of rows) assert.equal((await textUnderBox(keys.pdf, row.path)).text, row.raw, `page ${row.page}`);
  });

  test('DOCX source: the reader’s table is shown with the cell marked', async () => {
    const cell = await cellOf(keys.docx, PATH);
    await page.goto(`${server.url}/reports/${keys.docx}?cell=${PATH}`);
    const found = await markedInGrid(page);
    assert.deepEqual(found, { count: 1, text: cell.raw, underHeader: true, besideLabel: true });
    assert.equal(
      await page.locator('#nianbao-cell').getAttribute('data-at'),
      `${cell.at.table},${cell.at.row},${cell.at.col}`,
    );
    await page.screenshot({ path: `${ARTIFACTS}report-docx.png` });
  });
});
