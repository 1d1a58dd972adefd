// A printed cell → a number. Full-width digits, thousands separators, signs, decimals and a unit suffix are
// numbers ("减4" is -4); dashes, 无, 见附件 … are text that is not a number (null, raw kept); an empty cell is blank (null).

export type Parsed =
  | {
      kind: 'number';
      value: number;
      /** The printed unit when it does not fit the column (万元 in a count column, 件 in an amount): kept as printed. */
      misfit?: string;
    }
  | { kind: 'blank'; value: null }
  | { kind: 'unparseable'; value: null };

/** Units printed after counts in real tables ("12件", "31批次"); 元/万元 only fit amount columns. */
const COUNT_UNITS = '人次|批次|件|条|个|项|次|人|批|宗|家|户|份|起|篇|种|场|所|类';
const UNITS = `万元|元|${COUNT_UNITS}`;
/** A unit printed after a number, alone or with it ("元", "713700元", "12件"): OCR must not lose it. */
export const UNIT_AFTER_NUMBER = new RegExp(`^(?:[+-]?\\d[\\d,.]*)?(${UNITS})$`);
const NUMBER = new RegExp(`^([+-]|增加|增|减少|减)?(\\d{1,3}(?:,\\d{3})+|\\d+)(\\.\\d+)?(${UNITS})?$`);
/** A change printed in words ("减4", "增加12" in 本年增/减) is the signed number. */
const SIGN_WORDS: Record<string, string> = { 增加: '+', 增: '+', 减少: '-', 减: '-' };
/** Placeholders that sit where a number should be ("未增未减" in 本年增/减: no number printed, so none is read). */
const PLACEHOLDER =
  /^(?:[—–\-─―~/\\*×xX.…]+|无|空|暂无|没有|不涉及|未涉及|未增未减|未增减|无增减|无变化|见附件|详见附件|null|N\/A|NA|\?|？)$/;

export function normalise(raw: string): string {
  return raw.normalize('NFKC').replace(/[\s\u00a0\u3000]+/g, '');
}

/** `unit` is the unit the column is printed in; an amount printed in 元 where 万元 is expected is converted. */
export function parseCell(raw: string | null | undefined, unit?: '万元'): Parsed {
  const text = normalise(raw ?? '');
  if (!text) return { kind: 'blank', value: null };
  const printed = NUMBER.exec(text);
  if (!printed) return { kind: 'unparseable', value: null };
  let value = Number(
    `${SIGN_WORDS[printed[1] ?? ''] ?? printed[1] ?? ''}${printed[2].replace(/,/g, '')}${printed[3] ?? ''}`,
  );
  if (unit === '万元' && printed[4] === '元') value = Math.round((value / 10000) * 1e6) / 1e6;
  if (Object.is(value, -0)) value = 0;
  const money = printed[4] === '元' || printed[4] === '万元';
  if (printed[4] && (unit === '万元') !== money) return { kind: 'number', value, misfit: printed[4] };
  return { kind: 'number', value };
}

/** Could this token stand where a value goes (a number or a placeholder)? Labels are everything else. */
export function isValueText(raw: string): boolean {
  const text = normalise(raw);
  return text !== '' && (NUMBER.test(text) || PLACEHOLDER.test(text) || MANGLED.test(text)) && !NUMBERING.test(text);
}

/** A number with debris ("0?", "12*", "3.0.1"): unparseable, but in a value's place, not a label. */
const MANGLED = /^[+-]?\d[^\u3400-\u9fff]{0,7}$/;
/** "1." "2、" "(3)": row numbering, part of a label. */
const NUMBERING = /^\d{1,2}[.、．]$/;
