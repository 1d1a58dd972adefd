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

let t: TestStore;
let dir: string;
before(async () => {
  t = await withTestStore();
  dir = await mkdtemp(join(tmpdir(), 'nianbao-portals-'));
});
after(async () => {
  await t?.cleanup();
  await rm(dir, { recursive: true, force: true });
});

const q = (sql: string, params: unknown[] = []) => t.store.pool.query(sql, params);

describe('portals', () => {
  test('crawlers/portals.yaml was synced on first use: the example counties, disabled', async () => {
    const ps = await t.store.listPortals();
    assert.deepEqual(ps.map((p) => [p.regionCode, p.name, p.enabled]).sort(), [
      ['230422', '绥滨县', false],
      ['230521', '集贤县', false],
      ['230523', '宝清县', false],
      ['340603', '相山区', false],
    ]);
    assert.deepEqual(await t.store.listPortals({ enabledOnly: true }), []);
    assert.deepEqual((await t.store.listPortals({ regionCode: '230523' }))[0].entryUrls, [
      'http://www.baoqing.gov.cn/col/col1/index.html',
    ]);
  });

  test('sync: insert, update, unchanged, and entries removed from the file are disabled, not deleted', async () => {
    const file = join(dir, 'portals.yaml');
    await writeFile(
      file,
      `
- code: "230422"
  url: http://a.example/
  platform: hanweb
- code: 230521
  name: 集贤县
  url: http://b.example
  entries: [http://b.example/col/col5/index.html]
`,
    );
    assert.deepEqual(await t.store.syncPortals(file), { portals: 2, inserted: 2, updated: 0, disabled: 0 });
    assert.deepEqual(await t.store.syncPortals(file), { portals: 2, inserted: 0, updated: 0, disabled: 0 });
    assert.equal((await t.store.listPortals()).length, 6, 'the examples left the file but stay (already disabled)');
    const b = (await t.store.listPortals({ regionCode: '230521' })).find((p) => p.baseUrl === 'http://b.example/')!;
    assert.deepEqual([b.platform, b.enabled, b.entryUrls], ['auto', true, ['http://b.example/col/col5/index.html']]);
    await writeFile(file, `- code: "230422"\n  url: http://a.example/\n  platform: trs\n  enabled: false\n`);
    assert.deepEqual(await t.store.syncPortals(file), { portals: 1, inserted: 0, updated: 1, disabled: 1 });
    const all = await t.store.listPortals();
    assert.equal(all.length, 6, 'nothing deleted');
    assert.deepEqual(
      all.filter((p) => p.enabled),
      [],
    );
    assert.equal(all.find((p) => p.baseUrl === 'http://a.example/')!.platform, 'trs');
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
    await assert.rejects(t.store.syncPortals(file), /999999 not in the region registry/);
    assert.equal((await q(`SELECT count(*) AS n FROM portals WHERE base_url = 'http://z.example/'`)).rows[0].n, '0');
  });

  test('ensurePortal finds by base URL or adds, filling only what is missing', async () => {
    const p = await t.store.ensurePortal({ baseUrl: 'http://127.0.0.1:8080', platform: 'generic' });
    assert.deepEqual(
      [p.baseUrl, p.platform, p.regionCode, p.enabled],
      ['http://127.0.0.1:8080/', 'generic', null, true],
    );
    const again = await t.store.ensurePortal({
      baseUrl: 'http://127.0.0.1:8080/',
      regionCode: '340603',
      platform: 'hanweb',
    });
    assert.deepEqual([again.id, again.platform, again.regionCode], [p.id, 'generic', '340603']);
  });
});

describe('fetches and the archive', () => {
  test('same bytes twice → one blob file, one documents row; the blob reads back', async () => {
    const bytes = Buffer.from('%PDF-1.4 相山区2023年政府信息公开工作年度报告');
    const hash = createHash('sha256').update(bytes).digest('hex');
    const f1 = await t.store.recordFetch({
      url: 'http://x.example/a.pdf',
      status: 200,
      sha256: hash,
      size: bytes.length,
    });
    const a = await t.store.archiveDocument(bytes, {
      url: 'http://x.example/a.pdf',
      contentType: 'application/pdf',
      fetchId: f1,
    });
    const b = await t.store.archiveDocument(new Uint8Array(bytes), { url: 'http://mirror.example/a.pdf' });
    assert.deepEqual(a, {
      sha256: hash,
      size: bytes.length,
      path: `${hash.slice(0, 2)}/${hash.slice(2, 4)}/${hash}`,
      isNew: true,
    });
    assert.deepEqual(b, { ...a, isNew: false });
    const file = join(t.blobDir, a.path);
    assert.deepEqual(readFileSync(file), bytes);
    assert.deepEqual(readdirSync(join(t.blobDir, hash.slice(0, 2), hash.slice(2, 4))), [hash], 'no temp files left');
    assert.equal((await q('SELECT count(*) AS n FROM documents WHERE sha256 = $1', [hash])).rows[0].n, '1');
    assert.deepEqual(await t.store.readDocument(hash), bytes);
    const info = (await t.store.getDocument(hash))!;
    assert.deepEqual(
      [info.firstUrl, info.firstFetchId, info.contentType, info.size],
      ['http://x.example/a.pdf', f1, 'application/pdf', bytes.length],
    );
    assert.ok(info.firstFetchedAt instanceof Date);
    assert.equal(await t.store.getDocument('0'.repeat(64)), null);
    await assert.rejects(t.store.readDocument('0'.repeat(64)), /not archived/);

    await t.store.recordDocumentError(hash, 'encrypted PDF', true);
    const err = (await t.store.getDocument(hash))!;
    assert.deepEqual([err.extractionError, err.errorPermanent], ['encrypted PDF', true]);
  });

  test('concurrent archiving of the same bytes leaves one row and one complete blob', async () => {
    const bytes = Buffer.alloc(256 * 1024, 7);
    const res = await Promise.all(
      Array.from({ length: 6 }, () => t.store.archiveDocument(bytes, { url: 'http://x.example/big.doc' })),
    );
    assert.equal(res.filter((r) => r.isNew).length, 1);
    assert.deepEqual(readFileSync(join(t.blobDir, res[0].path)), bytes);
    assert.deepEqual(readdirSync(join(t.blobDir, res[0].path, '..')), [res[0].sha256]);
  });

  test('previousFetch: the last successful fetch with its validators; errors and 304s do not replace it', async () => {
    const url = 'http://x.example/list.html';
    assert.equal(await t.store.previousFetch(url), null);
    const h1 = 'a'.repeat(64);
    const h2 = 'b'.repeat(64);
    await t.store.recordFetch({
      url,
      status: 200,
      sha256: h1,
      fetchedAt: new Date('2024-01-01T00:00:00Z'),
      headers: { ETag: '"v1"', 'Last-Modified': 'Mon, 01 Jan 2024 00:00:00 GMT', 'Set-Cookie': 'x=1' },
    });
    await t.store.recordFetch({
      url,
      status: 200,
      sha256: h2,
      fetchedAt: new Date('2024-02-01T00:00:00Z'),
      headers: { etag: '"v2"' },
    });
    await t.store.recordFetch({ url, status: 304, notModified: true, fetchedAt: new Date('2024-03-01T00:00:00Z') });
    await t.store.recordFetch({ url, status: null, error: 'ETIMEDOUT', fetchedAt: new Date('2024-04-01T00:00:00Z') });
    const prev = (await t.store.previousFetch(url))!;
    assert.deepEqual(
      [prev.etag, prev.lastModified, prev.sha256, prev.fetchedAt.toISOString()],
      ['"v2"', null, h2, '2024-02-01T00:00:00.000Z'],
    );
    const headers = (await q('SELECT headers FROM fetches WHERE url = $1 AND sha256 = $2', [url, h1])).rows[0].headers;
    assert.deepEqual(
      headers,
      { etag: '"v1"', 'last-modified': 'Mon, 01 Jan 2024 00:00:00 GMT' },
      'only the headers that matter',
    );
    await assert.rejects(t.store.recordFetch({ url, sha256: 'XYZ' }), /not a lowercase hex SHA-256/);
  });
});

describe('candidates', () => {
  test('upsertCandidate and markGone: unseen candidates get gone_at, seen-again ones are revived', async () => {
    const portal = await t.store.ensurePortal({ baseUrl: 'http://www.jixian.example/', regionCode: '230521' });
    const doc = async (s: string) =>
      (await t.store.archiveDocument(Buffer.from(s), { url: `http://www.jixian.example/${s}` })).sha256;
    const cand = (runId: number, n: number, sha: string) => ({
      portalId: portal.id,
      runId,
      agency: `集贤县${n}号局`,
      year: 2023,
      title: `集贤县${n}号局2023年政府信息公开工作年度报告`,
      articleUrl: `http://www.jixian.example/art/${n}.html`,
      publishedAt: '2024-01-10',
      siteIdCode: '2305210001',
      documents: [{ url: `http://www.jixian.example/art/${n}.html`, sha256: sha, kind: 'article' as const }],
    });
    const shas = [await doc('one'), await doc('two'), await doc('three')];
    const run1 = await t.store.startCrawlRun(portal.id, portal.baseUrl);
    const ids = [];
    for (const i of [0, 1, 2]) ids.push(await t.store.upsertCandidate(cand(run1, i, shas[i])));
    assert.equal(await t.store.markGone(portal.id, run1), 0);
    await t.store.finishCrawlRun(run1, { candidates: 3 });

    const run2 = await t.store.startCrawlRun(portal.id, portal.baseUrl);
    assert.equal(
      await t.store.upsertCandidate(cand(run2, 0, shas[0])),
      ids[0],
      'same portal + article URL = same candidate',
    );
    assert.equal(await t.store.markGone(portal.id, run2), 2);
    assert.equal(await t.store.markGone(portal.id, run2), 0, 'already gone ones keep their gone_at');
    const gone = (await q('SELECT id, gone_at FROM candidates WHERE portal_id = $1 ORDER BY id', [portal.id])).rows;
    assert.deepEqual(
      gone.map((g) => g.gone_at === null),
      [true, false, false],
    );

    const run3 = await t.store.startCrawlRun(portal.id, portal.baseUrl);
    for (const i of [0, 1]) await t.store.upsertCandidate(cand(run3, i, shas[i]));
    assert.equal(await t.store.markGone(portal.id, run3), 0);
    const after3 = (await q('SELECT gone_at FROM candidates WHERE portal_id = $1 ORDER BY id', [portal.id])).rows;
    assert.deepEqual(
      after3.map((g) => g.gone_at === null),
      [true, true, false],
    );
    assert.equal(
      (await q('SELECT count(*) AS n FROM candidates WHERE portal_id = $1', [portal.id])).rows[0].n,
      '3',
      'never deleted',
    );
    const run = (await q('SELECT finished_at, stats FROM crawl_runs WHERE id = $1', [run1])).rows[0];
    assert.ok(run.finished_at);
    assert.deepEqual(run.stats, { candidates: 3 });

    // Agencies of candidates live in the portal's county.
    const ag = (
      await q('SELECT a.region_code, a.kind FROM candidates c JOIN agencies a ON a.id = c.agency_id WHERE c.id = $1', [
        ids[0],
      ])
    ).rows[0];
    assert.deepEqual(ag, { region_code: '230521', kind: 'department' });

    // listDocuments: the archive of a county with the context a re-extraction passes to upsertReport.
    const listed = await t.store.listDocuments({ regionCode: '230521', year: 2023 });
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
    assert.deepEqual(await t.store.listDocuments({ regionCode: '230521', year: 2019 }), []);
    assert.ok(existsSync(join(t.blobDir, one.path)));
  });
});
