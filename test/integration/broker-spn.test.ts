/**
 * Service principals through the broker with real msal-node against the Entra emulator: client
 * secret, certificate as PEM, as a node-forge PKCS#12, as an OpenSSL 3 PKCS#12 (AES-256-CBC +
 * PBKDF2) and password-less; wrong secrets and passwords; refresh ahead of expiry.
 */
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startEntraEmulator, type EntraEmulator } from '../emulators/entra/entra-emulator.js';
import { AKS_SERVER_ID, DEMO_USER } from '../emulators/entra/entra-directory.js';
import { createClientCertificate, exportPfxWithOpenssl } from '../emulators/tls/test-ca.js';
import { decodeJws } from '../emulators/jose/jose.js';
import type { TokenRequest } from '../../shared/core/token-request.js';
import { AppError } from '../../shared/core/app-error.js';
import { autoApproveDeviceCodes, createBrokerHarness, userRequest, type BrokerHarness } from '../support/broker-harness.js';

function claims(token: string): Record<string, unknown> {
  return decodeJws(token)!.payload;
}

describe('broker: service principals against the Entra emulator', () => {
  let entra: EntraEmulator;
  let h: BrokerHarness;
  const cert = createClientCertificate({ commonName: 'broker-spn' });
  let appId = '';
  let certAppId = '';
  const spn = (more: Partial<TokenRequest>): TokenRequest => ({
    login: 'spn',
    serverId: AKS_SERVER_ID,
    tenantId: entra.defaultTenantId,
    authorityHost: entra.authorityHost,
    ...more,
  });

  before(async () => {
    entra = await startEntraEmulator();
    h = createBrokerHarness(entra);
    appId = entra.addApp({ displayName: 'spn-secret', secrets: ['the-secret-value'], roles: ['admin'] }).appId;
    certAppId = entra.addApp({ displayName: 'spn-cert', certificates: [cert.certPem] }).appId;
  });
  after(async () => {
    await h.dispose();
    await entra.stop();
  });

  it('client secret: token for the app, then answered from memory', async () => {
    const first = await h.broker.getToken(spn({ clientId: appId, clientSecret: 'the-secret-value' }), { interactive: false });
    assert.equal(claims(first.token).azp, appId);
    assert.deepEqual(claims(first.token).roles, ['admin']);
    const requests = entra.requestLog.length;
    const second = await h.broker.getToken(spn({ clientId: appId, clientSecret: 'the-secret-value' }), { interactive: false });
    assert.equal(second.source, 'cache');
    assert.equal(second.token, first.token);
    assert.equal(entra.requestLog.length, requests);
  });

  it('a wrong secret for the same client never gets the cached token and says what is wrong', async () => {
    await assert.rejects(h.broker.getToken(spn({ clientId: appId, clientSecret: 'not-it' }), { interactive: false }), (e: unknown) => {
      assert.ok(e instanceof AppError);
      assert.equal(e.code, 'auth/invalid-client');
      assert.match(e.message, /AADSTS7000215/);
      assert.ok(!e.message.includes('not-it'), 'the secret is not echoed');
      return true;
    });
    for (const s of h.broker.sessions()) assert.ok(!s.key.includes('the-secret-value'), 'no secret in session keys');
  });

  it('certificate as PEM (certificate + PKCS#8 key)', async () => {
    const file = path.join(h.dir, 'spn.pem');
    fs.writeFileSync(file, cert.combinedPem, { mode: 0o600 });
    const t = await h.broker.getToken(spn({ clientId: certAppId, clientCertificate: file }), { interactive: false });
    assert.equal(claims(t.token).azp, certAppId);
  });

  it('certificate as PKCS#12 made by node-forge, with its password', async () => {
    const file = path.join(h.dir, 'spn-forge.pfx');
    fs.writeFileSync(file, cert.pfx, { mode: 0o600 });
    const t = await h.broker.getToken(spn({ clientId: certAppId, clientCertificate: file, clientCertificatePassword: cert.password, serverId: 'd1d1d1d1-0000-4000-8000-00000000d1d1' }), {
      interactive: false,
    });
    assert.equal(claims(t.token).azp, certAppId);
  });

  it('certificate as OpenSSL 3 PKCS#12 (AES-256-CBC, PBKDF2), and password-less', async (t) => {
    const aes = exportPfxWithOpenssl(cert, 'Pfx-pass-1');
    const none = exportPfxWithOpenssl(cert, '');
    if (!aes || !none) {
      t.skip('no openssl binary on PATH');
      return;
    }
    const aesFile = path.join(h.dir, 'spn-openssl.pfx');
    const noneFile = path.join(h.dir, 'spn-nopass.p12');
    fs.writeFileSync(aesFile, aes, { mode: 0o600 });
    fs.writeFileSync(noneFile, none, { mode: 0o600 });
    const a = await h.broker.getToken(spn({ clientId: certAppId, clientCertificate: aesFile, clientCertificatePassword: 'Pfx-pass-1', serverId: 'e1e1e1e1-0000-4000-8000-00000000e1e1' }), {
      interactive: false,
    });
    assert.equal(claims(a.token).azp, certAppId);
    const b = await h.broker.getToken(spn({ clientId: certAppId, clientCertificate: noneFile, serverId: 'f1f1f1f1-0000-4000-8000-00000000f1f1' }), { interactive: false });
    assert.equal(claims(b.token).azp, certAppId);
    await assert.rejects(h.broker.getToken(spn({ clientId: certAppId, clientCertificate: aesFile, clientCertificatePassword: 'wrong' }), { interactive: false }), (e: unknown) => {
      assert.ok(e instanceof AppError);
      assert.equal(e.code, 'cli/invalid-flag');
      assert.match(e.message, /password is wrong/);
      assert.ok(!e.message.includes('wrong'.repeat(2)));
      return true;
    });
  });

  it('an unregistered certificate is refused with AADSTS700027', async () => {
    const other = createClientCertificate({ commonName: 'not-registered' });
    const file = path.join(h.dir, 'other.pem');
    fs.writeFileSync(file, other.combinedPem, { mode: 0o600 });
    await assert.rejects(h.broker.getToken(spn({ clientId: certAppId, clientCertificate: file }), { interactive: false }), { code: 'auth/invalid-client' });
  });

  it('missing flags are usage errors before any network call', async () => {
    const before = entra.requestLog.length;
    await assert.rejects(h.broker.getToken(spn({ clientId: appId }), { interactive: false }), { code: 'cli/invalid-flag' });
    await assert.rejects(h.broker.getToken(spn({ clientSecret: 'x' }), { interactive: false }), { code: 'cli/invalid-flag' });
    assert.equal(entra.requestLog.length, before);
  });
});

describe('broker: refresh ahead of expiry', () => {
  let entra: EntraEmulator;
  let h: BrokerHarness;

  before(async () => {
    // 400 s tokens; refresh when less than 399.9 s are left: the first refresh is due at once.
    entra = await startEntraEmulator({ tokenLifetimeSeconds: 400 });
    h = createBrokerHarness(entra, { refreshAheadMs: 399_900, minRefreshDelayMs: 10 });
  });
  after(async () => {
    await h.dispose();
    await entra.stop();
  });

  it('renews a token in use in the background; the caller then gets the new one from memory', async () => {
    const appId = entra.addApp({ displayName: 'spn-refresh', secrets: ['refresh-secret'] }).appId;
    const request: TokenRequest = { login: 'spn', serverId: AKS_SERVER_ID, tenantId: entra.defaultTenantId, authorityHost: entra.authorityHost, clientId: appId, clientSecret: 'refresh-secret' };
    const refreshed = new Promise<string>((resolve) => {
      const off = h.broker.on((e) => {
        if (e.type === 'token-refreshed') {
          off();
          resolve(e.key);
        }
      });
    });
    const grants = entra.tokenGrants('client_credentials');
    const first = await h.broker.getToken(request, { interactive: false });
    await refreshed;
    assert.equal(entra.tokenGrants('client_credentials'), grants + 2, 'one grant to start, one ahead of expiry');
    const requests = entra.requestLog.length;
    const second = await h.broker.getToken(request, { interactive: false });
    assert.equal(second.source, 'cache');
    assert.notEqual(second.token, first.token);
    assert.ok(second.expiresOn >= first.expiresOn);
    assert.equal(entra.requestLog.length, requests, 'served from memory');
  });

  it('renews a user token with the refresh token, without a sign-in', async () => {
    const stop = autoApproveDeviceCodes(entra, DEMO_USER);
    const refreshed = new Promise<void>((resolve) => {
      const off = h.broker.on((e) => {
        if (e.type === 'token-refreshed' && e.key.startsWith('user')) {
          off();
          resolve();
        }
      });
    });
    try {
      const signIns = entra.signIns();
      const grants = entra.tokenGrants('refresh_token');
      const first = await h.broker.getToken(userRequest(entra), { interactive: true });
      await refreshed;
      assert.equal(entra.tokenGrants('refresh_token'), grants + 1);
      const second = await h.broker.getToken(userRequest(entra), { interactive: false });
      assert.equal(second.source, 'cache');
      assert.notEqual(second.token, first.token);
      assert.equal(entra.signIns(), signIns + 1, 'only the first sign-in');
    } finally {
      stop();
    }
  });
});
