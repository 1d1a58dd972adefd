// Crawl side of the store: portals.yaml sync, fetch log and conditional-request validators, the blob archive,
// candidates and markGone, and the read helpers the re-extraction uses.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { withTestStore, type TestStore } from '../helpers/db.ts';
import { parsePortals } from '../../db/portals.ts';

let testStore: TestStore;
let dir: string;
before(async () => {
  testStore = await withTestStore();
  dir = await mkdtemp(join(tmpdir(), 'nianbao-portals-'));
});
after(async () => {
  await testStore?.cleanup();
  await rm(dir, { recursive: true, force: true });
});

const query = (sql: string, params: unknown[] = []) => testStore.store.pool.query(sql, params);

describe('portals', () => {
  test('the national registry is loaded and crawlers/portals.yaml overrides it on first use', async () => {
    const { rows } = await query(`SELECT count(*)::int AS counties, count(base_url)::int AS with_url,
        count(*) FILTER (WHERE NOT enabled)::int AS disabled FROM portals WHERE registry_code IS NOT NULL`);
    assert.deepEqual(rows[0], { counties: 2846, with_url: 2841, disabled: 3 });
    const portals = await testStore.store.listPortals();
    assert.equal(portals.length, 2841, 'a county without a URL is not a crawl target');
    assert.deepEqual(
      portals.filter((p) => !p.enabled).map((p) => p.regionCode),
      ['222404', '341702', '420281'],
    );
    const [baoqing] = await testStore.store.listPortals({ regionCode: '230523' });
    assert.deepEqual([baoqing.baseUrl, baoqing.siteidPrefixes], ['https://hlbaoqing.gov.cn/', ['230523']]);
  });

  test('sync: an override replaces the registry URL and its removal restores it; own entries insert and disable', async () => {
    const file = join(dir, 'portals.yaml');
    await writeFile(
      file,
      `
- code: "230422"
  url: http://a.example/
  platform: hanweb
- name: 集贤县二
  url: http://b.example
  entries: [http://b.example/col/col5/index.html]
`,
    );
    assert.deepEqual(await testStore.store.syncPortals(file), {
      portals: 2,
      inserted: 1,
      updated: 1,
      overrides: 1,
      restored: 3,
      disabled: 0,
    });
    assert.deepEqual(await testStore.store.syncPortals(file), {
      portals: 2,
      inserted: 0,
      updated: 0,
      overrides: 1,
      restored: 0,
      disabled: 0,
    });
    const [suibin] = await testStore.store.listPortals({ regionCode: '230422' });
    assert.deepEqual([suibin.baseUrl, suibin.platform, suibin.name], ['http://a.example/', 'hanweb', '绥滨县']);
    const portalB = (await testStore.store.listPortals()).find((p) => p.baseUrl === 'http://b.example/')!;
    assert.deepEqual(
      [portalB.regionCode, portalB.platform, portalB.enabled, portalB.entryUrls],
      [null, 'auto', true, ['http://b.example/col/col5/index.html']],
    );
    await writeFile(file, `- code: "230521"\n  enabled: false\n`);
    assert.deepEqual(await testStore.store.syncPortals(file), {
      portals: 1,
      inserted: 0,
      updated: 1,
      overrides: 1,
      restored: 1,
      disabled: 1,
    });
    const [restored] = await testStore.store.listPortals({ regionCode: '230422' });
    assert.deepEqual(
      [restored.baseUrl, restored.platform, restored.enabled],
      ['https://www.suibin.gov.cn/', 'auto', true],
    );
    const [jixian] = await testStore.store.listPortals({ regionCode: '230521' });
    assert.deepEqual([jixian.baseUrl, jixian.enabled], ['http://www.jixian.gov.cn/', false]);
    assert.equal((await testStore.store.listPortals()).find((p) => p.baseUrl === 'http://b.example/')!.enabled, false);
    // Back to the shipped file, as the other tests expect.
    await testStore.store.syncPortals();
  });

  test('a bad entry is an error naming it; an unknown county code is refused', async () => {
    assert.throws(() => parsePortals('- code: "23042"\n  url: http://x.example/\n'), /entry 1: code must be 6 digits/);
    assert.throws(() => parsePortals('- code: "230422"\n  url: ftp://x.example/\n'), /entry 1 url: not http/);
    assert.throws(
      () => parsePortals('- code: "230422"\n  url: http://x.example/\n  enable: true\n'),
      /unknown field 'enable'/,
    );
    assert.throws(
      () => parsePortals('- url: http://x.example/\n- url: http://x.example\n'),
      /entry 2: url http:\/\/x.example\/ listed twice/,
    );
    const file = join(dir, 'bad.yaml');
    await writeFile(file, '- code: "999999"\n  url: http://z.example/\n');
    await assert.rejects(testStore.store.syncPortals(file), /999999 not in the region registry/);
    assert.equal(
      (await query(`SELECT count(*) AS n FROM portals WHERE base_url = 'http://z.example/'`)).rows[0].n,
      '0',
    );
  });

  test('ensurePortal finds by base URL or adds, filling only what is missing', async () => {
    const portal = await testStore.store.ensurePortal({ baseUrl: 'http://127.0.0.1:8080', platform: 'generic' });
    assert.deepEqual(
      [portal.baseUrl, portal.platform, portal.regionCode, portal.enabled],
      ['http://127.0.0.1:8080/', 'generic', null, true],
    );
    const again = await testStore.store.ensurePortal({
      baseUrl: 'http://127.0.0.1:8080/',
      regionCode: '340603',
      platform: 'hanweb',
    });
    assert.deepEqual([again.id, again.platform, again.regionCode], [portal.id, 'generic', '340603']);
  });
});

describe('fetches and the archive', () => {
  test('same bytes twice → one blob file, one documents row; the blob reads back', async () => {
    const bytes = Buffer.from('%PDF-1.4 相山区2023年政府信息公开工作年度报告');
    const hash = createHash('sha256').update(bytes).digest('hex');
    const firstFetch = await testStore.store.recordFetch({
      url: 'http://x.example/a.pdf',
      status: 200,
      sha256: hash,
      size: bytes.length,
    });
    const first = await testStore.store.archiveDocument(bytes, {
      url: 'http://x.example/a.pdf',
      contentType: 'application/pdf',
      fetchId: firstFetch,
    });
    const second = await testStore.store.archiveDocument(new Uint8Array(bytes), { url: 'http://mirror.example/a.pdf' });
    assert.deepEqual(first, {
      sha256: hash,
      size: bytes.length,
      path: `${hash.slice(0, 2)}/${hash.slice(2, 4)}/${hash}`,
      isNew: true,
    });
    assert.deepEqual(second, { ...first, isNew: false });
    const file = join(testStore.blobDir, first.path);
    assert.deepEqual(readFileSync(file), bytes);
    assert.deepEqual(
      readdirSync(join(testStore.blobDir, hash.slice(0, 2), hash.slice(2, 4))),
      [hash],
      'no temp files left',
    );
    assert.equal((await query('SELECT count(*) AS n FROM documents WHERE sha256 = $1', [hash])).rows[0].n, '1');
    assert.deepEqual(await testStore.store.readDocument(hash), bytes);
    const info = (await testStore.store.getDocument(hash))!;
    assert.deepEqual(
      [info.firstUrl, info.firstFetchId, info.contentType, info.size],
      ['http://x.example/a.pdf', firstFetch, 'application/pdf', bytes.length],
    );
    assert.ok(info.firstFetchedAt instanceof Date);
    assert.equal(await testStore.store.getDocument('0'.repeat(64)), null);
    await assert.rejects(testStore.store.readDocument('0'.repeat(64)), /not archived/);

    await testStore.store.recordDocumentError(hash, 'encrypted PDF', true);
    const err = (await testStore.store.getDocument(hash))!;
    assert.deepEqual([err.extractionError, err.errorPermanent], ['encrypted PDF', true]);
  });

  test('concurrent archiving of the same bytes leaves one row and one complete blob', async () => {
    const bytes = Buffer.alloc(256 * 1024, 7);
    const res = await Promise.all(
      Array.from({ length: 6 }, () => testStore.store.archiveDocument(bytes, { url: 'http://x.example/big.doc' })),
    );
    assert.equal(res.filter((r) => r.isNew).length, 1);
    assert.deepEqual(readFileSync(join(testStore.blobDir, res[0].path)), bytes);
    assert.deepEqual(readdirSync(join(testStore.blobDir, res[0].path, '..')), [res[0].sha256]);
  });

  test('previousFetch: the last successful fetch with its validators; errors and 304s do not replace it', async () => {
    const url = 'http://x.example/list.html';
    assert.equal(await testStore.store.previousFetch(url), null);
    const hashA = 'a'.repeat(64);
    const hashB = 'b'.repeat(64);
    await testStore.store.recordFetch({
      url,
      status: 200,
      sha256: hashA,
      fetchedAt: new Date('2024-01-01T00:00:00Z'),
      headers: { ETag: '"v1"', 'Last-Modified': 'Mon, 01 Jan 2024 00:00:00 GMT', 'Set-Cookie': 'x=1' },
    });
    await testStore.store.recordFetch({
      url,
      status: 200,
      sha256: hashB,
      fetchedAt: new Date('2024-02-01T00:00:00Z'),
      headers: { etag: '"v2"' },
    });
    await testStore.store.recordFetch({
      url,
      status: 304,
      notModified: true,
      fetchedAt: new Date('2024-03-01T00:00:00Z'),
    });
    await testStore.store.recordFetch({
      url,
      status: null,
      error: 'ETIMEDOUT',
      fetchedAt: new Date('2024-04-01T00:00:00Z'),
    });
    const prev = (await testStore.store.previousFetch(url))!;
    assert.deepEqual(
      [prev.etag, prev.lastModified, prev.sha256, prev.fetchedAt.toISOString()],
      ['"v2"', null, hashB, '2024-02-01T00:00:00.000Z'],
    );
    const headers = (await query('SELECT headers FROM fetches WHERE url = $1 AND sha256 = $2', [url, hashA])).rows[0]
      .headers;
    assert.deepEqual(
      headers,
      { etag: '"v1"', 'last-modified': 'Mon, 01 Jan 2024 00:00:00 GMT' },
      'only the headers that matter',
    );
    await assert.rejects(testStore.store.recordFetch({ url, sha256: 'XYZ' }), /not a lowercase hex SHA-256/);
  });
});

describe('candidates', () => {
  test('upsertCandidate and markGone: unseen candidates get gone_at, seen-again ones are revived', async () => {
    const portal = await testStore.store.ensurePortal({ baseUrl: 'http://www.jixian.example/', regionCode: '230521' });
    const doc = async (label: string) =>
      (await testStore.store.archiveDocument(Buffer.from(label), { url: `http://www.jixian.example/${label}` })).sha256;
    const cand = (runId: number, index: number, sha: string) => ({
      portalId: portal.id,
      runId,
      agency: `集贤县${index}号局`,
      year: 2023,
      title: `集贤县${index}号局2023年政府信息公开工作年度报告`,
      articleUrl: `http://www.jixian.example/art/${index}.html`,
      publishedAt: '2024-01-10',
      siteIdCode: '2305210001',
      documents: [{ url: `http://www.jixian.example/art/${index}.html`, sha256: sha, kind: 'article' as const }],
    });
    const shas = [await doc('one'), await doc('two'), await doc('three')];
    const run1 = await testStore.store.startCrawlRun(portal.id, portal.baseUrl);
    const ids = [];
    for (const index of [0, 1, 2]) ids.push(await testStore.store.upsertCandidate(cand(run1, index, shas[index])));
    assert.equal(await testStore.store.markGone(portal.id, run1), 0);
    await testStore.store.finishCrawlRun(run1, { candidates: 3 });

    const run2 = await testStore.store.startCrawlRun(portal.id, portal.baseUrl);
    assert.equal(
      await testStore.store.upsertCandidate(cand(run2, 0, shas[0])),
      ids[0],
      'same portal + article URL = same candidate',
    );
    assert.equal(await testStore.store.markGone(portal.id, run2), 2);
    assert.equal(await testStore.store.markGone(portal.id, run2), 0, 'already gone ones keep their gone_at');
    const gone = (await query('SELECT id, gone_at FROM candidates WHERE portal_id = $1 ORDER BY id', [portal.id])).rows;
    assert.deepEqual(
      gone.map((g) => g.gone_at === null),
      [true, false, false],
    );

    const run3 = await testStore.store.startCrawlRun(portal.id, portal.baseUrl);
    for (const index of [0, 1]) await testStore.store.upsertCandidate(cand(run3, index, shas[index]));
    assert.equal(await testStore.store.markGone(portal.id, run3), 0);
    const after3 = (await query('SELECT gone_at FROM candidates WHERE portal_id = $1 ORDER BY id', [portal.id])).rows;
    assert.deepEqual(
      after3.map((g) => g.gone_at === null),
      [true, true, false],
    );
    assert.equal(
      (await query('SELECT count(*) AS n FROM candidates WHERE portal_id = $1', [portal.id])).rows[0].n,
      '3',
      'never deleted',
    );
    const run = (await query('SELECT finished_at, stats FROM crawl_runs WHERE id = $1', [run1])).rows[0];
    assert.ok(run.finished_at);
    assert.deepEqual(run.stats, { candidates: 3, new: 3 }, 'new: the candidates this run saw first');

    // Agencies of candidates live in the portal's county.
    const agency = (
      await query(
        'SELECT a.region_code, a.kind FROM candidates c JOIN agencies a ON a.id = c.agency_id WHERE c.id = $1',
        [ids[0]],
      )
    ).rows[0];
    assert.deepEqual(agency, { region_code: '230521', kind: 'department' });

    // listDocuments: the archive of a county with the context a re-extraction passes to upsertReport.
    const listed = await testStore.store.listDocuments({ regionCode: '230521', year: 2023 });
    assert.deepEqual(listed.map((d) => d.sha256).sort(), [...shas].sort());
    const one = listed.find((d) => d.sha256 === shas[0])!;
    assert.deepEqual(one.origin, {
      sha256: shas[0],
      url: 'http://www.jixian.example/art/0.html',
      kind: 'article',
      candidateId: ids[0],
      portalId: portal.id,
      regionCode: '230521',
      siteIdCode: '2305210001',
      agency: '集贤县0号局',
      year: 2023,
      publishedAt: '2024-01-10',
      fetchedAt: null,
      contentType: one.contentType,
    });
    assert.deepEqual([one.kind, one.portalId, one.reportId], ['article', portal.id, null]);
    assert.deepEqual(await testStore.store.listDocuments({ regionCode: '230521', year: 2019 }), []);
    assert.ok(existsSync(join(testStore.blobDir, one.path)));
  });
});
