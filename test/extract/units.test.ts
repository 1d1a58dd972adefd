// Small pieces of the mapper: numbers, headings, labels, arithmetic checks, metadata and county resolution.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCell, isValueText } from '../../extractors/template/numbers.ts';
import { headingOf } from '../../extractors/template/sections.ts';
import { REQUEST_KEYWORDS, bestKey, fuzzyKey, withoutInstructions } from '../../extractors/template/labels.ts';
import { REQUEST_ROWS } from '../../extractors/template/keys.ts';
import { bodyLevel, plausibilityFlags } from '../../extractors/template/plausible.ts';
import { normalise } from '../../extractors/template/numbers.ts';
import { arithmeticFlags } from '../../extractors/template/checks.ts';
import { detectTemplate } from '../../extractors/template/detect-template.ts';
import { agencyOf, periodOf, tidy } from '../../extractors/metadata/index.ts';
import { regionFromSiteId, resolveRegion } from '../../extractors/metadata/region.ts';
import { randomReport } from '../../simulator/reports/random-report.ts';

test('numbers as printed', () => {
  const cases: Array<[string, number | null, string, '万元'?]> = [
    ['0', 0, 'number'],
    [' 0', 0, 'number'],
    ['0\u00a0', 0, 'number'],
    ['０', 0, 'number'],
    ['１２', 12, 'number'],
    ['1,234', 1234, 'number'],
    ['1，234', 1234, 'number'],
    ['+12', 12, 'number'],
    ['-3', -3, 'number'],
    ['－3', -3, 'number'],
    ['25.1', 25.1, 'number'],
    ['251000元', 25.1, 'number', '万元'],
    ['25.1万元', 25.1, 'number', '万元'],
    ['3件', 3, 'number'],
    ['—', null, 'unparseable'],
    ['-', null, 'unparseable'],
    ['无', null, 'unparseable'],
    ['见附件', null, 'unparseable'],
    ['', null, 'blank'],
    ['  ', null, 'blank'],
    ['\u00a0', null, 'blank'],
    ['1.2.3', null, 'unparseable'],
    ['十二', null, 'unparseable'],
  ];
  for (const [raw, value, kind, unit] of cases)
    assert.deepEqual(parseCell(raw, unit), { kind, value }, JSON.stringify(raw));
  assert.equal(isValueText('1.'), false, 'a numbering prefix is a label');
  assert.equal(isValueText('2021年'), false);
  assert.equal(isValueText('—'), true);
  assert.equal(isValueText('0?'), true, 'a mangled number stays in its column');
  assert.equal(isValueText('1、'), false);
  assert.equal(isValueText('1.属于国家秘密'), false);
});

test('section headings: numbering, wording and bracket variants', () => {
  assert.ok(headingOf('五、存在的主要问题及改进情况', 'problems'));
  assert.ok(headingOf('5、 存在的主要问题及改进情况', 'problems'));
  assert.ok(headingOf('五．政府信息公开工作存在的主要问题及改进情况', 'problems'));
  assert.ok(headingOf('四、政府信息公开行政复议行政诉讼情况', 'appeals'));
  assert.ok(headingOf('二、主动公开政府信息的情况', 'active'));
  assert.ok(headingOf('[bookmark: _GoBack]一、总体情况', 'overview'));
  assert.ok(headingOf('第六部分 其他需要报告的事项', 'other'));
  assert.equal(headingOf('四、结转下年度继续办理', 'appeals'), null, 'a table row is not a heading');
  assert.equal(headingOf('三、本年度办理结果', 'requests'), null);
  assert.equal(headingOf('2、改进措施', 'problems'), null, 'sub-item numbering is not the section');
  assert.equal(headingOf('一是认识有待于进一步提高，存在问题', 'problems'), null);
});

test('row labels: broken lines, brackets, numbering styles; the label nearest the numbers wins', () => {
  const key = (label: string) => bestKey(normalise(label), REQUEST_KEYWORDS, new Set());
  assert.equal(key('（三）不予\n公开 1.属于国家\n秘密'), 'denied_state_secret');
  assert.equal(key('(三) 不予公开 1 . 属于国家秘密'), 'denied_state_secret');
  assert.equal(key('2、其他法律行政法规禁\n止公开'), 'denied_law_prohibited');
  assert.equal(key('总计商业企业科研机构其他一、本年新收政府信息公开申请数量'), 'new');
  assert.equal(key('（二）部分公开（区分处理的，只计这一情形，不计其他情形）'), 'partial');
  assert.equal(key('1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请'), 'other_no_correction');
  assert.equal(key('（七）总计'), 'total');
  assert.equal(key('四、结转下年度继续办理'), 'carried_forward');
  assert.equal(
    bestKey(normalise('（七）总计'), REQUEST_KEYWORDS, new Set(['total'])),
    'total',
    'a taken key still matches when nothing else does',
  );
});

test('template from the headers, never the year', () => {
  assert.equal(detectTemplate('信息内容|本年制发件数|本年废止件数', ''), '2021');
  assert.equal(detectTemplate('信息内容|本年新制作数量|本年新公开数量|上一年项目数量', ''), '2019');
  assert.equal(detectTemplate('', '二〇一六年政府信息公开情况统计表 指标 单位 数量'), 'pre2019');
  assert.equal(detectTemplate('', '2022年 某某'), 'unknown');
});

test('arithmetic checks fire on the broken rule and skip what cannot be computed', () => {
  const report = randomReport(7, { inconsistent: false, template: '2021' });
  assert.deepEqual(arithmeticFlags(report), []);
  const requests = structuredClone(report.requests!);
  requests.total!.natural_person = (requests.total!.natural_person as number) + 1;
  const codes = arithmeticFlags({ requests: requests, appeals: report.appeals }).map((f) => `${f.code} ${f.path}`);
  assert.ok(codes.includes('BALANCE_MISMATCH requests.natural_person'));
  assert.ok(codes.includes('ROW_TOTAL_MISMATCH requests.total.total'));
  assert.ok(codes.includes('RESULT_TOTAL_MISMATCH requests.total.natural_person'));
  const appeals = structuredClone(report.appeals!);
  appeals.review!.total = (appeals.review!.total as number) + 2;
  assert.deepEqual(
    arithmeticFlags({ requests: null, appeals: appeals }).map((f) => f.code),
    ['APPEALS_TOTAL_MISMATCH'],
  );
  // A blank cell makes its checks uncomputable: skipped, not failed.
  const blanked = structuredClone(requests);
  blanked.total!.natural_person = null;
  assert.deepEqual(
    arithmeticFlags({ requests: blanked, appeals: null }).filter((f) => f.path?.includes('natural_person')),
    [],
  );
  // A missing result row (truncated table) skips the result total.
  const truncated = structuredClone(report.requests!);
  delete truncated.rejected_repeat;
  truncated.total!.commercial = (truncated.total!.commercial as number) + 5;
  assert.ok(!arithmeticFlags({ requests: truncated, appeals: null }).some((f) => f.code === 'RESULT_TOTAL_MISMATCH'));
});

test('metadata: agency as printed, 统计期限 forms, prose spacing', () => {
  assert.equal(agencyOf('绥滨县连生乡人民政府2021年政府信息公开工作年度报告'), '绥滨县连生乡人民政府');
  assert.equal(agencyOf('连生乡2020年政府信息公开工作年度报告'), '连生乡');
  assert.equal(agencyOf('绥滨县人民政府办公室关于绥滨县2021年政府信息公开工作年度报告'), '绥滨县人民政府办公室');
  assert.equal(agencyOf('2021年北京市朝阳区人民政府政府信息公开工作年度报告'), '北京市朝阳区人民政府');
  assert.equal(tidy('腰屯乡人民政府 2022 年度 信息公开工作年度报告'), '腰屯乡人民政府2022年度信息公开工作年度报告');
  assert.deepEqual(periodOf('数据统计期限为2021年1月1日至12月31日。'), { start: '2021-01-01', end: '2021-12-31' });
  assert.deepEqual(periodOf('统计期限自2020年1月1日起至2020年12月31日止'), { start: '2020-01-01', end: '2020-12-31' });
  assert.equal(periodOf('没有日期'), null);
});

test('county codes: in force that year, from the agency or the text, ambiguity settled by a prefecture', () => {
  assert.equal(resolveRegion('绥滨县连生乡人民政府', '', 2021).code, '230422');
  assert.equal(resolveRegion('腰屯乡人民政府', '由集贤县腰屯乡人民政府完成……集贤县政府网', 2022).code, '230521');
  assert.equal(resolveRegion('连生乡', '县政府门户网站', 2020).code, null);
  assert.equal(resolveRegion('朝阳区人民政府', '', 2021).code, null, 'Beijing and Changchun both have a 朝阳区');
  assert.equal(resolveRegion('朝阳区人民政府', '长春市朝阳区人民政府', 2021).code, '220104');
  assert.equal(resolveRegion('朝阳区人民政府', '北京市朝阳区', 2021).code, '110105');
  // 集贤县 was 230825 under 佳木斯 until 1987.
  assert.equal(resolveRegion('集贤县人民政府', '', 1985).code, '230825');
  assert.equal(
    resolveRegion('双城市兰棱镇人民政府', '', 2016).code,
    '230113',
    'a former name maps to its successor in force',
  );
  assert.equal(resolveRegion('东郊区人民政府', '', 1995).code, '120110', 'a renamed county that kept its code');
  assert.equal(regionFromSiteId('2304220001', 2021), '230422');
  assert.equal(regionFromSiteId('bogus', 2021), null);
});

test('placeholders and units in value cells', () => {
  for (const placeholder of ['未增未减', '无变化', '不涉及', '/', '——'])
    assert.deepEqual(parseCell(placeholder), { kind: 'unparseable', value: null }, placeholder);
  assert.deepEqual(parseCell('31批次'), { kind: 'number', value: 31 });
  // A change printed in words (本年增/减 "减4", as a real 2019 table prints it) is the signed number.
  assert.deepEqual(parseCell('减4'), { kind: 'number', value: -4 });
  assert.deepEqual(parseCell('增加12'), { kind: 'number', value: 12 });
  assert.deepEqual(parseCell('12人次'), { kind: 'number', value: 12 });
  assert.deepEqual(parseCell('3.5万元', '万元'), { kind: 'number', value: 3.5 });
  assert.deepEqual(parseCell('3.5万元'), { kind: 'number', value: 3.5, misfit: '万元' }, 'money in a count column');
  assert.deepEqual(parseCell('12件', '万元'), { kind: 'number', value: 12, misfit: '件' }, 'a count in an amount');
  assert.equal(isValueText('31批次'), true);
  assert.equal(isValueText('未增未减'), true);
});

test('labels as printed: instructions dropped, typos and rewordings matched by edit distance', () => {
  assert.equal(withoutInstructions('其他对外管理服务事项（指行政许可以外的政务服务事项）'), '其他对外管理服务事项');
  assert.equal(withoutInstructions('（三）不予公开'), '（三）不予公开', 'numbering brackets stay');
  const rows = REQUEST_ROWS.map(([key, label]) => ({ key, label: normalise(label) }));
  assert.equal(fuzzyKey('2.其他法律行政止公开', rows, new Set(), -1), 'denied_law_prohibited');
  assert.equal(fuzzyKey('4.无正当理由大量重复申请', rows, new Set(), -1), 'rejected_excessive');
  assert.equal(fuzzyKey('四、结转下一年度继续办理', rows, new Set(), -1), 'carried_forward');
  assert.equal(fuzzyKey('合计金额', rows, new Set(), -1), null, 'nothing near enough');
  // OCR doubles a numbering mark ("1.1本机关…"): the group label before it is still cut off
  assert.equal(fuzzyKey('(四)无法提供1.1本机关不党握相关政府信息', rows, new Set(), -1), 'unable_not_held');
  // a row printed twice (a table cut in two) is not its neighbour, however near that one's label is
  assert.equal(fuzzyKey('一、本年新收政府信息公开申请数量', rows, new Set(['new']), 0), null);
  assert.equal(fuzzyKey('4.无正当理由大量重复申请', rows, new Set(['rejected_repeat']), -1), 'rejected_excessive');
});

test('plausibility: bounds per body level, negative counts, kept as read', () => {
  assert.equal(bodyLevel('绥滨县连生乡人民政府', null), 'township');
  assert.equal(bodyLevel('新兴街道办事处', null), 'township');
  assert.equal(bodyLevel('上海市人民政府', null), 'other');
  const flags = plausibilityFlags(
    {
      active: { coercion: { decisions: 58472 }, licensing: { change: -3, decisions: 12 } },
      requests: { new: { total: 854312 } },
      appeals: { review: { total: -1 } },
    },
    'township',
  );
  assert.deepEqual(
    flags.map((f) => `${f.code} ${f.path}`),
    [
      'VALUE_IMPLAUSIBLE active.coercion.decisions',
      'VALUE_IMPLAUSIBLE requests.new.total',
      'VALUE_IMPLAUSIBLE appeals.review.total',
    ],
  );
  assert.match(flags[1].message!, /854312 exceeds 50000 for a township-level body/);
  const city = (total: number) =>
    plausibilityFlags({ active: null, requests: { new: { total } }, appeals: null }, 'other').length;
  assert.equal(city(60000), 0, 'a large city body may receive 60,000');
  assert.equal(city(854312), 1);
});
