/**
 * A Chromium-backed SignInWindow (the port the Electron sign-in window implements), for the
 * desktop suites. It applies the SAME pure rules as electron/sign-in-window.ts:
 * buildSignInPolicy + decideSignInNavigation for every request, window.open denied, no
 * permissions, its own browser context standing in for the 'persist:kubetray-signin'
 * partition (cookies kept across sign-ins, cleared by "sign out everywhere").
 *
 * Limitation of the stand-in: the emulator's run-time CA is not in Chromium's trust store, so
 * this context alone ignores certificate errors (the msal-node side still verifies the CA).
 */
import type { Browser, BrowserContext, Page } from 'playwright';
import type { SignInWindow } from '../../shared/core/ports.js';
import { buildSignInPolicy, decideSignInNavigation } from '../../electron/navigation-policy.js';

export interface SignInWindowRecord {
  page: Page;
  url: string;
  /** Navigations and requests the policy refused (as URLs). */
  denied: string[];
  /** Popups the page tried to open (closed at once). */
  popups: string[];
  /** True once MSAL's loopback got the form post (the redirect the window lets through). */
  redirected: boolean;
}

export interface ChromiumSignInWindow extends SignInWindow {
  /** Resolves with the next window that opens. */
  nextWindow(): Promise<SignInWindowRecord>;
  /** Every window opened so far. */
  readonly windows: SignInWindowRecord[];
  /** "Sign out everywhere": drop the identity provider's cookies. */
  clearSession(): Promise<void>;
  close(): Promise<void>;
}

export async function createChromiumSignInWindow(browser: Browser, options: { extraHosts?: string[] } = {}): Promise<ChromiumSignInWindow> {
  const context: BrowserContext = await browser.newContext({ ignoreHTTPSErrors: true, permissions: [] });
  const windows: SignInWindowRecord[] = [];
  const waiters: ((w: SignInWindowRecord) => void)[] = [];

  return {
    windows,
    nextWindow: () => new Promise((resolve) => waiters.push(resolve)),
    clearSession: () => context.clearCookies(),
    close: () => context.close(),
    async open(url, { signal, onClosedByUser }) {
      const policy = buildSignInPolicy(url, options.extraHosts ?? []);
      const page = await context.newPage();
      const record: SignInWindowRecord = { page, url, denied: [], popups: [], redirected: false };
      let closedByUs = false;
      // Every request, navigations included, passes the same allow-list as the Electron window.
      await page.route('**/*', async (route) => {
        const target = route.request().url();
        const decision = decideSignInNavigation(target, policy);
        if (decision === 'deny') {
          record.denied.push(target);
          await route.abort('blockedbyclient');
          return;
        }
        if (decision === 'redirect') record.redirected = true;
        await route.continue();
      });
      page.on('popup', (popup) => {
        record.popups.push(popup.url());
        void popup.close();
      });
      page.on('close', () => {
        if (!closedByUs && !signal.aborted) onClosedByUser();
      });
      const close = () => {
        closedByUs = true;
        void page.close().catch(() => undefined);
      };
      if (signal.aborted) {
        close();
        return;
      }
      signal.addEventListener('abort', close, { once: true });
      // window.open is denied like Electron's setWindowOpenHandler -> {action: 'deny'}.
      await page.addInitScript(() => {
        window.open = () => null;
      });
      windows.push(record);
      void page.goto(url).catch(() => undefined);
      for (const w of waiters.splice(0)) w(record);
    },
  };
}
