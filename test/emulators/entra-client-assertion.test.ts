/**
 * Certificate client assertions checked like Entra (certificate-credentials doc): x5t (SHA-1,
 * RS256) through real msal-node, and hand-built assertions for every rejection: audience,
 * issuer, time, signature, jti replay.
 */
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import { ConfidentialClientApplication } from '@azure/msal-node';
import { startEntraEmulator, type EntraEmulator } from './entra/entra-emulator.js';
import { AKS_SERVER_ID, DEMO_TENANT_ID } from './entra/entra-directory.js';
import { nowSeconds, signJws, type JsonObject } from './jose/jose.js';
import { createClientCertificate, type ClientCertificate } from './tls/test-ca.js';
import { msalConfigFor, msalNetworkClient, type EmulatorNetworkClient } from '../support/emulators-msal.js';

const SCOPE = `${AKS_SERVER_ID}/.default`;

describe('certificate client assertions', () => {
  let entra: EntraEmulator;
  let net: EmulatorNetworkClient;
  let cert: ClientCertificate;
  let appId: string;

  before(async () => {
    entra = await startEntraEmulator({ rejectJtiReplay: true });
    net = msalNetworkClient(entra.caPem);
    cert = createClientCertificate({ commonName: 'assertion-test' });
    appId = entra.addApp({ displayName: 'assertion-test', certificates: [cert.certPem] }).appId;
  });
  after(async () => {
    net.destroy();
    await entra.stop();
  });

  const x5t = (hex: string) => Buffer.from(hex, 'hex').toString('base64url');

  function assertion(overrides: { header?: JsonObject; payload?: JsonObject; key?: crypto.KeyObject } = {}): string {
    const now = nowSeconds();
    return signJws(
      { alg: 'RS256', typ: 'JWT', x5t: x5t(cert.thumbprintSha1), ...overrides.header },
      { aud: entra.tokenEndpoint(DEMO_TENANT_ID), iss: appId, sub: appId, jti: crypto.randomUUID(), nbf: now, exp: now + 600, ...overrides.payload },
      overrides.key ?? crypto.createPrivateKey(cert.keyPem),
    );
  }

  const redeem = (clientAssertion: string) =>
    net.sendPostRequestAsync<{ error_codes?: number[]; access_token?: string }>(entra.tokenEndpoint(DEMO_TENANT_ID), {
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: appId,
        scope: SCOPE,
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: clientAssertion,
      }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });

  it('msal-node with a SHA-1 thumbprint (x5t, RS256) gets a token', async () => {
    const sha1 = new ConfidentialClientApplication(
      msalConfigFor(entra, net, { clientId: appId, tenant: DEMO_TENANT_ID, clientCertificate: { thumbprint: cert.thumbprintSha1, privateKey: cert.keyPem } }),
    );
    const result = await sha1.acquireTokenByClientCredential({ scopes: [SCOPE] });
    assert.ok(result?.accessToken);
  });

  it('accepts a hand-built RS256/x5t and PS256/x5t#S256 assertion', async () => {
    assert.ok((await redeem(assertion())).body.access_token);
    const ps = assertion({ header: { alg: 'PS256', x5t: undefined, 'x5t#S256': x5t(cert.thumbprintSha256) } });
    assert.ok((await redeem(ps)).body.access_token);
  });

  it('rejects wrong audience, issuer, times, signature, unknown thumbprint and a replayed jti', async () => {
    const other = createClientCertificate({ commonName: 'other' });
    const replayed = assertion();
    assert.ok((await redeem(replayed)).body.access_token);
    const cases: [string, string, number][] = [
      ['audience', assertion({ payload: { aud: 'https://login.microsoftonline.com/x/oauth2/v2.0/token' } }), 50027],
      ['issuer', assertion({ payload: { iss: 'someone-else' } }), 50027],
      ['expired', assertion({ payload: { exp: nowSeconds() - 3600 } }), 700024],
      ['not yet valid', assertion({ payload: { nbf: nowSeconds() + 3600 } }), 700024],
      ['no jti', assertion({ payload: { jti: '' } }), 50027],
      ['signature by another key', assertion({ key: crypto.createPrivateKey(other.keyPem) }), 700027],
      ['unregistered thumbprint', assertion({ header: { x5t: x5t(other.thumbprintSha1) }, key: crypto.createPrivateKey(other.keyPem) }), 700027],
      ['alg none', `${Buffer.from('{"alg":"none","x5t":"' + x5t(cert.thumbprintSha1) + '"}').toString('base64url')}.${Buffer.from('{}').toString('base64url')}.`, 700027],
      ['replayed jti', replayed, 700229],
    ];
    for (const [name, token, code] of cases) {
      const res = await redeem(token);
      assert.equal(res.status, 401, name);
      assert.deepEqual(res.body.error_codes, [code], name);
    }
  });
});
