// Adapter registry and auto-detection (most specific first; generic always matches).
import { anhui } from './anhui.ts';
import type { PlatformAdapter } from './base.ts';
import { generic } from './generic.ts';
import { hanweb } from './hanweb.ts';
import { trs } from './trs.ts';

export const ADAPTERS: PlatformAdapter[] = [hanweb, anhui, trs, generic];

export function adapterFor(platform: string, url: string, html: string): PlatformAdapter {
  const named = ADAPTERS.find((a) => a.name === platform);
  return named ?? ADAPTERS.find((a) => a.detect(url, html))!;
}
