// `nianbao reextract --region CODE [--year Y]`: re-run extraction on every archived document of a county under the
// current extractor version, without touching the network, and say what changed.
import { EXTRACTOR_VERSION } from '../../extractors/version.ts';
import { parse } from '../args.ts';
import type { Command } from '../command.ts';
import { UsageError } from '../../core/errors.ts';
import { Progress } from '../progress.ts';
import { reextract } from '../reextract.ts';
import { openStoreFromEnv } from '../store.ts';
import { trapInterrupts } from '../interrupt.ts';
import { log as defaultLog } from '../../core/log.ts';

const usage = `usage: nianbao reextract --region CODE [--year Y] [--json]

Re-extracts every archived document of the county CODE (6 digits; optionally only year Y) from the blob store, with
extractor ${EXTRACTOR_VERSION}. New results supersede older versions, which stay in the database for audit. Prints the
values and flags that changed per report. No network access.`;

export default {
  usage,
  async run(argv) {
    const { values: options } = parse(argv, { region: { type: 'string' }, year: { type: 'string' } });
    if (!options.region) throw new UsageError('--region CODE is required');
    if (!/^\d{6}$/.test(options.region))
      throw new UsageError(`--region '${options.region}' is not a 6-digit division code`);
    const year = options.year === undefined ? null : Number(options.year);
    if (year !== null && !(Number.isInteger(year) && year >= 2000 && year <= 2100))
      throw new UsageError(`--year '${options.year}' is not a year`);
    const store = await openStoreFromEnv();
    const interrupt = trapInterrupts(defaultLog.info);
    try {
      const progress = new Progress('documents');
      const result = await reextract(
        store,
        { regionCode: options.region, year },
        (done, total) => progress.update(done, total),
        interrupt.signal,
      );
      progress.finish();
      interrupt.check(
        () =>
          `re-extracted ${result.documents} of ${result.of ?? result.documents} document(s) of ${options.region}, ` +
          `${result.reports_changed} report(s) changed; run the same command again to do the rest`,
      );
      if (options.json) {
        process.stdout.write(JSON.stringify(result, null, 2) + '\n');
        return 0;
      }
      const out = [
        `${result.documents} document(s) of ${options.region}${year ? ` for ${year}` : ''} re-extracted with ${EXTRACTOR_VERSION}: ${result.reports_changed} report(s) changed`,
      ];
      for (const change of result.changes) {
        out.push(
          `${change.url} (${change.sha256.slice(0, 12)}): ${change.action}${change.previous_extractor ? ` over ${change.previous_extractor}` : ''}${change.error ? ` — ${change.error}` : ''}`,
        );
        for (const field of change.metadata)
          out.push(`  ${field.field}: ${JSON.stringify(field.before)} → ${JSON.stringify(field.after)}`);
        for (const value of change.values.slice(0, 50))
          out.push(`  ${value.path}: ${value.before ?? '∅'} → ${value.after ?? '∅'}`);
        if (change.values.length > 50) out.push(`  … ${change.values.length - 50} more value change(s)`);
        for (const flag of change.flags_added) out.push(`  + ${flag}`);
        for (const flag of change.flags_removed) out.push(`  - ${flag}`);
      }
      process.stdout.write(out.join('\n') + '\n');
      return 0;
    } finally {
      interrupt.dispose();
      await store.close();
    }
  },
} satisfies Command;
