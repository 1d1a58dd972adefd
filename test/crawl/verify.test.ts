// Verification verdicts from what a home page shows: its SiteIDCode (meta or footer) and its name (meta or 主办).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nameFits, verifyHome } from '../../crawlers/verify.ts';

const baoqing = { code: '230523', name: '宝清县', prefixes: ['230523'] };
const home = (html: string, meta: { siteIdCode?: string; siteName?: string } = {}) => ({
  url: 'http://x.example/',
  finalUrl: 'http://x.example/',
  html,
  meta: { siteIdCode: meta.siteIdCode ?? null, siteName: meta.siteName ?? null },
});

test('the county own code and government name: verified', () => {
  const check = verifyHome(baoqing, home('', { siteIdCode: '2305230001', siteName: '宝清县人民政府' }));
  assert.equal(check.verdict, 'verified');
});

test('footer 网站标识码 and 主办 when the meta tags are missing', () => {
  const footer = '<div>主办单位：宝清县人民政府办公室 网站标识码：2305230001 黑ICP备</div>';
  const check = verifyHome(baoqing, home(footer));
  assert.deepEqual(
    [check.verdict, check.siteIdCode, check.siteName],
    ['verified', '2305230001', '宝清县人民政府办公室'],
  );
});

test("the prefecture's portal, another county's site, a department's site: mismatch", () => {
  const prefecture = verifyHome(baoqing, home('', { siteIdCode: '2305000001', siteName: '双鸭山市人民政府' }));
  assert.equal(prefecture.verdict, 'mismatch');
  assert.match(prefecture.reason, /division 230500, not 宝清县's \(230523\)/);
  assert.equal(
    verifyHome(baoqing, home('', { siteIdCode: '2305210001', siteName: '集贤县人民政府' })).verdict,
    'mismatch',
  );
  const department = verifyHome(baoqing, home('', { siteIdCode: '2305230012', siteName: '宝清县教育局' }));
  assert.equal(department.verdict, 'mismatch');
  assert.match(department.reason, /department/);
});

test('no code shown, or no county to check against: unknown', () => {
  assert.equal(verifyHome(baoqing, home('<p>宝清县人民政府</p>')).verdict, 'unknown');
  assert.equal(verifyHome({ code: null, name: null }, home('', { siteIdCode: '2305230001' })).verdict, 'unknown');
});

test('a county code from before a renaming is accepted through siteid_prefixes', () => {
  const miyun = { code: '110118', name: '密云区', prefixes: ['110118', '110228'] };
  assert.equal(
    verifyHome(miyun, home('', { siteIdCode: '1102280001', siteName: '北京市密云区人民政府' })).verdict,
    'verified',
  );
});

test('site names: short forms fit, departments and other counties do not', () => {
  assert.ok(nameFits('宝清政府网', '宝清县'));
  assert.ok(nameFits('宝清县人民政府门户网站', '宝清县'));
  assert.ok(!nameFits('宝清县财政局', '宝清县'));
  assert.ok(!nameFits('集贤县人民政府', '宝清县'));
});
