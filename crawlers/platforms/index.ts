// Adapter registry and auto-detection, in the order of PLATFORM_NAMES (most specific first; generic always matches).
import { anhui } from './anhui.ts';
import { cnnn } from './cnnn.ts';
import { epoint } from './epoint.ts';
import type { PlatformAdapter } from './base.ts';
import { generic } from './generic.ts';
import { gkmlpt } from './gkmlpt.ts';
import { gongkai } from './gongkai.ts';
import { hanweb } from './hanweb.ts';
import { jpaas } from './jpaas.ts';
import { PLATFORM_NAMES, type PlatformName } from './names.ts';
import { trs } from './trs.ts';
import { truecms } from './truecms.ts';
import { xxgk } from './xxgk.ts';

const BY_NAME: Record<PlatformName, PlatformAdapter> = {
  jpaas,
  gkmlpt,
  epoint,
  truecms,
  xxgk,
  hanweb,
  anhui,
  trs,
  cnnn,
  gongkai,
  generic,
};

export const ADAPTERS: PlatformAdapter[] = PLATFORM_NAMES.map((name) => BY_NAME[name]);

/** The adapter for a column page and why: the one portals.yaml names (or an earlier column of the portal used),
 *  else the first that recognises the page. */
export function adapterFor(platform: string, url: string, html: string): { adapter: PlatformAdapter; why: string } {
  const named = ADAPTERS.find((adapter) => adapter.name === platform);
  if (named) return { adapter: named, why: `platform ${platform} (named, or detected on an earlier column)` };
  for (const adapter of ADAPTERS) {
    const why = adapter.detect(url, html);
    if (why) return { adapter, why };
  }
  throw new Error('no adapter matched, not even generic');
}
