// One place where commands open the store from the environment (DATABASE_URL, NIANBAO_HOME).
import { config, loadConfig } from '../core/config.ts';
import { openStore, type OpenedStore } from '../db/store.ts';

export function openStoreFromEnv(env?: NodeJS.ProcessEnv): Promise<OpenedStore> {
  const settings = env ? loadConfig(env) : config();
  return openStore({ databaseUrl: settings.databaseUrl, home: settings.home });
}
