/**
 * The security baseline every window gets, whatever it shows: navigation and window.open
 * denied (unless a policy allows), permission requests denied, no webview attachment.
 */
import type { Session, WebContents } from 'electron';

export function denyAllPermissions(session: Session): void {
  session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
}

export function hardenWebContents(contents: WebContents, allowNavigation: (url: string) => boolean, onExternal?: (url: string) => void): void {
  contents.setWindowOpenHandler(({ url }) => {
    onExternal?.(url);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event, url) => {
    if (!allowNavigation(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!allowNavigation(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}
