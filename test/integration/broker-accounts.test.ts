/**
 * Several accounts of one tenant in one cache: a session keeps its own account across restarts
 * (the broker never guesses between two fitting accounts), and signing an account out drops its
 * tokens from every session that used it.
 */
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startEntraEmulator, type EntraEmulator } from '../emulators/entra/entra-emulator.js';
import { DEMO_USER } from '../emulators/entra/entra-directory.js';
import { SESSION_BINDINGS_FILE } from '../../shared/broker/session-bindings.js';
import { createBrokerHarness, userRequest, type BrokerHarness } from '../support/broker-harness.js';

const OPS_USER = 'ops@kubetray.dev';

describe('broker: several accounts of one tenant', () => {
  let entra: EntraEmulator;
  let h: BrokerHarness;
  let approveAs = DEMO_USER;
  let stopApproving: () => void = () => undefined;

  before(async () => {
    entra = await startEntraEmulator();
    entra.addUser({ username: OPS_USER, password: 'Ops-pass-1!' });
    h = createBrokerHarness(entra);
    stopApproving = entra.onDeviceCode((issued) => entra.approveDeviceCode(issued.userCode, approveAs));
  });
  after(async () => {
    stopApproving();
    await h.dispose();
    await entra.stop();
  });

  it('each session keeps its own account across a restart', async () => {
    approveAs = DEMO_USER;
    const plain = await h.broker.getToken(userRequest(entra), { interactive: true });
    approveAs = OPS_USER;
    const ops = await h.broker.getToken(userRequest(entra, { loginHint: OPS_USER }), { interactive: true });
    assert.equal(plain.account?.username, DEMO_USER);
    assert.equal(ops.account?.username, OPS_USER);
    assert.equal(fs.statSync(path.join(h.cacheDir, SESSION_BINDINGS_FILE)).mode & 0o777, 0o600);

    const broker = await h.restart();
    const signIns = entra.signIns();
    // Two accounts fit "this tenant, any user"; the session remembers it signed in as DEMO_USER.
    const again = await broker.getToken(userRequest(entra), { interactive: false });
    assert.equal(again.account?.username, DEMO_USER);
    assert.equal((await broker.getToken(userRequest(entra, { loginHint: OPS_USER }), { interactive: false })).account?.username, OPS_USER);
    assert.equal(entra.signIns(), signIns);
  });

  it('without that memory the broker does not guess between two accounts', async () => {
    fs.rmSync(path.join(h.cacheDir, SESSION_BINDINGS_FILE));
    const broker = await h.restart();
    await assert.rejects(broker.getToken(userRequest(entra), { interactive: false }), { code: 'auth/interaction-required' });
    assert.equal((await broker.getToken(userRequest(entra, { loginHint: DEMO_USER }), { interactive: false })).account?.username, DEMO_USER);
  });

  it('signing out an account drops its tokens from every session that used it', async () => {
    const broker = await h.restart();
    await broker.getToken(userRequest(entra, { loginHint: OPS_USER }), { interactive: false });
    await broker.getToken(userRequest(entra, { loginHint: OPS_USER, serverId: 'abababab-0000-4000-8000-0000000000ab' }), { interactive: false });
    await broker.getToken(userRequest(entra, { loginHint: DEMO_USER }), { interactive: false });
    const opsSession = broker.sessions().find((s) => s.account?.username === OPS_USER)!;
    await broker.signOut(opsSession.key);
    await assert.rejects(broker.getToken(userRequest(entra, { loginHint: OPS_USER, serverId: 'abababab-0000-4000-8000-0000000000ab' }), { interactive: false }), {
      code: 'auth/interaction-required',
    });
    assert.equal((await broker.getToken(userRequest(entra, { loginHint: DEMO_USER }), { interactive: false })).source, 'cache');
    assert.deepEqual(broker.sessions().filter((s) => s.state === 'signed-in').map((s) => s.account?.username), [DEMO_USER]);
    // The window now shows the ops session as needing a sign-in, with no account attached.
    const after = broker.sessions().find((s) => s.key === opsSession.key);
    assert.equal(after?.state, 'needs-sign-in');
    assert.equal(after?.account, undefined);
  });
});
