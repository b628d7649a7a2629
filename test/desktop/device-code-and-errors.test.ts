/**
 * Device code (kubelogin's default login) from a cluster row: the window shows the code and
 * where to enter it, and signs in once the code is approved. A Conditional Access block shows
 * on the row as an error with Entra's reason, not as a loop of sign-ins.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright';
import { startEntraEmulator, type EntraEmulator } from '../emulators/entra/entra-emulator.js';
import { DEMO_TENANT_ID, DEMO_USER } from '../emulators/entra/entra-directory.js';
import { azureContext, fixtureModel } from '../support/desktop-fixtures.js';
import { launchChromium, startDesktopHarness, type DesktopHarness } from '../support/desktop-harness.js';
import { row, waitForRowState } from '../support/desktop-pages.js';

let entra: EntraEmulator;
let browser: Browser;
let harness: DesktopHarness;
let page: Page;

before(async () => {
  entra = await startEntraEmulator();
  browser = await launchChromium();
  harness = await startDesktopHarness({
    browser,
    entra,
    model: fixtureModel([
      azureContext({ name: 'aks-devicecode', tenantId: DEMO_TENANT_ID, authorityHost: entra.authorityHost, login: 'devicecode', current: true }),
      azureContext({ name: 'aks-blocked', tenantId: DEMO_TENANT_ID, authorityHost: entra.authorityHost, login: 'devicecode', serverId: 'api://blocked' }),
    ]),
  });
  ({ page } = await harness.openWindow());
});

after(async () => {
  await harness?.close();
  await browser?.close();
  await entra?.stop();
});

test('device code sign-in from a row shows the code, then the account', async () => {
  const issued = entra.nextDeviceCode();
  await row(page, 'aks-devicecode').getByRole('button', { name: 'Sign in: aks-devicecode' }).click();
  const code = await issued;
  await page.locator('#status', { hasText: code.userCode }).waitFor();
  assert.match(await page.locator('#status').innerText(), /devicelogin/);
  await harness.screenshot(page, 'window-device-code');
  entra.approveDeviceCode(code.userCode, DEMO_USER);
  await waitForRowState(page, 'aks-devicecode', 'signed-in');
  assert.match(await row(page, 'aks-devicecode').innerText(), new RegExp(DEMO_USER.replace('.', '\\.')));
  assert.equal(harness.signInWindow.windows.length, 0, 'device code needs no sign-in window');
});

test('a Conditional Access block is shown on the row with Entra\'s reason', async () => {
  // Signed out first, so the next sign-in really asks Entra (AADSTS53003 on the device code redemption).
  await row(page, 'aks-devicecode').getByRole('button', { name: 'Sign out: aks-devicecode' }).click();
  await waitForRowState(page, 'aks-devicecode', 'needs-sign-in');
  const fault = entra.faults.add({ target: 'token', aadsts: 'caBlocked' });
  try {
    const issued = entra.nextDeviceCode();
    await row(page, 'aks-blocked').getByRole('button', { name: 'Sign in: aks-blocked' }).click();
    const code = await issued;
    entra.approveDeviceCode(code.userCode, DEMO_USER);
    await waitForRowState(page, 'aks-blocked', 'error');
    const text = await row(page, 'aks-blocked').innerText();
    assert.match(text, /Conditional Access|53003/);
    assert.ok(await page.locator('#alert').isVisible());
    await harness.screenshot(page, 'window-error');
  } finally {
    fault.remove();
  }
});
