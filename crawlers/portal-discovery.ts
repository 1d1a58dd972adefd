// Discovery for the gaps: a prefecture (or province) portal lists its counties' sites ("县(市、区)政府" link blocks,
// 网站地图, 政府网站 lists). Each county of the prefecture named by a link is a proposal, and a proposal is accepted
// only when the proposed site's own home page verifies as the county's (verify.ts); the rest are listed with why.
import { countyLevel } from '../data/areacodes.ts';
import { loadCountyPortals } from '../data/portals.ts';
import type { Store, Verification } from '../db/store-types.ts';
import { decodeHtml } from '../extractors/readers/encoding.ts';
import { Fetcher, siteHosts } from './fetcher.ts';
import { extractLinks, pageMeta } from './links.ts';
import { shortName, verifyHome } from './verify.ts';

export interface Proposal {
  code: string;
  county: string;
  /** The link's text on the prefecture portal and where it points. */
  linkText: string;
  url: string;
  /** accepted: verified as the county's own site; rejected: verified as someone else's or unknown; failed: unreadable. */
  status: 'accepted' | 'rejected' | 'failed';
  verification: Verification | null;
  error: string | null;
}

export interface Discovery {
  prefecture: string;
  url: string;
  proposals: Proposal[];
  /** Counties of the prefecture no link names. */
  unlisted: Array<{ code: string; county: string }>;
}

export interface DiscoveryOptions {
  allowPrivate?: boolean;
  /** Politeness between two requests to one host (default 1 s). */
  minIntervalMs?: number;
}

/** Counties whose code starts with the prefecture's first four digits (a province code: its first two). */
function countiesOf(prefecture: string): Array<{ code: string; name: string }> {
  const stem = prefecture.endsWith('0000') ? prefecture.slice(0, 2) : prefecture.slice(0, 4);
  return countyLevel(2024)
    .filter((region) => region.code.startsWith(stem))
    .map((region) => ({ code: region.code, name: region.name }));
}

function fetcherFor(store: Store, url: string, opts: DiscoveryOptions): Fetcher {
  return new Fetcher({
    store,
    runId: null,
    hosts: siteHosts(new URL(url).host),
    allowPrivate: opts.allowPrivate,
    minIntervalMs: opts.minIntervalMs ?? 1000,
    retries: 1,
  });
}

async function readPage(fetcher: Fetcher, url: string) {
  const response = await fetcher.fetch({ url });
  const html = decodeHtml(response.body, response.headers['content-type']);
  return { html, finalUrl: response.finalUrl };
}

export async function discoverPortals(
  store: Store,
  prefecture: string,
  prefectureUrl: string,
  opts: DiscoveryOptions = {},
): Promise<Discovery> {
  const fetcher = fetcherFor(store, prefectureUrl, opts);
  const home = await readPage(fetcher, prefectureUrl);
  const links = extractLinks(home.html, home.finalUrl);
  // The site map and the 政府网站 list pages (same site, one hop) name the counties the home page's block leaves out.
  const lists = links.filter(
    (link) =>
      /网站地图|政府网站|区县政府|县市区政府/.test(link.title) &&
      new URL(link.url).host === new URL(home.finalUrl).host,
  );
  for (const list of lists.slice(0, 3)) {
    const page = await readPage(fetcher, list.url).catch(() => null);
    if (page) links.push(...extractLinks(page.html, page.finalUrl));
  }
  const prefixes = new Map(loadCountyPortals().map((row) => [row.code, row.siteidPrefixes]));
  const proposals: Proposal[] = [];
  const unlisted: Discovery['unlisted'] = [];
  for (const county of countiesOf(prefecture)) {
    // The county's name (or its short form) as the whole link text, give or take 人民政府 / 政府网.
    const link = links.find((candidate) => {
      const text = candidate.title.replace(/\s+/g, '').replace(/(人民政府|政府)?(门户网站|网站|网)?$/, '');
      return text === county.name || text === shortName(county.name);
    });
    if (!link) {
      unlisted.push({ code: county.code, county: county.name });
      continue;
    }
    const proposal: Proposal = {
      code: county.code,
      county: county.name,
      linkText: link.title,
      url: link.url,
      status: 'failed',
      verification: null,
      error: null,
    };
    try {
      const page = await readPage(fetcherFor(store, link.url, opts), link.url);
      const check = verifyHome(
        { code: county.code, name: county.name, prefixes: prefixes.get(county.code) },
        { url: link.url, finalUrl: page.finalUrl, html: page.html, meta: pageMeta(page.html) },
      );
      proposal.verification = check;
      proposal.status = check.verdict === 'verified' ? 'accepted' : 'rejected';
    } catch (err) {
      proposal.error = (err as Error).message;
    }
    proposals.push(proposal);
  }
  return { prefecture, url: prefectureUrl, proposals, unlisted };
}
