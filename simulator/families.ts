// Portals of the real-world families the core four do not cover, each built from the markup its family serves
// (shared notes/portal-families.md): a Hanweb classic site in three variants (InitData + inline ajaxParam + a proxy
// that pages by `page` only; datastore + <totalrecord>; no total at all) with department and township columns;
// Hanweb jpaas (unit API in script attributes, paramJson paging, attachments on an object-storage host); gkmlpt
// (_CONFIG, category in the URL fragment, JSON API); TRS with year and three-level township trees, 1-based .shtml
// pages and script-written / appendix attachment links; an iframe shell whose list hides links in onclick.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { entries, hanwebRecord, page, staticList, type Entry } from './cms.ts';
import { generate, synthetic } from './documents.ts';
import type { Family, SimLink, SimPortal, SimReport, SimRequest, SimResponse } from './site.ts';

const hex32 = (text: string) => createHash('md5').update(text).digest('hex');
const pad = (n: number) => String(n).padStart(2, '0');
const esc = (text: string) => text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
const html = (body: string, gbk = false): SimResponse => ({
  status: 200,
  body,
  gbk,
  type: gbk ? 'text/html' : 'text/html; charset=utf-8',
});
const json = (value: unknown): SimResponse => ({
  status: 200,
  body: JSON.stringify(value),
  type: 'application/json; charset=utf-8',
  noCache: true,
});

/** Where a report is listed: the county list (government and departments' own column on some sites), the
 *  department column, or a township's. */
type Section = 'gov' | 'dept' | 'town';

interface Spec {
  slug: string;
  name: string;
  code: string;
  family: Family;
  platform: string;
  towns: string[];
  columnPath: string;
  /** Article and attachment paths of report `id` published on `date`. */
  article(id: number, date: Date, section: Section): string;
  attachment(id: number, date: Date, section: Section): string;
  onStorageHost?: boolean;
  routes(portal: SimPortal, req: SimRequest): SimResponse | null;
}

interface Slot {
  agency: string;
  year: number;
  section: Section;
  town?: string;
}

function slotsOf(spec: Spec): Slot[] {
  const gov = `${spec.name}人民政府`;
  return [
    ...[2019, 2020, 2021, 2022, 2023, 2024].map((year) => ({ agency: gov, year, section: 'gov' as const })),
    { agency: `${spec.name}教育局`, year: 2023, section: 'dept' },
    { agency: `${spec.name}财政局`, year: 2023, section: 'dept' },
    { agency: `${spec.name}卫生健康局`, year: 2024, section: 'dept' },
    ...spec.towns.flatMap((town) =>
      [2023, 2024].map((year) => ({ agency: `${spec.name}${town}人民政府`, year, section: 'town' as const, town })),
    ),
  ];
}

/** Which section (and township) each report is listed in. */
const sectionOf = new WeakMap<SimReport, Slot>();

async function buildPortal(spec: Spec, seed: number, tmp: string, index: number): Promise<SimPortal> {
  const base = `/p/${spec.slug}/`;
  const reports: SimReport[] = [];
  for (const [position, slot] of slotsOf(spec).entries()) {
    const id = position + 1;
    const date = new Date(Date.UTC(slot.year + 1, id % 3, 3 + ((id * 5) % 24)));
    const published = date.toISOString().slice(0, 10);
    const title =
      id % 2
        ? `${slot.agency}${slot.year}年政府信息公开工作年度报告`
        : `${slot.year}年${slot.agency}政府信息公开工作年度报告`;
    // Every other report is an HTML article carrying its tables; the rest a PDF attachment.
    const kind = id % 2 ? 'html' : 'pdf';
    const content =
      kind === 'html'
        ? await generate(
            'html',
            { agency: slot.agency, year: slot.year, title, regionCode: spec.code, publishedAt: published },
            seed * 1000 + 500 + index * 50 + id,
            join(tmp, `${spec.slug}-${id}-v1.expected.json`),
          )
        : synthetic('pdf', title, seed * 100 + index * 20 + id);
    const report: SimReport = {
      id: `${spec.slug}-${id}`,
      portal: spec.slug,
      agency: slot.agency,
      year: slot.year,
      title,
      kind,
      published,
      articlePath: base + spec.article(id, date, slot.section),
      attachmentPath: kind === 'html' ? null : base + spec.attachment(id, date, slot.section),
      attachmentName: kind === 'html' ? null : `${title}.pdf`,
      content,
      version: 1,
      removed: false,
      onStorageHost: kind !== 'html' && spec.onStorageHost,
    };
    // Object storage keeps the path outside the portal's folder.
    if (report.onStorageHost) report.attachmentPath = '/' + spec.attachment(id, date, slot.section);
    sectionOf.set(report, slot);
    reports.push(report);
  }
  const pages = new Map<string, { title: string; body: string; date: string }>();
  const links: SimLink[] = [];
  const distractor = (href: string, title: string, body: string, why: string) => {
    pages.set(href, { title, body, date: '2024-02-01' });
    links.push({ title, href, date: '2024-02-01', why });
  };
  const first = new Date(Date.UTC(2024, 1, 1));
  distractor(
    base + spec.article(901, first, 'gov'),
    `${spec.name}人民政府2023年政府信息公开工作年度报告解读`,
    '<p>一图读懂本年度政府信息公开工作。</p>',
    'interpretation',
  );
  distractor(
    base + spec.article(902, first, 'gov'),
    '关于做好2023年度政府信息公开工作年度报告编制发布工作的通知',
    '<p>请各单位按时发布年度报告。</p>',
    'notice',
  );
  const portal: SimPortal = {
    slug: spec.slug,
    name: spec.name,
    regionCode: spec.code,
    family: spec.family,
    platform: spec.platform,
    basePath: base,
    columnPath: spec.columnPath,
    reports,
    links,
    pages,
  };
  portal.routes = (req) => spec.routes(portal, req);
  return portal;
}

const listed = (portal: SimPortal, section: Section | null, town?: string, withLinks = section === 'gov'): Entry[] =>
  entries(
    portal,
    (report) => {
      const slot = sectionOf.get(report)!;
      return (section === null || slot.section === section) && (town === undefined || slot.town === town);
    },
    withLinks ? portal.links : [],
  );

/** A link as [text, href]. */
type Link = [string, string];

/** A family portal's way in: the home page (base or base + 'index.html') lists `home`; each of `hops` is a plain
 *  list page on the way to the report column, its path to [title, links]. Null for any other path. */
function wayIn(
  portal: SimPortal,
  path: string,
  home: Link[],
  hops: Record<string, [string, Link[]]> = {},
  gbk = false,
): SimResponse | null {
  const base = portal.basePath;
  const list = (title: string, links: Link[]) =>
    staticList(
      portal,
      title,
      links.map(([text, href]) => ({ title: text, href })),
    );
  let body: string;
  if (path === base || path === base + 'index.html') body = list(`${portal.name}人民政府`, home);
  else if (Object.hasOwn(hops, path)) body = list(...hops[path]);
  else return null;
  return gbk ? html(body.replace('charset=utf-8', 'charset=gb2312'), true) : html(body);
}

// ---------- Hanweb JCMS classic, three list variants on one site ----------
const DONGHAI = {
  gov: { column: 2001, unit: 7001, per: 4 },
  dept: { column: 2002, unit: 7002, per: 2 },
  town: { column: 2003, unit: 7003, per: 2 },
};
const PAGE_CAP = 300;

/** A datastore of `records`, with the column's total in <totalrecord> unless `total` is null. */
function datastore(records: Entry[], total: number | null): string {
  return `<datastore>\n<recordset>\n${records.map(hanwebRecord).join('\n')}\n</recordset>\n${total === null ? '' : `<totalrecord>${total}</totalrecord>\n`}</datastore>`;
}

function donghaiRoutes(portal: SimPortal, req: SimRequest): SimResponse | null {
  const base = portal.basePath;
  const { path, query, form } = req;
  const menu = `<div class="left-menu"><ul><li><a href="${base}col/col2001/index.html">县政府年报</a></li><li><a href="${base}col/col2002/index.html">部门年报</a></li><li><a href="${base}col/col2003/index.html">乡镇（街道）年报</a></li></ul></div>`;
  const way = wayIn(
    portal,
    path,
    [
      ['首页', base + 'index.html'],
      ['政府信息公开', base + 'col/col100/index.html'],
    ],
    {
      [base + 'col/col100/index.html']: [
        '政府信息公开',
        [
          ['政府信息公开指南', base + 'col/col101/index.html'],
          ['政府信息公开年报', base + 'col/col2001/index.html'],
        ],
      ],
    },
  );
  if (way) return way;
  if (path === base + 'col/col2001/index.html') {
    // InitData array (no datastore), the proxy form inline in the jpage call, the total in its options.
    const list = listed(portal, 'gov');
    const items = list
      .slice(0, DONGHAI.gov.per)
      .map(
        (entry) =>
          `'<li><a href="${entry.href}" title="${esc(entry.title)}">${entry.title}</a><span>${entry.date}</span></li>'`,
      );
    return html(
      page(portal, {
        title: '政府信息公开年报',
        body: `${menu}<div id="${DONGHAI.gov.unit}"></div>
<script>var InitData${DONGHAI.gov.unit} = [${items.join(',\n')}];</script>
<script>$('#${DONGHAI.gov.unit}').jpage({proxyUrl:'${base}module/jpage/dataproxy.jsp',perPage:${DONGHAI.gov.per},groupSize:1,totalRecord:${list.length},ajaxParam:{col:1,appid:1,webid:33,path:'/',columnid:${DONGHAI.gov.column},sourceContentType:1,unitid:${DONGHAI.gov.unit},webname:'${portal.name}',permissiontype:0}});</script>`,
      }),
    );
  }
  for (const section of ['dept', 'town'] as const) {
    const unit = DONGHAI[section];
    if (path !== `${base}col/col${unit.column}/index.html`) continue;
    const list = listed(portal, section);
    // Departments: <totalrecord> only; townships: no total anywhere.
    return html(
      page(portal, {
        title: section === 'dept' ? '部门年报' : '乡镇（街道）年报',
        body: `${menu}<div id="${unit.unit}"><script type="text/xml">${datastore(list.slice(0, unit.per), section === 'dept' ? list.length : null)}</script></div>
<script>var param_${unit.unit} = {col:1,appid:1,webid:33,path:'/',columnid:${unit.column},sourceContentType:1,unitid:'${unit.unit}',webname:'${portal.name}',permissiontype:0};</script>
<script>$('#${unit.unit}').jpage({dataStore:param_${unit.unit},perPage:${unit.per},groupSize:1,proxyUrl:'${base}module/jpage/dataproxy.jsp'});</script>`,
      }),
    );
  }
  if (path === base + 'module/jpage/dataproxy.jsp') {
    if (req.method !== 'POST') return { status: 200, body: '', type: 'text/html', noCache: true };
    const section = (['gov', 'dept', 'town'] as const).find(
      (key) => String(DONGHAI[key].column) === form.get('columnid'),
    );
    if (!section) return { status: 200, body: '', type: 'text/html', noCache: true };
    const list = listed(portal, section);
    const xml = (slice: Entry[]) => ({
      status: 200,
      body: datastore(slice, section === 'dept' ? list.length : null),
      type: 'text/xml; charset=utf-8',
      noCache: true,
    });
    if (section === 'gov') {
      // This server ignores startrecord: it pages by `page` (perpage capped), else answers the first page.
      const per = Math.min(Number(query.get('perpage') || DONGHAI.gov.per), PAGE_CAP);
      const pageNo = Number(query.get('page') || 1);
      return xml(list.slice((pageNo - 1) * per, pageNo * per));
    }
    const start = Number(query.get('startrecord')),
      end = Number(query.get('endrecord'));
    return xml(list.slice(start - 1, end));
  }
  return null;
}

// ---------- Hanweb jpaas ----------
const CHUNAN = { page: 1229001, web: 3096, rows: 5 };

function chunanRoutes(portal: SimPortal, req: SimRequest): SimResponse | null {
  const base = portal.basePath;
  const { path, query } = req;
  const way = wayIn(
    portal,
    path,
    [
      ['首页', base + 'index.html'],
      ['政府信息公开', base + 'col/col1229000/index.html'],
    ],
    {
      [base + 'col/col1229000/index.html']: [
        '政府信息公开',
        [['政府信息公开年报', `${base}col/col${CHUNAN.page}/index.html`]],
      ],
    },
  );
  if (way) return way;
  if (path === `${base}col/col${CHUNAN.page}/index.html`)
    return html(
      page(portal, {
        title: '政府信息公开年报',
        body: `<div class="nav"><a href="${base}index.html">首页</a></div><div id="div${CHUNAN.page}"></div>
<script src="${base}module/jpaas/unitbuild.js" url="${base}api-gateway/jpaas-publish-server/front/page/build/unit" queryData="{'tagId':'div${CHUNAN.page}','pageId':'${CHUNAN.page}'}" webId="${CHUNAN.web}" tplSetId="52" pageType="column" parseType="bulidstatic"></script>`,
      }),
    );
  if (path === base + 'api-gateway/jpaas-publish-server/front/page/build/unit') {
    if (query.get('pageId') !== String(CHUNAN.page) || query.get('webId') !== String(CHUNAN.web))
      return json({ success: false, data: null });
    // Only paramJson pages the list; a bare pageNo is ignored (page 1 again).
    // The server caps the page size at the unit's rows.
    let pageNo = 1;
    let size = CHUNAN.rows;
    try {
      const param = JSON.parse(query.get('paramJson') ?? '{}') as { pageNo?: number; pageSize?: number };
      pageNo = Number(param.pageNo ?? 1);
      size = Math.min(Number(param.pageSize ?? CHUNAN.rows), CHUNAN.rows);
    } catch {
      pageNo = 1;
    }
    const list = listed(portal, null, undefined, true);
    const items = list
      .slice((pageNo - 1) * size, pageNo * size)
      .map(
        (entry) =>
          `<li><a href="${entry.href}" title="${esc(entry.title)}" target="_blank">${entry.title}</a><span>${entry.date}</span></li>`,
      )
      .join('');
    return json({
      success: true,
      data: {
        html: `<ul class="list">${items}</ul><div class="pagination" rows="${CHUNAN.rows}" count="${list.length}" pageNo="${pageNo}"></div>`,
      },
    });
  }
  return null;
}

// ---------- gkmlpt ----------
const SHIXING = { sid: '755033', category: 2629, per: 5 };

function shixingRoutes(portal: SimPortal, req: SimRequest): SimResponse | null {
  const base = portal.basePath;
  const { path, query } = req;
  const way = wayIn(portal, path, [
    ['首页', base + 'index.html'],
    ['政府信息公开年报', `${base}gkmlpt/annualreport#${SHIXING.category}`],
  ]);
  if (way) return way;
  if (path === base + 'gkmlpt/annualreport' || path === base + 'gkmlpt/index')
    return html(
      page(portal, {
        title: '政府信息公开年报',
        body: `<div id="app"></div>
<script>window._CONFIG = {SID: '${SHIXING.sid}', SITE_NAME: '${portal.name}人民政府', TREE: [{id: 2571, name: '政策文件', children: []}, {id: ${SHIXING.category}, name: '政府信息公开年报', children: []}]};</script>
<script src="${base}gkmlpt/static/js/app.js"></script>`,
      }),
    );
  const api = new RegExp(`^${base}gkmlpt/api/all/(\\d+)$`).exec(path);
  if (api) {
    if (query.get('sid') !== SHIXING.sid || api[1] !== String(SHIXING.category))
      return json({ total: 0, articles: [] });
    const list = listed(portal, null, undefined, true);
    const pageNo = Math.max(1, Number(query.get('page') || 1));
    const articles = list.slice((pageNo - 1) * SHIXING.per, pageNo * SHIXING.per).map((entry, position) => ({
      id: 4942000 + (pageNo - 1) * SHIXING.per + position,
      title: entry.title,
      url: entry.href,
      publisher: `${portal.name}人民政府办公室`,
      display_publish_time: `${entry.date} 10:00:00`,
    }));
    return json({ total: list.length, articles });
  }
  return null;
}

// ---------- TRS WCM with year and township trees ----------
const NONGAN_PER = 2;

function trsPage(portal: SimPortal, title: string, items: Entry[], current: number, total: number, extra = ''): string {
  const count = Math.max(1, Math.ceil(total / NONGAN_PER));
  const list = items
    .map(
      (entry) =>
        `<li><a href="${entry.href}" target="_blank" title="${esc(entry.title)}">${entry.title}</a><span>${entry.date}</span></li>`,
    )
    .join('\n');
  return page(portal, {
    title,
    charset: 'gb2312',
    body: `${extra}<ul class="list">\n${list}\n</ul>
<div id="page_div"></div><script type="text/javascript">
//createPageHTML('page_div', 1, 1, 'index', 'shtml', 0);
createPageHTML('page_div', ${count}, ${current}, 'index', 'shtml', ${total});
</script>`,
  });
}

function nonganRoutes(portal: SimPortal, req: SimRequest): SimResponse | null {
  const base = portal.basePath;
  const col = base + 'zwgk/zfxxgknb/';
  const { path } = req;
  const years = [2024, 2023, 2022, 2021, 2020, 2019];
  const way = wayIn(
    portal,
    path,
    [['政务公开', base + 'zwgk/index.shtml']],
    { [base + 'zwgk/index.shtml']: ['政务公开', [['政府信息公开年报', col + 'index.shtml']]] },
    true,
  );
  if (way) return way;
  // Paged lists: index.shtml is page 1, index_2.shtml page 2 (1-based, as createPageHTML's 6-argument form says).
  const paged = (prefix: string, title: string, list: Entry[], extra = ''): SimResponse | null => {
    const name = /^index(?:_(\d+))?\.shtml$/.exec(path.slice(prefix.length));
    if (!path.startsWith(prefix) || !name) return null;
    const current = name[1] ? Number(name[1]) : 1;
    if (current < 1 || (current - 1) * NONGAN_PER >= Math.max(list.length, 1)) return null;
    const items = list.slice((current - 1) * NONGAN_PER, current * NONGAN_PER);
    return html(trsPage(portal, title, items, current, list.length, extra), true);
  };
  if (path === col + 'index.shtml' || path === col) {
    const subs = [
      ...years.map((year) => `<li><a href="./gknb${year}/index.shtml">${year}年</a></li>`),
      '<li><a href="./xzjd/index.shtml">乡镇（街道）</a></li>',
    ].join('');
    // The column itself lists only notices and interpretations; the reports sit in the year and township trees.
    const own = entries(portal, () => false, portal.links);
    return html(trsPage(portal, '政府信息公开年报', own, 1, own.length, `<ul class="subs">${subs}</ul>`), true);
  }
  for (const year of years) {
    const yearList = listed(portal, null, undefined, false).filter((entry) => {
      const report = portal.reports.find((r) => r.articlePath === entry.href)!;
      return report.year === year && sectionOf.get(report)!.section !== 'town';
    });
    const answer = paged(`${col}gknb${year}/`, `${year}年`, yearList);
    if (answer) return answer;
  }
  const towns = portal.reports.map((r) => sectionOf.get(r)!.town).filter((town): town is string => !!town);
  const townSlugs = [...new Set(towns)];
  if (path === col + 'xzjd/index.shtml')
    return html(
      trsPage(
        portal,
        '乡镇（街道）',
        [],
        1,
        0,
        `<ul class="subs">${townSlugs.map((town, i) => `<li><a href="./town${i + 1}/index.shtml">${town}</a></li>`).join('')}</ul>`,
      ),
      true,
    );
  for (const [townIndex, town] of townSlugs.entries()) {
    const dir = `${col}xzjd/town${townIndex + 1}/`;
    // A township's own column lists its years as a third level.
    if (path === dir + 'index.shtml')
      return html(
        trsPage(
          portal,
          town,
          [],
          1,
          0,
          `<ul class="subs"><li><a href="./2024n/index.shtml">2024年</a></li><li><a href="./2023n/index.shtml">2023年</a></li></ul>`,
        ),
        true,
      );
    for (const year of [2024, 2023]) {
      const list = listed(portal, 'town', town).filter(
        (entry) => portal.reports.find((r) => r.articlePath === entry.href)!.year === year,
      );
      const answer = paged(`${dir}${year}n/`, `${town}${year}年`, list);
      if (answer) return answer;
    }
  }
  return null;
}

// ---------- an iframe shell whose list hides its links in onclick ----------
const JINHU_PER = 4;

function jinhuRoutes(portal: SimPortal, req: SimRequest): SimResponse | null {
  const base = portal.basePath;
  const { path } = req;
  const way = wayIn(portal, path, [['政府信息公开', base + 'zfxxgk/index.html']], {
    [base + 'zfxxgk/index.html']: ['政府信息公开', [['政府信息公开年报', base + 'zfxxgk/ndbg/index.html']]],
  });
  if (way) return way;
  if (path === base + 'zfxxgk/ndbg/index.html')
    return html(
      page(portal, {
        title: '政府信息公开年报',
        body: `<div class="nav"><ul><li><a href="${base}zfxxgk/ndbg/index.html">政府信息公开年报</a></li><li><a href="${base}zfxxgk/index.html">政府信息公开</a></li></ul></div>
<div class="main"><iframe id="listFrame" src="${base}frame/ndbgList.html" width="100%" height="800" frameborder="0" scrolling="no"></iframe></div>
<script>function resize(){document.getElementById('listFrame').height=800;}</script>`,
      }),
    );
  // An old column whose list a script draws from nowhere it declares: no adapter can read it.
  if (path === base + 'zfxxgk/ndbg/old/index.html')
    return html(
      page(portal, {
        title: '政府信息公开年报（旧版）',
        body: `<div class="nav"><a href="${base}zfxxgk/ndbg/index.html">政府信息公开年报</a></div><div id="list"></div>
<script>window.onload = function () { drawList(document.getElementById('list')); };</script>`,
      }),
    );
  const name = /^ndbgList(?:_(\d+))?\.html$/.exec(path.slice((base + 'frame/').length));
  if (path.startsWith(base + 'frame/') && name) {
    const list = listed(portal, null, undefined, true);
    const current = name[1] ? Number(name[1]) : 0;
    const pages = Math.ceil(list.length / JINHU_PER);
    if (current >= pages) return null;
    const items = list
      .slice(current * JINHU_PER, (current + 1) * JINHU_PER)
      .map((entry, position) => {
        // The template cuts titles at 20 characters; every other entry keeps the full title only in its article.
        const shown = entry.title.length > 20 ? entry.title.slice(0, 20) + '...' : entry.title;
        // A township's file linked straight from the list: only the cut text, the name is in Content-Disposition.
        if (entry.href.endsWith('.pdf'))
          return `<li><a href="${entry.href}" target="_blank">${shown}</a><span>${entry.date}</span></li>`;
        return position % 2
          ? `<li><a href="javascript:void(0)" onclick="window.open('${entry.href}')">${shown}</a><span>${entry.date}</span></li>`
          : `<li><a href="javascript:openArticle('${entry.href}')" title="${esc(entry.title)}">${shown}</a><span>${entry.date}</span></li>`;
      })
      .join('\n');
    return html(
      page(portal, {
        title: '年报列表',
        body: `<ul class="list">\n${items}\n</ul><div class="pagebar">共${list.length}条 第${current + 1}页/共${pages}页 <a href="javascript:goPage(${current + 1})">下一页</a></div>`,
      }),
    );
  }
  return null;
}

// ---------- truecms JSONP (南通 family) ----------
const RUDONG = { column: 6020, cap: 5 };

function rudongRoutes(portal: SimPortal, req: SimRequest): SimResponse | null {
  const base = portal.basePath;
  const { path, query } = req;
  const way = wayIn(portal, path, [['政府信息公开年报', base + 'xxgk/ndbg/index.html']]);
  if (way) return way;
  if (path === base + 'xxgk/ndbg/index.html')
    return html(
      page(portal, {
        title: '政府信息公开年报',
        body: `<div class="nav"><a href="${base}index.html">首页</a></div><ul id="list"></ul><div id="pager"></div>
<script>var columnId = '${RUDONG.column}';
$.ajax({url: '${base}truecms/messageController/getMessage.do', dataType: 'jsonp', jsonp: 'callback',
  data: {startrecord: 1, endrecord: 15, perpage: 15, columnId: columnId},
  success: function (d) { $('#list').html($(d.result).find('record').text()); }});</script>`,
      }),
    );
  if (path === base + 'truecms/messageController/getMessage.do') {
    const callback = query.get('callback') || 'callback';
    const list = query.get('columnId') === String(RUDONG.column) ? listed(portal, null, undefined, true) : [];
    // The server caps perpage: a request for 1–50 gets five records.
    const start = Math.max(1, Number(query.get('startrecord') || 1));
    const end = Math.min(Number(query.get('endrecord') || start), start + RUDONG.cap - 1);
    const result = datastore(list.slice(start - 1, end), list.length);
    return {
      status: 200,
      body: `${callback}(${JSON.stringify({ result })});`,
      type: 'application/javascript; charset=utf-8',
      noCache: true,
    };
  }
  return null;
}

// ---------- Hanweb 信息公开 module ----------
const HULAN = { infotype: 'A1201', area: '230111000', per: 4 };
/** The module's units below the county: each its own area and divid in the tree. `search`: its reports are listed by
 *  search.jsp; otherwise the unit's tree links the module's report pages (xxgkAnnualReport.jsp) itself. */
const HULAN_UNITS = [
  {
    area: '230111100',
    divid: 'div_dept',
    name: '区政府部门',
    section: 'dept' as const,
    town: undefined,
    search: true,
    per: 2,
  },
  {
    area: '230111200',
    divid: 'div_town1',
    name: '兰河街道',
    section: 'town' as const,
    town: '兰河街道',
    search: true,
    per: 4,
  },
  {
    area: '230111201',
    divid: 'div_town2',
    name: '康金街道',
    section: 'town' as const,
    town: '康金街道',
    search: false,
    per: 4,
  },
];

function hulanTreeUrl(base: string, area: string, divid: string): string {
  return `${base}module/xxgk/tree.jsp?divid=${divid}&amp;area=${area}&amp;rootName=&amp;standardXxgk=1`;
}

/** A tree.jsp page: the unit's categories (funclick nodes), its sub-units, and report pages where it renders them. */
function hulanTree(portal: SimPortal, area: string): string {
  const base = portal.basePath;
  const category = (id: string, label: string) =>
    `<div class="dTreeNode"><a class="node" href="javascript:void(0);" onclick="funclick('${id}','${area}');">${label}</a></div>`;
  const nodes = [
    category('A01', '机构职能'),
    category('A02', '政策文件'),
    category(HULAN.infotype, '政府信息公开年报'),
  ];
  if (area === HULAN.area) {
    nodes.push('<div class="dTreeNode">部门及乡镇（街道）</div>');
    for (const unit of HULAN_UNITS)
      nodes.push(
        `<div class="dTreeNode"><a class="node" href="${hulanTreeUrl(base, unit.area, unit.divid)}" target="_self">${unit.name}</a></div>`,
      );
  }
  const unit = HULAN_UNITS.find((candidate) => candidate.area === area);
  if (unit && !unit.search)
    for (const entry of listed(portal, unit.section, unit.town))
      nodes.push(
        `<div class="dTreeNode"><a class="node" href="${entry.href}" target="_blank" title="${esc(entry.title)}">${entry.title}</a></div>`,
      );
  return `<div class="dtree"><script>var d = new dTree('d');</script>\n${nodes.join('\n')}\n</div>`;
}

function hulanRoutes(portal: SimPortal, req: SimRequest): SimResponse | null {
  const base = portal.basePath;
  const { path, query, form } = req;
  const way = wayIn(portal, path, [['政府信息公开', base + 'module/xxgk/index.jsp']], {
    [base + 'module/xxgk/index.jsp']: ['政府信息公开', [['政府信息公开年报', base + 'module/xxgk/annualreport.jsp']]],
  });
  if (way) return way;
  if (path === base + 'module/xxgk/annualreport.jsp')
    return html(
      page(portal, {
        title: '政府信息公开年报',
        body: `<div class="xxgk-left"><iframe id="tree" src="${hulanTreeUrl(base, HULAN.area, 'div_list')}" frameborder="0"></iframe></div>
<div id="div_list"></div>
<form id="searchform" name="searchform" action="${base}module/xxgk/search.jsp" method="post" target="_self">
<input type="hidden" name="infotypeId" value="${HULAN.infotype}"><input type="hidden" name="jdid" value="7">
<input type="hidden" name="area" value="${HULAN.area}"><input type="hidden" name="divid" value="div_list">
<input type="hidden" name="sortfield" value="compaltedate:0"><input type="hidden" name="currpage" value="1">
<input type="hidden" name="texttype" value=""><input type="hidden" name="fbtime" value="">
</form><script>document.searchform.submit();</script>`,
      }),
    );
  if (path === base + 'module/xxgk/tree.jsp') {
    const area = query.get('area') ?? '';
    if (area !== HULAN.area && !HULAN_UNITS.some((unit) => unit.area === area)) return null;
    return html(hulanTree(portal, area));
  }
  if (path === base + 'module/xxgk/search.jsp') {
    const area = form.get('area');
    const unit = HULAN_UNITS.find((candidate) => candidate.area === area);
    const divid = unit ? unit.divid : 'div_list';
    if (
      req.method !== 'POST' ||
      form.get('infotypeId') !== HULAN.infotype ||
      form.get('divid') !== divid ||
      (area !== HULAN.area && !unit?.search)
    )
      return html('<table></table>');
    const list = unit ? listed(portal, unit.section, unit.town) : listed(portal, 'gov');
    const per = unit ? unit.per : HULAN.per;
    const pages = Math.ceil(list.length / per);
    const current = Math.max(1, Number(form.get('currpage') || 1));
    const rows = list
      .slice((current - 1) * per, current * per)
      .map(
        (entry, position) =>
          `<tr class="tr_main_value_${position % 2 ? 'even' : 'odd'}"><td><a href="${entry.href}" target="_blank" title="${esc(entry.title)}">${entry.title}</a></td><td>${entry.date}</td></tr>`,
      )
      .join('\n');
    return html(
      `<table class="tb_main">\n${rows}\n</table><div class="pages">共${list.length}条记录 共${pages}页 <a href="javascript:gopage(${current + 1})">下一页</a></div>`,
    );
  }
  return null;
}

// ---------- Epoint EWB ----------
const SUCHENG = { guid: '7eb5f7f1-9041-43ad-8e13-8fcb82ea831a', category: '001003', cap: 5 };

function suchengRoutes(portal: SimPortal, req: SimRequest): SimResponse | null {
  const base = portal.basePath;
  const { path, query, form } = req;
  const column = `${base}xxgk/govInfoPub(right).html`;
  const way = wayIn(portal, path, [['政府信息公开年报', `${column}?categorynum=${SUCHENG.category}`]]);
  if (way) return way;
  if (path === column && query.get('categorynum') === SUCHENG.category)
    return html(
      page(portal, {
        title: '政府信息公开年报',
        body: `<ul class="ewb-info-items" id="infolist"></ul><div id="pager"></div>
<script src="${base}js/webBuilderCommon.js"></script>
<script>$.ajax({url: getRootPath() + '${base}EWB-FRONT/rest/lightfrontaction/getgovinfolist', type: 'post',
  data: {params: JSON.stringify({siteGuid: siteGuid, categorynum: '${SUCHENG.category}', deptcode: '', pageIndex: 0, pageSize: 10})}});</script>`,
      }),
    );
  if (path === base + 'js/webBuilderCommon.js')
    return {
      status: 200,
      body: `var siteGuid = '${SUCHENG.guid}';\nfunction getRootPath(){return '';}\n`,
      type: 'application/javascript',
    };
  if (path === base + 'EWB-FRONT/rest/lightfrontaction/getgovinfolist') {
    let params: { siteGuid?: string; categorynum?: string; pageIndex?: number; pageSize?: number } = {};
    try {
      params = JSON.parse(form.get('params') ?? '{}') as typeof params;
    } catch {
      params = {};
    }
    if (req.method !== 'POST' || params.siteGuid !== SUCHENG.guid || params.categorynum !== SUCHENG.category)
      return json({ custom: { data: [], total: 0 }, status: { code: 200 } });
    const list = listed(portal, null, undefined, true);
    const size = Math.min(Number(params.pageSize ?? 10), SUCHENG.cap);
    const index = Math.max(0, Number(params.pageIndex ?? 0));
    const data = list.slice(index * size, (index + 1) * size).map((entry) => ({
      infourl: entry.href,
      realtitle: entry.title,
      title: entry.title.length > 16 ? entry.title.slice(0, 16) + '...' : entry.title,
      infodate: entry.date,
    }));
    return json({ custom: { data, total: list.length }, status: { code: 200, text: '' } });
  }
  return null;
}

// ---------- the /{site}/cNNN/…shtml channel family ----------
const HAILUN = { per: 3, columns: { gov: 100231, dept: 100232, town: 100233 } as Record<Section, number> };

function hailunRoutes(portal: SimPortal, req: SimRequest): SimResponse | null {
  const base = portal.basePath;
  const site = base + 'hl/';
  const { path } = req;
  const channel = (section: Section) => `${site}c${HAILUN.columns[section]}/zfxxgkMultiList.shtml`;
  const menu = `<div class="left_menu"><ul><li><a href="${channel('gov')}">政府信息公开年报</a></li><li><a href="${channel('dept')}">部门年报</a></li><li><a href="${channel('town')}">乡镇年报</a></li></ul></div>`;
  const way = wayIn(portal, path, [['政府信息公开', `${site}c100230/zfxxgk.shtml`]], {
    [`${site}c100230/zfxxgk.shtml`]: ['政府信息公开', [['政府信息公开年报', channel('gov')]]],
  });
  if (way) return way;
  for (const section of ['gov', 'dept', 'town'] as const) {
    const dir = `${site}c${HAILUN.columns[section]}/`;
    const name = /^zfxxgkMultiList(?:_(\d+))?\.shtml$/.exec(path.slice(dir.length));
    if (!path.startsWith(dir) || !name) continue;
    const list = listed(portal, section);
    const pages = Math.max(1, Math.ceil(list.length / HAILUN.per));
    // Page 1 is zfxxgkMultiList.shtml, page k zfxxgkMultiList_k.shtml; only 共N页 is printed.
    const current = name[1] ? Number(name[1]) : 1;
    if (current < 2 && name[1]) return null;
    if (current > pages) return null;
    const items = list
      .slice((current - 1) * HAILUN.per, current * HAILUN.per)
      .map(
        (entry) =>
          `<li><a href="${entry.href}" target="_blank" title="${esc(entry.title)}">${entry.title}</a><span>${entry.date}</span></li>`,
      )
      .join('\n');
    return html(
      page(portal, {
        title: section === 'gov' ? '政府信息公开年报' : section === 'dept' ? '部门年报' : '乡镇年报',
        body: `${menu}<ul class="zfxxgk_list">\n${items}\n</ul><div class="page">共${list.length}条 共${pages}页</div>`,
      }),
    );
  }
  return null;
}

// ---------- Shandong 政务公开 channels: a single-page app ----------
// The channel page is an empty app container; its script asks the portal for the list and draws the rows, a pager
// whose "下一页" is a span (no link) and the sub-channel menu. The real page's data request is not public
// (crawlers/README.md), so this `datacall` JSON is the simulator's own stand-in: the crawler must not depend on it,
// only on what the browser shows.
const PINGYIN = {
  channel: '6389a4073759918282638b5f',
  sub: { dept: 'c_6389a4073759918282638b60_n_1605682651.0101', town: 'c_6389a4073759918282638b61_n_1605682609.0203' },
  per: 2,
};
const pingyinChannel = (section: Section) =>
  `gongkai/channel_${section === 'gov' ? PINGYIN.channel : PINGYIN.sub[section]}/`;

function pingyinRoutes(portal: SimPortal, req: SimRequest): SimResponse | null {
  const base = portal.basePath;
  const { path, query } = req;
  const way = wayIn(portal, path, [['政务公开', base + 'gongkai/index.html']], {
    [base + 'gongkai/index.html']: ['政务公开', [['政府信息公开年报', base + pingyinChannel('gov')]]],
  });
  if (way) return way;
  const section = (['gov', 'dept', 'town'] as const).find((one) => path === base + pingyinChannel(one));
  if (section)
    return html(
      page(portal, {
        title: '政府信息公开年报',
        body: `<div class="nav"><a href="${base}">首页</a></div>
<div id="app" data-section="${section}"><ul class="list"></ul><div class="pager"></div><div class="channels"></div></div>
<script>
(function () {
  var app = document.getElementById('app');
  var pageNo = 1;
  function draw(data) {
    app.querySelector('.list').innerHTML = data.rows.map(function (row) {
      return '<li><a href="' + row.url + '" title="' + row.title + '">' + row.title + '</a><span>' + row.date + '</span></li>';
    }).join('');
    app.querySelector('.channels').innerHTML = data.channels.map(function (channel) {
      return '<a href="' + channel.url + '">' + channel.name + '</a>';
    }).join(' ');
    app.querySelector('.pager').innerHTML = '<span class="next' + (pageNo < data.pages ? '' : ' disabled') + '">下一页</span>';
  }
  function load() {
    fetch('${base}gongkai/datacall?section=' + app.dataset.section + '&pageNo=' + pageNo).then(function (r) { return r.json(); }).then(draw);
  }
  app.querySelector('.pager').addEventListener('click', function (event) {
    if (event.target.classList.contains('next') && !event.target.classList.contains('disabled')) { pageNo++; load(); }
  });
  load();
})();
</script>`,
      }),
    );
  if (path === base + 'gongkai/datacall') {
    const which = (['gov', 'dept', 'town'] as const).find((one) => one === query.get('section'));
    if (!which) return null;
    const list = listed(portal, which);
    const pages = Math.max(1, Math.ceil(list.length / PINGYIN.per));
    const pageNo = Math.min(pages, Math.max(1, Number(query.get('pageNo')) || 1));
    return json({
      pages,
      rows: list
        .slice((pageNo - 1) * PINGYIN.per, pageNo * PINGYIN.per)
        .map((entry) => ({ url: entry.href, title: entry.title, date: entry.date })),
      channels:
        which === 'gov'
          ? [
              { name: '部门年报', url: base + pingyinChannel('dept') },
              { name: '镇街年报', url: base + pingyinChannel('town') },
            ]
          : [],
    });
  }
  return null;
}

const SPECS: Spec[] = [
  {
    slug: 'donghai',
    name: '东海县',
    code: '320722',
    family: 'hanweb',
    platform: 'hanweb',
    towns: ['牛山街道', '平明镇'],
    columnPath: '/p/donghai/col/col2001/index.html',
    article: (id, date, section) =>
      `art/${date.getUTCFullYear()}/${date.getUTCMonth() + 1}/${date.getUTCDate()}/art_${{ gov: 2001, dept: 2002, town: 2003 }[section]}_${60000 + id}.html`,
    attachment: (id) => `module/download/downfile.jsp?classid=0&filename=${hex32('donghai' + id)}.pdf`,
    routes: donghaiRoutes,
  },
  {
    slug: 'chunan',
    name: '淳安县',
    code: '330127',
    family: 'jpaas',
    platform: 'jpaas',
    towns: ['千岛湖镇', '文昌镇'],
    columnPath: `/p/chunan/col/col${CHUNAN.page}/index.html`,
    article: (id, date) => `col/col${CHUNAN.page}/art/${date.getUTCFullYear()}/art_${hex32('chunan' + id)}.html`,
    attachment: (id, date) =>
      `cms_files/jcms1/web${CHUNAN.web}/site/attach/0/${date.getUTCFullYear()}${pad(date.getUTCMonth() + 1)}${hex32('chunan-file' + id).slice(0, 20)}.pdf`,
    onStorageHost: true,
    routes: chunanRoutes,
  },
  {
    slug: 'shixing',
    name: '始兴县',
    code: '440222',
    family: 'gkmlpt',
    platform: 'gkmlpt',
    towns: ['太平镇', '马市镇'],
    columnPath: `/p/shixing/gkmlpt/annualreport#${SHIXING.category}`,
    article: (id) => `gkmlpt/content/4/4942/post_${4942400 + id}.html`,
    attachment: (id) => `attachment/7/7387/7387273/${7756000 + id}.pdf`,
    routes: shixingRoutes,
  },
  {
    slug: 'nongan',
    name: '农安县',
    code: '220122',
    family: 'trs',
    platform: 'trs',
    towns: ['农安镇', '合隆镇'],
    columnPath: '/p/nongan/zwgk/zfxxgknb/index.shtml',
    article: (id, date) =>
      `zwgk/zfxxgknb/${date.getUTCFullYear()}${pad(date.getUTCMonth() + 1)}/t${date.getUTCFullYear()}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}_${30000 + id}.shtml`,
    attachment: (id, date) =>
      `zwgk/zfxxgknb/${date.getUTCFullYear()}${pad(date.getUTCMonth() + 1)}/P0${date.getUTCFullYear()}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}${700 + id}.pdf`,
    routes: nonganRoutes,
  },
  {
    slug: 'jinhu',
    name: '金湖县',
    code: '320831',
    family: 'generic',
    platform: 'generic',
    towns: ['黎城街道', '银涂镇'],
    columnPath: '/p/jinhu/zfxxgk/ndbg/index.html',
    article: (id, date) =>
      `zfxxgk/ndbg/${date.getUTCFullYear()}/${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}/${1000 + id}.html`,
    attachment: (id, date) => `uploadfile/${date.getUTCFullYear()}/${1000 + id}.pdf`,
    routes: jinhuRoutes,
  },
  {
    slug: 'rudong',
    name: '如东县',
    code: '320623',
    family: 'truecms',
    platform: 'truecms',
    towns: ['掘港街道', '马塘镇'],
    columnPath: '/p/rudong/xxgk/ndbg/index.html',
    article: (id, date) =>
      `art/${date.getUTCFullYear()}/${date.getUTCMonth() + 1}/${date.getUTCDate()}/art_6020_${80000 + id}.html`,
    attachment: (id) => `module/download/downfile.jsp?classid=0&filename=${hex32('rudong' + id)}.pdf`,
    routes: rudongRoutes,
  },
  {
    slug: 'hulan',
    name: '呼兰区',
    code: '230111',
    family: 'xxgk',
    platform: 'xxgk',
    towns: ['兰河街道', '康金街道'],
    columnPath: '/p/hulan/module/xxgk/annualreport.jsp',
    article: (id, date, section) =>
      `module/xxgk/xxgkAnnualReport.jsp?area=${section === 'gov' ? HULAN.area : `230111${100 + id}`}&fbtime=${date.getUTCFullYear() - 1}&id=${id}`,
    attachment: (id) => `module/xxgk/downfile.jsp?filename=${hex32('hulan' + id)}.pdf`,
    routes: hulanRoutes,
  },
  {
    slug: 'sucheng',
    name: '宿城区',
    code: '321302',
    family: 'epoint',
    platform: 'epoint',
    towns: ['幸福街道', '龙河镇'],
    columnPath: `/p/sucheng/xxgk/govInfoPub(right).html?categorynum=${SUCHENG.category}`,
    article: (id, date) =>
      `xxgk/${SUCHENG.category}/${date.getUTCFullYear()}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}/${hex32('sucheng' + id).slice(0, 8)}-${hex32('s' + id).slice(0, 4)}.html`,
    attachment: (id) =>
      `EpointWebBuilder/WebbuilderMIS/attach/downloadZtreeAttach.jspx?attachGuid=${hex32('sucheng-file' + id)}&fileName=${id}.pdf`,
    routes: suchengRoutes,
  },
  {
    slug: 'hailun',
    name: '海伦市',
    code: '231283',
    family: 'cnnn',
    platform: 'cnnn',
    towns: ['海北镇', '伦河镇'],
    columnPath: '/p/hailun/hl/c100231/zfxxgkMultiList.shtml',
    article: (id, date, section) =>
      `hl/c${HAILUN.columns[section]}/${date.getUTCFullYear()}${pad(date.getUTCMonth() + 1)}/${hex32('hailun' + id)}.shtml`,
    attachment: (id, date) => `hl/uploadfiles/${date.getUTCFullYear()}/${hex32('hailun-file' + id)}.pdf`,
    routes: hailunRoutes,
  },
  {
    slug: 'pingyin',
    name: '平阴县',
    code: '370124',
    family: 'gongkai',
    platform: 'gongkai',
    towns: ['榆山街道', '东阿镇'],
    columnPath: `/p/pingyin/${pingyinChannel('gov')}`,
    article: (id, _date, section) => `${pingyinChannel(section)}doc_${hex32('pingyin' + id).slice(0, 24)}.html`,
    attachment: (id) => `gongkai/attachment/${hex32('pingyin-file' + id)}.pdf`,
    routes: pingyinRoutes,
  },
];

/** The family portals; `storageUrl()` is the object-storage host's origin once its server listens. */
export async function buildFamilyPortals(seed: number, tmp: string, storageUrl: () => string): Promise<SimPortal[]> {
  const out: SimPortal[] = [];
  for (const [index, spec] of SPECS.entries()) {
    const portal = await buildPortal(spec, seed, tmp, index);
    if (spec.onStorageHost)
      portal.attachmentHref = (href) => (href.startsWith('/cms_files/') ? storageUrl() + href : href);
    if (spec.slug === 'jinhu') {
      // Township files linked straight from the list, their title cut inside the key phrase.
      for (const report of portal.reports)
        if (report.kind === 'pdf' && sectionOf.get(report)?.section === 'town') report.direct = true;
      portal.namesFiles = true;
    }
    if (spec.slug === 'pingyin') portal.needsBrowser = true;
    if (spec.slug === 'nongan') {
      portal.attachmentHref = (href) => './' + href.slice(href.lastIndexOf('/') + 1);
      portal.attachmentMarkup = nonganAttachment;
    }
    out.push(portal);
  }
  return out;
}

/** TRS articles link attachments relatively, half of them written by a script (document.write), the others with
 *  appendix="true". */
function nonganAttachment(href: string, name: string, serial: number): string {
  return serial % 2
    ? `<script type="text/javascript">document.write('<a href="${href}">附件：${name}</a>');</script>`
    : `<p class="article_attachment"><a appendix="true" href="${href}" OLDSRC="/protect/${href.slice(2)}">${name}</a></p>`;
}
