/**
 * The interactive surface: /authorize (authorization code + PKCE, form_post/query/fragment),
 * the sign-in, MFA, account picker and consent pages, /devicelogin and /logout. Page element
 * ids are listed in entra-pages.ts.
 *
 * Rules mirrored from Entra:
 *  - redirect_uri must be registered, except that public clients may use any http loopback
 *    (localhost or 127.0.0.1, any port and path); a mismatch is shown as AADSTS50011 on the
 *    page, never redirected.
 *  - a session cookie gives SSO; prompt=login forces the password, prompt=select_account shows
 *    the account picker, prompt=consent shows consent, prompt=none fails with login_required
 *    when there is no session.
 *  - a `claims` request asking for more than client capabilities (an acrs step-up, an MFA
 *    demand) forces the MFA page and lands in `acrs`/`amr` of the token.
 */
import * as crypto from 'node:crypto';
import type * as http from 'node:http';
import { parseCookies, readForm, redirect, sendHtml, type Router } from '../http/http-kit.js';
import { mfaCodeFor, type EntraTenant } from './entra-directory.js';
import { AADSTS, EntraError, type EntraErrorSpec } from './entra-errors.js';
import type { FaultInjector } from './entra-faults.js';
import { accountPickerPage, consentPage, deviceLoginDonePage, errorPage, formPostPage, mfaPage, signInPage } from './entra-pages.js';
import { registerDeviceLoginRoutes } from './entra-devicelogin-routes.js';
import { TX_TTL_MS, type Tx } from './entra-transaction.js';
import { parseClaims, resolveTenant, type ClaimsRequest, type EntraState, type ResolvedTenant } from './entra-state.js';
import { clientInfo } from './entra-tokens.js';

const SESSION_COOKIE = 'ESTSAUTH';
const CODE_TTL_MS = 10 * 60 * 1000;

interface Session {
  username: string;
  tenantId: string;
  amr: string[];
  acrs: string[];
}


export interface SessionStore {
  /** Signs a user out of every browser session (e.g. after revoking their refresh tokens). */
  endFor(username: string): void;
}

export function isLoopbackRedirect(uri: string): boolean {
  try {
    const url = new URL(uri);
    return url.protocol === 'http:' && (url.hostname === 'localhost' || url.hostname === '127.0.0.1');
  } catch {
    return false;
  }
}

export function registerAuthorizeRoutes(router: Router, state: EntraState, faults: FaultInjector): SessionStore {
  const sessions = new Map<string, Session>();
  const txs = new Map<string, Tx>();

  const sessionOf = (req: http.IncomingMessage): { id: string; session: Session } | undefined => {
    const id = parseCookies(req)[SESSION_COOKIE];
    const session = id ? sessions.get(id) : undefined;
    return id && session ? { id, session } : undefined;
  };

  const showError = (res: http.ServerResponse, spec: EntraErrorSpec, detail?: string): void => {
    sendHtml(res, spec.status >= 500 ? spec.status : 400, errorPage(spec.code, detail ? `${spec.description} ${detail}` : spec.description));
  };

  const txFrom = (form: URLSearchParams): Tx | undefined => {
    const tx = txs.get(form.get('tx') ?? '');
    return tx && tx.expiresAt > Date.now() ? tx : undefined;
  };

  /** Sends the authorization response to the redirect URI in the requested response mode. */
  const respond = (res: http.ServerResponse, tx: Tx, fields: Record<string, string>): void => {
    const state = tx.query?.get('state');
    const all = { ...fields, ...(state ? { state } : {}) };
    if (tx.responseMode === 'form_post') return sendHtml(res, 200, formPostPage(tx.redirectUri!, all));
    const url = new URL(tx.redirectUri!);
    const encoded = new URLSearchParams(all);
    if (tx.responseMode === 'fragment') url.hash = encoded.toString();
    else for (const [k, v] of encoded) url.searchParams.set(k, v);
    redirect(res, url.toString());
  };

  const respondError = (res: http.ServerResponse, tx: Tx, error: string, spec: EntraErrorSpec | undefined, description: string): void => {
    if (tx.kind === 'device') {
      if (tx.device) state.deviceCodes.decline(tx.device);
      return showError(res, spec ?? AADSTS.deviceCodeDeclined, description);
    }
    respond(res, tx, { error, error_description: spec ? `AADSTS${spec.code}: ${description}` : description });
  };

  const signInPageFor = (res: http.ServerResponse, tx: Tx, error?: string): void =>
    sendHtml(res, error ? 400 : 200, signInPage({ action: '/login', tx: tx.id, appName: tx.appName, loginHint: tx.username ?? tx.loginHint, error }));

  const mfaPageFor = (res: http.ServerResponse, tx: Tx, error?: string): void =>
    sendHtml(res, error ? 400 : 200, mfaPage({
      action: '/mfa',
      tx: tx.id,
      username: tx.username!,
      error,
      reason: tx.claims.demandsMfa ? 'This resource requires additional verification (Conditional Access).' : undefined,
    }));

  const needsMfa = (tx: Tx, tenant: EntraTenant, amr: string[], acrsHeld: string[]): boolean => {
    const user = state.dir.findUser(tx.username!, tenant)?.user;
    if (amr.includes('mfa') && tx.claims.acrs.every((a) => acrsHeld.includes(a))) return false;
    return Boolean(user?.mfa) || state.forceMfa || tx.claims.demandsMfa;
  };

  /** Everything proven: consent if asked, then a session, then the code (or device approval). */
  const finish = (req: http.IncomingMessage, res: http.ServerResponse, tx: Tx): void => {
    if (tx.prompt === 'consent' && !tx.consented) {
      const scopes = (tx.query?.get('scope') ?? tx.device?.scope ?? '').split(/\s+/).filter(Boolean);
      return sendHtml(res, 200, consentPage({ action: '/consent', tx: tx.id, appName: tx.appName, scopes }));
    }
    txs.delete(tx.id);
    const acrs = tx.claims.acrs;
    const existing = sessionOf(req);
    const sessionId = existing && existing.session.username === tx.username ? existing.id : crypto.randomBytes(24).toString('base64url');
    const prior = sessions.get(sessionId);
    sessions.set(sessionId, {
      username: tx.username!,
      tenantId: tx.tenantId!,
      amr: tx.amr,
      acrs: [...new Set([...(prior?.acrs ?? []), ...acrs])],
    });
    res.setHeader('set-cookie', `${SESSION_COOKIE}=${sessionId}; Path=/; Secure; HttpOnly; SameSite=Lax`);
    state.signIns += 1;
    if (tx.kind === 'device') {
      state.deviceCodes.approve(tx.device!, tx.username!, tx.tenantId!, tx.amr, acrs);
      return sendHtml(res, 200, deviceLoginDonePage(tx.appName));
    }
    const code = crypto.randomBytes(48).toString('base64url');
    state.authCodes.set(code, {
      tenantId: tx.tenantId!,
      username: tx.username!,
      clientId: tx.clientId,
      redirectUri: tx.redirectUri!,
      scope: tx.query!.get('scope') ?? '',
      codeChallenge: tx.query!.get('code_challenge') ?? undefined,
      codeChallengeMethod: tx.query!.get('code_challenge_method') ?? undefined,
      nonce: tx.query!.get('nonce') ?? undefined,
      amr: tx.amr,
      acrs: [...new Set([...(prior?.acrs ?? []), ...acrs])],
      clientCapabilities: tx.claims.clientCapabilities,
      expiresAt: Date.now() + CODE_TTL_MS,
      redeemed: false,
    });
    const user = state.dir.findUser(tx.username!, state.dir.tenant(tx.tenantId!))!.user;
    respond(res, tx, { code, client_info: clientInfo(user.oid, tx.tenantId!), session_state: crypto.randomUUID() });
  };

  /** Decides the first page of a new transaction (SSO, picker or sign-in). */
  const start = (req: http.IncomingMessage, res: http.ServerResponse, tx: Tx): void => {
    txs.set(tx.id, tx);
    const current = sessionOf(req)?.session;
    const sessionUsable =
      current !== undefined &&
      (tx.tenant.multi || current.tenantId === tx.tenant.tenant.id) &&
      (!tx.loginHint || tx.loginHint.toLowerCase() === current.username.toLowerCase());
    if (tx.prompt === 'none' && !sessionUsable) return respondError(res, tx, 'login_required', undefined, 'AADSTS50058: A silent sign-in request was sent but no user is signed in.');
    if (tx.prompt === 'select_account' && current) {
      return sendHtml(res, 200, accountPickerPage({ action: '/account', tx: tx.id, accounts: [current.username] }));
    }
    if (sessionUsable && tx.prompt !== 'login') return continueAs(req, res, tx, current);
    signInPageFor(res, tx);
  };

  const continueAs = (req: http.IncomingMessage, res: http.ServerResponse, tx: Tx, session: Session): void => {
    tx.username = session.username;
    tx.tenantId = session.tenantId;
    tx.amr = session.amr;
    const tenant = state.dir.tenant(session.tenantId)!;
    if (needsMfa(tx, tenant, session.amr, session.acrs)) {
      if (tx.prompt === 'none') return respondError(res, tx, 'interaction_required', AADSTS.mfaRequired, AADSTS.mfaRequired.description);
      tx.amr = ['pwd'];
      return mfaPageFor(res, tx);
    }
    finish(req, res, tx);
  };

  // --- /authorize ------------------------------------------------------------------------------
  router.add('GET', /^\/(?<tenant>[A-Za-z0-9._-]+)\/oauth2\/(v2\.0\/)?authorize$/, async ({ req, res, params, url }) => {
    if (await faults.apply('authorize', params.tenant, req, res)) return;
    const q = url.searchParams;
    let tenant: ResolvedTenant;
    try {
      tenant = resolveTenant(state, params.tenant!);
    } catch (error) {
      return showError(res, error instanceof EntraError ? error.spec : AADSTS.tenantNotFound);
    }
    const clientId = (q.get('client_id') ?? '').toLowerCase();
    if (!clientId) return showError(res, AADSTS.missingParameter, "Missing 'client_id'.");
    const app = state.dir.findApp(tenant.tenant, clientId);
    if (!app && (!tenant.tenant.acceptUnknownPublicClients || state.strict)) return showError(res, AADSTS.appNotFound);
    const redirectUri = q.get('redirect_uri') ?? '';
    const allowed = (app?.redirectUris.includes(redirectUri) ?? false) || ((app === undefined || app.publicClient) && isLoopbackRedirect(redirectUri));
    if (!allowed) return showError(res, AADSTS.redirectMismatch, `Redirect URI '${redirectUri}' is not registered.`);
    const mode = q.get('response_mode') ?? 'query';
    let claims: ClaimsRequest;
    try {
      claims = parseClaims(q.get('claims'));
    } catch {
      return showError(res, AADSTS.missingParameter, "The 'claims' parameter is not valid JSON.");
    }
    const tx: Tx = {
      id: crypto.randomBytes(18).toString('base64url'),
      kind: 'authorize',
      tenant,
      clientId,
      appName: app?.displayName ?? clientId,
      claims,
      prompt: (q.get('prompt') ?? '').toLowerCase(),
      loginHint: q.get('login_hint') ?? undefined,
      redirectUri,
      responseMode: mode === 'form_post' || mode === 'fragment' ? mode : 'query',
      query: q,
      amr: [],
      consented: false,
      expiresAt: Date.now() + TX_TTL_MS,
    };
    if (q.get('response_type') !== 'code') return respondError(res, tx, 'unsupported_response_type', undefined, "Only response_type 'code' is emulated.");
    const method = q.get('code_challenge_method');
    if (q.get('code_challenge') && method && method !== 'S256' && method !== 'plain') {
      return respondError(res, tx, 'invalid_request', AADSTS.pkceMismatch, "code_challenge_method must be 'S256' or 'plain'.");
    }
    start(req, res, tx);
  });

  // --- sign-in pages ---------------------------------------------------------------------------
  router.add('POST', /^\/login$/, async ({ req, res }) => {
    const form = await readForm(req);
    const tx = txFrom(form);
    if (!tx) return showError(res, AADSTS.codeInvalid, 'The sign-in session expired; start again.');
    if (form.get('cancel')) return respondError(res, tx, 'access_denied', { ...AADSTS.deviceCodeDeclined, code: 65004 }, 'User declined to consent to access the app.');
    const username = (form.get('username') ?? '').trim();
    const found = state.dir.findUser(username, tx.tenant.multi ? undefined : tx.tenant.tenant);
    tx.username = username;
    if (!found) return signInPageFor(res, tx, "This username may be incorrect. Make sure you typed it correctly.");
    if (found.user.disabled) return signInPageFor(res, tx, 'Your account has been locked. Contact your support person to unlock it.');
    if (found.user.password !== form.get('password')) return signInPageFor(res, tx, 'Your account or password is incorrect.');
    tx.username = found.user.username;
    tx.tenantId = found.tenant.id;
    tx.amr = ['pwd'];
    if (needsMfa(tx, found.tenant, [], [])) return mfaPageFor(res, tx);
    finish(req, res, tx);
  });

  router.add('POST', /^\/mfa$/, async ({ req, res }) => {
    const form = await readForm(req);
    const tx = txFrom(form);
    if (!tx || !tx.username || !tx.tenantId) return showError(res, AADSTS.codeInvalid, 'The sign-in session expired; start again.');
    const user = state.dir.findUser(tx.username, state.dir.tenant(tx.tenantId))!.user;
    if ((form.get('otc') ?? '').trim() !== mfaCodeFor(user)) return mfaPageFor(res, tx, "That code didn't work. Check the code and try again.");
    tx.amr = ['pwd', 'mfa'];
    finish(req, res, tx);
  });

  router.add('POST', /^\/account$/, async ({ req, res }) => {
    const form = await readForm(req);
    const tx = txFrom(form);
    if (!tx) return showError(res, AADSTS.codeInvalid, 'The sign-in session expired; start again.');
    const current = sessionOf(req)?.session;
    const account = form.get('account');
    if (account && current && current.username === account) return continueAs(req, res, tx, current);
    signInPageFor(res, tx);
  });

  router.add('POST', /^\/consent$/, async ({ req, res }) => {
    const form = await readForm(req);
    const tx = txFrom(form);
    if (!tx) return showError(res, AADSTS.codeInvalid, 'The sign-in session expired; start again.');
    if (form.get('consent') !== 'accept') return respondError(res, tx, 'access_denied', { ...AADSTS.deviceCodeDeclined, code: 65004 }, 'User declined to consent to access the app.');
    tx.consented = true;
    finish(req, res, tx);
  });

  registerDeviceLoginRoutes(router, state, start);

  // --- logout ----------------------------------------------------------------------------------
  router.add('GET', /^\/(?<tenant>[A-Za-z0-9._-]+)\/oauth2\/(v2\.0\/)?logout$/, ({ req, res, url }) => {
    const current = sessionOf(req);
    if (current) sessions.delete(current.id);
    res.setHeader('set-cookie', `${SESSION_COOKIE}=; Path=/; Secure; HttpOnly; Max-Age=0`);
    const back = url.searchParams.get('post_logout_redirect_uri');
    if (back && isLoopbackRedirect(back)) return redirect(res, back);
    sendHtml(res, 200, '<!doctype html><title>Signed out</title><p id="signed-out">You signed out of your account.</p>');
  });

  return {
    endFor: (username) => {
      for (const [id, s] of sessions) if (s.username.toLowerCase() === username.toLowerCase()) sessions.delete(id);
    },
  };
}
