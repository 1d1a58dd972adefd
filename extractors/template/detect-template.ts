// Which template a report follows, from its table headers (never from its year): the columns of section 二 differ
// between 国办公开办函〔2019〕60号 and 〔2021〕30号, and 三（六） has three rows in 2021.
import type { TemplateVersion } from './keys.ts';

const SIGNS_2021 = [
  /本年制发件数/,
  /本年废止件数/,
  /现行有效件数/,
  /本年处理决定数量/,
  /本年收费金额/,
  /不补正/,
  /缴纳费用/,
];
const SIGNS_2019 = [
  /本年新制作/,
  /本年新公开/,
  /对外公开总数/,
  /上一年项目数量/,
  /本年增\/?减/,
  /采购项目数量/,
  /采购总金额/,
];
/** The 2014 national statistics table (指标/单位/数量) and the prose outline of the 2007 条例. */
const SIGNS_PRE2019 = [
  /指标.{0,6}单位.{0,6}数量/,
  /依申请公开(和|及)不予公开情况/,
  /收费及减免情况/,
  /政府信息公开情况统计表/,
];

/** `tables` is the normalised label text of sections 二 and 三; `all` the whole document, normalised. */
export function detectTemplate(tables: string, all: string): TemplateVersion {
  const s21 = SIGNS_2021.filter((re) => re.test(tables)).length;
  const s19 = SIGNS_2019.filter((re) => re.test(tables)).length;
  if (s21 || s19) return s21 >= s19 ? '2021' : '2019';
  if (SIGNS_PRE2019.some((re) => re.test(all))) return 'pre2019';
  return 'unknown';
}
