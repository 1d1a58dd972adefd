// Is this site the county's own portal? Read off its home page: the 网站标识码 (meta SiteIDCode, else the footer) must
// start with one of the county's codes (the national registry's siteid_prefixes), and the site's name (meta SiteName,
// else the footer's 主办 line) must name the county's government, not a department, the prefecture or a neighbour.
import type { Verification } from '../db/store-types.ts';
import type { PageMeta } from './links.ts';

export interface County {
  code: string | null;
  name: string | null;
  /** Codes a genuine SiteIDCode may start with; default the county's code. */
  prefixes?: string[];
}

const FOOTER_CODE = /网站标识码\s*[:：]?\s*([0-9A-Za-z]{10})/;
const FOOTER_HOST = /主办(?:单位)?\s*[:：]\s*([^\s<>|，,。;；]{2,40})/;
/** The name of a body that is not the county government: its portal is a department's or an institution's. */
const DEPARTMENT = /(局|委员会|委|办公室|办|中心|法院|检察院|医院|学校|大学|公司|银行|所|站|队)$/;
const SITE_SUFFIX = /(门户网站|政府网站|门户网|网站|官网|网|门户)$/;

function textOf(html: string): string {
  return html.replace(/<script[\s\S]*?<\/script>|<style[\s\S]*?<\/style>/gi, ' ').replace(/<[^>]+>/g, ' ');
}

/** The county's name without its level (宝清县 → 宝清), for names that drop it ("宝清政府网"). */
export function shortName(name: string): string {
  const short = name.replace(/(自治县|自治旗|林区|特区|县|区|市|旗)$/, '');
  return short.length >= 2 ? short : name;
}

export function readIdentity(html: string, meta: Pick<PageMeta, 'siteIdCode' | 'siteName'>) {
  const text = textOf(html);
  return {
    siteIdCode: meta.siteIdCode?.trim() || (FOOTER_CODE.exec(text)?.[1] ?? null),
    siteName: meta.siteName?.trim() || (FOOTER_HOST.exec(text)?.[1] ?? null),
  };
}

/** Does a site name name this county's government (and not one of its departments)? */
export function nameFits(siteName: string, countyName: string): boolean {
  const body = siteName.replace(SITE_SUFFIX, '').trim();
  if (!body.includes(shortName(countyName))) return false;
  return !DEPARTMENT.test(body) || /人民政府(办公室)?$/.test(body);
}

export function verifyHome(
  county: County,
  page: { url: string; finalUrl: string | null; html: string; meta: Pick<PageMeta, 'siteIdCode' | 'siteName'> },
): Verification {
  const { siteIdCode, siteName } = readIdentity(page.html, page.meta);
  const base = { url: page.url, finalUrl: page.finalUrl, siteIdCode, siteName };
  if (!county.code || !county.name)
    return { ...base, verdict: 'unknown', reason: 'the portal names no county to check the site against' };
  if (!siteIdCode) return { ...base, verdict: 'unknown', reason: 'the home page shows no SiteIDCode (网站标识码)' };
  const prefixes = county.prefixes?.length ? county.prefixes : [county.code];
  const prefix = siteIdCode.slice(0, 6);
  if (!prefixes.includes(prefix))
    return {
      ...base,
      verdict: 'mismatch',
      reason: `SiteIDCode ${siteIdCode} is of division ${prefix}, not ${county.name}'s (${prefixes.join(', ')})`,
    };
  if (!siteName)
    return { ...base, verdict: 'unknown', reason: `SiteIDCode ${siteIdCode} fits; the site shows no name to check` };
  if (!nameFits(siteName, county.name))
    return {
      ...base,
      verdict: 'mismatch',
      reason: `site name ${siteName} is not ${county.name}'s government (a department's or another body's site)`,
    };
  return {
    ...base,
    verdict: 'verified',
    reason: `SiteIDCode ${siteIdCode} and site name ${siteName} fit ${county.name}`,
  };
}
