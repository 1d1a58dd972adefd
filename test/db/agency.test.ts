// Agency identity (region + normalised name) and kind from the printed name: realistic variants per kind, and the
// pairs that must stay distinct.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  classifyAgency,
  normaliseAgency as normaliseIn,
  regionNames,
  townStem,
  type AgencyKind,
} from '../../db/agency.ts';

const SUIBIN = ['黑龙江省', '鹤岗市', '绥滨县'];
const XIANGSHAN = ['安徽省', '淮北市', '相山区'];

/** Normalised within a region given as [province, prefecture, county]: the county's own name is the last. */
const normaliseAgency = (name: string, region: string[]) => normaliseIn(name, region, region.slice(-1));

/** Per kind: the region, the printed forms of one body, and the identity they all share. */
const BODIES: Array<{ kind: AgencyKind; region: string[]; norm: string; forms: string[] }> = [
  {
    kind: 'government',
    region: SUIBIN,
    norm: '政府',
    forms: ['绥滨县人民政府', '绥滨县政府', '县人民政府', '县政府', '鹤岗市绥滨县人民政府', '黑龙江省绥滨县人民政府'],
  },
  {
    kind: 'office',
    region: SUIBIN,
    norm: '政府办公室',
    forms: ['绥滨县人民政府办公室', '县政府办公室', '绥滨县政府办', '县政府办', '绥滨县 人民政府办公室'],
  },
  {
    kind: 'department',
    region: SUIBIN,
    norm: '市场监督管理局',
    forms: ['绥滨县市场监督管理局', '县市场监督管理局', '市场监督管理局', '鹤岗市绥滨县市场监督管理局'],
  },
  {
    kind: 'department',
    region: SUIBIN,
    norm: '卫生健康委员会',
    forms: ['绥滨县卫生健康委员会', '县卫生健康委员会', '绥滨县卫生健康委员会　'],
  },
  {
    kind: 'township',
    region: SUIBIN,
    norm: '连生乡',
    forms: [
      '连生乡',
      '连生乡政府',
      '连生乡人民政府',
      '绥滨县连生乡人民政府',
      '绥滨县连生乡',
      '绥滨县 连生乡 政府',
      '黑龙江绥滨县连生乡人民政府',
      '鹤岗绥滨县连生乡人民政府',
      '黑龙江省鹤岗绥滨县连生乡人民政府',
    ],
  },
  {
    kind: 'township',
    region: XIANGSHAN,
    norm: '渠沟镇',
    forms: ['相山区渠沟镇政府', '相山区渠沟镇人民政府', '渠沟镇人民政府', '淮北市相山区渠沟镇人民政府', '区渠沟镇政府'],
  },
  {
    kind: 'street',
    region: XIANGSHAN,
    norm: '南黎街道',
    forms: ['南黎街道', '南黎街道办事处', '南黎街道办', '南黎街道人民政府', '相山区南黎街道办事处', '相山区南黎街道'],
  },
  {
    kind: 'zone',
    region: XIANGSHAN,
    norm: '凤凰山经济开发区管委会',
    forms: ['凤凰山经济开发区管理委员会', '相山区凤凰山经济开发区管委会', '凤凰山经济开发区管委会'],
  },
];

test('one body under its printed variants, per kind', () => {
  for (const { kind, region, norm, forms } of BODIES)
    for (const form of forms) {
      assert.equal(normaliseAgency(form, region), norm, `${form} is ${norm}`);
      assert.equal(classifyAgency(form), kind, `${form} is a ${kind}`);
    }
});

test('full-width and space variants fold together', () => {
  assert.equal(
    normaliseAgency('（相山区）市场监督管理局　２号', XIANGSHAN),
    normaliseAgency('(相山区)市场监督管理局2号', XIANGSHAN),
  );
  assert.equal(normaliseAgency('绥滨县\u3000连生乡\t人民政府', SUIBIN), '连生乡');
});

test('different bodies stay different', () => {
  const pairs: Array<[string, string, string[]]> = [
    ['绥滨县人民政府', '绥滨县人民政府办公室', SUIBIN],
    ['县政府', '县政府办公室', SUIBIN],
    ['连生乡人民政府', '连生镇人民政府', SUIBIN],
    ['连生乡', '连生', SUIBIN],
    ['城关镇', '城关街道', XIANGSHAN],
    ['绥滨县教育局', '绥滨县财政局', SUIBIN],
    ['县卫生健康委员会', '县发展和改革委员会', SUIBIN],
    ['渠沟镇人民政府', '南黎街道办事处', XIANGSHAN],
    // A leading 市/区/县 that is part of the word, not "this county's".
    ['市场监督管理局', '场监督管理局', XIANGSHAN],
    ['市政管理局', '政管理局', XIANGSHAN],
    ['县直机关工委', '直机关工委', SUIBIN],
    // The township's government and the township's office.
    ['连生乡人民政府', '连生乡人民政府办公室', SUIBIN],
    // A prefecture's short name is dropped only before another of the region's names: 鹤岗乡 is a township's own.
    ['鹤岗乡人民政府', '乡人民政府', SUIBIN],
    // A township named like its county is no prefix.
    ['绥滨镇人民政府', '镇人民政府', SUIBIN],
  ];
  for (const [one, other, region] of pairs)
    assert.notEqual(normaliseAgency(one, region), normaliseAgency(other, region), `${one} ≠ ${other}`);
  assert.equal(normaliseAgency('绥滨镇人民政府', SUIBIN), '绥滨镇');
  assert.equal(normaliseAgency('鹤岗乡人民政府', SUIBIN), '鹤岗乡');
  assert.equal(normaliseAgency('市场监督管理局', XIANGSHAN), '市场监督管理局');
  // A generic leading word means this region only when the region's name ends in it.
  assert.equal(normaliseAgency('区政府', ['山东省', '枣庄市', '市中区']), '政府');
  assert.equal(normaliseAgency('市人民政府', ['黑龙江省', '绥化市', '海伦市']), '政府');
  assert.notEqual(normaliseAgency('市公安局', SUIBIN), normaliseAgency('县公安局', SUIBIN));
  assert.equal(normaliseAgency('县公安局', SUIBIN), '公安局');
  // With no region any of them is generic; regionNames gives what the store passes.
  assert.equal(normaliseIn('县人民政府办公室'), '政府办公室');
  const names = regionNames([
    { name: '绥滨县', prefecture: '鹤岗市', province: '黑龙江省' },
    { name: '绥滨县', prefecture: '合江地区', province: '黑龙江省' },
  ]);
  assert.deepEqual(names, { prefixes: ['黑龙江省', '鹤岗市', '绥滨县', '合江地区'], own: ['绥滨县'] });
  assert.equal(normaliseIn('合江地区绥滨县连生乡人民政府', names.prefixes, names.own), '连生乡');
  assert.equal(normaliseAgency('市中区人民政府', ['山东省', '枣庄市', '市中区']), '政府');
});

test('kinds', () => {
  const cases: Array<[string, AgencyKind]> = [
    ['绥滨县人民政府', 'government'],
    ['相山区政府', 'government'],
    ['县人民政府', 'government'],
    ['绥滨县人民政府办公室', 'office'],
    ['集贤县政府办', 'office'],
    ['连生乡人民政府办公室', 'office'],
    ['绥滨县连生乡人民政府', 'township'],
    ['相山区渠沟镇政府', 'township'],
    ['连生乡', 'township'],
    ['某某苏木人民政府', 'township'],
    ['某某民族乡人民政府', 'township'],
    ['相山区南黎街道办事处', 'street'],
    ['东山街道', 'street'],
    ['城关街道办', 'street'],
    ['城关街道人民政府', 'street'],
    ['城关街道政府', 'street'],
    ['淮北凤凰山经济开发区管理委员会', 'zone'],
    ['某某高新区管委会', 'zone'],
    ['某某工业园区管理委员会', 'zone'],
    ['宝清县教育局', 'department'],
    ['集贤县卫生健康委员会', 'department'],
    ['宝清县政务服务中心', 'department'],
    ['连生乡便民服务中心', 'department'],
    ['某某', 'other'],
  ];
  for (const [name, kind] of cases) assert.equal(classifyAgency(name), kind, name);
});

test('townStem: the short form a township or street may be printed as; none for other kinds', () => {
  assert.equal(townStem('连生乡'), '连生');
  assert.equal(townStem('渠沟镇'), '渠沟');
  assert.equal(townStem('南黎街道'), '南黎');
  assert.equal(townStem('某某苏木'), '某某');
  assert.equal(townStem('连生'), '连生');
  assert.equal(townStem('政府'), null);
  assert.equal(townStem('政府办公室'), null);
  assert.equal(townStem('教育局'), null);
});
