// The crawl's pure judgements and its router, without a network: entry triage, the gone rule, label routes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { placeOf } from '../../crawlers/classify.ts';
import { articleFullTitle, goneDecision, servedFileName, triageEntry } from '../../crawlers/crawl-rules.ts';
import { Router } from '../../crawlers/router.ts';
import type { Job } from '../../crawlers/platforms/base.ts';

const suibin = placeOf('230422', null);

test('entry triage: a full report title is accepted with its agency and year', () => {
  assert.deepEqual(triageEntry('绥滨县人民政府2022年政府信息公开工作年度报告', suibin, 'https://x.gov.cn/art/1.html'), {
    verdict: 'accept',
    agency: '绥滨县人民政府',
    year: 2022,
  });
});

test('entry triage: a cut title is provisional when it leads to an article, accepted when it is the file', () => {
  const cut = '绥滨县人民政府2022年政府信息公开工...';
  assert.deepEqual(triageEntry(cut, suibin, 'https://x.gov.cn/art/1.html'), {
    verdict: 'provisional',
    agency: '绥滨县人民政府',
    year: 2022,
  });
  assert.deepEqual(triageEntry(cut, suibin, 'https://x.gov.cn/files/1.pdf'), {
    verdict: 'accept',
    agency: '绥滨县人民政府',
    year: 2022,
  });
  // Cut before the year: nothing to classify, but report-ish, so the article decides.
  assert.deepEqual(triageEntry('绥滨县政府信息公开…', suibin, 'https://x.gov.cn/art/2.html'), {
    verdict: 'provisional',
    agency: null,
    year: 0,
  });
  // A file cut before its title classifies is fetched and judged by the name it is served under, not dropped.
  assert.equal(triageEntry('绥滨县政府信息公开…', suibin, 'https://x.gov.cn/files/2.pdf').verdict, 'provisional');
  assert.equal(
    triageEntry('2023年绥滨县忠仁镇人民政府政府信息...', suibin, 'https://x.gov.cn/3.pdf').verdict,
    'provisional',
  );
  assert.equal(triageEntry('绥滨县人民政府关于印发...', suibin, 'https://x.gov.cn/4.pdf').verdict, 'reject');
});

test('the served name of a file: filename* (UTF-8), filename, else the URL; no extension', () => {
  const title = '绥滨县2023年政府信息公开工作年度报告';
  assert.equal(
    servedFileName(`attachment; filename*=UTF-8''${encodeURIComponent(title)}.pdf`, 'http://h/a/1.pdf'),
    title,
  );
  assert.equal(servedFileName(`attachment; filename="${title}.docx"`, 'http://h/a/1.pdf'), title);
  assert.equal(servedFileName(null, `http://h/a/${encodeURIComponent(title)}.pdf`), title);
  assert.equal(servedFileName(undefined, 'http://h/a/P020240101.pdf'), 'P020240101');
});

test('entry triage: interpretations, notices and other counties are rejected with the reason', () => {
  assert.deepEqual(triageEntry('图解绥滨县2022年政府信息公开工作年度报告', suibin, 'https://x.gov.cn/a.html'), {
    verdict: 'reject',
    reason: 'interpretation',
  });
  const other = triageEntry('萝北县2022年政府信息公开工作年度报告', suibin, 'https://x.gov.cn/b.html');
  assert.equal(other.verdict, 'reject');
  assert.match(other.verdict === 'reject' ? other.reason : '', /another county: 萝北县/);
});

test("an article's full title drops the site suffix", () => {
  assert.equal(
    articleFullTitle('绥滨县2022年政府信息公开工作年度报告_绥滨县人民政府网'),
    '绥滨县2022年政府信息公开工作年度报告',
  );
  assert.equal(articleFullTitle(null), '');
});

test('reports are marked gone only after a complete listing', () => {
  const complete = { budgetHit: false, columnFound: true, fatal: false, listFailed: false };
  assert.deepEqual(goneDecision(complete), { markGone: true, blockers: [] });
  assert.deepEqual(goneDecision({ ...complete, budgetHit: true }), { markGone: false, blockers: ['budget'] });
  assert.deepEqual(goneDecision({ ...complete, columnFound: false }), { markGone: false, blockers: ['no-column'] });
  assert.deepEqual(goneDecision({ ...complete, fatal: true }), { markGone: false, blockers: ['fatal'] });
  assert.deepEqual(goneDecision({ ...complete, listFailed: true }), { markGone: false, blockers: ['list-failed'] });
  assert.deepEqual(goneDecision({ budgetHit: true, columnFound: true, fatal: false, listFailed: true }), {
    markGone: false,
    blockers: ['budget', 'list-failed'],
  });
});

test('the router sends a label to its handler, a family label to its prefix route, and refuses unknown labels', async () => {
  const seen: string[] = [];
  const router = Router.create<{ job: Job }>()
    .addHandler('article', async ({ job }) => void seen.push(`article ${job.url}`))
    .addHandler('hanweb:*', async ({ job }) => void seen.push(`hanweb ${job.label}`));
  await router.route({ job: { url: 'a', label: 'article' } });
  await router.route({ job: { url: 'b', label: 'hanweb:proxy' } });
  assert.deepEqual(seen, ['article a', 'hanweb hanweb:proxy']);
  assert.throws(() => router.handlerFor('trs:list'), /no route for label 'trs:list'/);
  assert.throws(() => router.handlerFor('hanweb'), /no route for label 'hanweb'/);
  assert.throws(() => router.addHandler('article', async () => {}), /defined twice/);
});
