/** Notifier port on Electron's Notification (silently absent where the OS has none). */
import { Notification } from 'electron';
import type { Notifier } from '../shared/core/ports.js';

export function createElectronNotifier(onClick: () => void): Notifier {
  return {
    notify(title, body) {
      if (!Notification.isSupported()) return;
      const n = new Notification({ title, body, silent: false });
      n.on('click', onClick);
      n.show();
    },
  };
}
