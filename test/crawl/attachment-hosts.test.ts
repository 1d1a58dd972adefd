// A family's attachment hosts widen the portal rule for documents only: list pages and other hosts stay refused, and
// the private-address guard still applies there.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Fetcher } from '../../crawlers/fetcher.ts';
import { jpaas } from '../../crawlers/platforms/jpaas.ts';
import type { Store } from '../../db/store-types.ts';

const fetcher = new Fetcher({
  store: null as unknown as Store,
  runId: null,
  hosts: ['www.chunan.gov.cn', 'chunan.gov.cn'],
  documentHosts: jpaas.attachmentHosts,
});
const allowed = (url: string, document: boolean) => {
  try {
    fetcher.checkUrl(url, document);
    return true;
  } catch {
    return false;
  }
};

test('jpaas object storage: documents from the province OSS host pass, as documents only', () => {
  const oss =
    'https://zjjcmspublicnew.oss-cn-hangzhou-zwynet-d01-a.internet.cloud.zj.gov.cn/cms_files/jcms1/web3096/site/attach/0/a.pdf';
  assert.ok(allowed(oss, true));
  assert.ok(!allowed(oss, false), 'never as a list page');
  assert.ok(allowed('http://cdn.example.com/cms_files/jcms1/web3096/site/attach/0/b.pdf', true));
  assert.ok(!allowed('http://cdn.example.com/other/b.pdf', true), 'another path on another host');
  assert.ok(!allowed('http://10.1.2.3/cms_files/jcms1/web1/site/attach/0/c.pdf', true), 'private address');
  assert.ok(allowed('https://www.chunan.gov.cn/col/col1229001/index.html', false));
});
