/**
 * The embedded sign-in window (SignInWindow port, shared/core/ports.ts).
 *
 * msal-node's acquireTokenInteractive hands us the authorize URL (openBrowser) and receives the
 * code itself on its loopback listener (form_post to http://localhost:<port>). So this window
 * only shows the URL, lets the person move between the authority's pages, lets the final form
 * post reach the loopback, and closes when MSAL's AbortSignal fires. Closing it by hand tells
 * every waiter "cancelled".
 */
import { BrowserWindow, session as electronSession } from 'electron';
import type { SignInWindow } from '../shared/core/ports.js';
import type { Logger } from '../shared/core/log.js';
import { hardenWebContents, denyAllPermissions } from './harden.js';
import { buildSignInPolicy, decideSignInNavigation } from './navigation-policy.js';
import { buildSignInWindowOptions, SIGN_IN_PARTITION } from './window-options.js';

export function signInSession(): Electron.Session {
  return electronSession.fromPartition(SIGN_IN_PARTITION);
}

/** "Sign out everywhere": drop the identity provider's cookies (SSO) and storage. */
export async function clearSignInSession(): Promise<void> {
  await signInSession().clearStorageData();
  await signInSession().clearCache();
}

export function createElectronSignInWindow(options: { extraHosts: () => readonly string[]; log: Logger; onRefused?: (host: string) => void }): SignInWindow {
  let permissionsSet = false;
  return {
    async open(url, { signal, onClosedByUser }) {
      // The window is shown by its options; nothing here waits on the identity provider.
      const policy = buildSignInPolicy(url, options.extraHosts());
      const ses = signInSession();
      if (!permissionsSet) {
        denyAllPermissions(ses);
        permissionsSet = true;
      }
      const win = new BrowserWindow(buildSignInWindowOptions());
      let closedByUs = false;
      const close = () => {
        closedByUs = true;
        if (!win.isDestroyed()) win.close();
      };
      hardenWebContents(win.webContents, (target) => {
        const decision = decideSignInNavigation(target, policy);
        if (decision === 'deny') {
          options.log.warn('sign-in window refused a navigation', { host: safeHost(target) });
          options.onRefused?.(safeHost(target));
        }
        return decision !== 'deny';
      });
      win.on('closed', () => {
        if (!closedByUs && !signal.aborted) onClosedByUser();
      });
      if (signal.aborted) {
        close();
        return;
      }
      signal.addEventListener('abort', close, { once: true });
      // Resolve once the window is up; a load that the policy stops rejects, which is fine.
      win.loadURL(url).catch((e: unknown) => options.log.debug('sign-in page load ended', { reason: e instanceof Error ? e.message : String(e) }));
    },
  };
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'invalid-url';
  }
}
