// The nianbao command run as a user runs it: a child process on a given database and home, its exit code and both
// streams collected (the CLI tests of several areas share this).
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../bin/nianbao.js', import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], target: { databaseUrl: string; home: string }): Promise<CliResult> {
  return new Promise((ok) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      {
        env: { ...process.env, DATABASE_URL: target.databaseUrl, NIANBAO_HOME: target.home, NODE_NO_WARNINGS: '1' },
        // The national coverage matrix as JSON/CSV is several MB.
        maxBuffer: 1 << 26,
      },
      (err, stdout, stderr) => ok({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}
