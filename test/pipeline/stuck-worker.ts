// A `nianbao worker` for the crash test: the same startWorkers() on the extract queue, except that each job
// announces itself in the trace ("hold") and then hangs, so the test can SIGKILL this process mid-extraction.
import { startWorkers, queueConfigFromEnv } from '../../pipeline/queues.ts';
import { trace } from '../../pipeline/jobs/trace.ts';
import { openStoreFromEnv } from '../../pipeline/store.ts';

const store = await openStoreFromEnv();
await startWorkers({
  cfg: queueConfigFromEnv(),
  store,
  queues: ['extract'],
  handlers: {
    async extract(data) {
      trace('extract', 'hold', data.sha256);
      await new Promise(() => {});
    },
  },
});
process.stderr.write(`[stuck-worker ${process.pid}] ready: extract\n`);
