/**
 * Settings persisted with electron-store (ESM-only: loaded with a dynamic import). The schema
 * and migrations are the pure ones in settings-model.ts.
 */
import { applySettingsPatch, migrateSettings, SETTINGS_JSON_SCHEMA, SETTINGS_VERSION, type SettingsPort } from './settings-model.js';

export async function createSettingsStore(cwd: string): Promise<SettingsPort> {
  // electron-store is ESM-only; under module NodeNext, TypeScript keeps import() as a real
  // dynamic import in the CommonJS output, which Node/Electron resolve as ESM.
  const { default: Store } = await import('electron-store');
  const store = new Store<Record<string, unknown>>({ name: 'settings', cwd, schema: SETTINGS_JSON_SCHEMA as never, clearInvalidConfig: true });
  let current = migrateSettings(store.store);
  store.store = { ...current, settingsVersion: SETTINGS_VERSION };
  return {
    get: () => current,
    update: async (patch) => {
      const next = applySettingsPatch(current, patch);
      // Persist first: a failed write (disk full, read-only) must not leave a setting applied
      // in memory that the window was told failed and that the next start would not have.
      store.store = { ...next, settingsVersion: SETTINGS_VERSION };
      current = next;
      return current;
    },
  };
}
