/**
 * What each tray menu item does, against the same DesktopService the window uses. No electron
 * import (the quit and show functions are passed in).
 */
import type { Logger } from '../shared/core/log.js';
import type { DesktopService } from './desktop-service.js';
import type { SettingsPort } from './settings-model.js';
import type { TrayAction } from './tray-menu.js';

export function createTrayActionHandler(deps: { service: DesktopService; settings: SettingsPort; showWindow: () => void; quit: () => void; log: Logger }) {
  const { service, settings, log } = deps;
  const report = (what: string) => (r: { ok: boolean; error?: { code: string } }) => {
    if (!r.ok) log.warn(`tray: ${what} failed`, { code: r.error?.code });
  };
  /** Resolves when the action is done (the menu does not wait; tests do). */
  return async (action: TrayAction): Promise<void> => {
    switch (action.type) {
      case 'open-window':
        return deps.showWindow();
      case 'sign-in':
        // The sign-in window opens by itself; the main window shows progress if it is open.
        return report('sign-in')(await service.handlers.signIn({ clusterId: action.clusterId }));
      case 'sign-out':
        return report('sign-out')(await service.handlers.signOut({ clusterId: action.clusterId }));
      case 'sign-out-everywhere':
        return report('sign-out-everywhere')(await service.handlers.signOutEverywhere({}));
      case 'toggle-start-at-login':
        return report('start-at-login')(await service.handlers.updateSettings({ startAtLogin: !settings.get().startAtLogin }));
      case 'quit':
        return deps.quit();
    }
  };
}
