// truecms (the 南通 family): the column script asks a JSONP endpoint, /truecms/messageController/getMessage.do?
// startrecord&endrecord&perpage&columnId&callback, that answers cb({"result":"<datastore…>"}) — Hanweb-style records
// and <totalrecord> inside a JSON string. perpage is capped (≤ 50) by the server, so each request starts where the
// last one's records ended. Some hosts answer 404 without a Referer: every request names the column page.
import { extractLinks } from '../links.ts';
import type { AdapterContext, FetchedPage, PlatformAdapter } from './base.ts';
import { OPEN_PAGING_LIMIT } from './follow.ts';

const ENDPOINT = /['"]([^'"]*\/truecms\/messageController\/getMessage\.do)/;
const PER_REQUEST = 50;

/** The payload of a JSONP answer: cb({...}) → {...}. */
function jsonp(body: string): Record<string, unknown> | null {
  const call = /^[\s;]*[\w.$]+\s*\(([\s\S]*)\)[\s;]*$/.exec(body);
  try {
    return JSON.parse(call ? call[1] : body) as Record<string, unknown>;
  } catch {
    return null;
  }
}

function recordsOf(xml: string): string[] {
  return [...xml.matchAll(/<record>\s*<!\[CDATA\[([\s\S]*?)\]\]>\s*<\/record>/g)].map((m) => m[1]);
}

async function viaJsonp(page: FetchedPage, ctx: AdapterContext, endpoint: string, columnId: string): Promise<void> {
  let total = Infinity;
  for (let start = 1, asked = 0; start <= total && asked < OPEN_PAGING_LIMIT * 4; asked++) {
    const url = new URL(endpoint, page.finalUrl);
    url.search = new URLSearchParams({
      startrecord: String(start),
      endrecord: String(start + PER_REQUEST - 1),
      perpage: String(PER_REQUEST),
      columnId,
      callback: 'jsonpCallback',
    }).toString();
    const answer = await ctx.fetchPage({ url: url.toString(), label: 'truecms:jsonp', referrer: page.url });
    const payload = jsonp(answer.html);
    const xml = typeof payload?.result === 'string' ? payload.result : null;
    if (xml === null) return ctx.listFailed(url.toString(), 'truecms endpoint did not answer JSONP with a result');
    const records = recordsOf(xml);
    const added = await ctx.addEntries(extractLinks(records.join('\n'), page.finalUrl), url.toString());
    const declared = /<totalrecord>(\d+)<\/totalrecord>/i.exec(xml)?.[1];
    if (declared) total = Number(declared);
    if (!records.length) return;
    if (added === 0)
      return ctx.listFailed(
        url.toString(),
        `paging did not advance: truecms startrecord=${start} repeats entries already seen`,
      );
    start += records.length;
  }
}

export const truecms: PlatformAdapter = {
  name: 'truecms',
  detect: (_url, html) => (ENDPOINT.test(html) ? 'truecms getMessage.do JSONP endpoint in the page script' : false),
  async handle(_job, page, ctx) {
    const endpoint = ENDPOINT.exec(page.html)![1];
    const columnId = /columnId\s*[:=]\s*['"]?(\d+)/.exec(page.html)?.[1];
    if (!columnId) return ctx.listFailed(page.url, 'truecms column without a columnId in its script');
    await viaJsonp(page, ctx, endpoint, columnId);
  },
};
