/**
 * The embedded sign-in window's rules, run for real in Chromium through the SignInWindow port:
 * the navigation allow-list (authority hosts + MSAL's loopback, exact comparison), window.open
 * denied, the loopback form post let through, closing on the port's AbortSignal, and "closed
 * by the person" reported once. A local HTTP listener plays MSAL's loopback.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright';
import { startEntraEmulator, type EntraEmulator } from '../emulators/entra/entra-emulator.js';
import { DEMO_PASSWORD, DEMO_TENANT_ID, DEMO_USER } from '../emulators/entra/entra-directory.js';
import { createChromiumSignInWindow, type ChromiumSignInWindow } from '../support/desktop-chromium-sign-in.js';
import { AKS_CLIENT_ID, AKS_SERVER_ID } from '../support/desktop-fixtures.js';
import { launchChromium } from '../support/desktop-harness.js';
import { completeSignIn } from '../support/desktop-pages.js';

let entra: EntraEmulator;
let browser: Browser;
let signIn: ChromiumSignInWindow;
let loopback: http.Server;
let loopbackPort: number;
const posts: URLSearchParams[] = [];
const postWaiters: (() => void)[] = [];

before(async () => {
  entra = await startEntraEmulator();
  browser = await launchChromium();
  signIn = await createChromiumSignInWindow(browser);
  // Plays MSAL's loopback listener: takes the form_post and answers a small page.
  loopback = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      if (req.method === 'POST') {
        posts.push(new URLSearchParams(body));
        for (const w of postWaiters.splice(0)) w();
      }
      res.writeHead(200, { 'content-type': 'text/html' }).end('<p id="done">Signed in</p>');
    });
  });
  await new Promise<void>((resolve) => loopback.listen(0, '127.0.0.1', resolve));
  loopbackPort = (loopback.address() as AddressInfo).port;
});

after(async () => {
  await signIn?.close();
  await browser?.close();
  await new Promise((resolve) => loopback?.close(resolve));
  await entra?.stop();
});

function authorizeUrl(state: string): string {
  const verifier = crypto.randomBytes(32).toString('base64url');
  const url = new URL(`${entra.authority(DEMO_TENANT_ID)}/oauth2/v2.0/authorize`);
  for (const [k, v] of Object.entries({
    client_id: AKS_CLIENT_ID,
    response_type: 'code',
    redirect_uri: `http://localhost:${loopbackPort}`,
    response_mode: 'form_post',
    scope: `${AKS_SERVER_ID}/.default openid profile offline_access`,
    state,
    nonce: crypto.randomUUID(),
    code_challenge: crypto.createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  })) url.searchParams.set(k, v);
  return url.href;
}

test('navigation stays on the authority, popups are refused, the form post reaches the loopback', async () => {
  const done = new AbortController();
  let closedByUser = 0;
  const opened = signIn.nextWindow();
  await signIn.open(authorizeUrl('state-1'), { signal: done.signal, onClosedByUser: () => closedByUser++ });
  const win = await opened;
  await win.page.locator('#username').waitFor();
  const authorityHost = new URL(entra.origin).host;

  // A lookalike host and another loopback port are refused; the page stays where it was.
  const lookalike = `https://${new URL(entra.origin).hostname}.evil.example/phish`;
  for (const target of [lookalike, `http://localhost:${loopbackPort + 1}/`, 'https://example.com/']) {
    const failed = win.page.waitForEvent('requestfailed', (r) => r.url() === target);
    const errorPage = win.page.waitForEvent('framenavigated', (f) => f === win.page.mainFrame() && new URL(f.url()).protocol === 'chrome-error:');
    await win.page.evaluate((t) => {
      // Navigate after evaluate returns (the page goes away either way).
      setTimeout(() => (location.href = t), 0);
    }, target);
    await failed;
    await errorPage;
    // Chromium shows its error page for a refused navigation (Electron's will-navigate keeps the
    // page instead); either way the foreign page never loads. Back to the sign-in page.
    assert.notEqual(new URL(win.page.url()).host, new URL(target).host);
    await win.page.goto(win.url);
  }
  await win.page.locator('#username').waitFor();
  assert.equal(new URL(win.page.url()).host, authorityHost);
  assert.deepEqual(win.denied.slice(-3), [lookalike, `http://localhost:${loopbackPort + 1}/`, 'https://example.com/']);

  // window.open is denied: no new page appears and the call returns null.
  const pagesBefore = win.page.context().pages().length;
  assert.equal(await win.page.evaluate(() => window.open(location.href) === null), true);
  assert.equal(win.page.context().pages().length, pagesBefore);

  // The person signs in; the form post goes to the loopback (MSAL's listener) with code and state.
  const posted = new Promise<void>((resolve) => postWaiters.push(resolve));
  await completeSignIn(win.page, { username: DEMO_USER, password: DEMO_PASSWORD });
  await posted;
  const post = posts.at(-1);
  assert.equal(post?.get('state'), 'state-1');
  assert.ok((post?.get('code') ?? '').length > 10);
  assert.equal(win.redirected, true);

  // MSAL got its answer: the port's signal closes the window, which is not "closed by the user".
  const closed = new Promise<void>((resolve) => win.page.once('close', () => resolve()));
  done.abort();
  await closed;
  assert.equal(closedByUser, 0);
});

test('the sign-in partition keeps the SSO session: the next sign-in needs no form', async () => {
  const done = new AbortController();
  const posted = new Promise<void>((resolve) => postWaiters.push(resolve));
  await signIn.open(authorizeUrl('state-sso'), { signal: done.signal, onClosedByUser: () => assert.fail('not closed by the user') });
  await posted;
  assert.equal(posts.at(-1)?.get('state'), 'state-sso');
  done.abort();
});

test('closing the window by hand reports it once; an already aborted signal opens nothing', async () => {
  // The first test left an SSO session in the window's partition: "sign out everywhere" drops it.
  await signIn.clearSession();
  const done = new AbortController();
  let closedByUser = 0;
  const opened = signIn.nextWindow();
  await signIn.open(authorizeUrl('state-2'), { signal: done.signal, onClosedByUser: () => closedByUser++ });
  const win = await opened;
  await win.page.locator('#username').waitFor();
  await win.page.close();
  assert.equal(closedByUser, 1);
  done.abort();
  assert.equal(closedByUser, 1);

  const aborted = new AbortController();
  aborted.abort();
  const count = signIn.windows.length;
  await signIn.open(authorizeUrl('state-3'), { signal: aborted.signal, onClosedByUser: () => closedByUser++ });
  assert.equal(signIn.windows.length, count);
  assert.equal(closedByUser, 1);
});
