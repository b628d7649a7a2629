/**
 * Real Chromium for tests of the emulator's sign-in pages (Debian's /usr/bin/chromium driven by
 * Playwright), plus a page object for those pages. The emulator's CA is made at run time and is
 * not in Chromium's NSS store, so contexts ignore certificate errors for it; the Node side
 * (msal-node) still verifies TLS against the CA.
 */
import type { Browser, BrowserContext, Page } from 'playwright';
import { launchTestChromium } from './chromium.js';

export async function launchChromium(): Promise<Browser> {
  return launchTestChromium();
}

export async function newEmulatorContext(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({ ignoreHTTPSErrors: true });
}

/** Page object for the Entra emulator's pages (ids documented in entra-pages.ts). */
export class EntraSignInPage {
  constructor(readonly page: Page) {}

  async signIn(username: string, password: string): Promise<void> {
    await this.page.locator('#username').fill(username);
    await this.page.locator('#password').fill(password);
    await this.page.locator('#signin-submit').click();
  }

  async cancel(): Promise<void> {
    await this.page.locator('#signin-cancel').click();
  }

  async enterMfaCode(code: string): Promise<void> {
    await this.page.locator('#otc').fill(code);
    await this.page.locator('#mfa-submit').click();
  }

  async enterDeviceCode(userCode: string): Promise<void> {
    await this.page.locator('#usercode').fill(userCode);
    await this.page.locator('#devicelogin-submit').click();
  }

  async pickAccount(username: string): Promise<void> {
    await this.page.locator(`#account-picker button[name=account][value="${username}"]`).click();
  }

  async acceptConsent(): Promise<void> {
    await this.page.locator('#consent-accept').click();
  }

  /** Waits until one of the emulator's pages (or anything else, by selector) is shown. */
  async waitFor(selector: '#signin' | '#mfa' | '#consent' | '#account-picker' | '#devicelogin-done' | '#error-code' | string): Promise<void> {
    await this.page.locator(selector).first().waitFor({ state: 'visible' });
  }

  async errorText(which: '#signin-error' | '#mfa-error' | '#devicelogin-error' | '#error-message'): Promise<string> {
    return (await this.page.locator(which).textContent()) ?? '';
  }
}
