/**
 * SignInWindow implementations for tests, driving real Chromium (/usr/bin/chromium) through
 * Playwright against the Entra emulator's pages (ids in test/emulators/entra/entra-pages.ts):
 * - 'complete': fills user name, password, MFA code, picks the account, accepts consent, and
 *   waits for the loopback's "return to KubeTray" page;
 * - 'close': the person closes the window without signing in (cancel).
 * Waits are on page events and selectors, never sleeps.
 */
import type { Browser, Page } from 'playwright';
import { launchTestChromium } from './chromium.js';
import type { SignInWindow } from '../../shared/core/ports.js';

export function launchSignInBrowser(): Promise<Browser> {
  return launchTestChromium();
}

export interface PlaywrightSignInOptions {
  mode: 'complete' | 'close';
  username?: string;
  password?: string;
  /** The MFA code to type when the emulator asks for one. */
  mfaCode?: string;
}

export interface PlaywrightSignInWindow extends SignInWindow {
  /** Every URL opened, in order. */
  readonly opened: string[];
  /** Pages seen by id (signin, mfa, account-picker, consent, ...), in order. */
  readonly steps: string[];
  /** Errors the driver met (a page it did not expect, an emulator error page). */
  readonly errors: string[];
  /** Settles when the last opened window has finished driving. */
  settled(): Promise<void>;
  options: PlaywrightSignInOptions;
}

const STEP_SELECTOR = '#signin, #mfa, #account-picker, #consent, #error-code, #kubetray-signed-in, #kubetray-sign-in-failed';

async function submit(page: Page, selector: string): Promise<void> {
  await Promise.all([page.waitForNavigation(), page.click(selector)]);
}

export function playwrightSignInWindow(browser: Browser, options: PlaywrightSignInOptions): PlaywrightSignInWindow {
  const opened: string[] = [];
  const steps: string[] = [];
  const errors: string[] = [];
  let last: Promise<void> = Promise.resolve();

  async function drive(page: Page, self: PlaywrightSignInWindow): Promise<void> {
    const o = self.options;
    for (let i = 0; i < 12; i++) {
      const el = await page.waitForSelector(STEP_SELECTOR, { state: 'attached' });
      const id = (await el.getAttribute('id')) ?? '';
      steps.push(id);
      switch (id) {
        case 'signin':
          await page.fill('#username', o.username ?? '');
          await page.fill('#password', o.password ?? '');
          await submit(page, '#signin-submit');
          break;
        case 'mfa':
          await page.fill('#otc', o.mfaCode ?? '');
          await submit(page, '#mfa-submit');
          break;
        case 'account-picker':
          await submit(page, `button[name="account"][value="${o.username ?? ''}"]`);
          break;
        case 'consent':
          await submit(page, '#consent-accept');
          break;
        case 'error-code':
          errors.push(`emulator error page: ${await page.textContent('#error-code')} ${await page.textContent('#error-message')}`);
          return;
        default:
          return; // the loopback's success or failure page: done
      }
    }
    errors.push('too many sign-in steps');
  }

  const self: PlaywrightSignInWindow = {
    opened,
    steps,
    errors,
    options,
    settled: () => last,
    async open(url, { signal, onClosedByUser }) {
      opened.push(url);
      // The emulator's CA is made at run time; this test browser trusts it by ignoring TLS errors.
      const context = await browser.newContext({ ignoreHTTPSErrors: true });
      const page = await context.newPage();
      signal.addEventListener('abort', () => void context.close().catch(() => undefined), { once: true });
      await page.goto(url);
      if (self.options.mode === 'close') {
        last = (async () => {
          await context.close();
          onClosedByUser();
        })();
        return;
      }
      last = drive(page, self).catch((e: unknown) => {
        // The broker closes the window as soon as the loopback got its answer: not an error.
        if (!signal.aborted) errors.push(String((e as Error).message ?? e));
      });
    },
  };
  return self;
}
