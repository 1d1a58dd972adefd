// The crawl job's one conversion: a crawl summary document + what the store lists for it → the DocumentOrigin that
// the extract and load jobs carry. Stored values win (re-extraction reads the same), the crawl fills the rest.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { originOf } from '../../pipeline/jobs/crawl-job.ts';
import type { DocumentListing, Portal } from '../../db/store-types.ts';

const portal: Portal = {
  id: 7,
  regionCode: '230422',
  name: '绥滨县',
  baseUrl: 'http://www.suibin.gov.cn/',
  platform: 'hanweb',
  entryUrls: [],
  enabled: true,
};
const crawled = {
  sha256: 'a'.repeat(64),
  url: 'http://www.suibin.gov.cn/art/1.html',
  kind: 'article' as const,
  candidateId: 3,
};

test('a document the store does not list yet: the crawl and the portal say where it came from', () => {
  assert.deepEqual(originOf(crawled, undefined, portal), {
    sha256: crawled.sha256,
    url: crawled.url,
    kind: 'article',
    candidateId: 3,
    portalId: 7,
    regionCode: '230422',
    siteIdCode: null,
    agency: null,
    year: null,
    publishedAt: null,
    fetchedAt: null,
    contentType: null,
  });
});

test('a listed document: the stored origin wins, kind and portal stay the crawl’s', () => {
  const listed = {
    origin: {
      sha256: crawled.sha256,
      url: 'http://www.suibin.gov.cn/art/1.pdf',
      kind: 'attachment',
      candidateId: 9,
      portalId: 8,
      regionCode: '230400',
      siteIdCode: '2304220001',
      agency: '绥滨县人民政府',
      year: 2021,
      publishedAt: '2022-01-20',
      fetchedAt: '2024-03-01T08:00:00.000Z',
      contentType: 'application/pdf',
    },
  } as DocumentListing;
  assert.deepEqual(originOf(crawled, listed, portal), {
    ...listed.origin,
    kind: 'article',
    portalId: 7,
  });
});
