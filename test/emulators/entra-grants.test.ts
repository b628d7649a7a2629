/**
 * Token grants beyond the happy path, through real msal-node where msal can express the call
 * and raw POSTs where the point is the wire format: ROPC, refresh token rotation and revocation
 * (AADSTS50173/70043/700082), device code states, PoP binding, strict tenants, the v1 endpoint.
 */
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { ConfidentialClientApplication, InteractionRequiredAuthError, PublicClientApplication, type AccountInfo } from '@azure/msal-node';
import { startEntraEmulator, type EntraEmulator } from './entra/entra-emulator.js';
import { AKS_CLIENT_ID, AKS_SERVER_ID, DEMO_MFA_PASSWORD, DEMO_MFA_USER, DEMO_PASSWORD, DEMO_TENANT_ID, DEMO_USER } from './entra/entra-directory.js';
import { decodeJws } from './jose/jose.js';
import { msalConfigFor, msalNetworkClient, type EmulatorNetworkClient } from '../support/emulators-msal.js';
import { createPopKey } from '../support/emulators-pop.js';

const SCOPES = [`${AKS_SERVER_ID}/.default`];
type Body = Record<string, unknown>;

describe('Entra emulator grants', () => {
  let entra: EntraEmulator;
  let net: EmulatorNetworkClient;

  before(async () => {
    entra = await startEntraEmulator({ deviceCodeIntervalSeconds: 1 });
    net = msalNetworkClient(entra.caPem);
  });
  after(async () => {
    net.destroy();
    await entra.stop();
  });

  const post = async (form: Record<string, string>, path = `/${DEMO_TENANT_ID}/oauth2/v2.0/token`) =>
    net.sendPostRequestAsync<Body>(`${entra.origin}${path}`, {
      body: new URLSearchParams(form).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });

  const pca = () => new PublicClientApplication(msalConfigFor(entra, net, { clientId: AKS_CLIENT_ID, tenant: DEMO_TENANT_ID }));

  async function deviceCodeSignIn(app: PublicClientApplication, username: string): Promise<AccountInfo> {
    const next = entra.nextDeviceCode({ clientId: AKS_CLIENT_ID });
    const pending = app.acquireTokenByDeviceCode({ scopes: SCOPES, deviceCodeCallback: () => undefined });
    entra.approveDeviceCode((await next).userCode, username);
    return (await pending)!.account!;
  }

  it('ROPC: password works, a wrong one is AADSTS50126, an MFA user gets AADSTS50076 as interaction required', async () => {
    const app = pca();
    const ok = await app.acquireTokenByUsernamePassword({ scopes: SCOPES, username: DEMO_USER, password: DEMO_PASSWORD });
    assert.equal(decodeJws(ok!.accessToken)!.payload.upn, DEMO_USER);
    assert.equal(entra.tokenGrants('password'), 1);
    await assert.rejects(app.acquireTokenByUsernamePassword({ scopes: SCOPES, username: DEMO_USER, password: 'nope' }), /AADSTS50126/);
    await assert.rejects(app.acquireTokenByUsernamePassword({ scopes: SCOPES, username: DEMO_MFA_USER, password: DEMO_MFA_PASSWORD }), (e: unknown) => {
      assert.ok(e instanceof InteractionRequiredAuthError);
      assert.match(e.errorMessage, /AADSTS50076/);
      return true;
    });
    assert.deepEqual(
      entra.requestLog.filter((r) => r.grantType === 'password').map((r) => r.outcome),
      ['ok', 'invalid_grant AADSTS50126', 'invalid_grant AADSTS50076'],
    );
  });

  it('refresh tokens rotate and keep working; acquireTokenByRefreshToken takes one from elsewhere', async () => {
    const app = pca();
    const account = await deviceCodeSignIn(app, DEMO_USER);
    const rt1 = JSON.parse(app.getTokenCache().serialize()) as { RefreshToken: Record<string, { secret: string }> };
    const first = Object.values(rt1.RefreshToken)[0]!.secret;
    await app.acquireTokenSilent({ account, scopes: SCOPES, forceRefresh: true });
    const rt2 = JSON.parse(app.getTokenCache().serialize()) as { RefreshToken: Record<string, { secret: string }> };
    const second = Object.values(rt2.RefreshToken)[0]!.secret;
    assert.notEqual(second, first);
    assert.ok(entra.issuedTokens().includes(first) && entra.issuedTokens().includes(second));
    const other = pca();
    const byRt = await other.acquireTokenByRefreshToken({ refreshToken: first, scopes: SCOPES });
    assert.equal(byRt?.account?.username, DEMO_USER);
  });

  for (const [reason, code] of [['revoked', 50173], ['sign-in-frequency', 70043], ['inactive', 700082]] as const) {
    it(`a ${reason} refresh token fails silent with AADSTS${code} as interaction required`, async () => {
      const app = pca();
      const account = await deviceCodeSignIn(app, DEMO_USER);
      assert.ok(entra.revokeRefreshTokens({ username: DEMO_USER }, reason) >= 1);
      await assert.rejects(app.acquireTokenSilent({ account, scopes: SCOPES, forceRefresh: true }), (e: unknown) => {
        assert.ok(e instanceof InteractionRequiredAuthError, String(e));
        assert.match(e.errorMessage, new RegExp(`AADSTS${code}`));
        return true;
      });
      // A fresh sign-in works again.
      await deviceCodeSignIn(pca(), DEMO_USER);
    });
  }

  it('per-user Conditional Access: a blocked grant is AADSTS53003 (message_only); sign-in frequency is AADSTS70043', async () => {
    const blocked = entra.addUser({ username: 'blocked@kubetray.dev', password: 'Blocked-1!', policy: { blockGrants: ['device_code'] } });
    const app = pca();
    const next = entra.nextDeviceCode({ clientId: AKS_CLIENT_ID });
    const pending = app.acquireTokenByDeviceCode({ scopes: SCOPES, deviceCodeCallback: () => undefined });
    entra.approveDeviceCode((await next).userCode, blocked.username);
    await assert.rejects(pending, /AADSTS53003|invalid_grant/);
    assert.ok(entra.requestLog.some((e) => e.grantType === 'device_code' && e.outcome === 'invalid_grant AADSTS53003'));

    const frequent = entra.addUser({ username: 'frequent@kubetray.dev', password: 'Frequent-1!', policy: { signInFrequencySeconds: 0 } });
    const account = await deviceCodeSignIn(app, frequent.username);
    await assert.rejects(app.acquireTokenSilent({ account, scopes: SCOPES, forceRefresh: true }), (e: unknown) => {
      assert.ok(e instanceof InteractionRequiredAuthError);
      assert.match(e.errorMessage, /AADSTS70043/);
      return true;
    });
  });

  it('device code states: pending, slow_down (when enforced), declined, expired, redeemed', async () => {
    const start = async (emu: EntraEmulator) => {
      const next = emu.nextDeviceCode();
      const res = await net.sendPostRequestAsync<Body>(`${emu.origin}/${DEMO_TENANT_ID}/oauth2/v2.0/devicecode`, {
        body: new URLSearchParams({ client_id: AKS_CLIENT_ID, scope: `${SCOPES[0]} offline_access openid profile` }).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      assert.equal(res.status, 200);
      for (const k of ['user_code', 'device_code', 'verification_uri', 'expires_in', 'interval', 'message']) assert.ok(k in res.body, k);
      return { deviceCode: String(res.body.device_code), userCode: (await next).userCode };
    };
    const poll = (deviceCode: string) => post({ grant_type: 'device_code', client_id: AKS_CLIENT_ID, device_code: deviceCode });

    const a = await start(entra);
    const pending = await poll(a.deviceCode);
    assert.equal(pending.status, 400);
    assert.equal(pending.body.error, 'authorization_pending');
    assert.match(String(pending.body.error_description), /^AADSTS70016: /);
    for (const k of ['error_codes', 'timestamp', 'trace_id', 'correlation_id']) assert.ok(k in pending.body, k);
    entra.declineDeviceCode(a.userCode);
    assert.equal((await poll(a.deviceCode)).body.error, 'authorization_declined');

    const b = await start(entra);
    entra.approveDeviceCode(b.userCode, DEMO_USER);
    const won = await post({ grant_type: 'urn:ietf:params:oauth:grant-type:device_code', client_id: AKS_CLIENT_ID, device_code: b.deviceCode });
    assert.equal(won.status, 200);
    for (const k of ['access_token', 'id_token', 'refresh_token', 'client_info', 'expires_in']) assert.ok(k in won.body, k);
    assert.ok(Number(won.body.expires_in) > 300);
    assert.equal((await poll(b.deviceCode)).body.error, 'invalid_grant');

    const strictPolling = await startEntraEmulator({ ca: entra.ca, enforceDeviceCodeInterval: true, deviceCodeIntervalSeconds: 30, deviceCodeExpiresInSeconds: 60 });
    const expiring = await startEntraEmulator({ ca: entra.ca, deviceCodeExpiresInSeconds: -1 });
    try {
      const c = await start(strictPolling);
      const pollAt = (emu: EntraEmulator, code: string) =>
        net.sendPostRequestAsync<Body>(`${emu.tokenEndpoint(DEMO_TENANT_ID)}`, {
          body: new URLSearchParams({ grant_type: 'device_code', client_id: AKS_CLIENT_ID, device_code: code }).toString(),
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        });
      assert.equal((await pollAt(strictPolling, c.deviceCode)).body.error, 'authorization_pending');
      assert.equal((await pollAt(strictPolling, c.deviceCode)).body.error, 'slow_down');
      const d = await start(expiring);
      assert.equal((await pollAt(expiring, d.deviceCode)).body.error, 'expired_token');
    } finally {
      await strictPolling.stop();
      await expiring.stop();
    }
  });

  it('PoP: token_type=pop with req_cnf binds the access token (cnf.kid) and answers token_type pop', async () => {
    const app = pca();
    await deviceCodeSignIn(app, DEMO_USER);
    const cache = JSON.parse(app.getTokenCache().serialize()) as { RefreshToken: Record<string, { secret: string }> };
    const refreshToken = Object.values(cache.RefreshToken)[0]!.secret;
    const key = createPopKey();
    const res = await post({ grant_type: 'refresh_token', client_id: AKS_CLIENT_ID, refresh_token: refreshToken, scope: `${SCOPES[0]} openid offline_access`, token_type: 'pop', req_cnf: key.reqCnf });
    assert.equal(res.status, 200);
    assert.equal(res.body.token_type, 'pop');
    assert.deepEqual(decodeJws(String(res.body.access_token))!.payload.cnf, { kid: key.kid });
    const broken = await post({ grant_type: 'refresh_token', client_id: AKS_CLIENT_ID, refresh_token: refreshToken, scope: SCOPES[0]!, token_type: 'pop', req_cnf: 'bm90IGpzb24' });
    assert.equal(broken.status, 400);
  });

  it('strict tenants reject unknown clients (AADSTS700016); the demo tenant accepts them', async () => {
    const unknownClient = '11111111-2222-3333-4444-555555555555';
    const demo = await post({ grant_type: 'password', client_id: unknownClient, username: DEMO_USER, password: DEMO_PASSWORD, scope: SCOPES[0]! });
    assert.equal(demo.status, 200);
    const strict = await startEntraEmulator({ ca: entra.ca, strict: true });
    try {
      const res = await net.sendPostRequestAsync<Body>(strict.tokenEndpoint(DEMO_TENANT_ID), {
        body: new URLSearchParams({ grant_type: 'password', client_id: unknownClient, username: DEMO_USER, password: DEMO_PASSWORD, scope: SCOPES[0]! }).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      assert.equal(res.status, 400);
      assert.deepEqual(res.body.error_codes, [700016]);
    } finally {
      await strict.stop();
    }
  });

  it('bare scope names are Microsoft Graph scopes (aud 00000003-..., scp User.Read)', async () => {
    const res = await post({ grant_type: 'password', client_id: AKS_CLIENT_ID, username: DEMO_USER, password: DEMO_PASSWORD, scope: 'User.Read openid profile offline_access' });
    assert.equal(res.status, 200);
    const claims = decodeJws(String(res.body.access_token))!.payload;
    assert.equal(claims.aud, '00000003-0000-0000-c000-000000000000');
    assert.equal(claims.scp, 'User.Read');
  });

  it('client_secret_basic: the client id and secret in an HTTP Basic header', async () => {
    const app = entra.addApp({ displayName: 'basic', secrets: ['b:secret/+'] });
    const basic = Buffer.from(`${encodeURIComponent(app.appId)}:${encodeURIComponent('b:secret/+')}`).toString('base64');
    const res = await net.sendPostRequestAsync<Body>(entra.tokenEndpoint(DEMO_TENANT_ID), {
      body: new URLSearchParams({ grant_type: 'client_credentials', scope: SCOPES[0]! }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${basic}` },
    });
    assert.equal(res.status, 200);
    assert.equal(decodeJws(String(res.body.access_token))!.payload.azp, app.appId);
  });

  it('the v1 endpoint with resource= issues ver 1.0 tokens with the v1 issuer; spn: prefixes are stripped', async () => {
    const app = entra.addApp({ displayName: 'v1', secrets: ['v1-secret'] });
    const res = await post({ grant_type: 'client_credentials', client_id: app.appId, client_secret: 'v1-secret', resource: `spn:${AKS_SERVER_ID}` }, `/${DEMO_TENANT_ID}/oauth2/token`);
    assert.equal(res.status, 200);
    const claims = decodeJws(String(res.body.access_token))!.payload;
    assert.equal(claims.ver, '1.0');
    assert.equal(claims.aud, AKS_SERVER_ID);
    assert.equal(claims.iss, entra.issuerFor(DEMO_TENANT_ID, '1.0'));
    assert.equal(claims.appid, app.appId);
  });

  it('a confidential client via msal-node with a tenant domain authority', async () => {
    const app = entra.addApp({ displayName: 'by-domain', secrets: ['d-secret'] });
    const cca = new ConfidentialClientApplication(msalConfigFor(entra, net, { clientId: app.appId, tenant: 'kubetray.dev', clientSecret: 'd-secret' }));
    const result = await cca.acquireTokenByClientCredential({ scopes: SCOPES });
    assert.equal(decodeJws(result!.accessToken)!.payload.tid, DEMO_TENANT_ID);
  });

  it('the request log never holds token material', () => {
    const log = JSON.stringify(entra.requestLog);
    const tokens = entra.issuedTokens();
    assert.ok(tokens.length > 20);
    for (const token of tokens) assert.equal(log.includes(token), false);
    assert.equal(/eyJ[A-Za-z0-9_-]{10,}\./.test(log), false);
  });
});
