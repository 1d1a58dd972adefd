// tools/scaffold-adapter.ts writes an adapter from the template and a saved-page example skeleton.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { scaffoldAdapter } from '../../tools/scaffold-adapter.ts';

test('scaffold-adapter writes the adapter, an example page and its expected JSON; refuses names in use', () => {
  const root = mkdtempSync(join(tmpdir(), 'nianbao-scaffold-'));
  try {
    assert.deepEqual(scaffoldAdapter('foocms', root), [
      'crawlers/platforms/foocms.ts',
      'test/crawl/examples/foocms/column.html',
      'test/crawl/examples/foocms/column.expected.json',
    ]);
    const adapter = readFileSync(join(root, 'crawlers/platforms/foocms.ts'), 'utf8');
    assert.match(adapter, /export const foocms: PlatformAdapter = \{\n {2}name: 'foocms',/);
    assert.ok(!adapter.includes('__NAME__'));
    const example = JSON.parse(readFileSync(join(root, 'test/crawl/examples/foocms/column.expected.json'), 'utf8'));
    assert.equal(example.job.label, 'column');
    assert.deepEqual(example.expected, { entries: [], enqueued: [], fetched: [], errors: [] });
    assert.throws(() => scaffoldAdapter('foocms', root), /exists already/);
    assert.throws(() => scaffoldAdapter('hanweb', root), /exists already/);
    assert.throws(() => scaffoldAdapter('Foo-CMS', root), /lower-case/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
