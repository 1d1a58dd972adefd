// The CMS families by name, in detection order (most specific first; generic always matches, so it is last). A
// module of its own so that reading portals.yaml can check `platform:` without loading the adapters (cheerio).
export const PLATFORM_NAMES = [
  'jpaas',
  'gkmlpt',
  'epoint',
  'truecms',
  'xxgk',
  'hanweb',
  'anhui',
  'trs',
  'cnnn',
  'gongkai',
  'generic',
] as const;

export type PlatformName = (typeof PLATFORM_NAMES)[number];

/** What portals.yaml may name: an adapter, or 'auto' to detect it on the column page. */
export const PORTAL_PLATFORMS: readonly string[] = [...PLATFORM_NAMES, 'auto'];
