/**
 * The KubeTray window: created on demand, hidden (not destroyed) when closed so the tray app
 * keeps running; loads only dist/renderer/index.html.
 */
import { BrowserWindow, session, shell } from 'electron';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
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
  const indexFile = path.join(distDir, 'renderer', 'index.html');
  const url = pathToFileURL(indexFile).href;
  let win: BrowserWindow | undefined;
  let quitting = false;
  denyAllPermissions(session.fromPartition(APP_PARTITION));
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
    void w.loadFile(indexFile);
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
