// `nianbao reextract --region CODE [--year Y]`: re-run extraction on every archived document of a county under the
// current extractor version, without touching the network, and say what changed.
import { EXTRACTOR_VERSION } from '../../extractors/version.ts';
import { parse } from '../args.ts';
import type { Command } from '../command.ts';
import { UsageError } from '../../core/errors.ts';
import { Progress } from '../progress.ts';
import { reextract } from '../reextract.ts';
import { openStoreFromEnv } from '../store.ts';

const usage = `usage: nianbao reextract --region CODE [--year Y] [--json]

Re-extracts every archived document of the county CODE (6 digits; optionally only year Y) from the blob store, with
extractor ${EXTRACTOR_VERSION}. New results supersede older versions, which stay in the database for audit. Prints the
values and flags that changed per report. No network access.`;

export default {
  usage,
  async run(argv) {
    const { values: o } = parse(argv, { region: { type: 'string' }, year: { type: 'string' } });
    if (!o.region) throw new UsageError('--region CODE is required');
    if (!/^\d{6}$/.test(o.region)) throw new UsageError(`--region '${o.region}' is not a 6-digit division code`);
    const year = o.year === undefined ? null : Number(o.year);
    if (year !== null && !(Number.isInteger(year) && year >= 2000 && year <= 2100))
      throw new UsageError(`--year '${o.year}' is not a year`);
    const store = await openStoreFromEnv();
    try {
      const progress = new Progress('documents');
      const r = await reextract(store, { regionCode: o.region, year }, (d, t) => progress.update(d, t));
      progress.finish();
      if (o.json) {
        process.stdout.write(JSON.stringify(r, null, 2) + '\n');
        return 0;
      }
      const out = [
        `${r.documents} document(s) of ${o.region}${year ? ` for ${year}` : ''} re-extracted with ${EXTRACTOR_VERSION}: ${r.reports_changed} report(s) changed`,
      ];
      for (const c of r.changes) {
        out.push(
          `${c.url} (${c.sha256.slice(0, 12)}): ${c.action}${c.previous_extractor ? ` over ${c.previous_extractor}` : ''}${c.error ? ` — ${c.error}` : ''}`,
        );
        for (const m of c.metadata) out.push(`  ${m.field}: ${JSON.stringify(m.before)} → ${JSON.stringify(m.after)}`);
        for (const v of c.values.slice(0, 50)) out.push(`  ${v.path}: ${v.before ?? '∅'} → ${v.after ?? '∅'}`);
        if (c.values.length > 50) out.push(`  … ${c.values.length - 50} more value change(s)`);
        for (const f of c.flags_added) out.push(`  + ${f}`);
        for (const f of c.flags_removed) out.push(`  - ${f}`);
      }
      process.stdout.write(out.join('\n') + '\n');
      return 0;
    } finally {
      await store.close();
    }
  },
} satisfies Command;
