// One place where commands open the store from the environment (DATABASE_URL, NIANBAO_HOME).
import { openStore } from '../db/store.ts';
import type { Store } from '../db/types.ts';

export function openStoreFromEnv(env = process.env): Promise<Store> {
  return openStore({ databaseUrl: env.DATABASE_URL || undefined, home: env.NIANBAO_HOME || undefined });
}
