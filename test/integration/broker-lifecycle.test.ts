/**
 * Broker behaviour around time and lifecycle against the Entra emulator: --timeout covers
 * network work but not the person's sign-in, close() cancels a pending sign-in, events for the
 * window, and PoP tokens presented afresh on every serve.
 */
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { startEntraEmulator, type EntraEmulator } from '../emulators/entra/entra-emulator.js';
import { ARC_POP_CLIENT_ID, ARC_POP_SERVER_ID, DEMO_USER } from '../emulators/entra/entra-directory.js';
import { decodeJws } from '../emulators/jose/jose.js';
import type { BrokerEvent } from '../../shared/core/broker.js';
import { AppError } from '../../shared/core/app-error.js';
import { autoApproveDeviceCodes, createBrokerHarness, userRequest, type BrokerHarness } from '../support/broker-harness.js';
import { verifyPopToken } from '../support/methods-pop-verify.js';

const ARM_ID = '/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Kubernetes/connectedClusters/arc1';

describe('broker: time, lifecycle, events and PoP', () => {
  let entra: EntraEmulator;
  let h: BrokerHarness;

  before(async () => {
    entra = await startEntraEmulator();
    h = createBrokerHarness(entra);
  });
  after(async () => {
    await h.dispose();
    await entra.stop();
  });

  it('--timeout does not count the time a person takes to sign in', async () => {
    const events: BrokerEvent[] = [];
    const off = h.broker.on((e) => events.push(e));
    // The person approves well after the 200 ms network timeout has passed.
    const slowPerson = entra.onDeviceCode((issued) => setTimeout(() => entra.approveDeviceCode(issued.userCode, DEMO_USER), 800).unref());
    try {
      const t = await h.broker.getToken(userRequest(entra, { timeoutMs: 200 }), { interactive: true });
      assert.equal(t.source, 'sign-in');
    } finally {
      slowPerson();
      off();
    }
    assert.equal(events.filter((e) => e.type === 'sign-in-needed').length, 1);
    assert.ok(events.some((e) => e.type === 'sessions-changed'));
    assert.ok(events.some((e) => e.type === 'ledger' && e.entry.source === 'sign-in'));
  });

  it('--timeout does cap network work: a slow token endpoint gives auth/timeout', async () => {
    const fault = entra.faults.add({ target: 'token', delayMs: 1_500, times: 1 });
    try {
      await assert.rejects(h.broker.getToken(userRequest(entra, { serverId: 'a9a9a9a9-0000-4000-8000-00000000a9a9', timeoutMs: 200 }), { interactive: false }), (e: unknown) => {
        assert.ok(e instanceof AppError);
        assert.equal(e.code, 'auth/timeout');
        assert.match(e.message, /--timeout/);
        return true;
      });
      assert.equal(fault.hits, 1);
    } finally {
      fault.remove();
    }
  });

  it('a caller that goes away stops waiting; the others still get the token', async () => {
    const fault = entra.faults.add({ target: 'token', delayMs: 400, times: 1 });
    const leaving = new AbortController();
    const request = userRequest(entra, { serverId: 'b8b8b8b8-0000-4000-8000-00000000b8b8' });
    try {
      const gone = h.broker.getToken(request, { interactive: false, signal: leaving.signal });
      const staying = h.broker.getToken(request, { interactive: false });
      const goneSettled = assert.rejects(gone, { code: 'auth/cancelled' });
      leaving.abort();
      await goneSettled;
      assert.equal((await staying).source, 'refresh');
      assert.equal(fault.hits, 1, 'one refresh for both');
    } finally {
      fault.remove();
    }
  });

  it('PoP: a fresh signed token on every serve over one cached access token bound to the key', async () => {
    const request = userRequest(entra, { clientId: ARC_POP_CLIENT_ID, serverId: ARC_POP_SERVER_ID, popEnabled: true, popClaims: `u=${ARM_ID}` });
    const stop = autoApproveDeviceCodes(entra, DEMO_USER);
    let first;
    try {
      first = await h.broker.getToken(request, { interactive: true });
    } finally {
      stop();
    }
    const requests = entra.requestLog.length;
    const second = await h.broker.getToken(request, { interactive: false });
    assert.equal(second.source, 'cache');
    assert.equal(entra.requestLog.length, requests, 'no network for the second PoP token');
    const a = verifyPopToken(first.token);
    const b = verifyPopToken(second.token);
    assert.equal(a.header.typ, 'pop');
    assert.equal(a.payload.u, ARM_ID);
    assert.notEqual(first.token, second.token, 'signed afresh');
    assert.notEqual(a.payload.nonce, b.payload.nonce);
    assert.equal(a.payload.at, b.payload.at, 'the same access token underneath');
    const inner = decodeJws(a.payload.at)!.payload as { cnf?: { kid?: string } };
    assert.equal(inner.cnf?.kid, a.header.kid, 'the access token is bound to the PoP key');
    // A Bearer request for the same cluster never gets the PoP-bound token.
    const stop2 = autoApproveDeviceCodes(entra, DEMO_USER);
    try {
      const bearer = await h.broker.getToken({ ...request, popEnabled: false, popClaims: undefined }, { interactive: true });
      assert.equal(decodeJws(bearer.token)!.header.typ, 'JWT');
      assert.notEqual(bearer.token, a.payload.at);
      assert.equal((decodeJws(bearer.token)!.payload as { cnf?: unknown }).cnf, undefined);
    } finally {
      stop2();
    }
  });

  it('a non-interactive caller waits for a sign-in somebody else already started', async () => {
    const tenant = entra.addTenant({ displayName: 'Wait tenant', users: [{ username: 'wait@wait.example', password: 'Wait-pass-1!' }] });
    let approve!: () => void;
    const shown = new Promise<void>((resolve) => {
      const off = entra.onDeviceCode((issued) => {
        off();
        approve = () => entra.approveDeviceCode(issued.userCode, 'wait@wait.example');
        resolve();
      });
    });
    const request = userRequest(entra, { tenantId: tenant.id });
    const starter = h.broker.getToken(request, { interactive: true });
    await shown;
    const heard: string[] = [];
    const waiter = h.broker.getToken(request, { interactive: false, onProgress: (p) => heard.push(p.kind) });
    approve();
    const [a, b] = await Promise.all([starter, waiter]);
    assert.equal(a.token, b.token);
    assert.ok(heard.includes('device-code'), 'the waiter heard the device code too');
  });

  it('close() cancels a sign-in in progress for its waiters and refuses new requests', async () => {
    const broker = await h.restart();
    const shown = new Promise<void>((resolve) => {
      const off = entra.onDeviceCode(() => {
        off();
        resolve();
      });
    });
    const pending = broker.getToken(userRequest(entra, { tenantId: 'organizations', loginHint: 'nobody@kubetray.dev' }), { interactive: true });
    const settled = assert.rejects(pending, { code: 'auth/cancelled' });
    await shown;
    await broker.close();
    await settled;
    await assert.rejects(broker.getToken(userRequest(entra), { interactive: false }), { code: 'pipe/closed' });
  });
});
