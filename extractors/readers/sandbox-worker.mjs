// The reader sandbox's thread (see sandbox.ts): runs one reader per message. A reader that runs this thread's heap
// out (a DOM of hundreds of MB, a parser in a loop) takes only this thread down; the process lives on.
import { parentPort } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

// The readers are TypeScript: this thread needs the loader its parent was started with.
register();
const readers = new Map();

parentPort.on('message', async ({ id, format, bytes, hints }) => {
  try {
    if (!readers.has(format)) readers.set(format, (await import(`./${format}.ts`)).default);
    const model = await readers.get(format)(bytes, hints);
    parentPort.postMessage({ id, model });
  } catch (err) {
    parentPort.postMessage({ id, error: { name: err?.name ?? 'Error', message: String(err?.message ?? err) } });
  }
});
