// An article whose tables are uploaded pictures (`<img src="/uploads/…jpg">`), the way county editors paste them:
// the crawl fetches and archives the pictures of an article that prints no table and links no file, records which
// page showed them (document_images), and the extract job reads them with OCR into the report — nothing from the
// network at extraction, so a re-extraction gets the same pictures. A local portal of its own (one list, one
// article); OCR needs tesseract, and the test says so when it is missing.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { readFileSync } from 'node:fs';
import { crawlPortal } from '../../crawlers/crawl-portal.ts';
import { articleImages } from '../../crawlers/links.ts';
import { ocrAvailability } from '../../extractors/readers/ocr/engine.ts';
import { extractDocument } from '../../pipeline/jobs/extract-job.ts';
import { scoreDoc, type Expected } from '../accuracy/score.ts';
import { htmlArticle, tablePictures } from '../gen/ocr/images.ts';
import { withTestStore, type TestStore } from '../helpers/db.ts';

const OFFICE = new URL('../corpus/office/', import.meta.url).pathname;
const STEM = 'seed-001';
const TITLE = '相山区渠沟镇政府2021年政府信息公开工作年度报告';

test('article pictures: only content images of a picture format, absolute, in page order', () => {
  const html = `<html><body><header><img src="/logo.png"></header><div class="article">
    <p><img src="t1.jpg"></p><p><img src="data:image/png;base64,AAAA"></p><img src="/up/t2.PNG?x=1">
    <img src="/up/anim.gif"><img src="/pic/show?id=3"><img src=" t1.jpg "></div><footer><img src="/qr.jpg"></footer>
    </body></html>`;
  assert.deepEqual(articleImages(html, 'http://portal.test/nb/202201/a.html'), [
    'http://portal.test/nb/202201/t1.jpg',
    'http://portal.test/up/t2.PNG?x=1',
    'http://portal.test/pic/show?id=3',
  ]);
});

describe('a report whose tables are uploaded pictures', () => {
  let unavailable: string | null = null;
  let server: Server;
  let base = '';
  let testStore: TestStore;
  const files = new Map<string, { type: string; body: Buffer }>();

  before(async () => {
    const ocr = await ocrAvailability();
    if ('unavailable' in ocr) return void (unavailable = ocr.unavailable);
    // The generator's article inlines its pictures as data: URIs; a portal serves them as uploaded files.
    const pictures = await tablePictures(`${OFFICE}${STEM}.pdf`);
    let count = 0;
    const article = (await htmlArticle(STEM, pictures, TITLE, '2022-01-20')).replace(
      /data:image\/jpeg;base64,([A-Za-z0-9+/=]+)/g,
      (_, data: string) => {
        const path = `/uploads/2022/01/table${++count}.jpg`;
        files.set(path, { type: 'image/jpeg', body: Buffer.from(data, 'base64') });
        return count % 2 ? path : `../../../uploads/2022/01/table${count}.jpg`; // absolute and relative srcs
      },
    );
    assert.ok(count >= 4, 'the article shows its tables as pictures');
    files.set('/xxgk/ndbg/202201/t20220120_1.html', { type: 'text/html; charset=utf-8', body: Buffer.from(article) });
    files.set('/', {
      type: 'text/html; charset=utf-8',
      body: Buffer.from('<html><body><a href="/xxgk/ndbg/">政府信息公开年报</a></body></html>'),
    });
    files.set('/xxgk/ndbg/', {
      type: 'text/html; charset=utf-8',
      body: Buffer.from(
        `<html><head><title>政府信息公开年报</title></head><body><ul class="list">` +
          `<li><a href="202201/t20220120_1.html" title="${TITLE}">${TITLE}</a><span>2022-01-20</span></li>` +
          `</ul></body></html>`,
      ),
    });
    server = createServer((request, response) => {
      const file = files.get(new URL(request.url ?? '/', 'http://x').pathname);
      if (!file) return response.writeHead(404).end();
      response.writeHead(200, { 'content-type': file.type }).end(file.body);
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    testStore = await withTestStore();
  });
  after(async () => {
    await testStore?.cleanup();
    if (server) await new Promise((ok) => server.close(ok));
  });

  test('crawled with its pictures, read by OCR into the report', async (context) => {
    if (unavailable) return context.skip(`OCR not available here: ${unavailable}`);
    const portal = await testStore.store.ensurePortal({ baseUrl: base, regionCode: '340603', name: '相山区' });
    const summary = await crawlPortal(portal, testStore.store, {
      allowPrivate: true,
      rate: { perMinute: 60_000, concurrency: 2 },
      backoffMs: 5,
      browser: 'never',
    });
    assert.deepEqual(summary.errors, []);
    const article = summary.documents.find((doc) => doc.kind === 'article');
    assert.ok(article, `the article is the report's document: ${JSON.stringify(summary.documents)}`);
    const images = await testStore.store.documentImages(article.sha256);
    assert.deepEqual(
      images.map((image) => image.url).sort(),
      [...files.keys()]
        .filter((path) => path.startsWith('/uploads/'))
        .map((path) => new URL(path, base).href)
        .sort(),
    );
    for (const image of images)
      assert.deepEqual(await testStore.store.readDocument(image.sha256), files.get(new URL(image.url).pathname)!.body);

    const report = await extractDocument(testStore.store, article.sha256, { url: article.url });
    const expected = JSON.parse(readFileSync(`${OFFICE}${STEM}.expected.json`, 'utf8')) as Expected;
    const score = scoreDoc(article.url, 'html', 'article-images', expected, report);
    assert.ok(
      report.flags.some((flag) => flag.code === 'OCR_USED'),
      'flagged OCR_USED',
    );
    context.diagnostic(`${score.cells.correct}/${score.cells.total} cells right, ${score.cells.wrong} wrong`);
    assert.equal(score.cells.wrongSilent, 0, JSON.stringify(score.failures.slice(0, 5)));
    // Measured 198/200 through the reader; the margin is for tesseract builds, not for lost tables.
    assert.ok(
      score.cells.correct >= 0.95 * score.cells.total,
      `${score.cells.correct}/${score.cells.total} cells right`,
    );
  });
});
