// Optional execution trace: NIANBAO_TRACE_FILE=path appends one line per job step ("<pid> <queue> <step> <key> <epoch ms>").
// O_APPEND writes of one short line are atomic, so several worker processes can share the file. Used by the tests
// (no document extracted twice, a killed job retried elsewhere) and by operators auditing a run.
import { appendFileSync } from 'node:fs';

export function trace(queue: string, step: string, key: string): void {
  const file = process.env.NIANBAO_TRACE_FILE;
  if (file) appendFileSync(file, `${process.pid} ${queue} ${step} ${key} ${Date.now()}\n`);
}
