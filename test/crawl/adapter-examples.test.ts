// Every CMS adapter against its saved pages (test/crawl/examples/<adapter>/): what it finds, queues, fetches and
// reports must match the example's expected JSON, and every adapter keeps the engine's conventions. Refresh the
// expectations after an intended change with NIANBAO_UPDATE_EXAMPLES=1 (and review the diff).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ADAPTERS } from '../../crawlers/platforms/index.ts';
import { loadExamples, onPortalRule, runExample, writeExpected } from './examples/harness.ts';
import { loadConfig } from '../../core/config.ts';

const update = loadConfig().updateExamples;
const examples = new Map(ADAPTERS.map((adapter) => [adapter.name, loadExamples(adapter.name)]));

test('generic always matches, so it is tried last', () => {
  assert.equal(ADAPTERS.at(-1)!.name, 'generic');
  assert.ok(ADAPTERS.at(-1)!.detect('http://x.example/', ''));
});

for (const adapter of ADAPTERS) {
  describe(`adapter ${adapter.name}`, () => {
    const own = examples.get(adapter.name)!;

    test('has at least two saved examples', () => {
      assert.ok(own.length >= 2, `test/crawl/examples/${adapter.name}/ holds ${own.length} example(s)`);
    });

    for (const example of own)
      test(`${example.name}: entries, jobs, requests and errors as expected`, async () => {
        const result = await runExample(adapter, example);
        if (update) writeExpected(example, result);
        else assert.deepEqual(result, example.file.expected);
        for (const job of result.enqueued) {
          assert.ok(job.label.startsWith(`${adapter.name}:`), `label ${job.label} is not prefixed ${adapter.name}:`);
          assert.ok(onPortalRule(example.file.job.url)(job.url), `${job.url} is off the portal`);
        }
      });

    test('detects its own examples and no other adapter detects them', () => {
      for (const example of own) {
        assert.ok(adapter.detect(example.file.job.url, example.html), `${adapter.name} misses ${example.name}`);
        for (const other of ADAPTERS)
          if (other !== adapter && other.name !== 'generic')
            assert.equal(
              other.detect(example.file.job.url, example.html),
              false,
              `${other.name} claims ${example.name}`,
            );
      }
    });
  });
}
