// Fuzzy row labels: a distinctive keyword per row (on normalised text: NFKC, no whitespace), so that wording
// variants, numbering styles ("1." "1、" "1 ."), brackets and labels broken over lines all match.
import type { RequestRow } from './keys.ts';

export const REQUEST_KEYWORDS: Array<[RequestRow, RegExp]> = [
  ['new', /本年新收|新收[^。]{0,8}?申请/],
  ['carried_over', /上年结转|上年度结转/],
  ['granted', /予以公开/],
  ['partial', /部分公开/],
  ['denied_state_secret', /国家秘密/],
  ['denied_law_prohibited', /禁止公开/],
  ['denied_safety_stability', /三安全|一稳定|危及/],
  ['denied_third_party', /第三方/],
  ['denied_internal_affairs', /内部事务/],
  ['denied_process_info', /过程性/],
  ['denied_enforcement_case', /执法案卷/],
  ['denied_admin_query', /行政查询/],
  ['unable_not_held', /不掌握/],
  ['unable_needs_creation', /另行制作|没有现成/],
  ['unable_unclear', /仍不明确|补正后/],
  ['rejected_petition', /信访|举报投诉/],
  ['rejected_repeat', /重复申请/],
  ['rejected_publication', /出版物/],
  ['rejected_excessive', /大量反复/],
  ['rejected_confirmation', /重新出具|确认/],
  ['other_no_correction', /不补正/],
  ['other_no_fee', /缴纳费用|收费通知/],
  ['other', /其他处理/],
  ['total', /总计|合计/],
  ['carried_forward', /结转下年|转下年度/],
];

/** "3.其他" inside （六）其他处理 of the 2021 table. */
export const OTHER_MISC = /(?:^|\d[.、,]?|[)）])其他$/;

export const ACTIVE_KEYWORDS: Array<[string, RegExp]> = [
  ['regulations', /规章/],
  ['normative_documents', /规范性文件/],
  ['licensing', /行政许可/],
  ['other_services', /对外管理服务/],
  ['penalty', /行政处罚/],
  ['coercion', /行政强制/],
  ['fees', /事业性收费/],
  ['procurement', /集中采购|政府采购/],
];

/**
 * The key whose keyword ends last in the label: the label nearest the numbers names the row ("…总计商业企业…一、本年
 * 新收…" is `new`, not `total`). Keys already taken are passed over when another candidate fits.
 */
export function bestKey<K extends string>(label: string, table: Array<[K, RegExp]>, taken: Set<K>): K | null {
  let best: K | null = null;
  let bestEnd = -1;
  let bestFree = false;
  for (const [key, keyword] of table) {
    const pattern = new RegExp(keyword.source, 'g');
    let end = -1;
    for (let m = pattern.exec(label); m; m = pattern.exec(label)) end = m.index + m[0].length;
    if (end < 0) continue;
    const free = !taken.has(key);
    if ((free && !bestFree) || (free === bestFree && end > bestEnd)) {
      best = key;
      bestEnd = end;
      bestFree = free;
    }
  }
  return best;
}

/**
 * Filling instructions printed inside a label ("其他对外管理服务事项（指行政许可以外的…）", "（区分处理的，只计…）"):
 * a bracket of four or more characters is not the row's name, and may name another row (行政许可).
 */
export function withoutInstructions(label: string): string {
  return label.replace(/[（(][^（()）]{4,}[)）]/g, '');
}

/** "（三）不予公开 2.其他法律…禁止公开" → "其他法律…禁止公开": the words that tell one row from its neighbours. */
export function distinctive(label: string): string {
  // The sub-row after its group ("（三）不予公开 2.…", normalised without the space): from its numbering on.
  // a stray digit after the numbering is OCR's doubled mark ("1.1本机关…" for "1.本机关…")
  const numbered = [...label.matchAll(/\d{1,2}[.、．]\d?(?=\D)/g)].pop();
  const sub = numbered
    ? label.slice(numbered.index)
    : label.includes(' ')
      ? label.slice(label.lastIndexOf(' ') + 1)
      : label;
  return withoutInstructions(sub)
    .replace(/^(?:[（(]?[一二三四五六七八九十\d]{1,2}[)）]?[、.．,]?)+/, '')
    .replace(/["“”‘’'、，,]/g, '');
}

/**
 * The numbering a label ends with, the one nearest its words: "二、" of a row, "（一）" of a group, "3" of a sub-row
 * ("（六）其他处理 3.其他"). OCR keeps these where it garbles the words ("二、上量", "1机不革运得关政府信息", "3他").
 */
export function numberingOf(label: string): string | null {
  const found = [
    ...label
      .normalize('NFKC')
      .replace(/\s+/g, '')
      .matchAll(/([一二三四五六七八九十])、|\(([一二三四五六七八九十])\)|(\d{1,2})(?=[.、]?[\u3400-\u9fff])/g),
  ].pop();
  if (!found) return null;
  return found[1] ? `row ${found[1]}` : found[2] ? `group ${found[2]}` : `item ${Number(found[3])}`;
}

/** Levenshtein distance (labels are short: two rows of at most ~40 characters). */
export function editDistance(left: string, right: string): number {
  const leftChars = [...left];
  const rightChars = [...right];
  let previous = Array.from({ length: rightChars.length + 1 }, (_, j) => j);
  for (let i = 1; i <= leftChars.length; i++) {
    const current = [i];
    for (let j = 1; j <= rightChars.length; j++)
      current[j] = Math.min(
        previous[j] + 1,
        current[j - 1] + 1,
        previous[j - 1] + (leftChars[i - 1] === rightChars[j - 1] ? 0 : 1),
      );
    previous = current;
  }
  return previous[rightChars.length];
}

/** Least similarity of a printed label to the template's for a typo or rewording to name that row. */
const FUZZY_MIN = 0.7;
/** …and by how much it must beat the runner-up, so that a label between two rows names neither. */
const FUZZY_MARGIN = 0.15;

/**
 * A printed label no keyword recognises ("2.其他法律行政止公开", "行政事业收费", "四、结转下一年度继续办理"): the free
 * template row whose distinctive words are nearest by edit distance, when it is near enough and clearly nearer than
 * any other. Rows are the template's, in order; `after` is the index of the last row read, and rows after it win ties
 * (a table is printed in template order).
 */
export function fuzzyKey<K extends string>(
  printed: string,
  rows: ReadonlyArray<{ key: K; label: string }>,
  taken: Set<K>,
  after: number,
): K | null {
  const own = distinctive(printed);
  if ([...own].length < 2) return null;
  const all = rows.map((row, index) => {
    const words = distinctive(row.label);
    const similarity = 1 - editDistance(own, words) / Math.max([...own].length, [...words].length);
    return { key: row.key, similarity, index };
  });
  const scored = all
    .filter((row) => !taken.has(row.key))
    .sort((x, y) => y.similarity - x.similarity || Number(y.index > after) - Number(x.index > after));
  const [best, next] = scored;
  if (!best || best.similarity < FUZZY_MIN) return null;
  // nearer still to a row already read: that row printed twice (a table cut in two), not its neighbour
  if (all.some((row) => taken.has(row.key) && row.similarity - best.similarity >= FUZZY_MARGIN)) return null;
  if (next && best.similarity - next.similarity < FUZZY_MARGIN) return null;
  return best.key;
}
