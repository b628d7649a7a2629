/**
 * BrowserWindow options for every KubeTray window, decided here and only here (pure; the
 * electron import is type-only). The baseline is the same for all windows: context isolation,
 * sandbox, no Node, no webview, no remote content in the app window.
 */
import type { BrowserWindowConstructorOptions, WebPreferences } from 'electron';

/** The sign-in window's own persistent session: SSO cookies survive restarts, and nothing else shares them. */
export const SIGN_IN_PARTITION = 'persist:kubetray-signin';
/** The app window's session: no network at all is expected there. */
export const APP_PARTITION = 'kubetray-app';

/**
 * The app window's Content-Security-Policy. index.html carries the same string in a meta tag
 * (a test keeps the two equal). No inline script or style, no eval, no network.
 */
export const APP_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export function baseWebPreferences(): WebPreferences {
  return {
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webviewTag: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    enableWebSQL: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    safeDialogs: true,
  };
}

export function buildMainWindowOptions(input: { preloadPath: string; iconPath?: string; platform: NodeJS.Platform }): BrowserWindowConstructorOptions {
  return {
    width: 1100,
    height: 720,
    minWidth: 720,
    minHeight: 420,
    show: false,
    title: 'KubeTray',
    autoHideMenuBar: true,
    // The app lives in the tray: closing the window hides it (see electron/main.ts).
    skipTaskbar: false,
    ...(input.iconPath && input.platform !== 'darwin' ? { icon: input.iconPath } : {}),
    webPreferences: { ...baseWebPreferences(), preload: input.preloadPath, partition: APP_PARTITION },
  };
}

export function buildSignInWindowOptions(input: { title?: string } = {}): BrowserWindowConstructorOptions {
  return {
    width: 520,
    height: 720,
    show: true,
    title: input.title ?? 'Sign in — KubeTray',
    autoHideMenuBar: true,
    minimizable: false,
    fullscreenable: false,
    // No preload: the identity provider's pages get no bridge to KubeTray at all.
    webPreferences: { ...baseWebPreferences(), partition: SIGN_IN_PARTITION },
  };
}
