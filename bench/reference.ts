// Reference tools measured on the same files in the same run (pdftotext -layout, antiword, catdoc), so that our
// figures are reported as ratios rather than absolute numbers on a noisy machine.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { median, quantile } from './stats.ts';

export interface ReferenceResult {
  tool: string;
  documents: number;
  median_ms: number;
  p95_ms: number;
  peak_rss_mb: number;
  failures: number;
  /** CPU time (user + system) per file, mean over every run: steadier than wall time on a shared machine. */
  cpu_mean_ms: number | null;
}

/** CPU time (ms) of this process's waited-for children so far, from /proc (Linux); null elsewhere. */
function childrenCpuMs(): number | null {
  try {
    const stat = readFileSync('/proc/self/stat', 'latin1');
    // fields after the command name in parentheses: the 14th and 15th are cutime and cstime, in clock ticks
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[13]) + Number(fields[14])) * 1000) / CLOCK_TICKS;
  } catch {
    return null;
  }
}
const CLOCK_TICKS = 100;

const TOOLS: Record<string, string[]> = {
  pdftotext: ['pdftotext', '-layout', '-enc', 'UTF-8'],
  antiword: ['antiword', '-m', 'UTF-8.txt'],
  catdoc: ['catdoc', '-d', 'utf-8'],
};

function which(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
}

/** Times one process per file (that is how these tools are used); null when the tool is not installed. */
export function measureReference(tool: keyof typeof TOOLS, files: string[], rounds = 1): ReferenceResult | null {
  const [cmd, ...args] = TOOLS[tool];
  if (!which(cmd) || !files.length) return null;
  const gnuTime = existsSync('/usr/bin/time');
  const times: number[] = [];
  let rss = 0;
  let failures = 0;
  const cpuBefore = childrenCpuMs();
  for (let r = 0; r < rounds; r++) {
    for (const file of files) {
      const argv = tool === 'pdftotext' ? [...args, file, '-'] : [...args, file];
      const started = performance.now();
      const res = gnuTime
        ? spawnSync('/usr/bin/time', ['-f', 'RSSKB=%M', cmd, ...argv], { encoding: 'utf8', maxBuffer: 64 << 20 })
        : spawnSync(cmd, argv, { encoding: 'utf8', maxBuffer: 64 << 20 });
      times.push(performance.now() - started);
      if (res.status !== 0 && r === 0) failures++;
      const rssMatch = /RSSKB=(\d+)/.exec(res.stderr ?? '');
      if (rssMatch) rss = Math.max(rss, Number(rssMatch[1]) / 1024);
    }
  }
  const cpuAfter = childrenCpuMs();
  return {
    tool,
    cpu_mean_ms: cpuBefore === null || cpuAfter === null ? null : (cpuAfter - cpuBefore) / times.length,
    documents: files.length,
    median_ms: median(times),
    p95_ms: quantile(times, 0.95),
    peak_rss_mb: rss,
    failures,
  };
}
