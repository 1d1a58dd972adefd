// Adapter registry and auto-detection, in the order of PLATFORM_NAMES (most specific first; generic always matches).
import { anhui } from './anhui.ts';
import type { PlatformAdapter } from './base.ts';
import { generic } from './generic.ts';
import { hanweb } from './hanweb.ts';
import { PLATFORM_NAMES, type PlatformName } from './names.ts';
import { trs } from './trs.ts';

const BY_NAME: Record<PlatformName, PlatformAdapter> = { hanweb, anhui, trs, generic };

export const ADAPTERS: PlatformAdapter[] = PLATFORM_NAMES.map((name) => BY_NAME[name]);

export function adapterFor(platform: string, url: string, html: string): PlatformAdapter {
  const named = ADAPTERS.find((adapter) => adapter.name === platform);
  return named ?? ADAPTERS.find((adapter) => adapter.detect(url, html))!;
}
