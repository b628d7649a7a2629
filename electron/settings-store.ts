/**
 * Settings persisted with electron-store (ESM-only: loaded with a dynamic import). The schema
 * and migrations are the pure ones in settings-model.ts.
 */
import { applySettingsPatch, migrateSettings, SETTINGS_JSON_SCHEMA, SETTINGS_VERSION, type SettingsPort } from './settings-model.js';

export async function createSettingsStore(cwd: string): Promise<SettingsPort> {
  // TypeScript would turn a plain import() into require() under CommonJS output; keep it dynamic.
  const load = new Function('specifier', 'return import(specifier)') as (s: string) => Promise<typeof import('electron-store')>;
  const { default: Store } = await load('electron-store');
  const store = new Store<Record<string, unknown>>({ name: 'settings', cwd, schema: SETTINGS_JSON_SCHEMA as never, clearInvalidConfig: true });
  let current = migrateSettings(store.store);
  store.store = { ...current, settingsVersion: SETTINGS_VERSION };
  return {
    get: () => current,
    update: async (patch) => {
      current = applySettingsPatch(current, patch);
      store.store = { ...current, settingsVersion: SETTINGS_VERSION };
      return current;
    },
  };
}
