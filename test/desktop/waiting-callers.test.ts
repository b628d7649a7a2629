/**
 * 20 `kubetray get-token` processes (what kubectl runs) wait on ONE sign-in that the person
 * finishes in the tray's sign-in window; the window shows the waiting and, afterwards, which
 * process got which token. Real pipe server, real CLI processes, real broker, Entra emulator.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { Browser, Page } from 'playwright';
import { resolvePaths } from '../../shared/node/paths.js';
import { startPipeServer, type PipeServer } from '../../shared/pipe/pipe-server.js';
import { startEntraEmulator, type EntraEmulator } from '../emulators/entra/entra-emulator.js';
import { DEMO_PASSWORD, DEMO_TENANT_ID, DEMO_USER } from '../emulators/entra/entra-directory.js';
import { AKS_CLIENT_ID, AKS_SERVER_ID, azureContext, fixtureModel } from '../support/desktop-fixtures.js';
import { launchChromium, startDesktopHarness, type DesktopHarness } from '../support/desktop-harness.js';
import { completeSignIn, row, waitForRowState } from '../support/desktop-pages.js';
import { KUBETRAY_MAIN } from '../support/pipe-processes.js';

let entra: EntraEmulator;
let browser: Browser;
let harness: DesktopHarness;
let pipe: PipeServer;
let page: Page;

before(async () => {
  entra = await startEntraEmulator();
  browser = await launchChromium();
  harness = await startDesktopHarness({
    browser,
    entra,
    model: fixtureModel([azureContext({ name: 'aks-shared', tenantId: DEMO_TENANT_ID, authorityHost: entra.authorityHost, current: true })]),
  });
  // The tray hosts the pipe; its window is where people sign in, so callers without a terminal may wait on it.
  pipe = await startPipeServer({ broker: harness.broker, paths: resolvePaths({ KUBETRAY_HOME: harness.home }), host: 'tray', signInWithoutTerminal: true });
  ({ page } = await harness.openWindow());
});

after(async () => {
  await pipe?.close();
  await harness?.close();
  await browser?.close();
  await entra?.stop();
});

interface Caller {
  pid: number;
  done: Promise<{ code: number | null; stdout: string; stderr: string }>;
}

function getToken(): Caller {
  const args = [KUBETRAY_MAIN, 'get-token', '--login', 'interactive', '--server-id', AKS_SERVER_ID, '--client-id', AKS_CLIENT_ID, '--tenant-id', DEMO_TENANT_ID, '--authority-host', entra.authorityHost];
  const child = spawn(process.execPath, args, {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: harness.home, KUBETRAY_HOME: harness.home, KUBETRAY_CA_FILE: entra.caFile },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
  return { pid: child.pid ?? -1, done };
}

test('20 get-token callers wait on one sign-in in the window, and the ledger names each of them', async () => {
  const signInsBefore = entra.signIns();
  const opened = harness.signInWindow.nextWindow();
  const callers = Array.from({ length: 20 }, () => getToken());
  const win = await opened;
  await waitForRowState(page, 'aks-shared', 'signing-in');
  await page.locator('#status', { hasText: 'waiting for you to sign in' }).waitFor();
  assert.equal(await row(page, 'aks-shared').getByRole('button', { name: /Cancel/ }).count(), 0, 'a kubectl caller\'s sign-in has no Cancel here');
  await harness.screenshot(page, 'window-callers-waiting');
  await completeSignIn(win.page, { username: DEMO_USER, password: DEMO_PASSWORD });
  const results = await Promise.all(callers.map((c) => c.done));
  for (const r of results) {
    assert.equal(r.code, 0, r.stderr);
    const credential = JSON.parse(r.stdout) as { kind: string; status: { token: string } };
    assert.equal(credential.kind, 'ExecCredential');
    assert.ok(credential.status.token.length > 20);
  }
  assert.equal(entra.signIns(), signInsBefore + 1, 'one sign-in for all 20 callers');
  assert.equal(harness.signInWindow.windows.length, 1, 'one sign-in window');
  await waitForRowState(page, 'aks-shared', 'signed-in');
  await page.getByRole('tab', { name: 'Activity' }).click();
  const pids = new Set(callers.map((c) => c.pid));
  await page.waitForFunction((n) => document.querySelectorAll('table.ledger tbody tr').length >= n, 20);
  await page.locator('#status', { hasText: 'Signed in to aks-shared' }).waitFor();
  const text = await page.locator('table.ledger tbody').innerText();
  // Each caller once, even when the list refresh and the live events overlap.
  for (const pid of pids) assert.equal(text.split(`(pid ${pid})`).length - 1, 1, `caller ${pid} listed once`);
  for (const pid of pids) assert.match(text, new RegExp(`pid ${pid}\\)`), `ledger names caller ${pid}`);
  const served = harness.broker.ledger().filter((e) => e.caller && pids.has(e.caller.pid));
  assert.equal(served.length, 20);
  assert.equal(served.filter((e) => e.source === 'sign-in').length >= 1, true);
  await harness.screenshot(page, 'window-callers-served');
  // One notification for the one sign-in, naming the cluster.
  assert.deepEqual(harness.notifications, [{ title: 'KubeTray: sign-in needed', body: 'aks-shared: A kubectl command is waiting for you to sign in.' }]);
  // No token the emulator issued appears in the tray's log records.
  const logText = JSON.stringify(harness.logs);
  const issued = entra.issuedTokens();
  assert.ok(issued.length > 0);
  for (const token of issued) assert.ok(!logText.includes(token), 'a token reached the log');
  assert.match((await row(page, 'aks-shared').innerText()).replace(/\s+/g, ' '), new RegExp(DEMO_USER.replace('.', '\\.')));
});
