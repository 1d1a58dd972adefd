// portals.yaml's `platform:` names an adapter the crawl has, or 'auto'; the registry follows the names list.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ADAPTERS } from '../../crawlers/platforms/index.ts';
import { PLATFORM_NAMES, PORTAL_PLATFORMS } from '../../crawlers/platforms/names.ts';
import { parsePortals, readPortalsFile } from '../../db/portals.ts';

test('an unknown platform is a one-line error naming the entry and the known adapters', () => {
  const yaml = '- url: http://a.example/\n  platform: hanweb\n- url: http://b.example/\n  platform: hexmon\n';
  assert.throws(
    () => parsePortals(yaml),
    (err: Error) =>
      err.message ===
      `portals.yaml entry 2: unknown platform 'hexmon' (known: ${[...PLATFORM_NAMES, 'auto'].join(', ')})`,
  );
});

test('every adapter name and auto are accepted; a missing platform means auto', () => {
  for (const platform of PORTAL_PLATFORMS)
    assert.equal(parsePortals(`- url: http://a.example/\n  platform: ${platform}\n`)[0].platform, platform);
  assert.equal(parsePortals('- url: http://a.example/\n')[0].platform, 'auto');
});

test('the adapter registry is the names list, in order, generic last', () => {
  assert.deepEqual(
    ADAPTERS.map((adapter) => adapter.name),
    [...PLATFORM_NAMES],
  );
  assert.equal(ADAPTERS.at(-1)!.name, 'generic');
});

test('the shipped portals.yaml names only known platforms', () => {
  for (const portal of readPortalsFile())
    assert.ok(PORTAL_PLATFORMS.includes(portal.platform), portal.baseUrl ?? `code ${portal.regionCode}`);
});

test('a Shandong /gongkai/channel_…/ column goes to gongkai (and only to it) with its reason; module tree pages go to xxgk', () => {
  const channel = 'http://gongkai.example/gongkai/channel_6389ae153759918282644cca/';
  const claimed = ADAPTERS.filter(
    (adapter) => adapter.name !== 'generic' && adapter.detect(channel, '<div id="list"></div>'),
  ).map((adapter) => adapter.name);
  assert.deepEqual(claimed, ['gongkai']);
  assert.match(
    String(ADAPTERS.find((adapter) => adapter.name === 'gongkai')!.detect(channel, '')),
    /^Shandong \/gongkai\/channel_…\/ channel, a single-page app/,
  );
  assert.match(String(ADAPTERS.at(-1)!.detect('http://x.example/zfxxgk/ndbg/', '')), /^no CMS family recognised/);
  const xxgk = ADAPTERS.find((adapter) => adapter.name === 'xxgk')!;
  assert.ok(
    xxgk.detect('http://x.example/module/xxgk/tree.jsp?area=230111100&divid=div1', '<div class="dtree"></div>'),
  );
  assert.equal(xxgk.detect('http://x.example/module/xxgk/other.jsp', '<div></div>'), false);
});
