// Readers → the document model: the text layouts of the seeds, HTML grids with merged cells, DOCX merged cells
// kept by mammoth, encodings and portal metadata.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import iconv from 'iconv-lite';
import { readText } from '../../extractors/readers/text.ts';
import { readHtml } from '../../extractors/readers/html.ts';
import docxReader from '../../extractors/readers/docx.ts';
import { readerFor } from '../../extractors/readers/index.ts';
import type { TableBlock } from '../../extractors/model.ts';
import { InputError } from '../../core/errors.ts';
import { randomReport } from '../../simulator/reports/random-report.ts';
import { renderDocx, renderHtml } from '../../simulator/reports/render.ts';

const tables = (m: { blocks: Array<{ kind: string }> }) => m.blocks.filter((b) => b.kind === 'table') as TableBlock[];

test('text: one cell per tab-indented line, blank line between rows, wrapped cells continue', () => {
  const model = readText('标题\n\t信息内容\n\t本年制发件数\n\n\t商业\n企业\n\t0\xa0\n\n正文');
  const [table] = tables(model);
  assert.deepEqual(
    table.rows.map((r) => r.map((c) => c.text)),
    [
      ['信息内容', '本年制发件数'],
      ['商业\n企业', '0'],
    ],
  );
  assert.deepEqual(table.rows[1][1].at, { line: 7 });
  assert.deepEqual(
    model.blocks.map((b) => b.kind),
    ['paragraph', 'table', 'paragraph'],
  );
});

test('text: tab-separated rows keep every cell, ragged rows are padded with non-origin cells', () => {
  const [table] = tables(readText('规章\t0\t0\t0\n行政许可\t0\n'));
  assert.equal(table.rows[1].length, 4);
  assert.deepEqual(
    table.rows[1].map((c) => c.origin),
    [true, true, false, false],
  );
});

test('text: a pipe row continued over lines of lone "|" and "| x |" is one row, each cell on its own line', () => {
  const [table] = tables(readText('一、本年新收 | 25 |\n|\n|\n| 25 |\n二、上年结转 | 0 |\n'));
  assert.deepEqual(
    table.rows[0].map((c) => [c.text, c.at.line]),
    [
      ['一、本年新收', 1],
      ['25', 1],
      ['', 2],
      ['', 3],
      ['', 4],
      ['25', 4],
    ],
  );
  assert.deepEqual(
    table.rows[1].map((c) => c.text),
    ['二、上年结转', '0', '', '', '', ''],
  );
});

test('text: one cell per line with the "|" on the next line reads as the "x |" layout, lines kept', () => {
  const split = tables(readText('信息内容\n|\n本年制发件数\n|\n规章\n|\n0\n|\n6\n|\n'));
  const inline = tables(readText('信息内容 |\n本年制发件数 |\n规章 |\n0 |\n6 |\n'));
  const cells = (grid: typeof split) => grid[0].rows.map((row) => row.map((c) => c.text));
  assert.deepEqual(cells(split), cells(inline));
  assert.deepEqual(
    split[0].rows[0].map((c) => c.at.line),
    [1, 3, 5, 7, 9],
  );
});

test('text: markdown rows are never joined to the row before', () => {
  const [table] = tables(readText('| 规章 | 0 |\n| 规范性文件 | 1 |\n'));
  assert.equal(table.rows.length, 2);
});

test('text: PDF-style lines stay paragraphs with their line numbers', () => {
  const model = readText('规章 0 0 0\n\n2.其他法律行政法规禁\n\n止公开\n');
  assert.deepEqual(
    model.blocks.map((b) => [b.kind, b.at.line]),
    [
      ['paragraph', 1],
      ['paragraph', 3],
      ['paragraph', 5],
    ],
  );
});

test('text: one cell per line between empty lines, with empty cells printed as a line of spaces, reads as rows', () => {
  const cells = (lines: string[]) =>
    tables(readText(lines.join('\n\n'))).map((table) =>
      table.rows.map((row) => row.filter((c) => c.origin).map((c) => c.text)),
    );
  const text = [
    '二、主动公开政府信息情况',
    '信息内容',
    '规章',
    ' ',
    ' ',
    ' ',
    '行政许可',
    ' 148',
    '\u3000',
    ' ',
    '行政处罚',
    '3',
  ];
  assert.deepEqual(cells(text), [[['信息内容'], ['规章', '', '', ''], ['行政许可', '148', '', ''], ['行政处罚', '3']]]);
  const model = readText(text.join('\n\n'));
  assert.equal(model.blocks[0].kind, 'paragraph', 'the heading stays a heading');
  assert.deepEqual(
    tables(model)[0].rows[2].map((c) => c.at.line),
    [13, 15, 17, 19],
  );
  // Lines of spaces as the separator between lines (not between empty lines) are not cells: nothing is shifted.
  const separated = ['规章', '0', '6', '行政许可', '148'].join('\n \n');
  assert.deepEqual(tables(readText(separated)), []);
  // A single line of spaces is not enough to call a stretch a table.
  assert.deepEqual(cells(['规章', ' ', '0']), []);
});

test('text: one cell per line, an empty cell one more empty line: a row left empty, group labels, page marks', () => {
  const rows = (text: string) =>
    tables(readText(text)).map((table) => table.rows.map((row) => row.filter((c) => c.origin).map((c) => c.text)));
  // (ten single gaps, numbers alone on their lines: plainly one cell per line)
  const head = ['信息内容', '本年处理决定数量', '行政许可', '197', '其他对外管理服务事项', '5', '行政处罚'].join(
    '\n\n',
  );
  const tail = ['行政强制', '203', '行政事业性收费', '817.3'].join('\n\n');
  // 行政处罚's one cell empty: one empty line more between two labels
  assert.deepEqual(rows(`${head}\n\n\n${tail}\n`), [
    [
      ['信息内容'],
      ['本年处理决定数量'],
      ['行政许可', '197'],
      ['其他对外管理服务事项', '5'],
      ['行政处罚', ''],
      ['行政强制', '203'],
      ['行政事业性收费', '817.3'],
    ],
  ]);
  // 三、本年度办理结果 before (一)予以公开 is the table's group label, not a heading that ends it; nor is 四、结转…
  // before an empty cell (a line of spaces); a page mark stays a cell here, for the mapper to pass over.
  const results = [
    '一、本年新收政府信息公开申请数量',
    '5',
    '三、本年度办理结果',
    '(一)予以公开',
    '3',
    '-6-',
    '(二)部分公开',
    '1',
    '四、结转下年度继续办理',
    ' ',
    '2',
    '收费',
    '1',
  ];
  assert.deepEqual(rows(results.join('\n\n') + '\n'), [
    [
      ['一、本年新收政府信息公开申请数量', '5'],
      ['三、本年度办理结果'],
      ['(一)予以公开', '3', '-6-'],
      ['(二)部分公开', '1'],
      ['四、结转下年度继续办理', '', '2'],
      ['收费', '1'],
    ],
  ]);
});

test('HTML: rowspan/colspan expanded into the grid, copies marked, &nbsp; blank, <br> kept as a line break', () => {
  const model = readHtml(
    Buffer.from(`<html><body><div id="zoom"><p>${'正文'.repeat(60)}</p><table>
    <tr><td rowspan="2" colspan="2">三、本年度<br>办理结果</td><td>1</td></tr>
    <tr><td>&nbsp;</td></tr>
    <tr><td>a</td><td>b</td><td>c</td></tr></table></div></body></html>`),
  );
  const [table] = tables(model);
  assert.deepEqual(
    table.rows.map((r) => r.map((c) => c.text)),
    [
      ['三、本年度\n办理结果', '三、本年度\n办理结果', '1'],
      ['三、本年度\n办理结果', '三、本年度\n办理结果', ''],
      ['a', 'b', 'c'],
    ],
  );
  assert.deepEqual(
    table.rows.map((r) => r.map((c) => (c.origin ? 1 : 0))),
    [
      [1, 0, 1],
      [0, 0, 1],
      [1, 1, 1],
    ],
  );
  assert.deepEqual(table.rows[1][2].at, { table: 0, row: 1, col: 2 });
  assert.deepEqual(table.rows[1][0].at, { table: 0, row: 0, col: 0 }, 'a copy points at the printed cell');
});

test('HTML: portal meta, body picked out of the chrome, nested layout tables unwrapped', () => {
  const page = `<html><head><meta name="ArticleTitle" content="某乡2021年政府信息公开工作年度报告"><meta name="PubDate" content="2022-01-20 10:00">
    <meta name="SiteIDCode" content="2304220001"><title>站点</title></head><body>
    <div class="nav">${'<a href="/x">栏目</a>'.repeat(30)}</div>
    <table class="layout"><tr><td><div class="content"><p>一、总体情况</p><p>${'工作内容。'.repeat(40)}</p>
    <table><tr><td>规章</td><td>3</td></tr></table></div></td></tr></table>
    <div class="footer">${'<a href="/y">链接</a>'.repeat(30)}</div></body></html>`;
  const model = readHtml(Buffer.from(page));
  assert.equal(model.meta.title, '某乡2021年政府信息公开工作年度报告');
  assert.equal(model.meta.publishedAt, '2022-01-20 10:00');
  assert.equal(model.meta.siteIdCode, '2304220001');
  assert.equal(tables(model).length, 1, 'only the data table, not the layout table');
  assert.ok(
    !model.blocks.some((b) => b.kind === 'paragraph' && /栏目|链接/.test(b.text)),
    'navigation and footer dropped',
  );
});

test('HTML: a publication date printed in the page when there is no PubDate meta', () => {
  const model = readHtml(
    Buffer.from(
      '<html><body><div class="info">来源：县政府办 发布时间：2022年1月5日</div><div id="zoom"><p>正文</p></div></body></html>',
    ),
  );
  assert.equal(model.meta.publishedAt, '2022-01-05');
});

test('HTML: GBK by <meta>, by HTTP header, and undeclared', () => {
  const html =
    '<html><head><meta charset="gb2312"><title>政府信息公开</title></head><body><p>绥滨县连生乡人民政府</p></body></html>';
  const gbk = iconv.encode(html, 'gbk');
  assert.equal(readHtml(gbk).meta.title, '政府信息公开');
  assert.equal(
    readHtml(iconv.encode(html.replace(/<meta[^>]*>/, ''), 'gbk'), { contentType: 'text/html; charset=GBK' }).meta
      .title,
    '政府信息公开',
  );
  assert.equal(readHtml(iconv.encode(html.replace(/<meta[^>]*>/, ''), 'gbk')).meta.title, '政府信息公开');
});

test('DOCX: mammoth keeps w:vMerge/w:gridSpan as rowspan/colspan, so merged cells survive', async () => {
  const report = randomReport(3, { template: '2021' });
  const model = await docxReader(await renderDocx(report));
  const requests = tables(model).find((t) => t.rows.some((row) => row.some((c) => c.text.includes('予以公开'))))!;
  const group = requests.rows.flat().find((c) => c.origin && c.text.startsWith('三、本年度'))!;
  assert.equal(group.rowspan, 22, '三、本年度办理结果 spans the 22 result rows of the 2021 table');
  assert.ok(
    requests.rows.flat().some((c) => c.origin && c.colspan === 3),
    'the 一、/二、/四、 labels span three columns',
  );
  // Same grid as the HTML rendering of the same report.
  const htmlGrids = tables(readHtml(Buffer.from(renderHtml(report)))).map((table) =>
    table.rows.map((row) => row.map((c) => c.text.replace(/\s/g, ''))),
  );
  const docxGrids = tables(model).map((t) => t.rows.map((row) => row.map((c) => c.text.replace(/\s/g, ''))));
  assert.deepEqual(docxGrids, htmlGrids);
});

test('PDF and DOC readers load by dynamic import; when absent the error says so', async () => {
  for (const format of ['pdf', 'doc'] as const) {
    try {
      assert.equal(typeof (await readerFor(format)), 'function');
    } catch (err) {
      assert.ok(err instanceof InputError);
      assert.match((err as Error).message, new RegExp(`${format.toUpperCase()} reader not available`));
    }
  }
});

test('text: a seed saved as GBK with CRLF line endings reads exactly like the UTF-8 original', async () => {
  const { readFileSync } = await import('node:fs');
  const { extract } = await import('../../extractors/extract.ts');
  const { compareReports } = await import('./compare.ts');
  // GBK has no U+00A0: a GBK file carries plain spaces where the UTF-8 seed has NBSPs.
  const src = readFileSync(new URL('../examples/seeds/000_8d6632e4e8c36cd9.txt', import.meta.url), 'utf8').replace(
    /\u00a0/g,
    ' ',
  );
  const utf8 = await extract(Buffer.from(src), { filename: 'a.txt' });
  const gbk = await extract(iconv.encode(src.replace(/\n/g, '\r\n'), 'gbk'), { filename: 'a.txt' });
  assert.deepEqual(compareReports(gbk, utf8), []);
});
