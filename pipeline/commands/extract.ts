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

export function summary(report: Report): string {
  const filled = report.cells.filter((c) => c.value !== null).length;
  const rows: Array<[string, string]> = [
    ['template', report.template],
    ['title', report.title ?? '—'],
    ['agency', report.agency ?? '—'],
    ['year', report.year === null ? '—' : String(report.year)],
    ['period', report.period ? `${report.period.start} … ${report.period.end}` : '—'],
    ['region', report.region_code ?? '—'],
    ['published', report.published_at ?? '—'],
    ['format', report.format ?? '—'],
    ['cells', `${report.cells.length} (${filled} numbers, ${report.cells.length - filled} blank or unparseable)`],
    ['flags', report.flags.length ? '' : 'none'],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  const lines = rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`);
  const counts = new Map<string, number>();
  for (const flag of report.flags)
    counts.set(`${flag.severity} ${flag.code}`, (counts.get(`${flag.severity} ${flag.code}`) ?? 0) + 1);
  for (const [key, count] of counts) {
    const first = report.flags.find((f) => `${f.severity} ${f.code}` === key)!;
    lines.push(
      `  ${key}${count > 1 ? ` ×${count}` : ''}: ${first.path ?? ''}${count > 1 ? ' …' : ''} ${first.message ?? ''}`.trimEnd(),
    );
  }
  return lines.join('\n') + '\n';
}
