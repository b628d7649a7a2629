/**
 * The Entra emulator driven by real, unmodified msal-node: discovery, device code with
 * programmatic approval, silent refresh, client credentials (secret and certificate).
 */
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfidentialClientApplication, PublicClientApplication, type AuthenticationResult } from '@azure/msal-node';
import { startEntraEmulator, type EntraEmulator } from './entra/entra-emulator.js';
import { AKS_CLIENT_ID, AKS_SERVER_ID, DEMO_TENANT_ID, DEMO_USER } from './entra/entra-directory.js';
import { createClientCertificate } from './tls/test-ca.js';
import { decodeJws, publicKeyFromJwk, verifyJwsSignature } from './jose/jose.js';
import { msalConfigFor, msalNetworkClient, type EmulatorNetworkClient } from '../support/emulators-msal.js';

const AKS_SCOPE = `${AKS_SERVER_ID}/.default`;

function claimsOf(token: string): Record<string, unknown> {
  const jws = decodeJws(token);
  assert.ok(jws, 'token is a JWS');
  return jws.payload;
}

describe('Entra emulator with msal-node', () => {
  let entra: EntraEmulator;
  let net: EmulatorNetworkClient;

  before(async () => {
    entra = await startEntraEmulator();
    net = msalNetworkClient(entra.caPem);
  });
  after(async () => {
    net.destroy();
    await entra.stop();
  });

  it('serves OIDC metadata, instance discovery and a JWKS that verifies its tokens', async () => {
    const meta = await net.sendGetRequestAsync<Record<string, string>>(`${entra.origin}/kubetray.dev/v2.0/.well-known/openid-configuration`);
    assert.equal(meta.status, 200);
    assert.equal(meta.body.issuer, `${entra.origin}/${DEMO_TENANT_ID}/v2.0`);
    assert.equal(meta.body.token_endpoint, `${entra.origin}/${DEMO_TENANT_ID}/oauth2/v2.0/token`);
    const common = await net.sendGetRequestAsync<Record<string, string>>(`${entra.origin}/organizations/v2.0/.well-known/openid-configuration`);
    assert.equal(common.body.authorization_endpoint, `${entra.origin}/organizations/oauth2/v2.0/authorize`);
    const disco = await net.sendGetRequestAsync<{ tenant_discovery_endpoint: string; metadata: unknown[] }>(
      `${entra.origin}/common/discovery/instance?api-version=1.1&authorization_endpoint=${encodeURIComponent(meta.body.authorization_endpoint!)}`,
    );
    assert.equal(disco.body.tenant_discovery_endpoint, `${entra.origin}/${DEMO_TENANT_ID}/v2.0/.well-known/openid-configuration`);
    const missing = await net.sendGetRequestAsync<{ error_codes: number[] }>(`${entra.origin}/nope.example/v2.0/.well-known/openid-configuration`);
    assert.equal(missing.status, 400);
    assert.deepEqual(missing.body.error_codes, [90002]);
  });

  it('device code: msal polls, a test approves programmatically, silent then refreshes', async () => {
    const pca = new PublicClientApplication(msalConfigFor(entra, net, { clientId: AKS_CLIENT_ID, tenant: DEMO_TENANT_ID }));
    const messages: string[] = [];
    const next = entra.nextDeviceCode({ clientId: AKS_CLIENT_ID });
    const pending = pca.acquireTokenByDeviceCode({ scopes: [AKS_SCOPE], deviceCodeCallback: (r) => messages.push(r.message) });
    const issued = await next;
    assert.match(issued.message, /^To sign in, use a web browser to open the page https:\/\/127\.0\.0\.1:\d+\/devicelogin and enter the code [A-Z0-9]{9} to authenticate\.$/);
    const signInsBefore = entra.signIns();
    entra.approveDeviceCode(issued.userCode, DEMO_USER);
    const result = (await pending) as AuthenticationResult;
    assert.equal(messages[0], issued.message);
    assert.equal(entra.signIns(), signInsBefore + 1);
    const at = claimsOf(result.accessToken);
    assert.equal(at.aud, AKS_SERVER_ID);
    assert.equal(at.tid, DEMO_TENANT_ID);
    assert.equal(at.upn, DEMO_USER);
    assert.equal(at.iss, entra.issuerFor(DEMO_TENANT_ID));
    assert.equal(result.account?.username, DEMO_USER);
    assert.ok(entra.issuedTokens().includes(result.accessToken));

    // The access token verifies against the tenant JWKS.
    const jws = decodeJws(result.accessToken)!;
    const key = entra.jwksFor(DEMO_TENANT_ID).keys.find((k) => k.kid === jws.header.kid)!;
    assert.ok(verifyJwsSignature(jws, publicKeyFromJwk(key)));

    // Silent from cache: no new grant.
    const grantsBefore = entra.tokenGrants('refresh_token');
    const cached = await pca.acquireTokenSilent({ account: result.account!, scopes: [AKS_SCOPE] });
    assert.equal(cached.accessToken, result.accessToken);
    assert.equal(entra.tokenGrants('refresh_token'), grantsBefore);
    // forceRefresh: uses the refresh token.
    const refreshed = await pca.acquireTokenSilent({ account: result.account!, scopes: [AKS_SCOPE], forceRefresh: true });
    assert.notEqual(refreshed.accessToken, result.accessToken);
    assert.equal(entra.tokenGrants('refresh_token'), grantsBefore + 1);
    assert.ok(entra.requestLog.some((e) => e.grantType === 'refresh_token' && e.outcome === 'ok' && e.clientId === AKS_CLIENT_ID));
  });

  it('client credentials with a secret, and a wrong secret fails with AADSTS7000215', async () => {
    const app = entra.addApp({ displayName: 'spn-secret', secrets: ['s3cret-value'], roles: ['cluster.admin'] });
    const cca = new ConfidentialClientApplication(msalConfigFor(entra, net, { clientId: app.appId, tenant: DEMO_TENANT_ID, clientSecret: 's3cret-value' }));
    const result = (await cca.acquireTokenByClientCredential({ scopes: [AKS_SCOPE] }))!;
    const at = claimsOf(result.accessToken);
    assert.equal(at.aud, AKS_SERVER_ID);
    assert.equal(at.azp, app.appId);
    assert.equal(at.oid, app.servicePrincipalId);
    assert.deepEqual(at.roles, ['cluster.admin']);
    assert.equal(at.idtyp, 'app');

    const wrong = new ConfidentialClientApplication(msalConfigFor(entra, net, { clientId: app.appId, tenant: DEMO_TENANT_ID, clientSecret: 'nope' }));
    await assert.rejects(wrong.acquireTokenByClientCredential({ scopes: [AKS_SCOPE] }), (e: { errorCode?: string; errorMessage?: string }) => {
      assert.equal(e.errorCode, 'invalid_client');
      assert.match(e.errorMessage ?? '', /AADSTS7000215/);
      return true;
    });
  });

  it('client credentials with a certificate assertion (x5t#S256, PS256) and an unregistered one', async () => {
    const cert = createClientCertificate({ commonName: 'spn-cert' });
    const app = entra.addApp({ displayName: 'spn-cert', certificates: [cert.certPem] });
    const cca = new ConfidentialClientApplication(
      msalConfigFor(entra, net, { clientId: app.appId, tenant: DEMO_TENANT_ID, clientCertificate: { thumbprintSha256: cert.thumbprintSha256, privateKey: cert.keyPem, x5c: cert.certPem } }),
    );
    const result = (await cca.acquireTokenByClientCredential({ scopes: [AKS_SCOPE] }))!;
    assert.equal(claimsOf(result.accessToken).azp, app.appId);

    const other = createClientCertificate({ commonName: 'not-registered' });
    const bad = new ConfidentialClientApplication(
      msalConfigFor(entra, net, { clientId: app.appId, tenant: DEMO_TENANT_ID, clientCertificate: { thumbprintSha256: other.thumbprintSha256, privateKey: other.keyPem } }),
    );
    await assert.rejects(bad.acquireTokenByClientCredential({ scopes: [AKS_SCOPE] }), /AADSTS700027/);
  });

  it('organizations authority: the home tenant of the user issues; auto-approval and token lifetime switches', async () => {
    const pca = new PublicClientApplication(msalConfigFor(entra, net, { clientId: AKS_CLIENT_ID, tenant: 'organizations' }));
    entra.autoApproveDeviceCodes(DEMO_USER);
    entra.setTokenLifetimeSeconds(900);
    try {
      const result = (await pca.acquireTokenByDeviceCode({ scopes: [AKS_SCOPE], deviceCodeCallback: () => undefined }))!;
      const at = claimsOf(result.accessToken);
      assert.equal(at.tid, DEMO_TENANT_ID);
      assert.equal(Number(at.exp) - Number(at.iat), 900);
      assert.equal(result.account?.tenantId, DEMO_TENANT_ID);
    } finally {
      entra.autoApproveDeviceCodes(undefined);
      entra.setTokenLifetimeSeconds(3600);
    }
  });
});

describe('Entra emulator state across restarts (stateDir)', () => {
  it('keeps the CA, signing keys and refresh tokens, so an msal cache from the last run still works', async () => {
    const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubetray-entra-state-'));
    try {
      const first = await startEntraEmulator({ stateDir });
      const net1 = msalNetworkClient(first.caPem);
      const pca1 = new PublicClientApplication(msalConfigFor(first, net1, { clientId: AKS_CLIENT_ID, tenant: DEMO_TENANT_ID }));
      first.autoApproveDeviceCodes(DEMO_USER);
      const signedIn = (await pca1.acquireTokenByDeviceCode({ scopes: [AKS_SCOPE], deviceCodeCallback: () => undefined }))!;
      const cache = pca1.getTokenCache().serialize();
      const { port, caPem } = first;
      net1.destroy();
      await first.stop();
      assert.equal(fs.statSync(path.join(stateDir, 'entra-refresh-tokens.json')).mode & 0o777, 0o600);

      const second = await startEntraEmulator({ stateDir, port });
      const net2 = msalNetworkClient(second.caPem);
      try {
        assert.equal(second.caPem, caPem);
        const jws = decodeJws(signedIn.accessToken)!;
        assert.ok(second.jwksFor(DEMO_TENANT_ID).keys.some((k) => k.kid === jws.header.kid));
        const pca2 = new PublicClientApplication(msalConfigFor(second, net2, { clientId: AKS_CLIENT_ID, tenant: DEMO_TENANT_ID }));
        pca2.getTokenCache().deserialize(cache);
        const [account] = await pca2.getTokenCache().getAllAccounts();
        const refreshed = await pca2.acquireTokenSilent({ account: account!, scopes: [AKS_SCOPE], forceRefresh: true });
        assert.equal(claimsOf(refreshed.accessToken).upn, DEMO_USER);
        assert.equal(second.tokenGrants('refresh_token'), 1);
      } finally {
        net2.destroy();
        await second.stop();
      }
    } finally {
      fs.rmSync(stateDir, { recursive: true, force: true });
    }
  });
});
