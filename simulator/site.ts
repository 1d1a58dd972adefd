// The simulator's world: four fake county portals (one per CMS family), their reports, distractors and traps.
// Deterministic for a seed; the server renders pages from this model, so the change/remove hooks show up live.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import {
  fromCorpus,
  generate,
  scanCorpus,
  synthetic,
  syntheticTable,
  type CorpusDoc,
  type DocContent,
  type DocKind,
} from './documents.ts';

/** The four core portals' families; the real-world family portals (simulator/families.ts) add jpaas and gkmlpt. */
export type CoreFamily = 'hanweb' | 'trs' | 'anhui' | 'generic';
export type Family = CoreFamily | 'jpaas' | 'gkmlpt' | 'truecms' | 'xxgk' | 'epoint' | 'cnnn' | 'gongkai';

/** One request as a family portal's own routes see it. */
export interface SimRequest {
  path: string;
  query: URLSearchParams;
  method: string;
  form: URLSearchParams;
}

/** A response of a family portal's own routes (the server's Res). */
export interface SimResponse {
  status: number;
  body: Buffer | string;
  type?: string;
  headers?: Record<string, string>;
  gbk?: boolean;
  noCache?: boolean;
}

export interface SimReport {
  id: string;
  portal: string;
  agency: string;
  year: number;
  title: string;
  kind: DocKind;
  published: string;
  articlePath: string;
  attachmentPath: string | null;
  attachmentName: string | null;
  content: DocContent;
  version: number;
  removed: boolean;
  /** Serve the article slowly (ms). */
  delayMs?: number;
  /** Listed with a link straight to the file (no article page), as many township lists do. */
  direct?: boolean;
  /** The attachment is served by the object-storage host (the simulator's second server), not the portal. */
  onStorageHost?: boolean;
  /** Extra attachment linked from the article that is NOT the report (e.g. the 30 MB trap). */
  extraAttachment?: { path: string; name: string };
}

/** A list entry that is not one of this portal's reports: distractor pages and traps. */
export interface SimLink {
  title: string;
  /** Absolute path on the simulator, or a full URL to another host. */
  href: string;
  date: string;
  why: string;
}

export interface SimPortal {
  slug: string;
  name: string;
  regionCode: string;
  family: Family;
  /** The adapter expected to read its lists (default: the family). */
  platform?: string;
  /** Its lists are drawn by a page script whose request the crawler does not model: read only in a browser. */
  needsBrowser?: boolean;
  /** List pages and APIs of a family portal (articles, attachments and distractor pages are served generically). */
  routes?: (req: SimRequest) => SimResponse | null;
  /** How an article links its attachment (e.g. absolute, on the object-storage host). */
  attachmentHref?: (path: string) => string;
  /** Attachments carry their title in Content-Disposition (as Hanweb's downfile.jsp does). */
  namesFiles?: boolean;
  /** The markup of an article's attachment link (e.g. written by a script), given its href, name and a serial. */
  attachmentMarkup?: (href: string, name: string, serial: number) => string;
  basePath: string;
  /** Path of the annual-report column (what the crawler must discover). */
  columnPath: string;
  reports: SimReport[];
  links: SimLink[];
  /** Distractor article pages hosted on this portal: path → title + html body. */
  pages: Map<string, { title: string; body: string; date: string }>;
}

const COUNTIES: Array<{
  slug: string;
  name: string;
  code: string;
  family: CoreFamily;
  other: string;
  towns: string[];
}> = [
  { slug: 'suibin', name: '绥滨县', code: '230422', family: 'hanweb', other: '萝北县', towns: ['绥滨镇', '忠仁镇'] },
  { slug: 'jixian', name: '集贤县', code: '230521', family: 'trs', other: '友谊县', towns: ['福利镇', '集贤镇'] },
  {
    slug: 'xiangshan',
    name: '相山区',
    code: '340603',
    family: 'anhui',
    other: '杜集区',
    towns: ['东山街道', '任圩街道'],
  },
  {
    slug: 'baoqing',
    name: '宝清县',
    code: '230523',
    family: 'generic',
    other: '饶河县',
    towns: ['宝清镇', '七星泡镇'],
  },
];

// The five seed reports are real reports of these counties; two name only their township.
const SEED_TOWN_HOME: Record<string, string> = { 连生乡: '230422', 腰屯乡: '230521' };

const COLUMN: Record<CoreFamily, string> = {
  hanweb: 'col/col1234/index.html',
  trs: 'zwgk/zfxxgknb/index.html',
  anhui: 'public/column/6596?type=4&catId=7011&action=list',
  generic: 'zfxxgk/zfxxgknb/',
};

function hex32(text: string): string {
  return createHash('md5').update(text).digest('hex');
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Title shapes seen on real portals: body+year first, year first, 年度 variant. */
function titleFor(agency: string, year: number, variant: number): string {
  switch (variant % 3) {
    case 0:
      return `${agency}${year}年政府信息公开工作年度报告`;
    case 1:
      return `${year}年${agency}政府信息公开工作年度报告`;
    default:
      return `${agency}${year}年度政府信息公开工作年度报告`;
  }
}

function paths(
  family: CoreFamily,
  base: string,
  id: number,
  year: number,
  date: Date,
  kind: DocKind,
  agencyIsTown: boolean,
) {
  const y = date.getUTCFullYear(),
    month = date.getUTCMonth() + 1,
    day = date.getUTCDate();
  const ymd = `${y}${pad(month)}${pad(day)}`;
  const ext = kind;
  switch (family) {
    case 'hanweb':
      return {
        article: `${base}art/${y}/${month}/${day}/art_1234_${5000 + id}.html`,
        attachment: `${base}module/download/downfile.jsp?classid=0&filename=${hex32(base + id)}.${ext}`,
      };
    case 'trs':
      return {
        article: `${base}zwgk/zfxxgknb/${y}${pad(month)}/t${ymd}_${8000 + id}.html`,
        attachment: `${base}zwgk/zfxxgknb/${y}${pad(month)}/P0${ymd}${600 + id}.${ext}`,
      };
    case 'anhui':
      return {
        article: `${base}public/6596/${9000 + id}.html`,
        attachment: `${base}group1/M00/00/${pad(id)}/${hex32(base + id).slice(0, 16)}.${ext}`,
      };
    case 'generic':
      return {
        article: agencyIsTown
          ? `${base}zfxxgk/zfxxgknb/xzjd/${year}_${id}.html`
          : `${base}zfxxgk/zfxxgknb/${year}/${id}.html`,
        attachment: `${base}uploadfiles/${year}/${id}.${ext}`,
      };
  }
}

/** "禄劝彝族苗族自治县永安镇人民政府" → "永安镇人民政府": a random corpus report's township, re-homed here. */
function townPart(agency: string): string {
  const town = /([^县区市旗]{1,6}(?:镇|乡|街道))(人民政府|政府|办事处)?$/.exec(agency);
  return town ? town[1] + (town[2] ?? '') : agency;
}

interface Slot {
  agency: string;
  year: number;
  town: boolean;
  title?: string;
  published?: string;
  content: (id: number, title: string, published: string) => Promise<DocContent>;
  kind: DocKind;
}

/** Builds the portals. `tmp` receives the expected JSON of the generated reports. */
export async function buildSite(seed = 1, tmp: string): Promise<SimPortal[]> {
  const corpus = scanCorpus();
  const seeds = new Map<string, CorpusDoc[]>();
  for (const doc of corpus.filter((x) => x.seed)) seeds.set(doc.group, [...(seeds.get(doc.group) ?? []), doc]);
  const randoms = corpus.filter((d) => !d.seed && (d.kind === 'pdf' || d.kind === 'doc'));
  const out: SimPortal[] = [];
  for (const [countyIndex, county] of COUNTIES.entries()) {
    const base = `/p/${county.slug}/`;
    const slots: Slot[] = [];
    // The county government, two departments: generated for their own names and years, as HTML articles or DOCX.
    const bodies = [
      { agency: `${county.name}人民政府`, years: [2019, 2020, 2021, 2022, 2023, 2024] },
      { agency: `${county.name}教育局`, years: [2022, 2023] },
      { agency: `${county.name}财政局`, years: [2023] },
    ];
    let generatedCount = 0;
    for (const body of bodies) {
      for (const year of body.years) {
        const kind: 'html' | 'docx' = (generatedCount++ + seed + countyIndex) % 2 === 0 ? 'html' : 'docx';
        const gseed = seed * 1000 + countyIndex * 100 + generatedCount;
        slots.push({
          agency: body.agency,
          year,
          town: false,
          kind,
          content: (id, title, published) =>
            generate(
              kind,
              { agency: body.agency, year, title, regionCode: county.code, publishedAt: published },
              gseed,
              join(tmp, `${county.slug}-${id}-v1.expected.json`),
            ),
        });
      }
    }
    // This county's seed reports (real documents), one format each, rotating with the simulator seed.
    let seedCount = 0;
    for (const [, docs] of [...seeds].sort(([a], [b]) => a.localeCompare(b))) {
      const who = docs[0].identity;
      const home =
        who.regionCode ??
        COUNTIES.find((x) => who.agency.startsWith(x.name))?.code ??
        SEED_TOWN_HOME[townPart(who.agency).replace(/人民政府$/, '')];
      if (home !== county.code) continue;
      const doc = docs[(seed + seedCount++ + countyIndex) % docs.length];
      slots.push({
        agency: who.agency,
        year: who.year,
        town: true,
        kind: doc.kind,
        published: who.publishedAt ?? undefined,
        content: async () => fromCorpus(doc),
      });
    }
    // Two townships publishing PDF and DOC (rendered reports of the office corpus, re-homed to a local township).
    for (const [townIndex, kind] of (['pdf', 'doc'] as const).entries()) {
      const pool = randoms.filter((d) => d.kind === kind);
      const doc = pool.length ? pool[(seed * 7 + countyIndex * 2 + townIndex) % pool.length] : null;
      const agency = doc ? `${county.name}${townPart(doc.identity.agency)}` : county.towns[townIndex];
      const year = doc ? doc.identity.year : 2022 + townIndex;
      slots.push({
        agency,
        year,
        town: true,
        kind,
        published: doc?.identity.publishedAt ?? undefined,
        content: async (id, title) => (doc ? fromCorpus(doc) : synthetic(kind, title, seed + id)),
      });
    }
    const reports: SimReport[] = [];
    const titles = new Set<string>();
    let id = 0;
    for (const slot of slots) {
      id++;
      const date = slot.published
        ? new Date(slot.published + 'T00:00:00Z')
        : new Date(Date.UTC(slot.year + 1, id % 3, 5 + ((id * 3) % 20)));
      const where = paths(county.family, base, id, slot.year, date, slot.kind, slot.town);
      const title = titleFor(slot.agency, slot.year, id + seed);
      if (titles.has(title)) continue;
      titles.add(title);
      const published = date.toISOString().slice(0, 10);
      reports.push({
        id: `${county.slug}-${id}`,
        portal: county.slug,
        agency: slot.agency,
        year: slot.year,
        title,
        kind: slot.kind,
        published,
        articlePath: where.article,
        attachmentPath: slot.kind === 'html' ? null : where.attachment,
        attachmentName: slot.kind === 'html' ? null : `${title}.${slot.kind}`,
        content: await slot.content(id, title, published),
        version: 1,
        removed: false,
      });
    }
    const pages = new Map<string, { title: string; body: string; date: string }>();
    const links: SimLink[] = [];
    const page = (href: string, title: string, body: string, why: string, date = '2024-02-01') => {
      pages.set(href, { title, body, date });
      links.push({ title, href, date, why });
    };
    const art = (serial: number) =>
      paths(county.family, base, 100 + serial, 2023, new Date(Date.UTC(2024, 1, serial)), 'html', false).article;
    page(
      art(1),
      `${county.name}人民政府2023年政府信息公开工作年度报告解读`,
      '<p>一图读懂：本年度主动公开政府信息情况解读。</p>',
      'interpretation',
    );
    page(
      art(2),
      `关于做好2023年度政府信息公开工作年度报告编制发布工作的通知`,
      '<p>各乡（镇）人民政府，县政府各部门：请于1月31日前发布年度报告。</p>',
      'notice',
    );
    page(
      art(3),
      `${county.name}2023年度政府网站工作年度报表`,
      '<table><tr><td>网站名称</td><td>' + county.name + '人民政府</td></tr></table>',
      'website report',
    );
    // A repost of a neighbouring county's report: report-shaped, but another body.
    page(
      art(4),
      `${county.other}人民政府2023年政府信息公开工作年度报告`,
      syntheticTable(county.other, countyIndex),
      'other county repost',
    );
    out.push({
      slug: county.slug,
      name: county.name,
      regionCode: county.code,
      family: county.family,
      basePath: base,
      columnPath: base + COLUMN[county.family],
      reports,
      links,
      pages,
    });
  }
  return out;
}

/** Traps added to the generic portal's column (and a private link on the Hanweb one). */
export function addTraps(portals: SimPortal[]): void {
  const generic = portals.find((p) => p.family === 'generic')!;
  const col = `${generic.basePath}zfxxgk/zfxxgknb/`;
  const trap = (title: string, href: string, why: string) =>
    generic.links.push({ title, href, date: '2024-03-01', why });
  trap(`${generic.name}审计局2023年政府信息公开工作年度报告`, `${col}loop/a.html`, 'redirect loop');
  trap(`${generic.name}统计局2022年政府信息公开工作年度报告`, `${col}2022/missing.html`, '404');
  trap(`${generic.name}民政局2022年政府信息公开工作年度报告`, `${col}error/500.html`, '500');
  trap(`${generic.name}民政局2023年政府信息公开工作年度报告`, `${col}private/2023/t1.html`, 'robots.txt disallowed');
  trap(
    `${generic.name}水务局2023年政府信息公开工作年度报告`,
    'http://10.12.0.5/zfxxgknb/2023/t1.html',
    'private address',
  );
  trap(`${generic.name}水务局2022年政府信息公开工作年度报告`, 'http://192.168.10.20/gknb/2022.pdf', 'private address');
  trap(`${generic.name}2023年年报`, 'http://169.254.169.254/latest/meta-data/', 'link-local address');
  trap(
    `${generic.name}卫健局2023年政府信息公开工作年度报告`,
    'http://www.baoqing.example/zfxxgknb/2023.html',
    'other host',
  );
  const r2021 = generic.reports.find((r) => r.agency === `${generic.name}人民政府` && r.year === 2021)!;
  r2021.delayMs = 300;
  const r2022 = generic.reports.find((r) => r.agency === `${generic.name}人民政府` && r.year === 2022)!;
  r2022.extraAttachment = {
    path: `${generic.basePath}uploadfiles/2022/big-data.pdf`,
    name: '附件2：公开数据汇总表.pdf',
  };
  const pdfTown = generic.reports.find((r) => r.kind === 'pdf' && r.articlePath.includes('/xzjd/'));
  if (pdfTown) pdfTown.direct = true;
  // Hanweb datastores mix absolute URLs in; one points at a private address.
  const hanweb = portals.find((p) => p.family === 'hanweb')!;
  hanweb.links.push({
    title: `${hanweb.name}农业农村局2023年政府信息公开工作年度报告`,
    href: 'http://10.0.3.7/art/2024/1/9/art_1234_1.html',
    date: '2024-01-09',
    why: 'private address',
  });
  // Cross-portal link: another county's report on the same server (outside this portal's path).
  const other = portals.find((p) => p.family === 'trs')!.reports[0];
  generic.links.push({ title: other.title, href: other.articlePath, date: other.published, why: 'other portal' });
}

export const BIG_FILE_BYTES = 30 * 1024 * 1024;
