// Derived rates: one definition each, from which the view v_rates (db/harmonised.ts), its codebook entries and the
// formulas in docs/dataset.md are generated. A rate is NULL when a term is blank (blank is not 0 in this dataset)
// or when its denominator is 0, negative or NULL.

export interface Rate {
  name: string;
  label_zh: string;
  meaning_en: string;
  /** Cell paths summed above the line. */
  numerator: string[];
  /** Cell paths added, then subtracted, below the line. */
  plus: string[];
  minus: string[];
  why: string;
}

const DECIDED = ['requests.total.total'];
const DECIDED_WHY =
  'denominator: （七）总计 of the 总计 column, the requests decided this year, which is the sum of the results ' +
  '（一）–（六）; the template’s own check (一 + 二 = 三(七) + 四) shows carried-forward requests are not in it, so ' +
  'nothing is subtracted';

export const RATES: Rate[] = [
  {
    name: 'granted_share',
    label_zh: '予以公开率（绝对公开率）',
    meaning_en: 'share of decided requests granted in full',
    numerator: ['requests.granted.total'],
    plus: DECIDED,
    minus: [],
    why: `KIROGOVCOMPARE's 绝对公开率 (公开/办结). ${DECIDED_WHY}`,
  },
  {
    name: 'substantive_disclosure_rate',
    label_zh: '实质公开率',
    meaning_en: 'share of decided requests granted in full or in part',
    numerator: ['requests.granted.total', 'requests.partial.total'],
    plus: DECIDED,
    minus: [],
    why:
      'as KIROGOVCOMPARE defines 实质公开率: (公开 + 部分公开) / 办结 (办理结果总数, the sum of the six result groups). ' +
      DECIDED_WHY,
  },
  {
    name: 'partial_share',
    label_zh: '部分公开率',
    meaning_en: 'share of decided requests granted in part',
    numerator: ['requests.partial.total'],
    plus: DECIDED,
    minus: [],
    why: DECIDED_WHY,
  },
  {
    name: 'unable_share',
    label_zh: '无法提供占比',
    meaning_en: 'share of decided requests answered "unable to provide" (all three reasons)',
    numerator: [
      'requests.unable_not_held.total',
      'requests.unable_needs_creation.total',
      'requests.unable_unclear.total',
    ],
    plus: DECIDED,
    minus: [],
    why: DECIDED_WHY,
  },
  {
    name: 'carried_forward_share',
    label_zh: '结转率',
    meaning_en: 'share of the year’s caseload (new + carried over) carried forward to next year',
    numerator: ['requests.carried_forward.total'],
    plus: ['requests.new.total', 'requests.carried_over.total'],
    minus: [],
    why: 'denominator: every request on hand in the year, 一 + 二 of the 总计 column',
  },
  {
    name: 'review_correction_rate',
    label_zh: '行政复议纠错率',
    meaning_en: 'share of concluded administrative reviews whose result corrected the agency',
    numerator: ['appeals.review.corrected'],
    plus: ['appeals.review.total'],
    minus: ['appeals.review.pending'],
    why: 'denominator: concluded cases (总计 − 尚未审结); pending cases have no result yet',
  },
  {
    name: 'suit_direct_correction_rate',
    label_zh: '行政诉讼（未经复议直接起诉）纠错率',
    meaning_en: 'share of concluded suits filed without prior review whose result corrected the agency',
    numerator: ['appeals.suit_direct.corrected'],
    plus: ['appeals.suit_direct.total'],
    minus: ['appeals.suit_direct.pending'],
    why: 'denominator: concluded cases (总计 − 尚未审结)',
  },
  {
    name: 'suit_reviewed_correction_rate',
    label_zh: '行政诉讼（复议后起诉）纠错率',
    meaning_en: 'share of concluded suits filed after a review whose result corrected the agency',
    numerator: ['appeals.suit_after_review.corrected'],
    plus: ['appeals.suit_after_review.total'],
    minus: ['appeals.suit_after_review.pending'],
    why: 'denominator: concluded cases (总计 − 尚未审结)',
  },
  {
    name: 'suit_correction_rate',
    label_zh: '行政诉讼纠错率',
    meaning_en: 'share of concluded suits (both kinds) whose result corrected the agency',
    numerator: ['appeals.suit_direct.corrected', 'appeals.suit_after_review.corrected'],
    plus: ['appeals.suit_direct.total', 'appeals.suit_after_review.total'],
    minus: ['appeals.suit_direct.pending', 'appeals.suit_after_review.pending'],
    why: 'denominator: concluded suits of both kinds (总计 − 尚未审结)',
  },
  {
    name: 'appeal_correction_rate',
    label_zh: '综合纠错率（复议 + 诉讼）',
    meaning_en: 'share of concluded reviews and suits together whose result corrected the agency',
    numerator: ['appeals.review.corrected', 'appeals.suit_direct.corrected', 'appeals.suit_after_review.corrected'],
    plus: ['appeals.review.total', 'appeals.suit_direct.total', 'appeals.suit_after_review.total'],
    minus: ['appeals.review.pending', 'appeals.suit_direct.pending', 'appeals.suit_after_review.pending'],
    why: 'KIROGOVCOMPARE’s 综合纠错率 (复议 + 诉讼); denominator: concluded cases (总计 − 尚未审结)',
  },
];

/** The formula as people read it: `(a + b) / (c − d)` over cell paths. */
export function formulaOf(rate: Rate): string {
  const sum = (paths: string[]) => (paths.length > 1 ? `(${paths.join(' + ')})` : paths[0]);
  const below = rate.minus.length ? `(${[rate.plus.join(' + '), ...rate.minus].join(' − ')})` : sum(rate.plus);
  return `${sum(rate.numerator)} / ${below}; NULL when a term is blank or the denominator is ≤ 0`;
}

/** `(r.requests #>> '{granted,total}')::numeric` for a cell path, over a row that carries each section as a column
 *  of its own (`r.data -> 'requests' AS requests` in a subquery with OFFSET 0). Reading every cell from `r.data`
 *  itself would de-TOAST the whole report once per cell: 187 times a row for the requests table. */
export function cellSql(path: string, alias = 'r'): string {
  const [section, ...rest] = path.split('.');
  return `(${alias}.${section} #>> '{${rest.join(',')}}')::numeric`;
}

/** The sections of `reports` (alias `source`) as jsonb columns of their own, for cellSql. */
export function sectionColumns(sections: string[], source = 'r'): string {
  return sections.map((section) => `${source}.data -> '${section}' AS ${section}`).join(', ');
}

/** The rate's SQL expression over a row `alias` with the sections as columns (sectionColumns). */
export function rateSql(rate: Rate, alias = 'r'): string {
  const num = rate.numerator.map((p) => cellSql(p, alias)).join(' + ');
  const den = [rate.plus.map((p) => cellSql(p, alias)).join(' + '), ...rate.minus.map((p) => cellSql(p, alias))].join(
    ' - ',
  );
  return `CASE WHEN (${den}) > 0 THEN (${num}) / (${den}) END`;
}
