// `nianbao portals discover --prefecture CODE [--url URL] [--allow-private] [--json]`: proposals of county portals
// from a prefecture (or province) portal's list of its counties' sites, each verified before it is stored.
import { UsageError } from '../../core/errors.ts';
import { log } from '../../core/log.ts';
import { loadCountyPortals } from '../../data/portals.ts';
import { parse } from '../args.ts';
import type { Command } from '../command.ts';
import { openStoreFromEnv } from '../store.ts';

const usage = `usage: nianbao portals discover --prefecture CODE [--url URL] [--allow-private] [--json]

Reads the prefecture's (or, for a code ending in 0000, the province's) portal at URL and proposes a site for each
of its counties that a link names (the "县(市、区)政府" block, 网站地图, 政府网站 lists). Each proposal's home page is
verified (SiteIDCode prefix and site name against the county): verified ones are stored as the county's portal
(source 'discovered'); mismatching, unknown and unreachable ones are listed, not stored.
  --url URL          the prefecture portal (default: the URL the national registry lists for one of its counties
                     where that URL is known to be the prefecture's portal)
  --allow-private    allow loopback/private addresses (the local simulator)
--json prints { "prefecture", "url", "proposals": [{ code, county, linkText, url, status, verification, error,
stored }], "unlisted": [{ code, county }] }.`;

/** The registry notes the rows whose listed URL is their prefecture's portal: a known prefecture URL. */
function knownPrefectureUrl(prefecture: string): string | null {
  const row = loadCountyPortals().find(
    (county) =>
      county.code.startsWith(prefecture.slice(0, 4)) && county.url && /prefecture portal/.test(county.note ?? ''),
  );
  return row?.url ?? null;
}

export default {
  usage,
  async run(argv) {
    const { values: options, positionals } = parse(
      argv,
      { prefecture: { type: 'string' }, url: { type: 'string' }, 'allow-private': { type: 'boolean' } },
      true,
    );
    if (positionals[0] !== 'discover' || positionals.length !== 1)
      throw new UsageError(
        positionals[0] ? `unknown subcommand '${positionals.join(' ')}' (discover)` : 'missing subcommand (discover)',
      );
    const prefecture = options.prefecture;
    if (!prefecture || !/^\d{2}(?!00)\d{2}00$|^\d{2}0000$/.test(prefecture))
      throw new UsageError(
        `--prefecture needs a prefecture or province code (6 digits ending in 00), got '${prefecture ?? ''}'`,
      );
    const url = options.url ?? knownPrefectureUrl(prefecture);
    if (!url) throw new UsageError(`no known portal for ${prefecture}: give --url URL`);
    if (!/^https?:\/\/[^/]+/i.test(url)) throw new UsageError(`--url needs an http(s) URL, got '${url}'`);
    const { discoverPortals } = await import('../../crawlers/portal-discovery.ts');
    const store = await openStoreFromEnv();
    try {
      const allowPrivate = !!options['allow-private'];
      const loopback = allowPrivate && /^https?:\/\/(127\.|localhost|\[::1\])/i.test(url);
      const found = await discoverPortals(store, prefecture, url, {
        allowPrivate,
        minIntervalMs: loopback ? 10 : 1000,
      });
      const proposals = [];
      for (const proposal of found.proposals) {
        let stored: number | null = null;
        if (proposal.status === 'accepted')
          stored = await store.addDiscoveredPortal({
            regionCode: proposal.code,
            name: proposal.county,
            baseUrl: proposal.url,
            verification: proposal.verification!,
          });
        proposals.push({ ...proposal, stored });
      }
      if (options.json) {
        process.stdout.write(JSON.stringify({ ...found, proposals }, null, 2) + '\n');
      } else {
        const out = [`${found.url}: ${proposals.length} proposal(s), ${found.unlisted.length} count(ies) not listed`];
        for (const proposal of proposals)
          out.push(
            `  ${proposal.code} ${proposal.county} ${proposal.status.padEnd(8)} ${proposal.url}` +
              (proposal.stored !== null ? ` (portal ${proposal.stored})` : '') +
              ` — ${proposal.verification?.reason ?? proposal.error}`,
          );
        for (const county of found.unlisted) out.push(`  ${county.code} ${county.county} not listed`);
        process.stdout.write(out.join('\n') + '\n');
      }
      const accepted = proposals.filter((proposal) => proposal.status === 'accepted').length;
      log.info(`portals discover: ${accepted} accepted and stored, ${proposals.length - accepted} listed only`);
      return 0;
    } finally {
      await store.close();
    }
  },
} satisfies Command;
