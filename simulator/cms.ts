// Page markup per CMS family, imitating the real quirks (see fixtures/portal-markup in the shared folder beside the project).
import type { SimLink, SimPortal, SimReport } from './site.ts';

export interface Entry {
  title: string;
  href: string;
  date: string;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

export function page(
  portal: SimPortal,
  content: { title: string; body: string; charset?: string; article?: { title: string; date: string } },
): string {
  const meta = [
    `<meta http-equiv="Content-Type" content="text/html; charset=${content.charset ?? 'utf-8'}">`,
    `<meta name="SiteName" content="${portal.name}人民政府">`,
    `<meta name="SiteIDCode" content="${portal.regionCode}0001">`,
    ...(content.article
      ? [
          `<meta name="ArticleTitle" content="${esc(content.article.title)}">`,
          `<meta name="PubDate" content="${content.article.date} 09:00">`,
          `<meta name="ContentSource" content="${portal.name}人民政府办公室">`,
        ]
      : []),
  ].join('\n');
  return `<!DOCTYPE html>\n<html><head>${meta}\n<title>${esc(content.title)}</title></head>\n<body>\n${content.body}\n</body></html>\n`;
}

export function entries(
  portal: SimPortal,
  filter: (r: SimReport) => boolean = () => true,
  links: SimLink[] = portal.links,
): Entry[] {
  return [
    ...portal.reports
      .filter((r) => !r.removed && filter(r))
      .map((r) => ({ title: r.title, href: r.direct ? r.attachmentPath! : r.articlePath, date: r.published })),
    ...links.map((l) => ({ title: l.title, href: l.href, date: l.date })),
  ].sort((a, b) => b.date.localeCompare(a.date) || a.href.localeCompare(b.href));
}

export function articleBody(
  report: SimReport,
  rel: (href: string) => string,
  markup: (href: string, name: string, serial: number) => string = (href, name) =>
    `<p>附件：<a href="${href}">${name}</a></p>`,
): string {
  const parts: string[] = [`<h1>${report.title}</h1>`];
  if (report.kind === 'html') {
    parts.push(report.content.html!);
  } else {
    parts.push(`<p>根据《中华人民共和国政府信息公开条例》规定，现公布${report.title}，详见附件。</p>`);
    parts.push(markup(rel(report.attachmentPath!), report.attachmentName!, Number(/\d+$/.exec(report.id)?.[0] ?? 0)));
  }
  if (report.extraAttachment)
    parts.push(`<p><a href="${rel(report.extraAttachment.path)}">${report.extraAttachment.name}</a></p>`);
  return parts.join('\n');
}

// ---------- Hanweb 大汉 JCMS ----------
export const HANWEB = { webid: 12, columnid: 1234, unitid: 5678, group: 6 };

export function hanwebRecord(entry: Entry): string {
  return `<record><![CDATA[\n<li class="clearfix">    <a target="_blank" href="${entry.href}" title="${esc(entry.title)}">${entry.title.length > 24 ? entry.title.slice(0, 24) + '...' : entry.title}</a>    <b>${entry.date}</b></li>]]></record>`;
}

export function hanwebDatastore(portal: SimPortal, list: Entry[], from: number, to: number): string {
  const recs = list.slice(from, to).map(hanwebRecord).join('\n');
  const webname = encodeURIComponent(encodeURIComponent(`${portal.name}人民政府`));
  return `<datastore>\n<nextgroup><![CDATA[<a href="${portal.basePath}module/web/jpage/dataproxy.jsp?page=1&appid=1&webid=${HANWEB.webid}&path=/&columnid=${HANWEB.columnid}&unitid=${HANWEB.unitid}&webname=${webname}&permissiontype=0"></a>]]></nextgroup>\n<recordset>\n${recs}\n</recordset>\n<totalrecord>${list.length}</totalrecord>\n</datastore>`;
}

export function hanwebColumn(portal: SimPortal, list: Entry[], title: string): string {
  const unitid = HANWEB.unitid;
  return page(portal, {
    title,
    body: `<div class="bt-position">当前位置：<a href="${portal.basePath}index.html">首页</a> &gt; ${title}</div>
<div id="${unitid}"><script type="text/xml">${hanwebDatastore(portal, list, 0, HANWEB.group)}</script></div>
<script language="javascript">var param_${unitid} = {col:1,appid:1,webid:${HANWEB.webid},path:'/',columnid:${HANWEB.columnid},sourceContentType:1,unitid:'${unitid}',webname:'${portal.name}人民政府',permissiontype:0,totalRecord:${list.length}};</script>
<script>$('#${unitid}').jpage({dataStore:param_${unitid},perPage:3,proxyUrl:'${portal.basePath}module/web/jpage/dataproxy.jsp',groupSize:2});</script>`,
  });
}

// ---------- TRS WCM ----------
export const TRS_PER_PAGE = 5;

export function trsList(
  portal: SimPortal,
  list: Entry[],
  current: number,
  dir: string,
  rel: (h: string) => string,
): string {
  const count = Math.max(1, Math.ceil(list.length / TRS_PER_PAGE));
  const items = list
    .slice(current * TRS_PER_PAGE, (current + 1) * TRS_PER_PAGE)
    .map(
      (entry) =>
        `<li><a href="${rel(entry.href)}" target="_blank" title="${esc(entry.title)}">${entry.title}</a><span>${entry.date}</span></li>`,
    )
    .join('\n');
  return page(portal, {
    title: '政府信息公开年报',
    charset: 'gb2312',
    body: `<div class="list"><ul>\n${items}\n</ul></div>
<div class="page"><SCRIPT>
//createPageHTML(${count}, ${current}, "index", "html");
var currentPage = ${current};//所在页从0开始
var prevPage = currentPage-1;//上一页
var nextPage = currentPage+1;//下一页
var countPage = ${count};//共多少页
if(countPage>1&&currentPage!=(countPage-1))
document.write("<a class='next' href=\\"index"+"_" + nextPage + "."+"html\\">下一页</a>");
</SCRIPT></div><!-- ${dir} -->`,
  });
}

// ---------- Anhui 政务公开平台 (JS-rendered list) ----------
export const ANHUI_PER_PAGE = 4;

export function anhuiShell(portal: SimPortal): string {
  const api = `${portal.basePath}public/column/list.json`;
  return page(portal, {
    title: '政府信息公开年报',
    body: `<div class="navbar">政府信息公开年报</div><ul id="list" class="clearfix"></ul><div id="pager"></div>
<script>
(function () {
  var q = new URLSearchParams(location.search);
  var page = Number(q.get('page') || 1);
  fetch('${api}?siteId=6596&catId=7011&page=' + page).then(function (r) { return r.json(); }).then(function (d) {
    var ul = document.getElementById('list');
    d.data.forEach(function (it) {
      var li = document.createElement('li');
      li.innerHTML = '<a href="' + it.url + '" title="' + it.title + '" target="_blank">' + it.title + '</a><span class="date">' + it.date + '</span>';
      ul.appendChild(li);
    });
    if (page < d.pageCount) document.getElementById('pager').innerHTML = '<a class="next" href="?type=4&catId=7011&action=list&page=' + (page + 1) + '">下一页</a>';
  });
})();
</script>`,
  });
}

export function anhuiJson(list: Entry[], pageNo: number): string {
  const pageCount = Math.max(1, Math.ceil(list.length / ANHUI_PER_PAGE));
  const data = list
    .slice((pageNo - 1) * ANHUI_PER_PAGE, pageNo * ANHUI_PER_PAGE)
    .map((e) => ({ title: e.title, url: e.href, date: e.date }));
  return JSON.stringify({ total: list.length, page: pageNo, pageCount, data });
}

// ---------- plain static lists ----------
/** Plain lists print only the link text, cut at `cut` characters with "..." as list templates do (no title=). */
export function staticList(
  portal: SimPortal,
  title: string,
  items: Array<{ title: string; href: string; date?: string }>,
  extra = '',
  cut = Infinity,
): string {
  const listItems = items
    .map(
      (entry) =>
        `<li><a href="${entry.href}">${entry.title.length > cut ? entry.title.slice(0, cut) + '...' : entry.title}</a>${entry.date ? `<span>${entry.date}</span>` : ''}</li>`,
    )
    .join('\n');
  return page(portal, { title, body: `<h2>${title}</h2>\n<ul class="list">\n${listItems}\n</ul>\n${extra}` });
}
