// Fuzzy row labels: a distinctive keyword per row (on normalised text: NFKC, no whitespace), so that wording
// variants, numbering styles ("1." "1、" "1 ."), brackets and labels broken over lines all match.
import type { RequestRow } from './keys.ts';

export const REQUEST_KEYWORDS: Array<[RequestRow, RegExp]> = [
  ['new', /本年新收|新收[^。]*申请/],
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
