// A prefecture portal for `nianbao portals discover`: 双鸭山市 (230500), whose home page has the usual
// "县(市、区)政府" link block. Its links are what real ones are like: two lead to the counties' own sites (the
// simulator's 集贤县 and 宝清县), one to a department's site (友谊县教育局, the county's SiteIDCode prefix but not
// its government), one to another county's site (尖山区 → the simulator's 绥滨县), one is dead (饶河县); the 网站地图
// page adds 岭东区 (its own site, served here), and 四方台区 and 宝山区 are not listed at all. Ground truth: `expected`.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Simulator } from './server.ts';

export const PREFECTURE = { code: '230500', name: '双鸭山市' };

export interface PrefecturePortal {
  url: string;
  /** County code → the verdict a correct discovery reaches, or 'failed' (unreachable), for every listed county. */
  expected: Record<string, 'verified' | 'mismatch' | 'failed'>;
  close(): Promise<void>;
}

const page = (siteName: string, siteIdCode: string, body: string) =>
  `<!DOCTYPE html><html><head><meta charset="utf-8"><meta name="SiteName" content="${siteName}">` +
  `<meta name="SiteIDCode" content="${siteIdCode}"><title>${siteName}</title></head><body>${body}</body></html>`;

export async function startPrefecturePortal(sim: Simulator): Promise<PrefecturePortal> {
  const site = (code: string) => sim.truth.portals.find((portal) => portal.regionCode === code)!.url;
  let url = '';
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://sim.local').pathname;
    const send = (status: number, body: string) => {
      res.writeHead(status, { 'content-type': status === 200 ? 'text/html; charset=utf-8' : 'text/plain' });
      res.end(body);
    };
    if (path === '/robots.txt') return send(200, 'User-agent: *\nDisallow:\n');
    if (path === '/') {
      const links = [
        ['集贤县人民政府', site('230521')],
        ['宝清县人民政府', site('230523')],
        ['友谊县', `${url}/youyi/`],
        ['尖山区人民政府', site('230422')],
        ['饶河县人民政府', `${url}/raohe-gone/`],
      ];
      const block = links.map(([title, href]) => `<li><a href="${href}" target="_blank">${title}</a></li>`).join('');
      return send(
        200,
        page(
          `${PREFECTURE.name}人民政府`,
          `${PREFECTURE.code}0001`,
          `<div class="nav"><a href="${url}/zwgk/">政务公开</a> <a href="/wzdt/">网站地图</a></div>` +
            `<div class="yqlj"><h3>县(市、区)政府</h3><ul>${block}</ul></div>` +
            `<div class="footer">主办：${PREFECTURE.name}人民政府办公室 网站标识码：${PREFECTURE.code}0001</div>`,
        ),
      );
    }
    if (path === '/wzdt/')
      return send(
        200,
        page(
          `${PREFECTURE.name}人民政府`,
          `${PREFECTURE.code}0001`,
          `<h3>区县政府网站</h3><a href="/lingdong/">岭东区政府网</a>`,
        ),
      );
    if (path === '/lingdong/')
      return send(200, page('双鸭山市岭东区人民政府', '2305030001', '<div>主办：双鸭山市岭东区人民政府办公室</div>'));
    if (path === '/youyi/') return send(200, page('友谊县教育局', '2305220012', '<p>友谊县教育局欢迎您</p>'));
    send(404, 'not found');
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${url}/`,
    expected: {
      '230503': 'verified',
      '230521': 'verified',
      '230523': 'verified',
      '230522': 'mismatch',
      '230502': 'mismatch',
      '230524': 'failed',
    },
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
