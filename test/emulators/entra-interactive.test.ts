/**
 * The authorize pages in real Chromium with real msal-node acquireTokenInteractive (its own
 * loopback, form_post, PKCE, state, nonce): sign-in, MFA, SSO, claims challenge step-up,
 * prompt=login, cancel, and the /devicelogin page.
 */
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { PublicClientApplication, type AuthenticationResult, type InteractiveRequest } from '@azure/msal-node';
import type { Browser, BrowserContext, Page } from 'playwright';
import { startEntraEmulator, type EntraEmulator } from './entra/entra-emulator.js';
import { AKS_CLIENT_ID, AKS_SERVER_ID, DEMO_MFA_PASSWORD, DEMO_MFA_USER, DEMO_PASSWORD, DEMO_TENANT_ID, DEMO_USER } from './entra/entra-directory.js';
import { decodeJws } from './jose/jose.js';
import { msalConfigFor, msalNetworkClient, type EmulatorNetworkClient } from '../support/emulators-msal.js';
import { EntraSignInPage, launchChromium, newEmulatorContext } from '../support/emulators-browser.js';

const SCOPES = [`${AKS_SERVER_ID}/.default`];
const SUCCESS = '<p id="msal-done">Signed in. You can close this window.</p>';
const FAILURE = '<p id="msal-failed">Sign-in failed.</p>';

describe('Entra emulator sign-in pages in Chromium', () => {
  let entra: EntraEmulator;
  let net: EmulatorNetworkClient;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let ui: EntraSignInPage;
  let pca: PublicClientApplication;

  before(async () => {
    entra = await startEntraEmulator();
    net = msalNetworkClient(entra.caPem);
    browser = await launchChromium();
    context = await newEmulatorContext(browser);
    page = await context.newPage();
    ui = new EntraSignInPage(page);
    pca = new PublicClientApplication(msalConfigFor(entra, net, { clientId: AKS_CLIENT_ID, tenant: DEMO_TENANT_ID, clientCapabilities: ['CP1'] }));
  });
  after(async () => {
    await browser.close();
    net.destroy();
    await entra.stop();
  });

  /** Starts an interactive acquisition and navigates the page to the authorize URL msal built. */
  async function startInteractive(extra: Partial<InteractiveRequest> = {}): Promise<{ result: Promise<AuthenticationResult>; authorizeUrl: URL }> {
    let opened!: (url: string) => void;
    const urlOpened = new Promise<string>((resolve) => (opened = resolve));
    const result = pca.acquireTokenInteractive({
      scopes: SCOPES,
      openBrowser: async (url) => opened(url),
      successTemplate: SUCCESS,
      errorTemplate: FAILURE,
      ...extra,
    });
    result.catch(() => undefined);
    const url = await urlOpened;
    await page.goto(url);
    return { result, authorizeUrl: new URL(url) };
  }

  it('signs a user in with password; msal sends PKCE S256, state and form_post (a nonce only when asked)', async () => {
    const before = entra.signIns();
    const { result, authorizeUrl } = await startInteractive({ loginHint: DEMO_USER, nonce: 'n-0S6_WzA2Mj' });
    assert.equal(authorizeUrl.searchParams.get('code_challenge_method'), 'S256');
    assert.equal(authorizeUrl.searchParams.get('response_mode'), 'form_post');
    assert.ok(authorizeUrl.searchParams.get('state'));
    // msal-node 7.2.3 sends a nonce only when the request sets one, and then checks the id_token's.
    assert.equal(authorizeUrl.searchParams.get('nonce'), 'n-0S6_WzA2Mj');
    await ui.waitFor('#signin');
    assert.equal(await page.locator('#username').inputValue(), DEMO_USER);
    await ui.signIn(DEMO_USER, DEMO_PASSWORD);
    await ui.waitFor('#msal-done');
    const token = await result;
    const claims = decodeJws(token.accessToken)!.payload;
    assert.equal(claims.upn, DEMO_USER);
    assert.deepEqual(claims.amr, ['pwd']);
    assert.deepEqual(claims.xms_cc, ['CP1']);
    assert.equal(token.account?.username, DEMO_USER);
    assert.equal(token.idTokenClaims && (token.idTokenClaims as { nonce?: string }).nonce, 'n-0S6_WzA2Mj');
    assert.equal(entra.signIns(), before + 1);
  });

  it('SSO: a second request reuses the browser session without a password', async () => {
    const { result } = await startInteractive({ loginHint: DEMO_USER });
    await ui.waitFor('#msal-done');
    assert.equal((await result).account?.username, DEMO_USER);
  });

  it('a claims challenge (acrs c1) forces the MFA page and lands in acrs/amr', async () => {
    const claims = JSON.stringify({ access_token: { acrs: { essential: true, value: 'c1' } } });
    const { result } = await startInteractive({ loginHint: DEMO_USER, claims });
    await ui.waitFor('#mfa');
    await ui.enterMfaCode('000000' === entra.mfaCodeFor(DEMO_USER) ? '111111' : '000000');
    assert.match(await ui.errorText('#mfa-error'), /didn't work/);
    await ui.enterMfaCode(entra.mfaCodeFor(DEMO_USER));
    await ui.waitFor('#msal-done');
    const token = decodeJws((await result).accessToken)!.payload;
    assert.deepEqual(token.acrs, ['c1']);
    assert.deepEqual(token.amr, ['pwd', 'mfa']);
  });

  it('an MFA user with prompt=login: password again, then the second factor', async () => {
    const { result } = await startInteractive({ prompt: 'login', loginHint: DEMO_MFA_USER });
    await ui.waitFor('#signin');
    await ui.signIn(DEMO_MFA_USER, 'wrong password');
    assert.match(await ui.errorText('#signin-error'), /incorrect/);
    await ui.signIn(DEMO_MFA_USER, DEMO_MFA_PASSWORD);
    await ui.waitFor('#mfa');
    await ui.enterMfaCode(entra.mfaCodeFor(DEMO_MFA_USER));
    await ui.waitFor('#msal-done');
    const token = await result;
    assert.equal(token.account?.username, DEMO_MFA_USER);
    assert.deepEqual(decodeJws(token.accessToken)!.payload.amr, ['pwd', 'mfa']);
  });

  it('cancel on the sign-in page returns access_denied to msal', async () => {
    const { result } = await startInteractive({ prompt: 'login' });
    await ui.waitFor('#signin');
    await ui.cancel();
    await assert.rejects(result, /access_denied/);
    await ui.waitFor('#msal-failed');
  });

  it('device code: the /devicelogin page takes the code, signs in, and msal gets the token', async () => {
    let message = '';
    const next = entra.nextDeviceCode({ clientId: AKS_CLIENT_ID });
    const result = pca.acquireTokenByDeviceCode({ scopes: SCOPES, deviceCodeCallback: (r) => (message = r.message) });
    const issued = await next;
    const verification = /open the page (\S+) and enter/.exec(issued.message)![1]!;
    await page.goto(verification);
    await ui.enterDeviceCode('WRONGCODE');
    assert.match(await ui.errorText('#devicelogin-error'), /didn't work/);
    await ui.enterDeviceCode(issued.userCode);
    await ui.signIn(DEMO_USER, DEMO_PASSWORD);
    await ui.waitFor('#devicelogin-done');
    const token = (await result)!;
    assert.equal(token.account?.username, DEMO_USER);
    assert.equal(message, issued.message);
  });

  it('rejects a redirect URI that is neither loopback nor registered (AADSTS50011)', async () => {
    const url = new URL(`${entra.authority(DEMO_TENANT_ID)}/oauth2/v2.0/authorize`);
    url.search = new URLSearchParams({ client_id: AKS_CLIENT_ID, response_type: 'code', redirect_uri: 'https://evil.example/cb', scope: SCOPES[0]! }).toString();
    await page.goto(url.toString());
    await ui.waitFor('#error-code');
    assert.equal(await page.locator('#error-code').textContent(), 'AADSTS50011');
  });
});
