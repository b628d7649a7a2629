/**
 * The KubeTray window: created on demand, hidden (not destroyed) when closed so the tray app
 * keeps running; loads only dist/renderer/ through kubetray-app://app/ (app-protocol.ts).
 */
import { BrowserWindow, session, shell } from 'electron';
import * as path from 'node:path';
import { APP_INDEX_URL } from './app-asset.js';
import { serveAppFiles } from './app-protocol.js';
import { denyAllPermissions, hardenWebContents } from './harden.js';
import { isExternalLinkAllowed, isOwnAppUrl } from './navigation-policy.js';
import { APP_PARTITION, buildMainWindowOptions } from './window-options.js';

export interface AppWindow {
  readonly url: string;
  show(): void;
  get(): BrowserWindow | undefined;
  /** Lets the window really close (on quit). */
  allowClose(): void;
}

export function createAppWindow(distDir: string, iconPath: string): AppWindow {
  const url = APP_INDEX_URL;
  let win: BrowserWindow | undefined;
  let quitting = false;
  const appSession = session.fromPartition(APP_PARTITION);
  denyAllPermissions(appSession);
  serveAppFiles(appSession, path.join(distDir, 'renderer'));
  const create = (): BrowserWindow => {
    const w = new BrowserWindow(buildMainWindowOptions({ preloadPath: path.join(distDir, 'electron', 'preload.js'), iconPath, platform: process.platform }));
    hardenWebContents(w.webContents, (target) => isOwnAppUrl(target, url), (target) => {
      if (isExternalLinkAllowed(target)) void shell.openExternal(target);
    });
    w.on('close', (e) => {
      if (!quitting) {
        e.preventDefault();
        w.hide();
      }
    });
    w.on('closed', () => (win = undefined));
    w.once('ready-to-show', () => w.show());
    void w.loadURL(url);
    return w;
  };
  return {
    url,
    show() {
      win ??= create();
      if (win.isMinimized()) win.restore();
      win.show();
      win.focus();
    },
    get: () => win,
    allowClose: () => (quitting = true),
  };
}
