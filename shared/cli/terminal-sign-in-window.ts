/**
 * SignInWindow for headless use (`kubetray serve`, in-process get-token): the system browser
 * (shared/auth/system-browser-window.ts: $BROWSER, else the platform opener), plus a line on the
 * terminal so the person knows why a browser tab appeared. MSAL's loopback listener receives the
 * redirect on this machine.
 */
import type { Logger } from '../core/log.js';
import type { SignInWindow } from '../core/ports.js';
import { createSystemBrowserWindow } from '../auth/system-browser-window.js';

export function createTerminalSignInWindow(say: (text: string) => void, env: NodeJS.ProcessEnv = process.env, log?: Logger): SignInWindow {
  const browser = createSystemBrowserWindow({ env, ...(log ? { log } : {}) });
  return {
    async open(url, options) {
      say(`kubetray: opening your browser to sign in (${new URL(url).host})…\n`);
      await browser.open(url, options);
    },
  };
}
