/**
 * Federated client assertions (workload identity, GitHub Actions, Azure Pipelines) through real
 * msal-node ConfidentialClientApplication with an assertion callback.
 */
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import { ConfidentialClientApplication } from '@azure/msal-node';
import { startEntraEmulator, type EntraEmulator } from './entra/entra-emulator.js';
import { startIdentityEmulator, type IdentityEmulator } from './identity/identity-emulator.js';
import { AKS_SERVER_ID, DEMO_TENANT_ID } from './entra/entra-directory.js';
import { decodeJws } from './jose/jose.js';
import { OidcIssuer } from './identity/oidc-issuer.js';
import { msalConfigFor, msalNetworkClient, type EmulatorNetworkClient } from '../support/emulators-msal.js';

const SCOPE = `${AKS_SERVER_ID}/.default`;

function request(method: 'GET' | 'POST', url: string, authorization: string): Promise<{ status: number; body: Record<string, string> }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers: { authorization, 'content-type': 'application/json' } }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(body) as Record<string, string> }));
    });
    req.on('error', reject);
    req.end(method === 'POST' ? '{}' : undefined);
  });
}

describe('federated credentials', () => {
  let entra: EntraEmulator;
  let identity: IdentityEmulator;
  let net: EmulatorNetworkClient;

  before(async () => {
    entra = await startEntraEmulator();
    identity = await startIdentityEmulator({ entra });
    net = msalNetworkClient(entra.caPem);
  });
  after(async () => {
    net.destroy();
    await identity.stop();
    await entra.stop();
  });

  const cca = (clientId: string, assertion: () => Promise<string>) =>
    new ConfidentialClientApplication(msalConfigFor(entra, net, { clientId, tenant: DEMO_TENANT_ID, clientAssertion: assertion }));

  it('workload identity: a token from the trusted external issuer is exchanged; mismatches get AADSTS codes', async () => {
    const subject = 'system:serviceaccount:default:workload';
    const app = entra.addApp({ displayName: 'wi', federatedCredentials: [{ issuer: entra.externalIssuer, subject }] });
    const ok = await cca(app.appId, async () => entra.mintFederatedToken({ subject })).acquireTokenByClientCredential({ scopes: [SCOPE] });
    assert.equal(decodeJws(ok!.accessToken)!.payload.azp, app.appId);
    assert.equal(entra.tokenGrants('client_credentials'), 1);

    const cases: [string, () => string, RegExp][] = [
      ['wrong subject', () => entra.mintFederatedToken({ subject: 'system:serviceaccount:default:other' }), /AADSTS70021/],
      ['wrong audience', () => entra.mintFederatedToken({ subject, audience: 'api://something-else' }), /AADSTS700212/],
      ['expired', () => entra.mintFederatedToken({ subject, lifetimeSeconds: -600 }), /AADSTS700024/],
      ['untrusted issuer', () => new OidcIssuer('https://issuer.invalid').mint({ sub: subject, aud: 'api://AzureADTokenExchange' }), /AADSTS700211/],
    ];
    for (const [name, make, expected] of cases) {
      await assert.rejects(cca(app.appId, async () => make()).acquireTokenByClientCredential({ scopes: [SCOPE], skipCache: true }), expected, name);
    }
  });

  it('GitHub Actions: the OIDC request token is checked and its id token is accepted by Entra', async () => {
    const env = identity.github.env();
    const url = `${env.ACTIONS_ID_TOKEN_REQUEST_URL}&audience=api://AzureADTokenExchange`;
    assert.equal((await request('GET', url, 'bearer wrong')).status, 401);
    const app = identity.federatedApp('github');
    const result = await cca(app.appId, async () => (await request('GET', url, `bearer ${env.ACTIONS_ID_TOKEN_REQUEST_TOKEN}`)).body.value!).acquireTokenByClientCredential({ scopes: [SCOPE] });
    assert.equal(decodeJws(result!.accessToken)!.payload.azp, app.appId);
    assert.equal(identity.calls('github'), 1);
  });

  it('Azure Pipelines: the OIDC endpoint needs SYSTEM_ACCESSTOKEN and a service connection', async () => {
    const env = identity.pipelines.env();
    const url = `${env.SYSTEM_OIDCREQUESTURI}?api-version=7.1&serviceConnectionId=sc-1`;
    assert.equal((await request('POST', url, 'Bearer wrong')).status, 401);
    assert.equal((await request('POST', `${env.SYSTEM_OIDCREQUESTURI}?api-version=7.1`, `Bearer ${env.SYSTEM_ACCESSTOKEN}`)).status, 400);
    const app = identity.federatedApp('pipelines', { serviceConnectionId: 'sc-1' });
    const result = await cca(app.appId, async () => (await request('POST', url, `Bearer ${env.SYSTEM_ACCESSTOKEN}`)).body.oidcToken!).acquireTokenByClientCredential({ scopes: [SCOPE] });
    assert.equal(decodeJws(result!.accessToken)!.payload.azp, app.appId);
    // Another service connection's token does not match this app's credential.
    const otherUrl = `${env.SYSTEM_OIDCREQUESTURI}?api-version=7.1&serviceConnectionId=sc-2`;
    await assert.rejects(
      cca(app.appId, async () => (await request('POST', otherUrl, `Bearer ${env.SYSTEM_ACCESSTOKEN}`)).body.oidcToken!).acquireTokenByClientCredential({ scopes: [SCOPE], skipCache: true }),
      /AADSTS70021/,
    );
  });
});
