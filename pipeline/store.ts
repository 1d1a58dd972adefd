// One place where commands open the store from the environment (DATABASE_URL, NIANBAO_HOME).
import { openStore, type OpenedStore } from '../db/store.ts';

export function openStoreFromEnv(env = process.env): Promise<OpenedStore> {
  return openStore({ databaseUrl: env.DATABASE_URL || undefined, home: env.NIANBAO_HOME || undefined });
}
