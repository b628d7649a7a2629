/**
 * Wires the contract to ipcMain: one ipcMain.handle per contract entry, each checking that the
 * sender is our own top-level page before dispatching (validation happens in dispatchIpc).
 * Events go to the app window only.
 */
import { ipcMain, type BrowserWindow } from 'electron';
import type { Logger } from '../shared/core/log.js';
import { dispatchIpc } from '../shared/contract/ipc-bridge.js';
import { EVENTS, IPC, IPC_NAMES } from '../shared/contract/ipc-contract.js';
import type { DesktopService } from './desktop-service.js';
import { isTrustedSender } from './navigation-policy.js';

export function registerIpc(service: DesktopService, appUrl: string, window: () => BrowserWindow | undefined, log: Logger): () => void {
  for (const name of IPC_NAMES) {
    const channel = IPC[name].channel;
    ipcMain.handle(channel, async (event, payload: unknown) => {
      const frame = event.senderFrame;
      if (!isTrustedSender(frame ? { url: frame.url, isMainFrame: frame === event.sender.mainFrame } : null, appUrl)) {
        log.warn('refused IPC from an untrusted frame', { channel });
        return { ok: false, error: { code: 'ipc/untrusted-sender', message: 'This page may not talk to KubeTray.' } };
      }
      return dispatchIpc(service.handlers, channel, payload);
    });
  }
  const off = service.onEvent((event) => {
    const win = window();
    if (win && !win.isDestroyed()) win.webContents.send(EVENTS[event.name].channel, event.payload);
  });
  return () => {
    off();
    for (const name of IPC_NAMES) ipcMain.removeHandler(IPC[name].channel);
  };
}
