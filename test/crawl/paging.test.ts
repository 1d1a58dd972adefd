// The general list rules: page counts from every encoding real templates use, the URLs of further pages in both
// numberings, and script links / frames that hide a list.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { extractLinks, frameSources } from '../../crawlers/links.ts';
import { jsonPageCount, pageCount, staticPages, withoutScriptComments } from '../../crawlers/paging.ts';

const script = (body: string) => `<div class="page"><script>\n${body}\n</script></div>`;

test('a commented-out createPageHTML does not hide var countPage (the TRS template bug)', () => {
  const html = script(
    '//createPageHTML(9, 0, "index", "html");\nvar currentPage = 0;//所在页从0开始\nvar countPage = 17;//共多少页',
  );
  assert.deepEqual(pageCount(html), { count: 17, stem: null, ext: null, oneBased: false, source: 'var countPage' });
  assert.ok(!/createPageHTML/.test(withoutScriptComments(html)));
  assert.match(withoutScriptComments(script("var u = 'http://x.example/a';")), /http:\/\/x\.example/);
});

test('createPageHTML in its signatures, with literals or variables', () => {
  assert.deepEqual(pageCount(script('createPageHTML(9, 0, "index", "html");')), {
    count: 9,
    stem: 'index',
    ext: 'html',
    oneBased: false,
    source: 'createPageHTML(count, current, …)',
  });
  assert.deepEqual(pageCount(script("createPageHTML('page_div', 11, 1, 'list', 'shtml', 154);")), {
    count: 11,
    stem: 'list',
    ext: 'shtml',
    oneBased: true,
    source: 'createPageHTML(div, count, current, stem, ext, total)',
  });
  const vars = script(
    'var countPage = 4;\nvar currentPage = 0;\ncreatePageHTML(countPage, currentPage, "index", "shtml");',
  );
  assert.equal(pageCount(vars)?.count, 4);
  assert.equal(pageCount(vars)?.ext, 'shtml');
});

test('printed pagers: 共N页, N/M页, 第1页/共N页; nothing declared is null', () => {
  assert.equal(pageCount('<div>共 6 页 当前第1页</div>')?.count, 6);
  assert.equal(pageCount('<span>1/12页</span>')?.count, 12);
  assert.equal(pageCount('<p>第1页/共3页</p>')?.count, 3);
  assert.equal(pageCount('<ul><li><a href="a.html">2023年报</a></li></ul>'), null);
});

test('JSON totals: pageCount/totalPages directly, total/count over the page size', () => {
  assert.equal(jsonPageCount({ totalPages: 5 }, 10), 5);
  assert.equal(jsonPageCount({ total: 41 }, 10), 5);
  assert.equal(jsonPageCount({ count: '30' }, 15), 2);
  assert.equal(jsonPageCount({ rows: [] }, 15), null);
});

test('further pages: 0-based, 1-based, and both as probes when the numbering is unknown', () => {
  const base = 'http://h.example/zfxxgknb/index.html';
  const urls = (oneBased: boolean | null) =>
    staticPages(base, { count: 3, stem: null, ext: null, oneBased, source: '' }).map((p) => [p.url.slice(26), p.probe]);
  assert.deepEqual(urls(false), [
    ['index_1.html', false],
    ['index_2.html', false],
  ]);
  assert.deepEqual(urls(true), [
    ['index_2.html', false],
    ['index_3.html', false],
  ]);
  assert.deepEqual(urls(null), [
    ['index_1.html', true],
    ['index_2.html', false],
    ['index_3.html', true],
  ]);
  const shtml = staticPages('http://h.example/c/list.shtml', {
    count: 2,
    stem: 'list',
    ext: 'shtml',
    oneBased: true,
    source: '',
  });
  assert.deepEqual(
    shtml.map((p) => p.url),
    ['http://h.example/c/list_2.shtml'],
  );
});

test('links hidden in javascript: / onclick, category fragments kept, same-host frames', () => {
  const links = extractLinks(
    `<a href="javascript:void(0)" onclick="window.open('/art/2024/1/2/art_1_2.html')">2023年年报</a>
     <a href="javascript:openUrl('./t20240101_1.html')">2022年年报</a>
     <a href="/gkmlpt/annualreport#2629">政府信息公开年报</a><a href="/a.html#top">顶部</a>`,
    'http://h.example/col/',
  );
  assert.deepEqual(
    links.map((l) => l.url),
    [
      'http://h.example/art/2024/1/2/art_1_2.html',
      'http://h.example/col/t20240101_1.html',
      'http://h.example/gkmlpt/annualreport#2629',
      'http://h.example/a.html',
    ],
  );
  assert.deepEqual(
    frameSources('<iframe src="list.html" frameborder="0"></iframe><iframe src="about:blank">', 'http://h.example/c/'),
    ['http://h.example/c/list.html'],
  );
});
