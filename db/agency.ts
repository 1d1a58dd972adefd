// Agency identity and kind, from the printed name. Pure functions: the store decides what to do with them.
// Identity = region + normalised name, so 相山区渠沟镇政府 and 相山区渠沟镇人民政府 (or 渠沟镇人民政府 in 相山区) are one body.

export type AgencyKind = 'government' | 'office' | 'department' | 'township' | 'street' | 'zone' | 'other';

/** NFKC folds full-width forms (（ＡＢ１） → (AB1)); whitespace of any kind is dropped. */
export function foldName(name: string): string {
  return name.normalize('NFKC').replace(/[\s\u200b\u3000]+/g, '');
}

/**
 * The identity of a publishing body within its region. `prefixes` are the names of the region and its parents
 * (省/市/县 names): a leading run of them is dropped, since reports print the body with or without its county.
 */
export function normaliseAgency(name: string, prefixes: Array<string | null | undefined> = []): string {
  let folded = foldName(name).replace(/人民政府/g, '政府');
  const names = prefixes.filter((p): p is string => !!p && p !== '直辖' && p !== '省直辖').map(foldName);
  for (let changed = true; changed;) {
    changed = false;
    for (const regionName of names)
      if (folded.startsWith(regionName) && folded.length > regionName.length) {
        folded = folded.slice(regionName.length);
        changed = true;
      }
  }
  return folded;
}

export function classifyAgency(name: string): AgencyKind {
  const folded = foldName(name);
  if (/街道(办事处|工委|党工委)?$|街道$/.test(folded)) return 'street';
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
