/**
 * Start at login: app.setLoginItemSettings on macOS and Windows, an XDG autostart entry on
 * Linux (Electron's login items do nothing there).
 */
import { app } from 'electron';
import * as os from 'node:os';
import { resolveAutostartDir, writeAutostartEntry } from './autostart.js';

export async function applyStartAtLogin(enabled: boolean): Promise<void> {
  if (process.platform === 'linux') {
    // An AppImage runs from a temporary mount: start the AppImage file itself.
    const executable = process.env.APPIMAGE || process.execPath;
    const args = app.isPackaged ? ['--hidden'] : [app.getAppPath(), '--hidden'];
    writeAutostartEntry(resolveAutostartDir(process.env, os.homedir()), enabled, { executable, args });
    return;
  }
  // '--hidden' keeps the window closed at login (macOS 13+ dropped openAsHidden).
  app.setLoginItemSettings({ openAtLogin: enabled, args: ['--hidden'] });
}
