// Report object → a document as portals publish it: HTML (a Word-exported article inside portal chrome, merged
// header cells as in the real templates, &nbsp; blanks, labels wrapped with <br>) and DOCX (real merged cells via
// the docx package). Both follow the table layouts of 国办公开办函〔2019〕60号 / 〔2021〕30号.
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import iconv from 'iconv-lite';
import { AlignmentType, Document, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';
import type { Report, Row } from '../../extractors/report.ts';
import { ACTIVE_LAYOUT, APPEAL_COLUMNS, APPEAL_GROUPS, REQUEST_ROWS } from '../../extractors/template/keys.ts';
import { prng } from './random-report.ts';

export interface RenderOptions {
  /** Break long labels over lines (<br> in HTML, a line break in DOCX), as Word-exported tables do. */
  wrapLabels?: boolean;
  /** Print 政府集中采购 amounts in 元 ("251000元") instead of 万元. */
  amountInYuan?: boolean;
  /** Signs on 本年增/减 ("+3"). */
  signedChange?: boolean;
  /** Seed for the choices above that vary per label. */
  seed?: number;
  /** HTML: portal chrome (navigation, footer links) around the article; default true. */
  chrome?: boolean;
}

type Cell = { text: string; rowspan?: number; colspan?: number };
type Item = { p: string; center?: boolean } | { table: Cell[][] };

const SIX = ['自然人', '商业企业', '科研机构', '社会公益组织', '法律服务机构', '其他'];

/** The document as paragraphs and tables (rows list only the cells that start there, as HTML does). */
export function layout(report: Report, opts: RenderOptions = {}): Item[] {
  const rnd = prng(opts.seed ?? 1);
  const wrap = (label: string) => {
    if (!opts.wrapLabels || label.length < 4 || rnd() < 0.4) return label;
    const at = 2 + Math.floor(rnd() * (label.length - 3));
    return `${label.slice(0, at)}\n${label.slice(at)}`;
  };
  const fmt = (value: number | null | undefined, col?: string): string => {
    if (value === null || value === undefined) return '';
    if (col === 'amount' && opts.amountInYuan) return `${Math.round(value * 10000)}元`;
    if (col === 'change' && opts.signedChange && value > 0) return `+${value}`;
    return String(value);
  };
  const items: Item[] = [];
  const year = report.year ?? 2021;
  items.push({ p: report.title ?? '', center: true });
  items.push({
    p: `根据《中华人民共和国政府信息公开条例》规定，现公布${report.agency ?? '本机关'}${year}年度政府信息公开工作情况。本报告所列数据的统计期限自${year}年1月1日起至${year}年12月31日止。`,
  });
  items.push({ p: '一、总体情况' }, { p: report.sections.overview ?? '' });

  items.push({ p: '二、主动公开政府信息情况' });
  if (report.active && (report.template === '2019' || report.template === '2021')) {
    const table: Cell[][] = [];
    const groups: Array<[string, string[]]> =
      report.template === '2021'
        ? [
            ['（一）', ['regulations', 'normative_documents']],
            ['（五）', ['licensing']],
            ['（六）', ['penalty', 'coercion']],
            ['（八）', ['fees']],
          ]
        : [
            ['（一）', ['regulations', 'normative_documents']],
            ['（五）', ['licensing', 'other_services']],
            ['（六）', ['penalty', 'coercion']],
            ['（八）', ['fees']],
            ['（九）', ['procurement']],
          ];
    const spec = new Map<string, (typeof ACTIVE_LAYOUT)['2021'][number] | (typeof ACTIVE_LAYOUT)['2019'][number]>(
      ACTIVE_LAYOUT[report.template].map((x) => [x[0], x]),
    );
    for (const [item, keys] of groups) {
      table.push([{ text: `第二十条第${item}项`, colspan: 4 }]);
      const cols = spec.get(keys[0])![2];
      const span = (i: number) => (i === cols.length - 1 ? 4 - cols.length : 1);
      table.push([{ text: '信息内容' }, ...cols.map(([, label], i) => ({ text: wrap(label), colspan: span(i) }))]);
      for (const key of keys) {
        const row = report.active[key];
        if (!row) continue;
        table.push([
          { text: wrap(spec.get(key)![1]) },
          ...cols.map(([c], i) => ({ text: fmt(row[c], c), colspan: span(i) })),
        ]);
      }
    }
    items.push({ table: table });
  }

  items.push({ p: '三、收到和处理政府信息公开申请情况' });
  if (report.requests) {
    const requests = report.requests;
    const rows = REQUEST_ROWS.filter(([k]) => k in requests);
    const table: Cell[][] = [
      [
        { text: '（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）', colspan: 3, rowspan: 3 },
        { text: '申请人情况', colspan: 7 },
      ],
      [
        { text: '自然人', rowspan: 2 },
        { text: '法人或其他组织', colspan: 5 },
        { text: '总计', rowspan: 2 },
      ],
      SIX.slice(1).map((l) => ({ text: wrap(l) })),
    ];
    const values = (row: Row | null) =>
      ['natural_person', 'commercial', 'research', 'social_org', 'legal_service', 'other_org', 'total'].map(
        (column) => ({
          text: fmt(row?.[column]),
        }),
      );
    const resultKeys = rows.map(([k]) => k).filter((k) => !['new', 'carried_over', 'carried_forward'].includes(k));
    let groupOpen = '';
    for (const [key, label] of rows) {
      const [head, sub] = splitLabel(label);
      const cells: Cell[] = [];
      if (key === 'new' || key === 'carried_over' || key === 'carried_forward')
        cells.push({ text: wrap(label), colspan: 3 });
      else {
        if (key === resultKeys[0]) cells.push({ text: wrap('三、本年度办理结果'), rowspan: resultKeys.length });
        if (sub) {
          if (groupOpen !== head) {
            const span = rows.filter(([, l]) => splitLabel(l)[0] === head).length;
            cells.push({ text: wrap(head), rowspan: span });
            groupOpen = head;
          }
          cells.push({ text: wrap(sub) });
        } else cells.push({ text: wrap(head), colspan: 2 });
      }
      table.push([...cells, ...values(requests[key])]);
    }
    items.push({ table: table });
  }

  items.push({ p: '四、政府信息公开行政复议、行政诉讼情况' });
  if (report.appeals) {
    const labels = APPEAL_COLUMNS.map(([, l]) => l);
    const table: Cell[][] = [
      [
        { text: '行政复议', colspan: 5 },
        { text: '行政诉讼', colspan: 10 },
      ],
      [
        ...labels.map((l) => ({ text: wrap(l), rowspan: 2 })),
        { text: '未经复议直接起诉', colspan: 5 },
        { text: '复议后起诉', colspan: 5 },
      ],
      [...labels, ...labels].map((l) => ({ text: wrap(l) })),
      APPEAL_GROUPS.flatMap(([g]) => APPEAL_COLUMNS.map(([c]) => ({ text: fmt(report.appeals![g]?.[c]) }))),
    ];
    items.push({ table: table });
  }
  items.push({ p: '五、存在的主要问题及改进情况' }, { p: report.sections.problems ?? '' });
  items.push({ p: '六、其他需要报告的事项' }, { p: report.sections.other ?? '' });
  return items;
}

/** "（三）不予公开 1.属于国家秘密" → ["（三）不予公开", "1.属于国家秘密"]; a label without a sub-row → [label, ""]. */
function splitLabel(label: string): [string, string] {
  const space = label.indexOf(' ');
  return space < 0 ? [label, ''] : [label.slice(0, space), label.slice(space + 1)];
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function renderHtml(report: Report, opts: RenderOptions & { charset?: string } = {}): string {
  const body = layout(report, opts)
    .map((item) => {
      if ('p' in item)
        return `<p class="MsoNormal"${item.center ? ' align="center" style="text-align:center"' : ''}><span style="font-family:仿宋_GB2312">${esc(item.p)}</span></p>`;
      const rows = item.table.map(
        (row) =>
          `<tr>${row
            .map((cell) => {
              const attrs = `${cell.rowspan && cell.rowspan > 1 ? ` rowspan="${cell.rowspan}"` : ''}${cell.colspan && cell.colspan > 1 ? ` colspan="${cell.colspan}"` : ''}`;
              const text = cell.text === '' ? '&nbsp;' : cell.text.split('\n').map(esc).join('<br/>');
              return `<td${attrs} valign="center" style="border:solid windowtext 1.0pt"><p class="MsoNormal" align="center"><span>${text}</span></p></td>`;
            })
            .join('')}</tr>`,
      );
      return `<table class="MsoNormalTable" border="1" cellspacing="0" cellpadding="0" style="border-collapse:collapse"><tbody>${rows.join('')}</tbody></table>`;
    })
    .join('\n');
  const chrome = opts.chrome ?? true;
  const nav = chrome
    ? `<div class="header"><ul class="nav">${['首页', '政务公开', '政府信息公开', '政务服务', '互动交流'].map((n, i) => `<li><a href="/col${i}/">${n}</a></li>`).join('')}</ul></div><div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政府信息公开</a> &gt; 年度报告</div>`
    : '';
  const footer = chrome
    ? `<div class="footer"><p>主办单位：${esc(report.agency ?? '')}　<a href="/about">网站地图</a>　<a href="/contact">联系我们</a></p><p>网站标识码：${report.region_code ?? ''}0001</p></div>`
    : '';
  return `<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset=${opts.charset ?? 'utf-8'}">
<meta name="ArticleTitle" content="${esc(report.title ?? '')}"><meta name="PubDate" content="${report.published_at ?? ''} 09:30">
<meta name="SiteName" content="${esc(report.agency ?? '')}"><title>${esc(report.title ?? '')}_政府信息公开</title>
<script>var _hmt = _hmt || [];</script><style>.nav li{display:inline}</style></head>
<body>${nav}<div class="main"><h1 class="title">${esc(report.title ?? '')}</h1><div class="info">发布时间：${report.published_at ?? ''}</div>
<div id="zoom"><div class="TRS_Editor">
${body}
</div></div></div>${footer}</body></html>`;
}

/** HTML bytes in a legacy encoding: GBK pages with or without their <meta charset>. */
export function renderHtmlBytes(
  report: Report,
  opts: RenderOptions & { encoding?: 'utf-8' | 'gbk'; declare?: boolean } = {},
): Buffer {
  const enc = opts.encoding ?? 'utf-8';
  let html = renderHtml(report, { ...opts, charset: enc === 'gbk' ? 'gbk' : 'utf-8' });
  if (opts.declare === false) html = html.replace(/<meta http-equiv="Content-Type"[^>]*>/, '');
  return enc === 'gbk' ? iconv.encode(html, 'gbk') : Buffer.from(html, 'utf8');
}

export async function renderDocx(report: Report, opts: RenderOptions = {}): Promise<Buffer> {
  const run = (text: string) =>
    text.split('\n').map((t, i) => new TextRun({ text: t, break: i ? 1 : undefined, font: '仿宋_GB2312' }));
  const children = layout(report, opts).map((item) =>
    'p' in item
      ? new Paragraph({ children: run(item.p), alignment: item.center ? AlignmentType.CENTER : undefined })
      : new Table({
          width: { size: 100, type: WidthType.PERCENTAGE },
          rows: item.table.map(
            (row) =>
              new TableRow({
                children: row.map(
                  (cell) =>
                    new TableCell({
                      children: [new Paragraph({ children: run(cell.text) })],
                      rowSpan: cell.rowspan,
                      columnSpan: cell.colspan,
                    }),
                ),
              }),
          ),
        }),
  );
  const bytes = await Packer.toBuffer(
    new Document({ creator: 'nianbao test renderer', title: report.title ?? undefined, sections: [{ children }] }),
  );
  return stableDocx(bytes);
}

/**
 * The same report renders to the same bytes: `docx` stamps the render time into docProps/core.xml and every zip entry,
 * so a rebuilt corpus would differ and a restarted simulator would serve "changed" documents to a re-crawl.
 */
export function stableDocx(docx: Uint8Array): Buffer {
  const files = unzipSync(docx);
  for (const [name, data] of Object.entries(files))
    if (name === 'docProps/core.xml')
      files[name] = strToU8(
        strFromU8(data).replace(/(<dcterms:(?:created|modified)[^>]*>)[^<]*/g, '$12020-01-01T00:00:00Z'),
      );
  return Buffer.from(zipSync(files, { mtime: new Date('2020-01-01T00:00:00Z') }));
}

/**
 * Plain text. `tabs` (default): Word's "save as text", paragraphs as lines and table rows tab-separated. `pdf`: what
 * PDF text extraction leaves (seed 002): a row's labels and numbers space-separated on a line, long labels broken
 * over lines with the numbers on a line of their own, header words one character per line.
 */
export function renderText(report: Report, opts: RenderOptions & { style?: 'tabs' | 'pdf' } = {}): string {
  const items = layout(report, { ...opts, wrapLabels: false });
  if (opts.style !== 'pdf')
    return (
      items
        .map((it) => ('p' in it ? it.p : it.table.map((row) => row.map((c) => c.text).join('\t')).join('\n')))
        .join('\n\n') + '\n'
    );
  const rnd = prng(opts.seed ?? 1);
  const out: string[] = [];
  for (const item of items) {
    if ('p' in item) {
      out.push(item.p);
      continue;
    }
    for (const row of item.table) {
      const labels = row.filter((c) => c.text && !/^[-+]?\d/.test(c.text)).map((c) => c.text);
      // Blank cells vanish in PDF text, as they do in real extraction: use this style without blanks.
      const values = row.filter((c) => c.text && !labels.includes(c.text)).map((c) => c.text);
      const label = labels.join('');
      if (!values.length && rnd() < 0.5) out.push(...[...label].slice(0, 12), label.slice(12));
      else if (label.length > 12 && rnd() < 0.6) out.push(label.slice(0, 10), label.slice(10), values.join(' '));
      else out.push(`${label} ${values.join(' ')}`.trim());
    }
  }
  return out.filter((l) => l !== '').join('\n\n') + '\n';
}
