// Optional execution trace: NIANBAO_TRACE_FILE=path appends one line per job step
// ("<pid> <queue> <step> <key> <epoch ms>").
// O_APPEND writes of one short line are atomic, so several worker processes can share the file. Used by the tests
// (no document extracted twice, a killed job retried elsewhere) and by operators auditing a run.
import { appendFileSync } from 'node:fs';
import { config } from '../../core/config.ts';

export function trace(queue: string, step: string, key: string): void {
  const file = config().traceFile;
  if (file) appendFileSync(file, `${process.pid} ${queue} ${step} ${key} ${Date.now()}\n`);
}
