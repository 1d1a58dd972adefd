// Is a link a GIP annual report, and whose / which year? Titles are regular:
// `{单位}{YYYY}年(度)政府信息公开工作年度报告`, `{YYYY}年{单位}政府信息公开工作年度报告`, `…年报`.
import { countyLevel, loadRegions } from '../data/areacodes.ts';

export type Verdict = { report: true; agency: string | null; year: number } | { report: false; reason: string };

const REJECT: Array<[RegExp, string]> = [
  [/解读|图解|一图|读懂|问答/, 'interpretation'],
  [/通知|通报|公告|公示|函$|意见|办法|方案|征集|提醒|决定/, 'notice'],
  [/报表|统计表|工作要点|工作计划|目录|指南|制度/, 'not a report'],
];

// County-level names that are also common words inside body names.
const AMBIGUOUS = new Set(['城区', '郊区', '矿区', '新区', '开发区']);
let countyNames: string[] | null = null;
function names(): string[] {
  countyNames ??= [...new Set(countyLevel().map((r) => r.name))]
    .filter((n) => n.length >= 2 && !AMBIGUOUS.has(n))
    .sort((a, b) => b.length - a.length);
  return countyNames;
}

export interface PortalPlace {
  /** The portal's county name (绥滨县) and its prefecture (鹤岗市), when known. */
  county: string | null;
  prefecture: string | null;
  province: string | null;
}

export function placeOf(regionCode: string | null | undefined, name?: string | null): PortalPlace {
  const region = regionCode
    ? loadRegions()
        .filter((x) => x.code === regionCode)
        .sort((a, b) => b.validFrom - a.validFrom)[0]
    : undefined;
  return {
    county: region?.name ?? name ?? null,
    prefecture: region?.prefecture && !/直辖/.test(region.prefecture) ? region.prefecture : null,
    province: region?.province ?? null,
  };
}

const TITLE = /^(.*?)(?:关于)?((?:19|20)\d{2})\s*年度?(.*?)(?:的)?政府信息公开(?:工作)?(?:年度报告|年报|工作报告)/;

// A title cut by the list template ("…2019年度政府信息公开工作..."): the report word may be what was cut.
const CUT_TITLE = /^(.*?)(?:关于)?((?:19|20)\d{2})\s*年度?(.*?)(?:的)?政府信息公开/;

/** `truncated`: the list showed a cut title; judge it leniently (the caller confirms it when it can). */
export function classifyTitle(rawTitle: string, place: PortalPlace, opts: { truncated?: boolean } = {}): Verdict {
  const title = rawTitle.replace(/\s+/g, '').replace(/[（(]\d{4}[）)]/g, '');
  if (!/政府信息公开/.test(title) || !(opts.truncated || /年度报告|年报|工作报告/.test(title)))
    return { report: false, reason: 'not a GIP annual report title' };
  for (const [pattern, reason] of REJECT) if (pattern.test(title)) return { report: false, reason };
  const parts = TITLE.exec(title) ?? (opts.truncated ? CUT_TITLE.exec(title) : null);
  if (!parts) return { report: false, reason: 'no year in title' };
  const year = Number(parts[2]);
  let agency = (parts[1] + parts[3])
    .replace(/^[【[].*?[】\]]/, '')
    .replace(/[：:，,、]+$/, '')
    .trim();
  // Strip own province/prefecture prefixes, then any other county-level name at the start means another body.
  for (const prefix of [place.province, place.prefecture])
    if (prefix && agency.startsWith(prefix) && agency.length > prefix.length) agency = agency.slice(prefix.length);
  // With the portal's county unknown, another county's name cannot be told from our own: keep the entry.
  if (place.county && !agency.startsWith(place.county)) {
    const other = names().find((n) => agency.startsWith(n) && n !== place.county);
    if (other) return { report: false, reason: `another county: ${other}` };
  }
  if (
    place.prefecture &&
    place.county &&
    agency.startsWith(place.prefecture) === false &&
    /^.{2,}[市州盟]/.test(agency) &&
    !agency.startsWith(place.county)
  ) {
    const city = /^(.{2,}?[市州盟])/.exec(agency)?.[1];
    if (city && loadRegions().some((r) => r.name === city && r.level === '地级'))
      return { report: false, reason: `another prefecture: ${city}` };
  }
  return { report: true, agency: agency || null, year };
}
