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
  return (action: TrayAction): void => {
    switch (action.type) {
      case 'open-window':
        return deps.showWindow();
      case 'sign-in':
        // The sign-in window opens by itself; the main window shows progress if it is open.
        void service.handlers.signIn({ clusterId: action.clusterId }).then(report('sign-in'));
        return;
      case 'sign-out':
        void service.handlers.signOut({ clusterId: action.clusterId }).then(report('sign-out'));
        return;
      case 'sign-out-everywhere':
        void service.handlers.signOutEverywhere({}).then(report('sign-out-everywhere'));
        return;
      case 'toggle-start-at-login':
        void service.handlers.updateSettings({ startAtLogin: !settings.get().startAtLogin }).then(report('start-at-login'));
        return;
      case 'quit':
        return deps.quit();
    }
  };
}
