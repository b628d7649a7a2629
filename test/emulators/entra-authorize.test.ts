/**
 * The authorize endpoint without msal in the way: query response mode to a loopback listener,
 * PKCE S256 verified at /token (and a wrong verifier refused with AADSTS501481), state echoed,
 * nonce in the id token, code single use, prompt=select_account and prompt=consent, prompt=none.
 */
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright';
import { startEntraEmulator, type EntraEmulator } from './entra/entra-emulator.js';
import { AKS_CLIENT_ID, AKS_SERVER_ID, DEMO_PASSWORD, DEMO_TENANT_ID, DEMO_USER } from './entra/entra-directory.js';
import { decodeJws } from './jose/jose.js';
import { msalNetworkClient, type EmulatorNetworkClient } from '../support/emulators-msal.js';
import { EntraSignInPage, launchChromium, newEmulatorContext } from '../support/emulators-browser.js';

const SCOPE = `${AKS_SERVER_ID}/.default openid profile offline_access`;

describe('authorize endpoint (query mode, PKCE, prompts)', () => {
  let entra: EntraEmulator;
  let net: EmulatorNetworkClient;
  let browser: Browser;
  let page: Page;
  let ui: EntraSignInPage;
  let loopback: http.Server;
  let redirectUri: string;
  let waiters: ((query: URLSearchParams) => void)[] = [];

  before(async () => {
    entra = await startEntraEmulator();
    net = msalNetworkClient(entra.caPem);
    loopback = http.createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      res.writeHead(200, { 'content-type': 'text/html' }).end('<p id="loopback-done">done</p>');
      // Chromium also asks for /favicon.ico; only the redirect counts.
      if (url.pathname !== '/cb') return;
      const query = url.searchParams;
      const pending = waiters;
      waiters = [];
      for (const w of pending) w(query);
    });
    await new Promise<void>((resolve) => loopback.listen(0, '127.0.0.1', resolve));
    redirectUri = `http://127.0.0.1:${(loopback.address() as AddressInfo).port}/cb`;
    browser = await launchChromium();
    page = await (await newEmulatorContext(browser)).newPage();
    ui = new EntraSignInPage(page);
  });
  after(async () => {
    await browser.close();
    loopback.closeAllConnections();
    await new Promise((resolve) => loopback.close(resolve));
    net.destroy();
    await entra.stop();
  });

  const nextRedirect = () => new Promise<URLSearchParams>((resolve) => waiters.push(resolve));

  function authorizeUrl(params: Record<string, string>): string {
    const url = new URL(`${entra.authority(DEMO_TENANT_ID)}/oauth2/v2.0/authorize`);
    url.search = new URLSearchParams({ client_id: AKS_CLIENT_ID, response_type: 'code', redirect_uri: redirectUri, scope: SCOPE, ...params }).toString();
    return url.toString();
  }

  const redeem = (code: string, verifier: string) =>
    net.sendPostRequestAsync<Record<string, unknown>>(entra.tokenEndpoint(DEMO_TENANT_ID), {
      body: new URLSearchParams({ grant_type: 'authorization_code', client_id: AKS_CLIENT_ID, code, redirect_uri: redirectUri, code_verifier: verifier, scope: SCOPE }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });

  it('query mode: code + state to the loopback; PKCE S256 checked; the code is single use', async () => {
    const verifier = crypto.randomBytes(32).toString('base64url');
    const challenge = crypto.createHash('sha256').update(verifier).digest('base64url');
    const redirected = nextRedirect();
    await page.goto(authorizeUrl({ state: 'st-1', nonce: 'no-1', code_challenge: challenge, code_challenge_method: 'S256', login_hint: DEMO_USER }));
    await ui.signIn(DEMO_USER, DEMO_PASSWORD);
    const query = await redirected;
    assert.equal(query.get('state'), 'st-1');
    assert.ok(query.get('client_info'));
    const code = query.get('code')!;

    const wrong = await redeem(code, crypto.randomBytes(32).toString('base64url'));
    assert.equal(wrong.status, 400);
    assert.deepEqual(wrong.body.error_codes, [501481]);
    // A failed PKCE check does not redeem the code (the emulator's choice): the right verifier still works, once.
    const ok = await redeem(code, verifier);
    assert.equal(ok.status, 200);
    assert.equal(decodeJws(String(ok.body.id_token))!.payload.nonce, 'no-1');
    const again = await redeem(code, verifier);
    assert.deepEqual(again.body.error_codes, [54005]);
  });

  it('prompt=select_account shows the signed-in account; prompt=consent asks before the code', async () => {
    const picked = nextRedirect();
    await page.goto(authorizeUrl({ prompt: 'select_account', state: 'st-2' }));
    await ui.waitFor('#account-picker');
    await ui.pickAccount(DEMO_USER);
    assert.ok((await picked).get('code'));

    const consented = nextRedirect();
    await page.goto(authorizeUrl({ prompt: 'consent', state: 'st-3' }));
    await ui.waitFor('#consent');
    await ui.acceptConsent();
    const query = await consented;
    assert.equal(query.get('state'), 'st-3');
    assert.ok(query.get('code'));
  });

  it('prompt=none with a session answers at once; after logout it is login_required', async () => {
    const silent = nextRedirect();
    await page.goto(authorizeUrl({ prompt: 'none', state: 'st-4' }));
    assert.ok((await silent).get('code'));
    await page.goto(`${entra.authority(DEMO_TENANT_ID)}/oauth2/v2.0/logout`);
    await page.locator('#signed-out').waitFor();
    const refused = nextRedirect();
    await page.goto(authorizeUrl({ prompt: 'none', state: 'st-5' }));
    const query = await refused;
    assert.equal(query.get('error'), 'login_required');
    assert.equal(query.get('state'), 'st-5');
  });
});
