/**
 * Interactive sign-in through the broker: real msal-node (loopback listener, PKCE, form_post),
 * real Chromium via Playwright on the Entra emulator's pages, MFA, one window for many callers,
 * cancel by closing the window, claims challenges and Conditional Access blocks.
 */
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import type { Browser } from 'playwright';
import { startEntraEmulator, type EntraEmulator } from '../emulators/entra/entra-emulator.js';
import { DEMO_MFA_PASSWORD, DEMO_MFA_USER, DEMO_PASSWORD, DEMO_USER } from '../emulators/entra/entra-directory.js';
import { BUILT_IN_GRANTS } from '../emulators/entra/entra-grants.js';
import { AADSTS, EntraError } from '../emulators/entra/entra-errors.js';
import { decodeJws } from '../emulators/jose/jose.js';
import type { SignInProgress } from '../../shared/core/token-request.js';
import { AppError } from '../../shared/core/app-error.js';
import { createBrokerHarness, userRequest, type BrokerHarness } from '../support/broker-harness.js';
import { launchSignInBrowser, playwrightSignInWindow, type PlaywrightSignInWindow } from '../support/broker-playwright-sign-in.js';

const SCOPE_B = 'b0b0b0b0-0000-4000-8000-00000000b0b0';
const SCOPE_C = 'c1c1c1c1-0000-4000-8000-00000000c1c1';

function claims(token: string): Record<string, unknown> {
  return decodeJws(token)!.payload;
}

describe('broker: interactive sign-in in Chromium', () => {
  let entra: EntraEmulator;
  let browser: Browser;
  let h: BrokerHarness;
  let win: PlaywrightSignInWindow;

  before(async () => {
    entra = await startEntraEmulator();
    browser = await launchSignInBrowser();
    win = playwrightSignInWindow(browser, { mode: 'complete', username: DEMO_MFA_USER, password: DEMO_MFA_PASSWORD, mfaCode: entra.mfaCodeFor(DEMO_MFA_USER) });
    h = createBrokerHarness(entra, { signInWindow: win });
  });
  after(async () => {
    await h.dispose();
    await browser.close();
    await entra.stop();
  });

  it('closing the window cancels the sign-in for every waiter, and a later sign-in still works', async () => {
    win.options = { ...win.options, mode: 'close' };
    const calls = [0, 1, 2].map(() => h.broker.getToken(userRequest(entra, { login: 'interactive', loginHint: DEMO_MFA_USER }), { interactive: true }));
    const results = await Promise.allSettled(calls);
    for (const r of results) {
      assert.equal(r.status, 'rejected');
      const e = (r as PromiseRejectedResult).reason as AppError;
      assert.equal(e.code, 'auth/cancelled');
      assert.match(e.message, /closed/);
    }
    assert.equal(win.opened.length, 1, 'one window for all three callers');
    await win.settled();
    assert.equal(h.broker.ledger().filter((e) => e.errorCode === 'auth/cancelled').length, 3);
    assert.deepEqual(h.broker.sessions().map((s) => s.state), ['needs-sign-in'], 'the window shows it as needing a sign-in again');
  });

  it('signs in with MFA once for five concurrent callers and says where to sign in', async () => {
    win.options = { ...win.options, mode: 'complete' };
    const opened = win.opened.length;
    const signIns = entra.signIns();
    const seen: SignInProgress[] = [];
    const calls = Array.from({ length: 5 }, () =>
      h.broker.getToken(userRequest(entra, { login: 'interactive', loginHint: DEMO_MFA_USER }), { interactive: true, onProgress: (p) => seen.push(p) }),
    );
    const tokens = await Promise.all(calls);
    await win.settled();
    assert.deepEqual(win.errors, []);
    assert.equal(win.opened.length, opened + 1);
    assert.equal(entra.signIns(), signIns + 1);
    assert.equal(new Set(tokens.map((t) => t.token)).size, 1);
    const at = claims(tokens[0]!.token);
    assert.equal(at.upn, DEMO_MFA_USER);
    assert.ok((at.amr as string[]).includes('mfa'), 'MFA was performed');
    assert.ok(win.steps.includes('mfa'));
    assert.equal(seen.filter((p) => p.kind === 'browser').length, 5, 'every waiter heard where to sign in');
    // The authorize URL carried PKCE, state, nonce and the hint.
    const authorize = new URL(win.opened.at(-1)!);
    for (const p of ['code_challenge', 'state', 'nonce']) assert.ok(authorize.searchParams.get(p), p);
    assert.equal(authorize.searchParams.get('code_challenge_method'), 'S256');
    assert.equal(authorize.searchParams.get('login_hint'), DEMO_MFA_USER);
    assert.match(authorize.searchParams.get('redirect_uri') ?? '', /^http:\/\/localhost:\d+$/);
  });

  it('a claims challenge on refresh re-runs the sign-in with the claims (step-up), once', async () => {
    const challenge = JSON.stringify({ access_token: { acrs: { essential: true, value: 'c1' } } });
    let challenged = 0;
    entra.addGrant('refresh_token', async (req) => {
      if (challenged === 0 && !(req.params.get('claims') ?? '').includes('acrs')) {
        challenged += 1;
        throw new EntraError(AADSTS.mfaRequired, undefined, challenge);
      }
      return BUILT_IN_GRANTS.refresh_token!(req);
    });
    try {
      const opened = win.opened.length;
      const t = await h.broker.getToken(userRequest(entra, { login: 'interactive', loginHint: DEMO_MFA_USER, serverId: SCOPE_B }), { interactive: true });
      await win.settled();
      assert.equal(challenged, 1);
      assert.equal(win.opened.length, opened + 1, 'one step-up sign-in');
      const sent = new URL(win.opened.at(-1)!).searchParams.get('claims') ?? '';
      assert.match(sent, /acrs/, 'the claims challenge went to the authorize request');
      assert.deepEqual(claims(t.token).acrs, ['c1']);
      assert.equal(claims(t.token).aud, SCOPE_B);
    } finally {
      entra.addGrant('refresh_token', BUILT_IN_GRANTS.refresh_token!);
    }
  });

  it('AADSTS53003 (blocked by Conditional Access) shows the message and does not open a window', async () => {
    entra.addGrant('refresh_token', () => {
      throw new EntraError(AADSTS.caBlocked);
    });
    try {
      const opened = win.opened.length;
      await assert.rejects(h.broker.getToken(userRequest(entra, { login: 'interactive', loginHint: DEMO_MFA_USER, serverId: SCOPE_C }), { interactive: true }), (e: unknown) => {
        assert.ok(e instanceof AppError);
        assert.equal(e.code, 'auth/ca-blocked');
        assert.match(e.message, /AADSTS53003/);
        assert.match(e.message, /Conditional Access/);
        return true;
      });
      assert.equal(win.opened.length, opened);
    } finally {
      entra.addGrant('refresh_token', BUILT_IN_GRANTS.refresh_token!);
    }
  });

  it('signing in as another account than the login hint asks for is refused', async () => {
    win.options = { mode: 'complete', username: DEMO_USER, password: DEMO_PASSWORD };
    const hinted = 'nobody-else@kubetray.dev';
    await assert.rejects(h.broker.getToken(userRequest(entra, { login: 'interactive', loginHint: hinted }), { interactive: true }), (e: unknown) => {
      assert.ok(e instanceof AppError);
      assert.equal(e.code, 'auth/failed');
      assert.match(e.message, new RegExp(`signed in as ${DEMO_USER}`));
      return true;
    });
    await win.settled();
  });

  it('never writes token material to its log file', () => {
    const log = fs.readFileSync(h.logFile, 'utf8');
    assert.ok(log.includes('sign-in started'));
    for (const token of entra.issuedTokens()) {
      for (const part of token.split('.')) if (part.length > 16) assert.ok(!log.includes(part), 'token material in the log');
    }
    assert.ok(!/[?&]code=[A-Za-z0-9]/.test(log), 'no authorization code in the log');
  });
});
