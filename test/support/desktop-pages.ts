/**
 * Page objects for the desktop suites: the window's rows and the emulator's sign-in pages
 * (ids documented in test/emulators/entra/entra-pages.ts). Event-based waits only.
 */
import type { Locator, Page } from 'playwright';

export function row(page: Page, clusterId: string): Locator {
  return page.locator(`table.clusters tbody tr[data-id="${clusterId}"]`);
}

export async function waitForRowState(page: Page, clusterId: string, state: string): Promise<void> {
  await page.locator(`table.clusters tbody tr[data-id="${clusterId}"][data-state="${state}"]`).waitFor();
}

/** Drives the emulator's sign-in (and, when asked, MFA) pages to the form post. */
export async function completeSignIn(page: Page, input: { username: string; password: string; mfaCode?: string }): Promise<void> {
  await page.locator('#username').fill(input.username);
  await page.locator('#password').fill(input.password);
  await page.locator('#signin-submit').click();
  if (input.mfaCode) {
    await page.locator('#otc').fill(input.mfaCode);
    await page.locator('#mfa-submit').click();
  }
}
