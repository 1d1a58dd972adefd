// Agency identity (region + normalised name) and kind from the printed name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyAgency, normaliseAgency } from '../../db/agency.ts';

const XIANGSHAN = ['安徽省', '淮北市', '相山区'];

test('one body under its printed variants', () => {
  const forms = [
    '相山区渠沟镇政府',
    '相山区渠沟镇人民政府',
    '渠沟镇人民政府',
    ' 相山区 渠沟镇 人民政府 ',
    '淮北市相山区渠沟镇人民政府',
    '相山区渠沟镇人民政府',
  ];
  assert.deepEqual(new Set(forms.map((f) => normaliseAgency(f, XIANGSHAN))), new Set(['渠沟镇政府']));
  // Full-width letters, digits and brackets fold to half-width; ideographic spaces vanish.
  assert.equal(
    normaliseAgency('（相山区）市场监督管理局　２号', XIANGSHAN),
    normaliseAgency('(相山区)市场监督管理局2号', XIANGSHAN),
  );
  // Different bodies stay different.
  assert.notEqual(normaliseAgency('相山区人民政府', XIANGSHAN), normaliseAgency('相山区人民政府办公室', XIANGSHAN));
  assert.notEqual(normaliseAgency('渠沟镇人民政府', XIANGSHAN), normaliseAgency('南黎街道办事处', XIANGSHAN));
  // The county government itself keeps a name.
  assert.equal(normaliseAgency('相山区人民政府', XIANGSHAN), '政府');
});

test('kinds', () => {
  const cases: Array<[string, ReturnType<typeof classifyAgency>]> = [
    ['绥滨县人民政府', 'government'],
    ['相山区政府', 'government'],
    ['绥滨县人民政府办公室', 'office'],
    ['集贤县政府办', 'office'],
    ['绥滨县连生乡人民政府', 'township'],
    ['相山区渠沟镇政府', 'township'],
    ['某某苏木人民政府', 'township'],
    ['相山区南黎街道办事处', 'street'],
    ['东山街道', 'street'],
    ['淮北凤凰山经济开发区管理委员会', 'zone'],
    ['某某高新区管委会', 'zone'],
    ['宝清县教育局', 'department'],
    ['集贤县卫生健康委员会', 'department'],
    ['宝清县政务服务中心', 'department'],
    ['某某', 'other'],
  ];
  for (const [name, kind] of cases) assert.equal(classifyAgency(name), kind, name);
});
