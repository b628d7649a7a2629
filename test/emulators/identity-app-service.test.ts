/**
 * App Service managed identity (IDENTITY_ENDPOINT + IDENTITY_HEADER, api 2019-08-01) through real
 * msal-node in its own process (msal-node fixes the source per process).
 */
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import { ManagedIdentityApplication } from '@azure/msal-node';
import { startEntraEmulator, type EntraEmulator } from './entra/entra-emulator.js';
import { startIdentityEmulator, type IdentityEmulator } from './identity/identity-emulator.js';
import { AKS_SERVER_ID } from './entra/entra-directory.js';
import { decodeJws } from './jose/jose.js';
import { msalNetworkClient, type EmulatorNetworkClient } from '../support/emulators-msal.js';

describe('App Service managed identity emulator with msal-node', () => {
  let entra: EntraEmulator;
  let identity: IdentityEmulator;
  let net: EmulatorNetworkClient;
  const keys = ['IDENTITY_ENDPOINT', 'IDENTITY_HEADER'] as const;
  const saved = keys.map((k) => process.env[k]);

  before(async () => {
    entra = await startEntraEmulator();
    identity = await startIdentityEmulator({ entra });
    net = msalNetworkClient(entra.caPem);
    Object.assign(process.env, identity.appServiceEnv());
  });
  after(async () => {
    keys.forEach((k, i) => {
      if (saved[i] === undefined) delete process.env[k];
      else process.env[k] = saved[i];
    });
    net.destroy();
    await identity.stop();
    await entra.stop();
  });

  it('rejects a call without the X-IDENTITY-HEADER secret', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      http.get(`${identity.appServiceEnv().IDENTITY_ENDPOINT}?api-version=2019-08-01&resource=${AKS_SERVER_ID}`, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      }).on('error', reject);
    });
    assert.equal(status, 401);
  });

  it('issues system- and user-assigned tokens through msal-node', async () => {
    const system = new ManagedIdentityApplication({ system: { networkClient: net, disableInternalRetries: true } });
    assert.equal(system.getManagedIdentitySource(), 'AppService');
    const result = await system.acquireToken({ resource: `${AKS_SERVER_ID}/.default` });
    const claims = decodeJws(result.accessToken)!.payload;
    assert.equal(claims.aud, AKS_SERVER_ID);
    assert.equal(claims.oid, identity.systemAssigned.principalId);

    const uami = identity.addManagedIdentity();
    const user = new ManagedIdentityApplication({ managedIdentityIdParams: { userAssignedObjectId: uami.principalId }, system: { networkClient: net, disableInternalRetries: true } });
    const userResult = await user.acquireToken({ resource: AKS_SERVER_ID });
    assert.equal(decodeJws(userResult.accessToken)!.payload.appid, uami.clientId);
    assert.equal(identity.calls('app-service'), 2);
  });
});
