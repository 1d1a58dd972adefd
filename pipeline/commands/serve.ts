// `nianbao serve [--port N] [--host H] [--json]`: the web interface and JSON API over the database (serve/app.ts).
// Read-only except the review actions, which need the token printed at start. Stops on SIGINT/SIGTERM.
import { UsageError } from '../../core/errors.ts';
import { parse, positiveInt } from '../args.ts';
import type { Command } from '../command.ts';
import { trapInterrupts } from '../interrupt.ts';
import { openStoreFromEnv } from '../store.ts';
import { createApp } from '../../serve/app.ts';
import { loadReview } from '../../serve/review-mount.ts';
import { DEFAULT_HOST, DEFAULT_PORT, listen, newToken } from '../../serve/server.ts';

const usage = `usage: nianbao serve [--port N] [--host H] [--json]

The web interface and JSON API over the database: coverage matrix (/), portal health (/portals), quality (/quality),
reports (/reports, /reports/<key>?cell=<path>: the values next to the source with the cell marked), codebook
(/codebook), and /api/reports, /api/reports/<key>, /api/reports/<key>/cells, /api/coverage, /api/flags (JSON, paged
with limit/offset). Listens on 127.0.0.1:${DEFAULT_PORT} unless told otherwise. The only writes are the review actions
(POST /api/reports/<key>/…), which need "Authorization: Bearer <token>" with the token printed at start (new each
start). --json prints {"url", "token"} as one line. Ctrl-C or SIGTERM stops it. See docs/serve.md.`;

export default {
  usage,
  async run(argv) {
    const { values: options } = parse(argv, { port: { type: 'string' }, host: { type: 'string' } });
    const port = options.port === '0' ? 0 : (positiveInt('port', options.port) ?? DEFAULT_PORT);
    if (port > 65535) throw new UsageError('--port must be at most 65535');
    const host = options.host ?? DEFAULT_HOST;
    if (!/^[\w.:-]+$/.test(host)) throw new UsageError(`--host must be a host name or address, got '${host}'`);
    const store = await openStoreFromEnv();
    try {
      const token = newToken();
      const review = await loadReview({ pool: store.pool, token });
      const loopback = host === '127.0.0.1' || host === 'localhost' || host === '::1';
      const app = createApp({
        pool: store.pool,
        readDocument: (sha) => store.readDocument(sha),
        review,
        allowedHosts: loopback ? ['127.0.0.1', 'localhost', '[::1]'] : undefined,
      });
      const running = await listen(app, host, port);
      // interrupt.ts words its notice for job runners; a server has no jobs to hand back
      const interrupt = trapInterrupts((line) =>
        process.stderr.write(
          `nianbao serve: ${/again: exiting/.test(line) ? line : `${line.split(':')[0]}: stopping`}\n`,
        ),
      );
      try {
        if (options.json) process.stdout.write(JSON.stringify({ url: running.url, token }) + '\n');
        else
          process.stdout.write(
            [
              `nianbao serve: ${running.url}/`,
              `  reports:  ${running.url}/reports   API: ${running.url}/api/reports`,
              `  review token (Authorization: Bearer …, for the review actions only): ${token}`,
              loopback
                ? '  listening on this machine only; Ctrl-C stops'
                : `  listening on ${host}: reachable from other machines; Ctrl-C stops`,
            ].join('\n') + '\n',
          );
        await new Promise<void>((resolve) =>
          interrupt.signal.addEventListener('abort', () => resolve(), { once: true }),
        );
        await running.close();
        process.stderr.write(`nianbao serve: stopped (${interrupt.received})\n`);
        return 0;
      } finally {
        interrupt.dispose();
      }
    } finally {
      await store.close();
    }
  },
} satisfies Command;
