// `nianbao extract FILE [--json]`: one document → the common schema, no database needed.
import type { Command } from '../command.ts';
import { parse } from '../args.ts';
import { UsageError } from '../../core/errors.ts';
import { extractFile } from '../../extractors/extract.ts';
import type { Report } from '../../extractors/report.ts';

export default {
  usage: `usage: nianbao extract FILE [--json]

Reads one report (PDF, DOC/WPS, DOCX, HTML or text; the format is detected from the content) and prints the
extracted report: a summary by default, one schema-valid JSON object with --json.
Exit codes: 0 extracted (flags may still describe problems), 1 unreadable input, 2 wrong usage.`,
  async run(argv) {
    const { values, positionals } = parse(argv, {}, true);
    if (positionals.length !== 1) throw new UsageError('expected exactly one FILE');
    const report = await extractFile(positionals[0]);
    process.stdout.write(values.json ? JSON.stringify(report) + '\n' : summary(report));
    return 0;
  },
} satisfies Command;

export function summary(r: Report): string {
  const filled = r.cells.filter((c) => c.value !== null).length;
  const rows: Array<[string, string]> = [
    ['template', r.template],
    ['title', r.title ?? '—'],
    ['agency', r.agency ?? '—'],
    ['year', r.year === null ? '—' : String(r.year)],
    ['period', r.period ? `${r.period.start} … ${r.period.end}` : '—'],
    ['region', r.region_code ?? '—'],
    ['published', r.published_at ?? '—'],
    ['format', r.format ?? '—'],
    ['cells', `${r.cells.length} (${filled} numbers, ${r.cells.length - filled} blank or unparseable)`],
    ['flags', r.flags.length ? '' : 'none'],
  ];
  const w = Math.max(...rows.map(([k]) => k.length));
  const lines = rows.map(([k, v]) => `${k.padEnd(w)}  ${v}`);
  const counts = new Map<string, number>();
  for (const f of r.flags) counts.set(`${f.severity} ${f.code}`, (counts.get(`${f.severity} ${f.code}`) ?? 0) + 1);
  for (const [k, n] of counts) {
    const first = r.flags.find((f) => `${f.severity} ${f.code}` === k)!;
    lines.push(
      `  ${k}${n > 1 ? ` ×${n}` : ''}: ${first.path ?? ''}${n > 1 ? ' …' : ''} ${first.message ?? ''}`.trimEnd(),
    );
  }
  return lines.join('\n') + '\n';
}
