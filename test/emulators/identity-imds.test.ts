/**
 * IMDS through real msal-node ManagedIdentityApplication (AZURE_POD_IDENTITY_AUTHORITY_HOST),
 * system- and user-assigned; tokens verified by the Kubernetes emulator. msal-node fixes its
 * managed identity source per process, so App Service has its own test file.
 */
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import { ManagedIdentityApplication } from '@azure/msal-node';
import { startEntraEmulator, type EntraEmulator } from './entra/entra-emulator.js';
import { startIdentityEmulator, type IdentityEmulator } from './identity/identity-emulator.js';
import { startKubeEmulator, type KubeEmulator } from './kube/kube-emulator.js';
import { AKS_SERVER_ID } from './entra/entra-directory.js';
import { decodeJws } from './jose/jose.js';
import { msalNetworkClient, type EmulatorNetworkClient } from '../support/emulators-msal.js';
import { verifyAccessToken } from './kube/kube-auth.js';

function rawGet(url: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http.get(url, { headers }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

describe('IMDS emulator with msal-node', () => {
  let entra: EntraEmulator;
  let identity: IdentityEmulator;
  let kube: KubeEmulator;
  let net: EmulatorNetworkClient;
  const saved = process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST;

  before(async () => {
    entra = await startEntraEmulator();
    identity = await startIdentityEmulator({ entra });
    kube = await startKubeEmulator({ entra });
    net = msalNetworkClient(entra.caPem);
    Object.assign(process.env, identity.imdsEnv());
  });
  after(async () => {
    if (saved === undefined) delete process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST;
    else process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST = saved;
    net.destroy();
    await identity.stop();
    await kube.stop();
    await entra.stop();
  });

  it('requires the Metadata header and a resource', async () => {
    const url = `${identity.origin}/metadata/identity/oauth2/token?api-version=2018-02-01&resource=${AKS_SERVER_ID}`;
    const noHeader = await rawGet(url, {});
    assert.equal(noHeader.status, 400);
    assert.match(noHeader.body, /Required metadata header not specified/);
    const noResource = await rawGet(`${identity.origin}/metadata/identity/oauth2/token?api-version=2018-02-01`, { Metadata: 'true' });
    assert.equal(noResource.status, 400);
  });

  it('issues system-assigned and user-assigned tokens that the API server accepts', async () => {
    const system = new ManagedIdentityApplication({ system: { networkClient: net, disableInternalRetries: true } });
    assert.equal(system.getManagedIdentitySource(), 'DefaultToImds');
    const result = await system.acquireToken({ resource: AKS_SERVER_ID });
    const claims = decodeJws(result.accessToken)!.payload;
    assert.equal(claims.aud, AKS_SERVER_ID);
    assert.equal(claims.oid, identity.systemAssigned.principalId);
    assert.equal(claims.appid, identity.systemAssigned.clientId);
    assert.equal(claims.ver, '1.0');
    assert.equal(claims.xms_mirid, identity.systemAssigned.resourceId);
    assert.ok(result.expiresOn!.getTime() > Date.now() + 3600_000);
    assert.doesNotThrow(() => verifyAccessToken(result.accessToken, { keys: () => entra.jwksFor().keys, issuersFor: (tid) => [entra.issuerFor(tid, '1.0')], audiences: [AKS_SERVER_ID], popHost: kube.popHost }));

    const uami = identity.addManagedIdentity();
    const user = new ManagedIdentityApplication({ managedIdentityIdParams: { userAssignedClientId: uami.clientId }, system: { networkClient: net, disableInternalRetries: true } });
    const userResult = await user.acquireToken({ resource: AKS_SERVER_ID });
    assert.equal(decodeJws(userResult.accessToken)!.payload.oid, uami.principalId);

    const byResourceId = new ManagedIdentityApplication({ managedIdentityIdParams: { userAssignedResourceId: uami.resourceId }, system: { networkClient: net, disableInternalRetries: true } });
    const byResource = await byResourceId.acquireToken({ resource: AKS_SERVER_ID, forceRefresh: true });
    assert.equal(decodeJws(byResource.accessToken)!.payload.oid, uami.principalId);
    assert.equal(identity.calls('imds'), 3);
  });
});
