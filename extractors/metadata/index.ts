// Report metadata: title, agency as printed, the year covered, 统计期限, publication date, county code.
import type { DocumentModel } from '../model.ts';
import { flag, type Flag } from '../report.ts';
import { regionFromSiteId, resolveRegion } from './region.ts';

export interface Metadata {
  title: string | null;
  agency: string | null;
  year: number | null;
  region_code: string | null;
  published_at: string | null;
  period: { start: string; end: string } | null;
  flags: Flag[];
}

const CJK = '\\u3400-\\u9fff\\uf900-\\ufaff';
/** pdf.js and Word-to-text put spaces where digits meet Chinese ("2021 年"): fold them. */
export function tidy(text: string): string {
  return text
    .replace(/[\u00a0\u3000]/g, ' ')
    .replace(new RegExp(`(?<=[${CJK}\\d（）()〔〕《》“”])\\s+(?=[${CJK}\\d（）()〔〕《》“”])`, 'g'), '')
    .replace(/\s+/g, ' ')
    .trim();
}

export function titleOf(model: DocumentModel): string | null {
  const paras = model.blocks
    .slice(0, 40)
    .flatMap((b) => (b.kind === 'paragraph' ? [tidy(b.text)] : []))
    .filter(Boolean);
  const plain = (p: string | undefined) => !!p && p.length <= 30 && !/[。，；：:,]/.test(p) && !/报告|年报/.test(p);
  for (let i = 0; i < Math.min(paras.length, 12); i++) {
    let candidate = paras[i];
    if (candidate.length > 80 || /^[一1][、.．]/.test(candidate) || !/报告|年报/.test(candidate)) continue;
    // Titles set on two lines: "绥滨县连生乡人民政府" / "2021年…年度报告", or "…2021年政府信息公开" / "工作年度报告".
    if ((/^\d{4}/.test(candidate) || !/\d{4}/.test(candidate)) && plain(paras[i - 1]))
      candidate = paras[i - 1] + candidate;
    // A report title names its year; a navigation link "政府信息公开年报" does not.
    if (/(19|20)\d{2}/.test(candidate)) return tidy(candidate);
  }
  return model.meta.title ? tidy(model.meta.title) || null : null;
}

export function agencyOf(title: string | null): string | null {
  if (!title) return null;
  const before = /^(.{2,40}?)(?:关于)?(?:\d{4})\s*年/.exec(title);
  // "XX县人民政府办公室关于XX县2021年…": the publisher is the part before 关于.
  if (before && !/^\d/.test(before[1])) return before[1].split('关于')[0].replace(/[:：\s]+$/, '') || null;
  const after = /^\d{4}\s*年度?(.{2,40}?)(?:政府信息公开|政务公开|信息公开)/.exec(title);
  return after ? after[1] : null;
}

const DATE = '(\\d{4})\\s*年\\s*(\\d{1,2})\\s*月\\s*(\\d{1,2})\\s*日';
const iso = (year: string | number, month: string | number, day: string | number) =>
  `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;

export function periodOf(text: string): { start: string; end: string } | null {
  const rangePattern = new RegExp(
    `${DATE}\\s*起?\\s*(?:至|到|—|－|-|~|～)\\s*(?:(\\d{4})\\s*年\\s*)?(\\d{1,2})\\s*月\\s*(\\d{1,2})\\s*日`,
    'g',
  );
  const all = [...text.matchAll(rangePattern)];
  // Prefer the range stated as 统计期限; otherwise the first range in the text.
  const range = all.find((x) => /统计|期限|数据/.test(text.slice(Math.max(0, x.index! - 30), x.index))) ?? all[0];
  if (!range) return null;
  return { start: iso(range[1], range[2], range[3]), end: iso(range[4] ?? range[1], range[5], range[6]) };
}

/** A signature date near the end ("2022年1月20日"), when no metadata gives one. */
function signatureDate(model: DocumentModel): string | null {
  const tail = model.blocks.slice(-6).flatMap((b) => (b.kind === 'paragraph' ? [tidy(b.text)] : []));
  for (const line of tail.reverse()) {
    const date = new RegExp(`^${DATE}$`).exec(line);
    if (date) return iso(date[1], date[2], date[3]);
  }
  return null;
}

/** A portal's page-information label before its date: 发布日期 | 2023-01-30, 发布时间：…, 公开日期 …. */
const INFO_DATE = /(?:发布|公开|发文)(?:日期|时间)\s*[:：|]?\s*(\S[^|]{0,20})/;

/** The publication date a portal's info table or line prints above the report (text and HTML copies of the page). */
function infoDate(model: DocumentModel): string | null {
  for (const block of model.blocks.slice(0, 12)) {
    const text =
      block.kind === 'paragraph'
        ? block.text
        : block.rows
            .slice(0, 6)
            .map((row) => row.map((cell) => cell.text).join(' | '))
            .join('\n');
    const date = normaliseDate(tidy(INFO_DATE.exec(text)?.[1] ?? ''));
    if (date) return date;
  }
  return null;
}

/** A body's name as signed under a report (落款): a short line ending in the kind of body it is. */
const SIGNATURE =
  /^[\u3400-\u9fff（）()]{2,40}(?:人民政府|办事处|办公室|委员会|管委会|局|厅|委|院|中心|公司|所|站|队)$/;

/** The closing signature (落款) above or beside the date at the end, for a report printed without its title line. */
export function signatureAgency(model: DocumentModel): string | null {
  const tail = model.blocks
    .slice(-8)
    .flatMap((b) => (b.kind === 'paragraph' ? [tidy(b.text)] : []))
    .reverse();
  for (const line of tail) {
    const name = line.replace(new RegExp(`\\s*${DATE}$`), '').trim();
    if (SIGNATURE.test(name)) return name;
  }
  return null;
}

export function metadataOf(model: DocumentModel, fullText: string): Metadata {
  const flags: Flag[] = [];
  const title = titleOf(model);
  const agency = agencyOf(title) ?? (title ? null : signatureAgency(model));
  const text = tidy(fullText.slice(0, 50000));
  const period = periodOf(text);
  const published_at = normaliseDate(model.meta.publishedAt) ?? infoDate(model) ?? signatureDate(model);
  const titleYear = title ? Number(/(\d{4})\s*年/.exec(title)?.[1] ?? NaN) : NaN;
  const periodYear = period ? Number(period.start.slice(0, 4)) : NaN;
  const pubYear = published_at ? Number(published_at.slice(0, 4)) : NaN;
  const sane = (y: number) => y >= 2000 && y <= 2100;
  const year = sane(titleYear) ? titleYear : sane(periodYear) ? periodYear : sane(pubYear) ? pubYear - 1 : null;
  const conflicts: string[] = [];
  if (sane(titleYear) && sane(periodYear) && titleYear !== periodYear)
    conflicts.push(`title says ${titleYear}, 统计期限 says ${periodYear}`);
  // Published before the period it reports on ended. (Much later is normal: portals migrate and re-publish.)
  if (
    year &&
    published_at &&
    published_at < (period && Number(period.end.slice(0, 4)) === year ? period.end : `${year}-12-31`)
  )
    conflicts.push(`published ${published_at}, before the end of ${year}`);
  if (conflicts.length) flags.push(flag('YEAR_CONFLICT', 'year', conflicts.join('; ')));
  // Reports are due by the end of January after their year, but late, re-published and mis-dated copies are common:
  // a year read from the publication date alone is a guess, and says so.
  if (!sane(titleYear) && !sane(periodYear) && year !== null)
    flags.push(
      flag(
        'YEAR_INFERRED',
        'year',
        `no year in the title or 统计期限: ${year}, the year before publication (${published_at})`,
      ),
    );

  let region_code: string | null = null;
  const resolved = resolveRegion(agency, text, year);
  region_code = resolved.code ?? regionFromSiteId(model.meta.siteIdCode, year);
  if (!region_code)
    flags.push(
      flag(
        'AGENCY_UNRESOLVED',
        'region_code',
        `no county code for ${agency ?? 'an unnamed agency'}${resolved.why !== 'none' ? ` (${resolved.why})` : ''}`,
      ),
    );
  return { title, agency, year, region_code, published_at, period, flags };
}

function normaliseDate(printed: string | null | undefined): string | null {
  if (!printed) return null;
  const date = /(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})/.exec(printed);
  return date ? iso(date[1], date[2], date[3]) : null;
}
