/**
 * Fault switches as msal-node sees them: delay, HTTP 5xx, 429 + Retry-After, malformed JSON and
 * an AADSTS error for the next N calls, scoped per tenant or global.
 */
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { ConfidentialClientApplication } from '@azure/msal-node';
import { startEntraEmulator, type EntraEmulator } from './entra/entra-emulator.js';
import { AKS_SERVER_ID, DEMO_TENANT_ID } from './entra/entra-directory.js';
import { msalConfigFor, msalNetworkClient, type EmulatorNetworkClient } from '../support/emulators-msal.js';

const SCOPES = [`${AKS_SERVER_ID}/.default`];

describe('Entra emulator faults', () => {
  let entra: EntraEmulator;
  let net: EmulatorNetworkClient;
  let clientId: string;

  before(async () => {
    entra = await startEntraEmulator({ tenants: [{ id: 'b2c2d2e2-0000-4000-8000-000000000002', domains: ['other.test'] }] });
    net = msalNetworkClient(entra.caPem);
    clientId = entra.addApp({ displayName: 'faulty', secrets: ['f-secret'] }).appId;
    entra.addApp({ appId: clientId, displayName: 'faulty', secrets: ['f-secret'] }, 'other.test');
  });
  after(async () => {
    net.destroy();
    await entra.stop();
  });

  // A fresh app per call: msal-node keeps throttling state and tokens in its own cache.
  const acquire = (tenant = DEMO_TENANT_ID) =>
    new ConfidentialClientApplication(msalConfigFor(entra, net, { clientId, tenant, clientSecret: 'f-secret' })).acquireTokenByClientCredential({ scopes: SCOPES, skipCache: true });

  it('an AADSTS error for the next N calls, then normal answers', async () => {
    const fault = entra.faults.add({ aadsts: 'caBlocked', times: 2 });
    await assert.rejects(acquire(), /AADSTS53003/);
    await assert.rejects(acquire(), /AADSTS53003/);
    assert.ok((await acquire())?.accessToken);
    assert.equal(fault.hits, 2);
  });

  it('HTTP 503 with an Entra server_error body', async () => {
    const fault = entra.faults.add({ status: 503, times: 1 });
    await assert.rejects(acquire(), /server_error|AADSTS90033/);
    assert.equal(fault.hits, 1);
    assert.equal(entra.requestLog.at(-1)?.status, 503);
  });

  it('429 with Retry-After reaches msal-node', async () => {
    const fault = entra.faults.add({ throttleRetryAfter: 7, times: 1 });
    const res = await net.sendPostRequestAsync<Record<string, unknown>>(entra.tokenEndpoint(DEMO_TENANT_ID), {
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: 'f-secret', scope: SCOPES[0]! }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(res.status, 429);
    assert.equal(res.headers['retry-after'], '7');
    assert.equal(res.body.error, 'temporarily_unavailable');
    entra.faults.add({ throttleRetryAfter: 7, times: 1 });
    await assert.rejects(acquire(), /temporarily_unavailable|AADSTS50196|throttl/i);
    assert.equal(fault.hits, 1);
  });

  it('malformed JSON makes the call fail instead of hanging', async () => {
    entra.faults.add({ malformedJson: true, times: 1 });
    // msal-node wraps the network client's parse failure as network_error.
    await assert.rejects(acquire(), /parse|network_error/i);
    assert.ok(await acquire());
  });

  it('a delay holds the answer but it still succeeds; removal stops the fault', async () => {
    const fault = entra.faults.add({ delayMs: 20 });
    assert.ok(await acquire());
    assert.ok(await acquire());
    assert.equal(fault.hits, 2);
    fault.remove();
    assert.ok(await acquire());
    assert.equal(fault.hits, 2);
  });

  it('tenant-scoped faults hit only that tenant; metadata faults hit discovery', async () => {
    const fault = entra.faults.add({ tenant: 'other.test', aadsts: 'serverError' });
    assert.ok(await acquire(DEMO_TENANT_ID));
    await assert.rejects(acquire('other.test'));
    fault.remove();
    assert.ok(await acquire('other.test'));
    const discovery = entra.faults.add({ target: 'metadata', status: 500, times: 1 });
    await assert.rejects(acquire('other.test'));
    assert.equal(discovery.hits, 1);
    assert.ok(entra.requestLog.some((e) => e.path.endsWith('/openid-configuration') && e.outcome === 'fault'));
    entra.faults.add({ target: 'all', status: 500, times: 1 });
    await assert.rejects(acquire('other.test'));
    entra.faults.clear();
    assert.ok(await acquire('other.test'));
  });
});
