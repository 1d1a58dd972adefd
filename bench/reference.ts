// Reference tools measured on the same files in the same run (pdftotext -layout, antiword, catdoc), so that our
// figures are reported as ratios rather than absolute numbers on a noisy machine.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { median, quantile } from './stats.ts';

export interface ReferenceResult {
  tool: string;
  documents: number;
  median_ms: number;
  p95_ms: number;
  peak_rss_mb: number;
  failures: number;
}

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
  return {
    tool,
    documents: files.length,
    median_ms: median(times),
    p95_ms: quantile(times, 0.95),
    peak_rss_mb: rss,
    failures,
  };
}
