// The portal simulator itself: its ground truth is served, its CMS quirks and HTTP behaviour are real enough to
// test a crawler against (conditional requests, GBK without a charset header, POST-only data proxy, hooks).
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';
import iconv from 'iconv-lite';
import { startSimulator, type Simulator } from '../../simulator/server.ts';

const run = promisify(execFile);

let sim: Simulator;
before(async () => {
  sim = await startSimulator({ seed: 5 });
});
after(() => sim?.close());

test('four portals, one per CMS family, real county codes, 8–15 reports each covering every format', () => {
  assert.deepEqual(sim.truth.portals.map((p) => p.platform).sort(), ['anhui', 'generic', 'hanweb', 'trs']);
  for (const portal of sim.truth.portals) {
    assert.match(portal.regionCode, /^\d{6}$/);
    assert.ok(
      portal.reports.length >= 8 && portal.reports.length <= 15,
      `${portal.slug}: ${portal.reports.length} reports`,
    );
    const kinds = new Set(portal.reports.map((r) => r.kind));
    for (const kind of ['html', 'docx', 'pdf', 'doc']) assert.ok(kinds.has(kind), `${portal.slug} has ${kind}`);
    for (const report of portal.reports) assert.ok(report.year >= 2019 && report.year <= 2024);
  }
});

test('every truth document is served, with its expected values on disk, and answers 304 when unchanged', async () => {
  for (const portal of sim.truth.portals) {
    for (const report of portal.reports) {
      const res = await fetch(report.documents[0]);
      assert.equal(res.status, 200, report.documents[0]);
      await res.arrayBuffer();
      if (report.expectedPath)
        assert.ok(JSON.parse(readFileSync(report.expectedPath, 'utf8')).active, `${report.id} expected values`);
      const again = await fetch(report.documents[0], { headers: { 'if-none-match': res.headers.get('etag')! } });
      assert.equal(again.status, 304);
    }
  }
});

test('TRS list pages are GB2312 bytes without a charset header; pagination only inside a script', async () => {
  const portal = sim.truth.portals.find((x) => x.platform === 'trs')!;
  const res = await fetch(portal.columnUrl);
  assert.equal(res.headers.get('content-type'), 'text/html');
  const html = iconv.decode(Buffer.from(await res.arrayBuffer()), 'gb18030');
  assert.match(html, /charset=gb2312/);
  assert.match(html, /var countPage = \d+/);
  assert.ok(!/href="index_1\.html"/.test(html), 'no static link to page 2');
});

test('Hanweb data proxy answers only a POST with the form of var param_…', async () => {
  const portal = sim.truth.portals.find((x) => x.platform === 'hanweb')!;
  const proxy = new URL('module/web/jpage/dataproxy.jsp?startrecord=1&endrecord=6&perpage=3', portal.url).toString();
  assert.equal(await (await fetch(proxy)).text(), '');
  const body = new URLSearchParams({ columnid: '1234', unitid: '5678', webid: '12' });
  const xml = await (await fetch(proxy, { method: 'POST', body })).text();
  assert.equal((xml.match(/<record>/g) ?? []).length, 7, 'six records and one look-ahead');
});

test('traps: robots.txt, redirect loop, 30 MB attachment, endless calendar', async () => {
  const robots = await (await fetch(`${sim.url}/robots.txt`)).text();
  for (const path of sim.truth.disallowed) assert.ok(robots.includes(new URL(path).pathname));
  const loop = await fetch(sim.truth.redirectLoop + 'a.html', { redirect: 'manual' });
  assert.equal(loop.status, 302);
  const big = await fetch(sim.truth.bigFile, { method: 'HEAD' });
  assert.equal(big.headers.get('content-length'), String(30 * 1024 * 1024));
  const cal = await (await fetch(sim.truth.calendarPrefix + '1999-01/')).text();
  assert.match(cal, /1998-12\//);
  assert.match(cal, /1999-02\//);
  assert.ok(
    sim.truth.offsite.some((u) => u.startsWith('http://10.')) &&
      sim.truth.offsite.some((u) => u.startsWith('http://192.168.')),
  );
});

test('hooks: a changed report has new bytes (and new expected values when generated); a removed one answers 404', async () => {
  const portal = sim.truth.portals.find((x) => x.platform === 'generic')!;
  const gen = portal.reports.find((r) => r.kind === 'docx' && r.expectedPath?.includes('nianbao-sim-'))!;
  const before = Buffer.from(await (await fetch(gen.documents[0])).arrayBuffer());
  const oldExpected = gen.expectedPath;
  await sim.changeReport(gen.id);
  const afterBytes = Buffer.from(await (await fetch(gen.documents[0])).arrayBuffer());
  assert.ok(!before.equals(afterBytes));
  assert.notEqual(gen.expectedPath, oldExpected);
  assert.equal(gen.version, 2);
  const gone = portal.reports.find((r) => r.kind === 'pdf')!;
  sim.removeReport(gone.id);
  assert.equal((await fetch(gone.articleUrl)).status, 404);
  assert.equal((await fetch(gone.documents[0])).status, 404);
  assert.ok(gone.removed);
});

test('a busy port: the simulator refuses with EADDRINUSE and leaves none of its files behind', async () => {
  const busy = createServer();
  await new Promise<void>((ok) => busy.listen(0, '127.0.0.1', ok));
  // in a process of its own with a private TMPDIR: other test files start simulators meanwhile
  const tmp = mkdtempSync(join(tmpdir(), 'nianbao-simtest-'));
  try {
    const server = new URL('../../simulator/server.ts', import.meta.url).href;
    const script =
      `const { startSimulator } = await import(${JSON.stringify(server)});` +
      `await startSimulator({ port: ${(busy.address() as AddressInfo).port} }).then(` +
      `() => process.exit(3), (error) => console.log(error.code));`;
    const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      env: { ...process.env, TMPDIR: tmp },
    });
    assert.equal(stdout.trim(), 'EADDRINUSE');
    assert.deepEqual(
      readdirSync(tmp).filter((name) => name.startsWith('nianbao-sim-')),
      [],
    );
  } finally {
    await new Promise((resolve) => busy.close(resolve));
    rmSync(tmp, { recursive: true, force: true });
  }
});
