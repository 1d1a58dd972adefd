// Random, schema-valid expected reports (both templates) from a seed: consistent arithmetic by construction, or
// deliberately broken in one cell; optional blank cells. Used by the property test, the corpus builder, and the
// PDF/DOC corpus and portal simulator of other engineers. Same seed → same report.
import { countyLevel } from '../../data/areacodes.ts';
import { flag, type Flag, type Report, type Row } from '../../extractors/report.ts';
import { ACTIVE_LAYOUT, APPEAL_GROUPS, REQUEST_COLUMNS, REQUEST_ROWS } from '../../extractors/template/keys.ts';
import { arithmeticFlags } from '../../extractors/template/checks.ts';

export interface RandomOptions {
  template?: '2019' | '2021';
  /** Share of cells left blank (null); 0 by default. */
  blankRate?: number;
  /** Break the arithmetic in one cell; by default a quarter of the seeds do. */
  inconsistent?: boolean;
  /** Largest count drawn for a cell (default 40; many cells are 0, as in real reports). */
  max?: number;
  /** A body's series: this year's 上年结转 (= last year's 结转下年度) and 结转下年度, per applicant column, so reports
   *  of one body agree from year to year as real ones do; the 予以公开 row absorbs what the balance needs. */
  carry?: { over: Row; forward: Row };
}

/** mulberry32: small, fast, good enough for test data. */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}

const TOWNS = ['连生乡', '渠沟镇', '七星河乡', '腰屯乡', '城关镇', '新兴街道', '太平镇', '丰收乡', '永安镇', '和平乡'];
const SENTENCES = [
  '我单位严格落实《中华人民共和国政府信息公开条例》，扎实推进政府信息公开工作。',
  '进一步完善了公开栏目，规范信息发布审核流程。',
  '主动公开意识还不够强，公开内容的规范性有待提升。',
  '下一步将加强业务培训，提高政府信息公开工作水平。',
  '本年度未收取信息处理费。',
];

let uniqueCounties: Map<number, ReturnType<typeof countyLevel>> | null = null;
/** Counties whose name is unique in that year, so that the region resolves from the agency name alone. */
function counties(year: number) {
  uniqueCounties ??= new Map();
  if (!uniqueCounties.has(year)) {
    const all = countyLevel(year);
    const nameCount = new Map<string, number>();
    for (const region of all) nameCount.set(region.name, (nameCount.get(region.name) ?? 0) + 1);
    uniqueCounties.set(
      year,
      all.filter((r) => nameCount.get(r.name) === 1 && r.name.length >= 3 && /[县区市旗]$/.test(r.name)),
    );
  }
  return uniqueCounties.get(year)!;
}

export type RandomReport = Report & { flags: Flag[] };

export function randomReport(seed: number, opts: RandomOptions = {}): RandomReport {
  const rnd = prng(seed);
  const int = (max: number) => Math.floor(rnd() * (max + 1));
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)];
  const small = () => (rnd() < 0.5 ? 0 : int(opts.max ?? 40));
  const template = opts.template ?? (rnd() < 0.5 ? '2019' : '2021');
  const year = template === '2021' ? 2021 + int(3) : 2019 + int(1);
  const county = pick(counties(year));
  const agency = `${county.name}${pick(TOWNS)}人民政府`;
  const blankRate = opts.blankRate ?? 0;
  const inconsistent = opts.inconsistent ?? rnd() < 0.25;

  // Section 二.
  const active: Record<string, Row> = {};
  for (const [row, , cols] of ACTIVE_LAYOUT[template]) {
    const cells: Row = {};
    for (const [col] of cols) {
      if (col === 'amount') cells[col] = rnd() < 0.4 ? 0 : Math.round(rnd() * 3000) / 100;
      else if (col === 'change') cells[col] = int(20) - 10;
      else cells[col] = small();
    }
    active[row] = cells;
  }

  // Section 三, consistent by construction: per applicant column, results → total → carried over/forward → new.
  const rows = REQUEST_ROWS.filter(([, , t]) => (t as readonly string[]).includes(template)).map(([k]) => k as string);
  const results = rows.filter((k) => !['new', 'carried_over', 'total', 'carried_forward'].includes(k));
  const requests: Record<string, Row> = Object.fromEntries(rows.map((k) => [k, {} as Row]));
  const applicants = REQUEST_COLUMNS.map(([c]) => c as string).filter((c) => c !== 'total');
  for (const applicant of applicants) {
    let total = 0;
    for (const result of results) {
      const count = rnd() < 0.7 ? 0 : int(opts.max ?? 40);
      requests[result][applicant] = count;
      total += count;
    }
    requests.total[applicant] = total;
    // Drawn even when carried in, so every other value of the seed stays what it was.
    let carriedForward = int(5);
    let carriedOver = int(total + carriedForward);
    if (opts.carry) {
      carriedForward = opts.carry.forward[applicant] ?? 0;
      carriedOver = opts.carry.over[applicant] ?? 0;
      const short = carriedOver - carriedForward - total;
      if (short > 0) {
        requests.granted[applicant] = (requests.granted[applicant] ?? 0) + short;
        total += short;
        requests.total[applicant] = total;
      }
    }
    requests.carried_forward[applicant] = carriedForward;
    requests.carried_over[applicant] = carriedOver;
    requests.new[applicant] = total + carriedForward - carriedOver;
  }
  for (const rowKey of rows)
    requests[rowKey].total = applicants.reduce((s, c) => s + (requests[rowKey][c] as number), 0);

  // Section 四: each 总计 is the sum of its four parts.
  const appeals: Record<string, Row> = {};
  for (const [group] of APPEAL_GROUPS) {
    const outcomes: Row = { upheld: small() % 6, corrected: small() % 4, other: small() % 3, pending: small() % 3 };
    outcomes.total =
      (outcomes.upheld as number) +
      (outcomes.corrected as number) +
      (outcomes.other as number) +
      (outcomes.pending as number);
    appeals[group] = outcomes;
  }

  if (inconsistent) {
    const where = int(2);
    if (where === 0) requests.total.total = (requests.total.total as number) + 1 + int(3);
    else if (where === 1) requests[pick(results)][pick(applicants)]! += 1 + int(3);
    else appeals[pick(APPEAL_GROUPS)[0]].total! += 1 + int(2);
  }

  const flags: Flag[] = [];
  const blank = (table: string, section: Record<string, Row>) => {
    if (!blankRate) return;
    for (const [row, cells] of Object.entries(section))
      for (const col of Object.keys(cells))
        if (rnd() < blankRate) {
          cells[col] = null;
          flags.push(flag('CELL_BLANK', `${table}.${row}.${col}`, 'blank cell'));
        }
  };
  blank('active', active);
  blank('requests', requests);
  blank('appeals', appeals);
  flags.push(...arithmeticFlags({ requests, appeals }));

  const title = `${agency}${year}年政府信息公开工作年度报告`;
  const text = () => Array.from({ length: 1 + int(3) }, () => pick(SENTENCES)).join('');
  return {
    schema: 'nianbao.report/1',
    template,
    title,
    agency,
    year,
    region_code: county.code,
    published_at: `${year + 1}-01-${String(10 + int(18)).padStart(2, '0')}`,
    period: { start: `${year}-01-01`, end: `${year}-12-31` },
    active,
    requests,
    appeals,
    sections: { overview: text(), problems: text(), other: text() },
    flags,
    cells: [],
  };
}
