// Agency identity and kind, from the printed name. Pure functions: the store decides what to do with them.
// Identity = region + normalised name, so 绥滨县连生乡人民政府, 连生乡政府 and 连生乡 (in 230422) are one body: a series
// printed under different forms of its name must stay one agency, or the cross-year checks never run.

export type AgencyKind = 'government' | 'office' | 'department' | 'township' | 'street' | 'zone' | 'other';

/**
 * Bump whenever normaliseAgency or classifyAgency changes what they return for some name: db/agency-merge.ts then
 * re-normalises every agency of an existing database (once) and merges the rows that became one body.
 */
export const AGENCY_NORMALISER_VERSION = '4';

/** Endings of a township- or street-level body's own name: a name without one of them may be that body's stem. */
export const TOWN_SUFFIXES = ['乡', '镇', '苏木', '街道'] as const;

/** NFKC folds full-width forms (（ＡＢ１） → (AB1)); whitespace of any kind is dropped. */
export function foldName(name: string): string {
  return name.normalize('NFKC').replace(/[\s\u200b\u3000]+/g, '');
}

// A leading 县/区/市/旗 standing for "this county's" (县政府办公室 = 绥滨县人民政府办公室), but not the first character of a
// word: 市场监督管理局, 市政管理局, 市容, 市民, 区域, 县域, 县级, 县直机关, 市属, 市中区.
const GENERIC_LEAD = /^(县|区|市|旗)(?!场|容|民|域|级|直|属|辖|中区|政(?!府))(?=.)/;
const GENERIC_WORDS = ['县', '区', '市', '旗'];
/** The level word a province's or prefecture's name ends in. */
const LEVEL_WORD = /(?:省|市|(?:壮族|回族|维吾尔)?自治区|特别行政区|地区|盟|自治州)$/;

/**
 * The identity of a publishing body within its region. `prefixes` are the names of the region and its parents
 * (省/市/县 names): a leading run of them is dropped, since reports print the body with or without its county.
 * `own`: the region's own names (绥滨县): a generic leading word means this region only when it is the one its
 * name ends in (县 in 绥滨县, 市 in 海伦市), so 市公安局 printed in 绥滨县 (the prefecture's) is not 县公安局. Without
 * `own` (no region known) any of 县/区/市/旗 is generic.
 * Then the forms a report may print for the same body are folded to one:
 * - 人民政府 → 政府, and a generic leading 县/区/市/旗 is dropped (县政府 = 绥滨县人民政府 = 政府);
 * - 政府办 → 政府办公室;
 * - a township's (人民)政府 is dropped: 连生乡 = 连生乡政府 = 连生乡人民政府;
 * - a street's 办事处 / 办 / (人民)政府 is dropped: 城关街道 = 城关街道办事处 = 城关街道办 = 城关街道人民政府;
 * - 管理委员会 → 管委会.
 * A name without its 乡/镇 (连生) is left alone: whether it is 连生乡 is the store's decision (one candidate only).
 */
export function normaliseAgency(
  name: string,
  prefixes: Array<string | null | undefined> = [],
  own?: Array<string | null | undefined>,
): string {
  let folded = foldName(name).replace(/人民政府/g, '政府');
  const names = prefixes.filter((p): p is string => !!p && p !== '直辖' && p !== '省直辖').map(foldName);
  // A province or prefecture printed without its 省/市/地区… (黑龙江绥滨县, 鹤岗绥滨县): dropped only when another of the
  // region's names follows, never on its own (a township may be named like its prefecture).
  const short = names.map((n) => n.replace(LEVEL_WORD, '')).filter((n, i) => n.length >= 2 && n !== names[i]);
  const followed = (rest: string) => names.some((n) => rest.startsWith(n) && rest.length > n.length);
  for (let changed = true; changed;) {
    changed = false;
    for (const regionName of names)
      if (folded.startsWith(regionName) && folded.length > regionName.length) {
        folded = folded.slice(regionName.length);
        changed = true;
      }
    for (const shortName of short)
      if (folded.startsWith(shortName) && followed(folded.slice(shortName.length))) {
        folded = folded.slice(shortName.length);
        changed = true;
      }
  }
  const generic = own ? own.map((n) => (n ? foldName(n).slice(-1) : '')) : GENERIC_WORDS;
  return folded
    .replace(GENERIC_LEAD, (word) => (generic.includes(word) ? '' : word))
    .replace(/政府办$/, '政府办公室')
    .replace(/^(.+(?:乡|镇|苏木))政府$/, '$1')
    .replace(/^(.+街道)(?:办事处|办|政府)$/, '$1')
    .replace(/管理委员会$/, '管委会');
}

/** The arguments normaliseAgency needs from a region's registry rows (every name the code has had). */
export function regionNames(rows: ReadonlyArray<{ name: string; prefecture: string | null; province: string }>): {
  prefixes: string[];
  own: string[];
} {
  return {
    prefixes: [...new Set(rows.flatMap((r) => [r.province, r.prefecture, r.name]))].filter((n): n is string => !!n),
    own: [...new Set(rows.map((r) => r.name))],
  };
}

/**
 * The stem a township or street name may also be printed as (连生乡 → 连生), or, for a name of no recognised kind
 * (连生), the name itself; null for every other kind. Loads of a stem and of its suffixed forms meet under it.
 */
export function townStem(norm: string): string | null {
  for (const suffix of TOWN_SUFFIXES)
    if (norm.endsWith(suffix) && norm.length > suffix.length) return norm.slice(0, -suffix.length);
  return classifyAgency(norm) === 'other' ? norm : null;
}

export function classifyAgency(name: string): AgencyKind {
  const folded = foldName(name);
  if (/街道(办事处|办|工委|党工委|(人民)?政府)?$/.test(folded)) return 'street';
  if (
    /(开发区|高新区|园区|新区|示范区|试验区|合作区|管理区|保税区|度假区|风景区)(管理委员会|管委会|管理局)?$|管委会$/.test(
      folded,
    )
  )
    return 'zone';
  if (/(镇|乡|苏木)(人民)?政府$|(镇|乡|苏木)$/.test(folded)) return 'township';
  if (/(政府)?办公室$|政府办$/.test(folded)) return 'office';
  if (/(人民)?政府$/.test(folded)) return 'government';
  if (/(局|委员会|委|厅|办|中心|院|所|队|站|部|署|处|会|室|社|馆|分局|支队|大队)$/.test(folded)) return 'department';
  return 'other';
}
