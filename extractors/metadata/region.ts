// Agency name → 6-digit county code in force that year, from the national registry. The county is looked for in
// the agency name first, then in the text; a name shared by several counties (朝阳区: Beijing and Changchun) is
// settled by a prefecture or province named in the text, else left unresolved.
import { countyLevel, inForce, type Region } from '../../data/areacodes.ts';

/** Registry names too generic to find in prose. */
const GENERIC = new Set(['城区', '郊区', '矿区', '新区', '市辖区', '市区', '东区', '西区', '南区', '北区', '中区']);

export interface Resolution {
  code: string | null;
  why: string;
}

export function resolveRegion(agency: string | null, text: string, year: number | null): Resolution {
  const pool = (year ? countyLevel(year) : countyLevel().filter((r) => r.validTo === null)).filter(
    (r) => !GENERIC.has(r.name),
  );
  const head = text.slice(0, 30000);
  if (agency) {
    const hit = pick(
      pool.filter((r) => agency.includes(r.name)),
      agency + head,
    );
    if (hit.code || hit.why !== 'none') return hit;
    // A county renamed or upgraded (双城市 → 双城区, 2014) keeps its old name in agency names for years.
    if (year) {
      const old = pick(formerNames(agency, year), agency + head);
      if (old.code) return { code: old.code, why: `${old.why} (former name)` };
    }
  }
  // In the text: the county named most often (a report names its own county; others are rare mentions).
  const counts = new Map<string, number>();
  for (const region of pool) {
    if (counts.has(region.name) || !head.includes(region.name)) continue;
    counts.set(region.name, head.split(region.name).length - 1);
  }
  if (!counts.size) return { code: null, why: 'none' };
  const ranked = [...counts].sort((a, b) => b[1] - a[1] || b[0].length - a[0].length);
  if (ranked.length > 1 && ranked[0][1] === ranked[1][1] && !ranked[0][0].includes(ranked[1][0]))
    return { code: null, why: `several counties named equally often: ${ranked[0][0]}, ${ranked[1][0]}` };
  return pick(
    pool.filter((r) => r.name === ranked[0][0]),
    head,
  );
}

let byCodeCache: Map<string, Region[]> | null = null;
/** Every county-level registry entry (all years) by code; built once, the registry does not change at run time. */
function countiesByCode(): Map<string, Region[]> {
  if (byCodeCache) return byCodeCache;
  byCodeCache = new Map();
  for (const region of countyLevel()) byCodeCache.set(region.code, [...(byCodeCache.get(region.code) ?? []), region]);
  return byCodeCache;
}

/** Counties no longer in force whose name is in `agency`, each mapped to its successor in force in `year`. */
function formerNames(agency: string, year: number): Region[] {
  const all = countyLevel();
  const byCode = countiesByCode();
  const inForceByCode = (code: string) => byCode.get(code)?.find((r) => inForce(r, year));
  const out: Region[] = [];
  for (const region of all) {
    if (GENERIC.has(region.name) || !agency.includes(region.name) || inForce(region, year)) continue;
    // Follow successors ("230825;230834", "230900[1983]") until one is in force that year.
    let frontier = [region.code];
    for (let depth = 0; depth < 6 && frontier.length; depth++) {
      const hits = frontier.map(inForceByCode).filter((x): x is Region => !!x);
      if (hits.length) {
        out.push(...hits.map((h) => ({ ...h, name: region.name })));
        break;
      }
      frontier = frontier.flatMap((code) =>
        (byCode.get(code) ?? []).flatMap((x) =>
          (x.successor ?? '')
            .split(';')
            .map((sc) => sc.replace(/\[.*\]/, '').trim())
            .filter(Boolean),
        ),
      );
    }
  }
  return out;
}

/** One code among same-named candidates, using the prefecture/province named in `context`. */
function pick(cands: Region[], context: string): Resolution {
  // The longest name wins when one contains another (宝清县 vs 清县 is not real, but 新城区 vs 城区 is).
  const longest = Math.max(0, ...cands.map((r) => r.name.length));
  const named = cands.filter((r) => r.name.length === longest);
  const codes = [...new Set(named.map((r) => r.code))];
  if (!codes.length) return { code: null, why: 'none' };
  if (codes.length === 1) return { code: codes[0], why: named[0].name };
  const byPlace = named.filter((r) => mentions(context, r));
  const placeCodes = [...new Set(byPlace.map((r) => r.code))];
  if (placeCodes.length === 1)
    return { code: placeCodes[0], why: `${byPlace[0].name} in ${byPlace[0].prefecture ?? byPlace[0].province}` };
  return { code: null, why: `ambiguous: ${named[0].name} is ${codes.join(', ')}` };
}

function mentions(text: string, region: Region): boolean {
  const short = (place: string) =>
    place.replace(/(省|市|自治区|壮族自治区|回族自治区|维吾尔自治区|特别行政区|地区|盟|自治州)$/, '');
  const pref = region.prefecture && !/直辖/.test(region.prefecture) ? region.prefecture : null;
  if (pref && (text.includes(pref) || (short(pref).length >= 2 && text.includes(short(pref))))) return true;
  return (
    text.includes(region.province) ||
    (short(region.province).length >= 2 && text.includes(short(region.province)) && !pref)
  );
}

/** A SiteIDCode meta names the division in its first 6 digits; accept it only if the registry knows a county there. */
export function regionFromSiteId(siteId: string | null | undefined, year: number | null): string | null {
  const code = /^\d{6}/.exec(siteId ?? '')?.[0];
  if (!code) return null;
  return countiesByCode()
    .get(code)
    ?.some((x) => !year || inForce(x, year))
    ? code
    : null;
}
