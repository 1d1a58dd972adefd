// The template's vocabulary: row and column keys of spec/SCHEMA.md with their printed labels.
// Shared by the mapper (label matching), the store (long-form cells) and the researcher views (readable names).

export const REQUEST_COLUMNS = [
  ['natural_person', '自然人'],
  ['commercial', '商业企业'],
  ['research', '科研机构'],
  ['social_org', '社会公益组织'],
  ['legal_service', '法律服务机构'],
  ['other_org', '其他'],
  ['total', '总计'],
] as const;
export type RequestColumn = (typeof REQUEST_COLUMNS)[number][0];

/** Section 三 rows in template order. `templates` says which template versions print the row. */
export const REQUEST_ROWS = [
  ['new', '一、本年新收政府信息公开申请数量', ['2019', '2021']],
  ['carried_over', '二、上年结转政府信息公开申请数量', ['2019', '2021']],
  ['granted', '（一）予以公开', ['2019', '2021']],
  ['partial', '（二）部分公开（区分处理的，只计这一情形，不计其他情形）', ['2019', '2021']],
  ['denied_state_secret', '（三）不予公开 1.属于国家秘密', ['2019', '2021']],
  ['denied_law_prohibited', '（三）不予公开 2.其他法律行政法规禁止公开', ['2019', '2021']],
  ['denied_safety_stability', '（三）不予公开 3.危及“三安全一稳定”', ['2019', '2021']],
  ['denied_third_party', '（三）不予公开 4.保护第三方合法权益', ['2019', '2021']],
  ['denied_internal_affairs', '（三）不予公开 5.属于三类内部事务信息', ['2019', '2021']],
  ['denied_process_info', '（三）不予公开 6.属于四类过程性信息', ['2019', '2021']],
  ['denied_enforcement_case', '（三）不予公开 7.属于行政执法案卷', ['2019', '2021']],
  ['denied_admin_query', '（三）不予公开 8.属于行政查询事项', ['2019', '2021']],
  ['unable_not_held', '（四）无法提供 1.本机关不掌握相关政府信息', ['2019', '2021']],
  ['unable_needs_creation', '（四）无法提供 2.没有现成信息需要另行制作', ['2019', '2021']],
  ['unable_unclear', '（四）无法提供 3.补正后申请内容仍不明确', ['2019', '2021']],
  ['rejected_petition', '（五）不予处理 1.信访举报投诉类申请', ['2019', '2021']],
  ['rejected_repeat', '（五）不予处理 2.重复申请', ['2019', '2021']],
  ['rejected_publication', '（五）不予处理 3.要求提供公开出版物', ['2019', '2021']],
  ['rejected_excessive', '（五）不予处理 4.无正当理由大量反复申请', ['2019', '2021']],
  ['rejected_confirmation', '（五）不予处理 5.要求行政机关确认或重新出具已获取信息', ['2019', '2021']],
  ['other', '（六）其他处理', ['2019']],
  ['other_no_correction', '（六）其他处理 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请', ['2021']],
  ['other_no_fee', '（六）其他处理 2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请', ['2021']],
  ['other_misc', '（六）其他处理 3.其他', ['2021']],
  ['total', '（七）总计', ['2019', '2021']],
  ['carried_forward', '四、结转下年度继续办理', ['2019', '2021']],
] as const;
export type RequestRow = (typeof REQUEST_ROWS)[number][0];

/** Result rows （一）…（六） whose sum is （七）总计. */
export const RESULT_ROWS: readonly RequestRow[] = REQUEST_ROWS.map((r) => r[0]).filter(
  (k) => !['new', 'carried_over', 'total', 'carried_forward'].includes(k),
);

export const APPEAL_GROUPS = [
  ['review', '行政复议'],
  ['suit_direct', '行政诉讼·未经复议直接起诉'],
  ['suit_after_review', '行政诉讼·复议后起诉'],
] as const;
export const APPEAL_COLUMNS = [
  ['upheld', '结果维持'],
  ['corrected', '结果纠正'],
  ['other', '其他结果'],
  ['pending', '尚未审结'],
  ['total', '总计'],
] as const;
export type AppealGroup = (typeof APPEAL_GROUPS)[number][0];
export type AppealColumn = (typeof APPEAL_COLUMNS)[number][0];

/** Section 二: per template, the rows in print order with their columns (key, printed column header). */
export const ACTIVE_LAYOUT = {
  '2021': [
    [
      'regulations',
      '规章',
      [
        ['issued', '本年制发件数'],
        ['repealed', '本年废止件数'],
        ['in_force', '现行有效件数'],
      ],
    ],
    [
      'normative_documents',
      '行政规范性文件',
      [
        ['issued', '本年制发件数'],
        ['repealed', '本年废止件数'],
        ['in_force', '现行有效件数'],
      ],
    ],
    ['licensing', '行政许可', [['decisions', '本年处理决定数量']]],
    ['penalty', '行政处罚', [['decisions', '本年处理决定数量']]],
    ['coercion', '行政强制', [['decisions', '本年处理决定数量']]],
    ['fees', '行政事业性收费', [['amount', '本年收费金额（单位：万元）']]],
  ],
  '2019': [
    [
      'regulations',
      '规章',
      [
        ['new_made', '本年新制作数量'],
        ['new_published', '本年新公开数量'],
        ['total_published', '对外公开总数量'],
      ],
    ],
    [
      'normative_documents',
      '规范性文件',
      [
        ['new_made', '本年新制作数量'],
        ['new_published', '本年新公开数量'],
        ['total_published', '对外公开总数量'],
      ],
    ],
    [
      'licensing',
      '行政许可',
      [
        ['prev_items', '上一年项目数量'],
        ['change', '本年增/减'],
        ['decisions', '处理决定数量'],
      ],
    ],
    [
      'other_services',
      '其他对外管理服务事项',
      [
        ['prev_items', '上一年项目数量'],
        ['change', '本年增/减'],
        ['decisions', '处理决定数量'],
      ],
    ],
    [
      'penalty',
      '行政处罚',
      [
        ['prev_items', '上一年项目数量'],
        ['change', '本年增/减'],
        ['decisions', '处理决定数量'],
      ],
    ],
    [
      'coercion',
      '行政强制',
      [
        ['prev_items', '上一年项目数量'],
        ['change', '本年增/减'],
        ['decisions', '处理决定数量'],
      ],
    ],
    [
      'fees',
      '行政事业性收费',
      [
        ['prev_items', '上一年项目数量'],
        ['change', '本年增/减'],
      ],
    ],
    [
      'procurement',
      '政府集中采购',
      [
        ['projects', '采购项目数量'],
        ['amount', '采购总金额（万元）'],
      ],
    ],
  ],
} as const;
export type TemplateVersion = '2021' | '2019' | 'pre2019' | 'unknown';

/** The 第二十条 item whose own small table holds each row of section 二 (both templates; template-spec.md). */
export const ACTIVE_ITEM: Readonly<Record<string, string>> = {
  regulations: '一',
  normative_documents: '一',
  licensing: '五',
  other_services: '五',
  penalty: '六',
  coercion: '六',
  fees: '八',
  procurement: '九',
};

/** Every distinct (row, column) of section 二 across both templates, for the wide researcher view. */
export const ACTIVE_CELLS: ReadonlyArray<readonly [string, string, string]> = (() => {
  const seen = new Map<string, readonly [string, string, string]>();
  for (const layout of Object.values(ACTIVE_LAYOUT))
    for (const [row, rowLabel, cols] of layout)
      for (const [col, colLabel] of cols) {
        const key = `${row}.${col}`;
        if (!seen.has(key)) seen.set(key, [row, col, `${rowLabel} ${colLabel}`]);
      }
  return [...seen.values()];
})();
