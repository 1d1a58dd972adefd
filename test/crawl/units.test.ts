// The crawler's small parts: address guard, fetcher limits, charset decoding, title classification, CMS parsing.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import iconv from 'iconv-lite';
import { classifyTitle, placeOf } from '../../crawlers/classify.ts';
import { decodeHtml, htmlCharset as detectCharset } from '../../extractors/readers/encoding.ts';
import { Fetcher, USER_AGENT } from '../../crawlers/fetcher.ts';
import { articleHoldsReport, extractLinks, isAttachmentUrl } from '../../crawlers/links.ts';
import { RefusedError } from '../../core/errors.ts';
import { guardedLookup, isPrivateAddress } from '../../crawlers/net.ts';
import { listEndpoint } from '../../crawlers/platforms/anhui.ts';
import { parseRobots } from '../../crawlers/robots.ts';
import type { FetchInput, Store } from '../../db/store-types.ts';

test('private, loopback, link-local and reserved addresses are recognised', () => {
  for (const address of [
    '10.1.2.3',
    '192.168.0.1',
    '172.16.5.4',
    '127.0.0.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '::1',
    'fe80::1',
    'fd00::2',
    '::ffff:10.0.0.1',
  ])
    assert.equal(isPrivateAddress(address), true, address);
  for (const address of ['8.8.8.8', '202.96.0.1', '2400:3200::1'])
    assert.equal(isPrivateAddress(address), false, address);
});

test('the DNS guard refuses a name that resolves to a private address before connecting', async () => {
  const refused = await new Promise<Error | null>((ok) => guardedLookup(false)('localhost', {}, (err) => ok(err)));
  assert.ok(refused instanceof RefusedError);
  const allowed = await new Promise<Error | null>((ok) => guardedLookup(true)('localhost', {}, (err) => ok(err)));
  assert.equal(allowed, null);
});

/** A store that only keeps what the fetcher records. */
function memoryStore(fetches: FetchInput[]): Store {
  const blobs = new Map<string, Buffer>();
  return {
    recordFetch: async (f: FetchInput) => (fetches.push(f), fetches.length),
    previousFetch: async () => null,
    archiveDocument: async (bytes: Uint8Array) => ({ sha256: 'x', size: bytes.length, path: 'x', isNew: true }),
    readDocument: async (sha: string) => blobs.get(sha)!,
  } as unknown as Store;
}

describe('fetcher limits against a local server', () => {
  let server: Server;
  let base: string;
  let host: string;
  const seenAgents: string[] = [];
  const seenUrls: string[] = [];
  const seenAt: number[] = [];
  before(async () => {
    server = createServer((req, res) => {
      seenAgents.push(String(req.headers['user-agent']));
      seenUrls.push(String(req.url));
      seenAt.push(performance.now());
      if (req.url === '/robots.txt') return res.writeHead(404).end();
      if (req.url === '/chunked') {
        // no content-length: the limit must cut the stream itself
        res.writeHead(200, { 'content-type': 'application/pdf' });
        const chunk = Buffer.alloc(64 * 1024, 1);
        let written = 0;
        const pump = () => {
          while (written++ < 200) if (!res.write(chunk)) return void res.once('drain', pump);
          res.end();
        };
        res.on('close', () => {
          written = 1e9;
        });
        return pump();
      }
      if (req.url === '/bomb')
        return res
          .writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip' })
          .end(gzipSync(Buffer.alloc(8 * 1024 * 1024, 0x20)));
      if (req.url === '/gz')
        return res
          .writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip' })
          .end(gzipSync('<p>宝清县</p>'));
      if (req.url === '/away') return res.writeHead(302, { location: 'http://10.9.9.9/x' }).end();
      if (req.url === '/flaky') return res.writeHead(503).end('busy');
      res.writeHead(200, { 'content-type': 'text/html' }).end('<p>ok</p>');
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    base = `http://${host}`;
  });
  after(
    () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  );

  test('a body without content-length is aborted at the size limit and recorded as an error', async () => {
    const fetches: FetchInput[] = [];
    const fetcher = new Fetcher({
      minIntervalMs: 0,
      store: memoryStore(fetches),
      runId: 1,
      hosts: [host],
      allowPrivate: true,
      maxBytes: 1024 * 1024,
    });
    await assert.rejects(fetcher.fetch({ url: `${base}/chunked` }), /too large/);
    assert.ok(fetcher.bytes <= 1024 * 1024 + 64 * 1024, `read ${fetcher.bytes} bytes`);
    assert.ok(fetches.some((x) => x.url === `${base}/chunked` && /too large/.test(x.error ?? '')));
  });

  test('gzip bodies are inflated, and a compression bomb stops at the size limit', async () => {
    const fetcher = new Fetcher({
      minIntervalMs: 0,
      store: memoryStore([]),
      runId: 1,
      hosts: [host],
      allowPrivate: true,
      maxBytes: 1024 * 1024,
    });
    assert.equal((await fetcher.fetch({ url: `${base}/gz` })).body.toString(), '<p>宝清县</p>');
    await assert.rejects(
      fetcher.fetch({ url: `${base}/bomb` }),
      /too large: more than 1048576 bytes after decompression/,
    );
  });

  test('loopback is refused without allowPrivate; off-portal hosts and redirects off the portal always are', async () => {
    const strict = new Fetcher({ minIntervalMs: 0, store: memoryStore([]), runId: 1, hosts: [host] });
    await assert.rejects(strict.fetch({ url: `${base}/ok` }), RefusedError);
    const permissive = new Fetcher({
      minIntervalMs: 0,
      store: memoryStore([]),
      runId: 1,
      hosts: [host],
      allowPrivate: true,
    });
    assert.throws(() => permissive.checkUrl('http://192.168.1.1/a'), /off-portal host/);
    assert.throws(() => permissive.checkUrl('ftp://' + host + '/a'), /scheme/);
    await assert.rejects(permissive.fetch({ url: `${base}/away` }), /off-portal host 10\.9\.9\.9/);
  });

  test('requests are spaced by the politeness interval, not sent in a burst', async () => {
    const fetcher = new Fetcher({
      minIntervalMs: 50,
      store: memoryStore([]),
      runId: 1,
      hosts: [host],
      allowPrivate: true,
    });
    const from = seenAt.length;
    const started = performance.now();
    await Promise.all([1, 2, 3, 4].map((i) => fetcher.fetch({ url: `${base}/ok?${i}` })));
    const elapsed = performance.now() - started;
    assert.equal(seenAt.length - from, 5, 'robots.txt and four pages');
    // A lower bound only (the pacer sleeps at least the interval before each of the four later requests), so a
    // loaded machine cannot make it fail; a burst would finish in a few milliseconds.
    assert.ok(elapsed >= 4 * 50 - 2, `five requests in ${elapsed.toFixed(1)} ms`);
  });

  test('5xx is retried with backoff, then reported', async () => {
    const fetches: FetchInput[] = [];
    const fetcher = new Fetcher({
      minIntervalMs: 0,
      store: memoryStore(fetches),
      runId: 1,
      hosts: [host],
      allowPrivate: true,
      retries: 2,
      backoffMs: 1,
    });
    await assert.rejects(fetcher.fetch({ url: `${base}/flaky` }), /HTTP 503/);
    assert.equal(seenUrls.filter((u) => u === '/flaky').length, 3, 'one request and two retries');
    assert.ok(fetches.some((x) => x.url === `${base}/flaky` && x.status === 503));
    assert.ok(seenAgents.every((a) => a === USER_AGENT));
  });
});

test('GB2312/GBK pages decode with or without a charset header; UTF-8 and BOM too', () => {
  const text =
    '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head><body>集贤县人民政府2023年政府信息公开工作年度报告</body></html>';
  const gbk = iconv.encode(text, 'gbk');
  assert.equal(detectCharset(gbk, 'text/html'), 'gb18030');
  assert.ok(decodeHtml(gbk, 'text/html').includes('集贤县人民政府2023年'));
  assert.ok(decodeHtml(gbk, 'text/html; charset=gb2312').includes('政府信息公开工作年度报告'));
  // no header, no meta: invalid UTF-8 is sniffed as GB18030
  assert.ok(decodeHtml(iconv.encode('<p>绥滨镇年报</p>', 'gbk'), null).includes('绥滨镇年报'));
  // a server that claims UTF-8 for GBK bytes
  assert.ok(decodeHtml(iconv.encode('<p>宝清县</p>', 'gbk'), 'text/html; charset=utf-8').includes('宝清县'));
  assert.equal(
    decodeHtml(
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('<p>相山区</p>')]),
      'text/html; charset=gbk',
    ),
    '<p>相山区</p>',
  );
});

test('titles: reports with body and year; interpretations, notices and other counties rejected', () => {
  const place = placeOf('230521');
  const yes: Array<[string, string | null, number]> = [
    ['集贤县人民政府2023年政府信息公开工作年度报告', '集贤县人民政府', 2023],
    ['2022年集贤县教育局政府信息公开工作年度报告', '集贤县教育局', 2022],
    ['福利镇2021年度政府信息公开工作年度报告', '福利镇', 2021],
    ['双鸭山市集贤县财政局2020年政府信息公开工作年报', '集贤县财政局', 2020],
    ['2019年政府信息公开工作年度报告', null, 2019],
  ];
  for (const [title, agency, year] of yes)
    assert.deepEqual(classifyTitle(title, place), { report: true, agency, year }, title);
  for (const title of [
    '集贤县人民政府2023年政府信息公开工作年度报告解读',
    '关于做好2023年度政府信息公开工作年度报告编制发布工作的通知',
    '集贤县2023年度政府网站工作年度报表',
    '友谊县人民政府2023年政府信息公开工作年度报告',
    '哈尔滨市教育局2022年政府信息公开工作年度报告',
    '集贤县2023年政府工作报告',
  ])
    assert.equal(classifyTitle(title, place).report, false, title);
});

test('links inside Hanweb CDATA records and TRS scripts are found; attachments recognised', () => {
  const html = `<script type="text/xml"><datastore><recordset><record><![CDATA[<li><a href="/art/2024/1/9/art_12_34.html" title="全称标题2023年政府信息公开工作年度报告">截断...</a><b>2024-01-09</b></li>]]></record></recordset></datastore></script>`;
  const links = extractLinks(html, 'http://x.gov.cn/col/col12/index.html');
  assert.deepEqual(links, [
    {
      url: 'http://x.gov.cn/art/2024/1/9/art_12_34.html',
      title: '全称标题2023年政府信息公开工作年度报告',
      date: '2024-01-09',
    },
  ]);
  assert.ok(isAttachmentUrl('http://x.gov.cn/module/download/downfile.jsp?classid=0&filename=0a1b.pdf'));
  assert.ok(isAttachmentUrl('http://x.gov.cn/zfxxgknb/202401/P020240125600.docx'));
  assert.ok(!isAttachmentUrl('http://x.gov.cn/zfxxgknb/202401/t20240125_1.html'));
  assert.ok(
    articleHoldsReport(
      '<table><tr><td>a</td><td>1</td></tr><tr><td>b</td><td>2</td></tr><tr><td>c</td><td>3</td></tr></table>',
    ),
  );
  assert.ok(!articleHoldsReport('<p>详见附件。</p>'));
});

test('the Anhui data endpoint comes from the shell script', () => {
  assert.equal(
    listEndpoint("fetch('/p/x/public/column/list.json?siteId=1&catId=2&page=' + page)", 'http://h/p/x/public/column/1'),
    'http://h/p/x/public/column/list.json?siteId=1&catId=2&page=',
  );
});

test('robots.txt: disallowed paths, Crawl-delay, and the 4xx/5xx rules of RFC 9309', () => {
  const rules = parseRobots(
    'http://h/robots.txt',
    200,
    'User-agent: *\nDisallow: /zfxxgknb/private/\nCrawl-delay: 5\n',
    USER_AGENT,
  );
  assert.equal(rules.isAllowed('http://h/zfxxgknb/private/2023.html'), false);
  assert.equal(rules.isAllowed('http://h/zfxxgknb/2023/'), true);
  assert.equal(rules.crawlDelay, 5);
  assert.equal(parseRobots('http://h/robots.txt', 404, '', USER_AGENT).isAllowed('http://h/any'), true);
  assert.equal(parseRobots('http://h/robots.txt', 503, '', USER_AGENT).isAllowed('http://h/any'), false);
});
