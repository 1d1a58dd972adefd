// The national registry of county-level divisions, vendored from data/areacodes/result.csv (CC0, see LICENSE there).
// A code can appear more than once (a renamed county keeps its code): a row is (code, valid_from).
import { readFileSync } from 'node:fs';

export type Level = '省级' | '地级' | '县级';

export interface Region {
  code: string;
  name: string;
  province: string;
  /** 二级行政区 as printed: a prefecture name, or 直辖 / 省直辖 for directly administered units. */
  prefecture: string | null;
  level: Level;
  /** 在用 (in use), 变更 (renamed or moved, code kept or changed), 弃用 (abolished). */
  status: string;
  validFrom: number;
  /** First year it was no longer valid; null while in force. */
  validTo: number | null;
  successor: string | null;
}

let cache: Region[] | null = null;

export function loadRegions(): Region[] {
  if (cache) return cache;
  const text = readFileSync(new URL('./areacodes/result.csv', import.meta.url), 'utf8').replace(/^\uFEFF/, '');
  cache = text
    .split(/\r?\n/)
    .slice(1)
    .filter((l) => l.trim())
    .map((line) => {
      const [code, province, prefecture, name, level, status, from, to, successor] = line.split(',');
      return {
        code, name, province, prefecture: prefecture || null, level: level as Level, status,
        validFrom: Number(from), validTo: to ? Number(to) : null, successor: successor || null,
      };
    });
  return cache;
}

/** A region is in force in a year when valid_from <= year < valid_to. */
export function inForce(region: Region, year: number): boolean {
  return region.validFrom <= year && (region.validTo === null || year < region.validTo);
}

export function countyLevel(year?: number): Region[] {
  return loadRegions().filter((r) => r.level === '县级' && (year === undefined || inForce(r, year)));
}
