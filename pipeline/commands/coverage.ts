// `nianbao coverage [--year Y] [--province NAME] [--json|--csv]`: the county × year matrix against the fixed
// denominator (every county of the national registry), one state per cell, with totals per province.
import { COVERAGE_STATES, coverageCells, latestDueYear, provinceTotals } from '../../db/queries/coverage.ts';
import { UsageError } from '../../core/errors.ts';
import { parse } from '../args.ts';
import type { Command } from '../command.ts';
import { openStoreFromEnv } from '../store.ts';

/** RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled. */
function csvLine(fields: unknown[]): string {
  return fields
    .map((field) => {
      const text = field == null ? '' : String(field);
      return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
    })
    .join(',');
}

const usage = `usage: nianbao coverage [--year Y] [--province NAME] [--json | --csv]

Every county-level division of the national registry (2,846 in force in 2024) × report year, one state per cell:
  loaded            current reports loaded (bodies: distinct reporting bodies)
  stale             past the due date (31 January of Y+1) with no report, or fewer bodies than for Y-1
  unreadable        reports listed on the portal but none loaded (extraction failed or pending)
  no report listed  the portal was crawled, nothing listed for Y yet (due date not passed)
  crawl failing     every portal of the county failed its last crawl (nianbao status)
  unverified        the portal was never crawled, or its home page did not show the county's own site
  no portal         no known portal URL
Text: totals per province for one year (default: the latest year past its due date, ${latestDueYear()}); with
--province, one line per county. --json: { "year", "totals": [...], "cells": [...] }; --csv: one line per cell
(all years unless --year). The Postgres view v_coverage holds the same cells.`;

export default {
  usage,
  async run(argv) {
    const { values: options } = parse(argv, {
      year: { type: 'string' },
      province: { type: 'string' },
      csv: { type: 'boolean' },
    });
    if (options.year !== undefined && !/^(19|20)\d{2}$/.test(options.year))
      throw new UsageError(`--year needs a four-digit year, got '${options.year}'`);
    if (options.json && options.csv) throw new UsageError('give one of --json, --csv');
    const store = await openStoreFromEnv();
    try {
      const year = options.year !== undefined ? Number(options.year) : options.csv ? null : latestDueYear();
      const cells = await coverageCells(store.pool, { year, province: options.province ?? null });
      if (options.province && !cells.length)
        throw new UsageError(`no province matches '${options.province}' (give its name as printed, e.g. 黑龙江省)`);
      if (options.csv) {
        const header = ['region_code', 'county', 'province', 'prefecture', 'year', 'state', 'bodies', 'listed'];
        const lines = cells.map((cell) => header.map((key) => cell[key as keyof typeof cell]));
        process.stdout.write([header, ...lines].map(csvLine).join('\n') + '\n');
        return 0;
      }
      const totals = provinceTotals(cells);
      if (options.json) {
        process.stdout.write(JSON.stringify({ year, totals, cells }, null, 2) + '\n');
        return 0;
      }
      const out: string[] = [`coverage of report year ${year} (due ${year! + 1}-01-31):`];
      const head = ['province', 'counties', ...COVERAGE_STATES, 'bodies'];
      const rows = totals.map((row) => [
        row.province,
        String(row.counties),
        ...COVERAGE_STATES.map((state) => String(row.states[state])),
        String(row.bodies),
      ]);
      const widths = head.map((name, i) => Math.max(name.length, ...rows.map((row) => row[i].length)));
      for (const row of [head, ...rows])
        out.push(row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  '));
      if (options.province)
        for (const cell of cells)
          out.push(
            `  ${cell.region_code} ${cell.county.padEnd(8)} ${cell.state}${cell.bodies ? ` (${cell.bodies} bodies)` : ''}`,
          );
      process.stdout.write(out.join('\n') + '\n');
      return 0;
    } finally {
      await store.close();
    }
  },
} satisfies Command;
