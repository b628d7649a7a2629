/**
 * Settings: defaults, migrations and patches. Pure; electron/settings-store.ts persists them
 * with electron-store, the test harness keeps them in memory. Both run these functions.
 */
import { validate } from '../shared/contract/schema.js';
import { IPC, settingsSchema, type IpcRequest, type Settings } from '../shared/contract/ipc-contract.js';

export const SETTINGS_VERSION = 2;

export function defaultSettings(): Settings {
  // Start at login is on after install (the tray must be there when kubectl asks).
  return { defaultLogin: 'interactive', kubeconfigPaths: [], startAtLogin: true, notifications: true, memoryOnlyCache: false, signInHosts: [] };
}

/** JSON Schema for electron-store (it validates on every write). Mirrors settingsSchema. */
export const SETTINGS_JSON_SCHEMA = {
  defaultLogin: { type: 'string', enum: ['interactive', 'devicecode', 'azurecli'], default: 'interactive' },
  kubeconfigPaths: { type: 'array', items: { type: 'string', minLength: 1 }, maxItems: 32, default: [] },
  startAtLogin: { type: 'boolean', default: true },
  notifications: { type: 'boolean', default: true },
  memoryOnlyCache: { type: 'boolean', default: false },
  signInHosts: { type: 'array', items: { type: 'string', minLength: 1 }, maxItems: 32, default: [] },
  settingsVersion: { type: 'number', default: SETTINGS_VERSION },
} as const;

/**
 * Upgrades whatever an older KubeTray wrote. v1 (0.0.x previews) stored `kubeconfig` as one
 * path and `autostart`; v2 is the contract's Settings. Unknown or broken values fall back to
 * defaults instead of refusing to start.
 */
export function migrateSettings(raw: unknown): Settings {
  const base = defaultSettings();
  if (typeof raw !== 'object' || raw === null) return base;
  const r = { ...(raw as Record<string, unknown>) };
  const version = typeof r.settingsVersion === 'number' ? r.settingsVersion : 1;
  if (version < 2) {
    if (typeof r.kubeconfig === 'string' && r.kubeconfig) r.kubeconfigPaths = [r.kubeconfig];
    if (typeof r.autostart === 'boolean') r.startAtLogin = r.autostart;
  }
  const out: Settings = { ...base };
  const pick = <K extends keyof Settings>(key: K) => {
    const candidate = { ...out, [key]: r[key] };
    if (r[key] !== undefined && validate(settingsSchema, candidate).ok) out[key] = candidate[key] as Settings[K];
  };
  (Object.keys(base) as (keyof Settings)[]).forEach(pick);
  return out;
}

export type SettingsPatch = IpcRequest<'updateSettings'>;

export function applySettingsPatch(current: Settings, patch: SettingsPatch): Settings {
  const next: Settings = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value !== undefined) (next as Record<string, unknown>)[key] = value;
  }
  // Re-check the merged result with the contract (the patch schema already checked each field).
  const checked = validate(IPC.updateSettings.response, next, 'settings');
  return checked.ok ? checked.value : current;
}

/** Where settings live: electron-store in the app, memory in tests and headless runs. */
export interface SettingsPort {
  get(): Settings;
  update(patch: SettingsPatch): Promise<Settings>;
}

export function memorySettings(initial: Settings = defaultSettings()): SettingsPort {
  let current = initial;
  return {
    get: () => current,
    update: async (patch) => (current = applySettingsPatch(current, patch)),
  };
}
