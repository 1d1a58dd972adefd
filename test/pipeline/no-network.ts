// Preloaded (node --import) into a child process that must not touch the network: any TCP connection other than to
// the test database fails loudly, and is logged to stderr so the test can see the attempt.
import net from 'node:net';

const dbPort = Number(new URL(process.env.DATABASE_URL ?? 'postgres://127.0.0.1:5432/x').port || 5432);
const original = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
  const first = args[0] as { port?: number | string; host?: string; path?: string } | number | string;
  const opts = Array.isArray(first) ? first[0] : first;
  const port = typeof opts === 'object' && opts ? Number(opts.port) : Number(opts);
  const host = typeof opts === 'object' && opts ? (opts.host ?? 'localhost') : String(args[1] ?? 'localhost');
  const isUnix = typeof opts === 'object' && opts && 'path' in opts && opts.path;
  if (!isUnix && !(port === dbPort && /^(127\.0\.0\.1|localhost|::1)$/.test(host))) {
    process.stderr.write(`NETWORK ATTEMPT ${host}:${port}\n`);
    throw new Error(`network access refused in this test: ${host}:${port}`);
  }
  return (original as (...a: unknown[]) => net.Socket).apply(this, args);
} as typeof net.Socket.prototype.connect;
