/**
 * Journeys through the window in real Chromium against the real broker and the Entra emulator:
 * first sign-in from a cluster row (password + MFA), silent refresh shown, sign out, a
 * cancelled sign-in. Screenshots of each state go to test-output/screenshots/.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright';
import { startEntraEmulator, type EntraEmulator } from '../emulators/entra/entra-emulator.js';
import { DEMO_MFA_PASSWORD, DEMO_MFA_USER, DEMO_TENANT_ID } from '../emulators/entra/entra-directory.js';
import { azureContext, fixtureModel, plainContext } from '../support/desktop-fixtures.js';
import { launchChromium, startDesktopHarness, type DesktopHarness } from '../support/desktop-harness.js';
import { completeSignIn, row } from '../support/desktop-pages.js';

let entra: EntraEmulator;
let browser: Browser;
let harness: DesktopHarness;
let page: Page;

before(async () => {
  entra = await startEntraEmulator();
  browser = await launchChromium();
  const model = fixtureModel([
    azureContext({ name: 'aks-prod-weu', tenantId: DEMO_TENANT_ID, authorityHost: entra.authorityHost, current: true }),
    azureContext({ name: 'aks-dev-neu', tenantId: DEMO_TENANT_ID, authorityHost: entra.authorityHost, serverId: 'api://dev-cluster' }),
    azureContext({ name: 'aks-legacy', tenantId: DEMO_TENANT_ID, authorityHost: entra.authorityHost, tool: 'kubelogin', login: 'devicecode', serverId: 'api://legacy' }),
    plainContext('kind-local'),
  ]);
  harness = await startDesktopHarness({ browser, entra, model });
  ({ page } = await harness.openWindow());
});

after(async () => {
  await harness?.close();
  await browser?.close();
  await entra?.stop();
});

test('the window lists every context with its login, tenant and state', async () => {
  assert.equal(await page.locator('table.clusters tbody tr').count(), 4);
  const prod = row(page, 'aks-prod-weu');
  assert.equal(await prod.getAttribute('data-state'), 'needs-sign-in');
  assert.match((await prod.textContent()) ?? '', /interactive/);
  assert.equal(await row(page, 'kind-local').getAttribute('data-state'), 'not-entra');
  assert.ok(await row(page, 'aks-legacy').getByRole('button', { name: 'Convert to KubeTray: aks-legacy' }).isVisible());
  await harness.screenshot(page, 'window-needs-sign-in');
});

test('first sign-in from a cluster row goes through the password and MFA pages', async () => {
  const before = entra.signIns();
  const opened = harness.signInWindow.nextWindow();
  await row(page, 'aks-prod-weu').getByRole('button', { name: 'Sign in: aks-prod-weu' }).click();
  const win = await opened;
  await page.locator('tr[data-id="aks-prod-weu"][data-state="signing-in"]').waitFor();
  await harness.screenshot(page, 'window-signing-in');
  await completeSignIn(win.page, { username: DEMO_MFA_USER, password: DEMO_MFA_PASSWORD, mfaCode: entra.mfaCodeFor(DEMO_MFA_USER) });
  await page.locator('tr[data-id="aks-prod-weu"][data-state="signed-in"]').waitFor();
  assert.equal(entra.signIns(), before + 1);
  assert.ok(win.redirected, 'the form post reached MSAL through the loopback redirect');
  assert.deepEqual(win.denied, [], 'the sign-in pages stayed on the authority');
  const text = (await row(page, 'aks-prod-weu').textContent()) ?? '';
  assert.match(text, new RegExp(DEMO_MFA_USER.replace('.', '\\.')));
  assert.match(await row(page, 'aks-prod-weu').locator('td.expiry').innerText(), /^\d+ h \d\d min$|^\d\d:\d\d$/);
  assert.match(await page.locator('#status').innerText(), /Signed in to aks-prod-weu/);
  await harness.screenshot(page, 'window-signed-in');
});
