// Shandong's 政务公开 channels (/gongkai/channel_{24hex}/, sub-channels /gongkai/channel_c_{hex}_n_{stamp}/, documents
// …/doc_{24hex}.html: Zibo, Jinan's districts and counties, Liaocheng). The channel page is a single-page app whose
// list, pager and sub-channel menu its script draws after load; no public source shows the data request it makes
// (crawlers/README.md), so the list is read from the page the browser renders, paged by clicking its "next"
// control, and sub-channels are followed from what it shows. Without a browser the listing is a named failure.
import { extractLinks } from '../links.ts';
import { browserWanted, renderInBrowser, type PlatformAdapter } from './base.ts';
import { followSubColumns } from './follow.ts';

const CHANNEL = /\/gongkai\/channel_[\w.]+\/?$/i;
const DOCUMENT = /\/gongkai\/channel_[\w.]+\/doc_[0-9a-f]{24}\.html?$/i;
const WHY = 'Shandong /gongkai/channel_…/ channel, a single-page app whose list is drawn in the browser';

const isChannel = (url: string) => CHANNEL.test(new URL(url).pathname);

export const gongkai: PlatformAdapter = {
  name: 'gongkai',
  detect: (url) => (isChannel(url) ? WHY : false),
  async handle(job, page, ctx) {
    const links = extractLinks(page.html, page.finalUrl);
    await ctx.addEntries(links, page.url);
    let shown = links;
    if (browserWanted(ctx)) shown = [...links, ...(await renderInBrowser(page, ctx))];
    else if (!links.some((link) => DOCUMENT.test(new URL(link.url).pathname)))
      ctx.listFailed(page.url, `${WHY}: it shows no documents without JavaScript and no browser is available`);
    await followSubColumns(job, page, ctx, 'gongkai:channel', shown, {
      root: null,
      elsewhere: (url) => isChannel(url) && url !== page.finalUrl,
    });
  },
};
