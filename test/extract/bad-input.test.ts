// Malformed and hostile input: each case ends in a clear InputError or a flagged report, never a crash, a hang or
// unbounded memory. No timing assertions: a generous per-case timeout only says "finishes".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import iconv from 'iconv-lite';
import { extract, extractFile } from '../../extractors/extract.ts';
import { detectFormat } from '../../extractors/detect-format.ts';
import { InputError } from '../../core/errors.ts';
import type { Report } from '../../extractors/report.ts';
import { randomReport } from '../../simulator/reports/random-report.ts';
import { renderDocx, renderHtml } from '../../simulator/reports/render.ts';

const generous = { timeout: 120_000 };
const sample = randomReport(42, { inconsistent: false });
const html = renderHtml(sample);

async function rejects(bytes: Uint8Array, pattern: RegExp, filename?: string) {
  await assert.rejects(extract(bytes, { filename }), (error: Error) => {
    assert.ok(error instanceof InputError, `${error.name}: ${error.message}`);
    assert.match(error.message, pattern);
    assert.doesNotMatch(error.message, /\n/, 'one line');
    return true;
  });
}
const codes = (report: Report) => report.flags.map((f) => f.code);

test('empty file', generous, () => rejects(new Uint8Array(0), /empty/));
test('binary junk', generous, () =>
  rejects(
    Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256),
    /not a document/,
  ),
);
test('NUL bytes inside text', generous, () =>
  rejects(Buffer.concat([Buffer.from('一、总体情况\n'), Buffer.alloc(64), Buffer.from('abc')]), /not a document/),
);
test('RTF', generous, () =>
  rejects(Buffer.from('{\\rtf1\\ansi\x01\x02\x03\x04\x05\x06\x07\x08' + '\x01'.repeat(400)), /RTF/),
);

test('truncated DOCX', generous, async () => {
  const docx = await renderDocx(sample);
  await rejects(docx.subarray(0, Math.floor(docx.length / 2)), /corrupt|zip/i);
});

test('zip that is not a Word document', generous, () =>
  rejects(zipSync({ 'xl/workbook.xml': strToU8('<x/>') }), /spreadsheet/),
);
test('plain zip archive', generous, () =>
  rejects(zipSync({ 'a.txt': strToU8('hello') }), /without word\/document\.xml/),
);

test('encrypted-looking DOCX', generous, async () => {
  const docx = Buffer.from(await renderDocx(sample));
  docx.writeUInt16LE(docx.readUInt16LE(6) | 1, 6); // general-purpose flag bit 0 of the first entry: encrypted
  await rejects(docx, /encrypted|corrupt/i);
});

test('zip bomb: the declared size is refused before inflating', generous, async () => {
  const docx = Buffer.from(await renderDocx(sample));
  // Raise every central-directory "uncompressed size" to ~4 GB: what a bomb declares.
  for (let i = docx.indexOf('PK\x01\x02'); i >= 0; i = docx.indexOf('PK\x01\x02', i + 4))
    docx.writeUInt32LE(0xfffffff0, i + 24);
  await rejects(docx, /zip bomb|corrupt/i);
});

let bombCache: Uint8Array | null = null;
const zipBomb = () =>
  (bombCache ??= zipSync(
    { '[Content_Types].xml': strToU8('<Types/>'), 'word/document.xml': new Uint8Array(300 * 1024 * 1024) },
    { level: 1 },
  ));

test('zip bomb: 300 MB of zeros in word/document.xml', generous, async () => {
  const bomb = zipBomb();
  assert.ok(bomb.length < 2 * 1024 * 1024, 'the bomb itself is small');
  await rejects(bomb, /zip bomb/);
});

test('zip bomb whose directory lies about the size: stopped while inflating', generous, async () => {
  const bomb = Buffer.from(zipBomb());
  // Central directory and local headers claim 1 KB for every entry.
  for (const sig of ['PK\x01\x02', 'PK\x03\x04'])
    for (let i = bomb.indexOf(sig, 0, 'latin1'); i >= 0; i = bomb.indexOf(sig, i + 4, 'latin1'))
      bomb.writeUInt32LE(1024, i + (sig === 'PK\x01\x02' ? 24 : 22));
  await rejects(bomb, /zip bomb|corrupt/);
});

test('DOCX whose document.xml is not XML', generous, async () => {
  const notXml = zipSync({
    '[Content_Types].xml': strToU8('<Types/>'),
    'word/document.xml': strToU8('this is not xml <<<'),
  });
  await rejects(notXml, /DOCX|corrupt|document/i);
});

test('50 MB of HTML (generated, not committed)', generous, async () => {
  const big = Buffer.from(
    `<html><body>${'<p>政府信息公开工作年度报告 填充内容。</p>'.repeat((50 * 1024 * 1024) / 60)}</body></html>`,
  );
  assert.ok(big.length >= 50 * 1024 * 1024 * 0.9);
  await rejects(big, /exceeds/);
});

test('a big report page: 20 MB of inline images is dropped, the report is read', generous, async () => {
  const img = `<img src="data:image/png;base64,${'A'.repeat(20 * 1024 * 1024)}">`;
  const report = await extract(Buffer.from(html.replace('<div class="TRS_Editor">', `<div class="TRS_Editor">${img}`)));
  assert.equal(report.requests?.new?.total, sample.requests!.new!.total);
});

test('HTML with no tables (a notice)', generous, async () => {
  const report = await extract(
    Buffer.from(
      '<html><head><title>关于开展政务公开培训的通知</title></head><body><div id="zoom">' +
        '<p>各乡镇：为进一步做好政务公开工作，定于下周开展培训，请准时参加。</p><p>特此通知。</p></div></body></html>',
    ),
  );
  assert.ok(codes(report).includes('NOT_A_REPORT'), JSON.stringify(report.flags));
  assert.equal(report.requests, null);
});

test('a 年报解读 page', generous, async () => {
  const report = await extract(
    Buffer.from(
      '<html><head><title>图解：2021年政府信息公开工作年度报告解读</title></head><body><div id="zoom">' +
        '<p>2021年，我县政府信息公开工作年度报告已发布，现解读如下：主动公开信息352条。</p></div></body></html>',
    ),
  );
  assert.ok(codes(report).includes('NOT_A_REPORT'));
});

test('a list page of links', generous, async () => {
  const links = Array.from(
    { length: 40 },
    (_, index) =>
      `<li><a href="/a/${index}.html">某某乡${2000 + (index % 20)}年政府信息公开工作年度报告</a>` +
      `<span>2022-01-${(index % 28) + 1}</span></li>`,
  ).join('');
  const report = await extract(
    Buffer.from(
      '<html><head><title>年度报告</title></head><body><div class="nav"><a href="/">首页</a></div>' +
        `<ul class="list">${links}</ul></body></html>`,
    ),
  );
  assert.ok(codes(report).includes('NOT_A_REPORT'), JSON.stringify(report.flags));
});

test('headings but the tables are images: TABLES_MISSING', generous, async () => {
  const report = await extract(Buffer.from(html.replace(/<table[\s\S]*?<\/table>/g, '<p><img src="table.png"></p>')));
  assert.ok(codes(report).includes('TABLES_MISSING'), JSON.stringify(codes(report)));
  assert.ok(!codes(report).includes('NOT_A_REPORT'));
});

test('GBK page without any charset declaration', generous, async () => {
  const bytes = iconv.encode(html.replace(/<meta http-equiv="Content-Type"[^>]*>/, ''), 'gbk');
  const report = await extract(bytes);
  assert.equal(report.title, sample.title);
  assert.equal(report.requests?.total?.total, sample.requests!.total!.total);
});

test('GB2312 declared, GBK-only characters used', generous, async () => {
  const report = await extract(
    iconv.encode(html.replace('charset=utf-8', 'charset=gb2312').replace('一、总体情况', '一、总体情况（镕）'), 'gbk'),
  );
  assert.ok(report.sections.overview !== undefined);
  assert.equal(report.agency, sample.agency);
});

test('UTF-16 text with BOM', generous, async () => {
  const report = await extract(
    Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from('连生乡2020年政府信息公开工作年度报告\n一、总体情况\n无\n', 'utf16le'),
    ]),
  );
  assert.equal(report.year, 2020);
});

test('deeply nested tags: 100,000 levels refused, 5,000 levels read', generous, async () => {
  const nest = (depth: number) =>
    Buffer.from(
      `<html><body>${'<div>'.repeat(depth)}<p>2021年政府信息公开工作年度报告</p>${'</div>'.repeat(depth)}</body></html>`,
    );
  await rejects(nest(100_000), /nested 100000 levels/);
  const report = await extract(nest(5000));
  assert.equal(report.year, 2021);
});

test('a table of 10,000 rows', generous, async () => {
  const rows = Array.from({ length: 10_000 }, (_, i) => `<tr><td>第${i}行</td><td>${i}</td></tr>`).join('');
  const report = await extract(
    Buffer.from(
      html.replace(
        '<p class="MsoNormal"><span style="font-family:仿宋_GB2312">五、',
        `<table>${rows}</table><p class="MsoNormal"><span style="font-family:仿宋_GB2312">五、`,
      ),
    ),
  );
  assert.equal(report.requests?.new?.natural_person, sample.requests!.new!.natural_person);
});

test('absurd rowspan/colspan are clamped', generous, async () => {
  const report = await extract(
    Buffer.from(
      '<html><body><div id="zoom"><p>二、主动公开政府信息情况</p>' +
        '<table><tr><td rowspan="999999999" colspan="999999999">规章</td><td>1</td></tr></table></div></body></html>',
    ),
  );
  assert.ok(Array.isArray(report.flags));
});

test('unclosed tags and stray markup', generous, async () => {
  const broken = html
    .replace(/<\/td>/g, '')
    .replace(/<\/p>/g, '')
    .replace('<body>', '<body><div><span><b>');
  const report = await extract(Buffer.from(broken));
  assert.equal(report.requests?.new?.total, sample.requests!.new!.total);
});

test('wrong extension: DOCX named .pdf, HTML named .doc, PDF named .html, octet-stream', generous, async () => {
  const docx = await renderDocx(sample);
  assert.equal(detectFormat(docx, { filename: 'report.pdf' }), 'docx');
  assert.equal(
    detectFormat(Buffer.from(html), { filename: 'report.doc', contentType: 'application/octet-stream' }),
    'html',
  );
  assert.equal(detectFormat(Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj'), { filename: 'report.html' }), 'pdf');
  assert.equal(
    detectFormat(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]), { filename: 'a.txt' }),
    'doc',
  );
  const report = await extract(docx, { filename: 'report.pdf', contentType: 'application/octet-stream' });
  assert.equal(report.format, 'docx');
});

test('garbage behind a PDF or OLE signature is an InputError', generous, async () => {
  await rejects(Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(2000, 7)]), /PDF|pdf/);
  await rejects(
    Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(2000, 3)]),
    /DOC|doc|OLE|corrupt/i,
  );
});

test('text that is not a report', generous, async () => {
  const report = await extract(Buffer.from('今天天气很好。我们去公园散步，看到了很多花。\n'.repeat(50)));
  assert.ok(codes(report).includes('NOT_A_REPORT'));
});

test('extractFile: missing file and directory', generous, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nianbao-bad-'));
  try {
    await assert.rejects(
      extractFile(join(dir, 'nope.html')),
      (e: Error) => e instanceof InputError && /no such file/.test(e.message),
    );
    await assert.rejects(extractFile(dir), (e: Error) => e instanceof InputError && /directory/.test(e.message));
    writeFileSync(join(dir, 'ok.html'), html);
    assert.equal((await extractFile(join(dir, 'ok.html'))).title, sample.title);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
