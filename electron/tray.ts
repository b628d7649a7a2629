/**
 * Renders the pure tray model (tray-menu.ts) with Electron's Tray and Menu.
 */
import { Menu, Tray, nativeImage, type MenuItemConstructorOptions } from 'electron';
import * as path from 'node:path';
import type { ClusterView } from '../shared/contract/ipc-contract.js';
import { buildTrayMenu, buildTrayTooltip, resolveTrayIconState, trayImageFile, type TrayAction, type TrayMenuItem } from './tray-menu.js';

export interface TrayController {
  render(clusters: readonly ClusterView[], startAtLogin: boolean): void;
  destroy(): void;
}

function toTemplate(items: readonly TrayMenuItem[], act: (a: TrayAction) => void): MenuItemConstructorOptions[] {
  return items.map((i) => {
    const item: MenuItemConstructorOptions = { id: i.id, type: i.type ?? 'normal' };
    if (i.label !== undefined) item.label = i.label;
    if (i.enabled !== undefined) item.enabled = i.enabled;
    if (i.checked !== undefined) item.checked = i.checked;
    if (i.submenu) item.submenu = toTemplate(i.submenu, act);
    const action = i.action;
    if (action) item.click = () => act(action);
    return item;
  });
}

export function createTray(input: { imagesDir: string; onAction: (action: TrayAction) => void; now?: () => number }): TrayController {
  const now = input.now ?? (() => Date.now());
  const image = (file: string) => nativeImage.createFromPath(path.join(input.imagesDir, file));
  const tray = new Tray(image(trayImageFile('idle', process.platform)));
  // Linux ignores clicks on the icon itself; the menu's "Open KubeTray" covers it there.
  tray.on('click', () => input.onAction({ type: 'open-window' }));
  let lastIcon = '';
  return {
    render(clusters, startAtLogin) {
      const file = trayImageFile(resolveTrayIconState(clusters), process.platform);
      if (file !== lastIcon) {
        tray.setImage(image(file));
        lastIcon = file;
      }
      tray.setToolTip(buildTrayTooltip(clusters));
      tray.setContextMenu(Menu.buildFromTemplate(toTemplate(buildTrayMenu({ clusters, startAtLogin, now: now() }), input.onAction)));
    },
    destroy: () => tray.destroy(),
  };
}
