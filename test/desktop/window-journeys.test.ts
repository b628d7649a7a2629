/**
 * Journeys through the window in real Chromium against the real broker and the Entra emulator:
 * first sign-in from a cluster row (password + MFA), silent refresh shown, sign out, a
 * cancelled sign-in. Screenshots of each state go to test-output/screenshots/.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright';
import { startEntraEmulator, type EntraEmulator } from '../emulators/entra/entra-emulator.js';
import { DEMO_MFA_PASSWORD, DEMO_MFA_USER, DEMO_PASSWORD, DEMO_TENANT_ID, DEMO_USER } from '../emulators/entra/entra-directory.js';
import { azureContext, fixtureModel, plainContext } from '../support/desktop-fixtures.js';
import { launchChromium, startDesktopHarness, type DesktopHarness } from '../support/desktop-harness.js';
import { completeSignIn, row, waitForRowState } from '../support/desktop-pages.js';

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
  // Refresh ahead ~3 s after each sign-in (tokens live 1 h) so a silent refresh happens in the test.
  harness = await startDesktopHarness({ browser, entra, model, broker: { refreshAheadMs: 3600_000 - 3_000 } });
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
  await page.getByRole('tab', { name: 'Accounts' }).click();
  assert.match(await page.locator('#accounts').innerText(), new RegExp(`${DEMO_MFA_USER.replace('.', '\\.')} · tenant ${DEMO_TENANT_ID}`));
  await page.getByRole('tab', { name: 'Clusters' }).click();
});

test('a silent refresh ahead of expiry shows in the row and in the activity list', async () => {
  const refreshed = row(page, 'aks-prod-weu').locator('.refreshed');
  await refreshed.waitFor({ timeout: 10_000 });
  assert.match(await refreshed.innerText(), /refreshed silently/);
  await page.getByRole('tab', { name: 'Activity' }).click();
  await page.locator('table.ledger tbody tr[data-source="refresh"]').first().waitFor();
  assert.ok((await page.locator('table.ledger tbody tr[data-source="sign-in"]').count()) >= 1, 'the first sign-in is in the ledger');
  await harness.screenshot(page, 'window-activity');
  await page.getByRole('tab', { name: 'Clusters' }).click();
});

test('the countdown ticks down live while signed in', async () => {
  const cell = row(page, 'aks-prod-weu').locator('td.expiry .countdown');
  const first = await cell.innerText();
  await page.waitForFunction(([sel, text]) => document.querySelector(sel)?.textContent !== text, ['tr[data-id="aks-prod-weu"] td.expiry .countdown', first] as const);
  assert.notEqual(await cell.innerText(), first);
  assert.equal(await row(page, 'aks-prod-weu').getAttribute('data-state'), 'signed-in', 'a valid token keeps the row signed in');
});

test('switch account shows Entra\'s account picker and the row follows the new account', async () => {
  const opened = harness.signInWindow.nextWindow();
  await row(page, 'aks-prod-weu').getByRole('button', { name: 'Switch account: aks-prod-weu' }).click();
  const win = await opened;
  assert.equal(new URL(win.url).searchParams.get('prompt'), 'select_account');
  await win.page.locator('#use-another-account').click();
  await completeSignIn(win.page, { username: DEMO_USER, password: DEMO_PASSWORD });
  await page.locator('tr[data-id="aks-prod-weu"][data-state="signed-in"]', { hasText: DEMO_USER }).waitFor();
  assert.doesNotMatch(await row(page, 'aks-prod-weu').innerText(), new RegExp(DEMO_MFA_USER.replace('.', '\\.')));
});

test('sign out from the row forgets that cluster\'s session', async () => {
  await row(page, 'aks-prod-weu').getByRole('button', { name: 'Sign out: aks-prod-weu' }).click();
  await waitForRowState(page, 'aks-prod-weu', 'needs-sign-in');
  assert.ok(!harness.broker.sessions().some((s) => s.state === 'signed-in' && s.serverId === '6dae42f8-4368-4678-94ff-3960e28e3630'));
  assert.match(await page.locator('#status').innerText(), /Signed out of aks-prod-weu/);
  await harness.screenshot(page, 'window-signed-out');
});

test('closing the sign-in window cancels the sign-in and says so', async () => {
  // Sign out everywhere also clears the sign-in window's cookies, so the next sign-in shows the form.
  await page.locator('#sign-out-everywhere').click();
  await page.locator('#status', { hasText: 'Signed out of every account.' }).waitFor();
  const opened = harness.signInWindow.nextWindow();
  await row(page, 'aks-prod-weu').getByRole('button', { name: 'Sign in: aks-prod-weu' }).click();
  const win = await opened;
  await win.page.locator('#username').waitFor();
  await win.page.close(); // the person closes the window
  await page.locator('#status', { hasText: 'Sign-in to aks-prod-weu cancelled.' }).waitFor();
  await waitForRowState(page, 'aks-prod-weu', 'needs-sign-in');
  await harness.screenshot(page, 'window-sign-in-cancelled');
});

test('the Cancel button in the window closes the sign-in window', async () => {
  const windowsBefore = harness.signInWindow.windows.length;
  const opened = harness.signInWindow.nextWindow();
  await row(page, 'aks-prod-weu').getByRole('button', { name: 'Sign in: aks-prod-weu' }).click();
  const win = await opened;
  const closed = new Promise<void>((resolve) => win.page.once('close', () => resolve()));
  await row(page, 'aks-prod-weu').getByRole('button', { name: 'Cancel: aks-prod-weu' }).click();
  await closed;
  await waitForRowState(page, 'aks-prod-weu', 'needs-sign-in');
  assert.equal(harness.signInWindow.windows.length, windowsBefore + 1);
});

test('the window is keyboard accessible: tabs move with arrow keys, actions are labelled buttons', async () => {
  const tab = page.getByRole('tab', { name: 'Clusters' });
  await tab.focus();
  await page.keyboard.press('ArrowRight');
  assert.equal(await page.getByRole('tab', { name: 'Activity' }).getAttribute('aria-selected'), 'true');
  assert.ok(await page.locator('#panel-activity').isVisible());
  await page.keyboard.press('End');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'tab-settings');
  await page.keyboard.press('Home');
  for (const b of await page.locator('table.clusters button').all()) assert.ok(((await b.getAttribute('aria-label')) ?? '').includes(': '));
  assert.equal(harness.refusedSenders.length, 0);
});

test('the page\'s CSP blocks inline script and network, and nothing but the contract API is exposed', async () => {
  const outcome = await page.evaluate(async () => {
    const violations: string[] = [];
    // Violation events arrive asynchronously: wait for both, event-driven.
    const reported = new Promise<void>((resolve) =>
      document.addEventListener('securitypolicyviolation', (e) => {
        violations.push(e.violatedDirective);
        if (violations.includes('script-src-elem') && violations.includes('connect-src')) resolve();
      }),
    );
    const s = document.createElement('script');
    s.textContent = 'window.__inline = 1';
    document.body.append(s);
    let fetched = 'blocked';
    try {
      await fetch('https://example.com/');
      fetched = 'allowed';
    } catch {
      // connect-src 'none'
    }
    await reported;
    const api = (window as unknown as { kubetray: Record<string, unknown> }).kubetray;
    return {
      inline: (window as unknown as { __inline?: number }).__inline,
      fetched,
      violations,
      frozen: Object.isFrozen(api),
      hasRequire: typeof (globalThis as { require?: unknown }).require,
    };
  });
  assert.equal(outcome.inline, undefined);
  assert.equal(outcome.fetched, 'blocked');
  // Blocked by the page's own policy (not only by the harness's routing).
  assert.ok(outcome.violations.includes('script-src-elem'), JSON.stringify(outcome.violations));
  assert.ok(outcome.violations.includes('connect-src'), JSON.stringify(outcome.violations));
  assert.equal(outcome.frozen, true);
  assert.equal(outcome.hasRequire, 'undefined');
});

test('settings change from the window and come back from main as stored', async () => {
  await page.getByRole('tab', { name: 'Settings' }).click();
  await page.getByLabel('Notify me when a sign-in is needed').uncheck();
  await page.locator('#status', { hasText: 'Settings saved.' }).waitFor();
  assert.equal(harness.settings.get().notifications, false);
  await page.getByLabel('Extra sign-in hosts (one per line)').fill('ADFS.contoso.com\nidp.example:8443');
  await page.getByLabel('Extra sign-in hosts (one per line)').blur();
  await page.waitForFunction(() => (document.getElementById('set-sign-in-hosts') as HTMLTextAreaElement | null)?.value === 'adfs.contoso.com\nidp.example:8443');
  assert.deepEqual(harness.settings.get().signInHosts, ['adfs.contoso.com', 'idp.example:8443']);
  // A URL is not a host: the window says so and the stored settings stay as they were.
  await page.getByLabel('Extra sign-in hosts (one per line)').fill('https://evil.example/path');
  await page.getByLabel('Extra sign-in hosts (one per line)').blur();
  await page.locator('#alert', { hasText: 'is not a host name' }).waitFor();
  // Main refuses it too, whatever the page sends (the contract, not the form, is the guard).
  const refused = await page.evaluate(() => (window as unknown as { kubetray: { updateSettings(p: object): Promise<{ ok: boolean }> } }).kubetray.updateSettings({ signInHosts: ['https://evil.example/path'] }));
  assert.equal(refused.ok, false);
  assert.deepEqual(harness.settings.get().signInHosts, ['adfs.contoso.com', 'idp.example:8443']);
  await harness.screenshot(page, 'window-settings');
});
