// Starts the app on a host and port and stops it: used by `nianbao serve`, the tests and the API benchmark.
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';

/** Where `nianbao serve` listens unless told otherwise (demo prints it too). */
export const DEFAULT_PORT = 8420;
export const DEFAULT_HOST = '127.0.0.1';

export interface Running {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** A token for the review actions, new at every start: 32 random bytes as hex. */
export function newToken(): string {
  return randomBytes(32).toString('hex');
}

/** Listens on host:port (port 0: any free one); rejects in one line when the port is taken or the host unknown. */
export function listen(app: Hono, host: string, port: number): Promise<Running> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, hostname: host, port }) as Server;
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        new Error(
          err.code === 'EADDRINUSE'
            ? `port ${port} on ${host} is in use (give another with --port)`
            : `cannot listen on ${host}:${port}: ${err.message}`,
        ),
      ),
    );
    server.once('listening', () => {
      const bound = (server.address() as AddressInfo).port;
      const shown = host.includes(':') ? `[${host}]` : host;
      resolve({
        url: `http://${shown}:${bound}`,
        port: bound,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            // keep-alive connections of a browser would hold close() open
            server.closeAllConnections?.();
          }),
      });
    });
  });
}
