/**
 * Conditional Access and revoked sign-ins through the real TokenBroker and the Entra ID emulator:
 * - device code blocked by policy (AADSTS53003, 50097) -> auth/device-code-blocked whose message
 *   names the fix (the KubeTray tray window, or -l interactive);
 * - ropc: a refresh token revoked with AADSTS50173 / 70043 / 700082 is dropped and the password
 *   grant runs exactly once; a 53003 block is reported, not retried.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AppError } from '../../shared/core/app-error.js';
import type { SignInProgress, TokenRequest } from '../../shared/core/token-request.js';
import { createTokenBroker, type TokenBroker } from '../../shared/broker/token-broker.js';
import { startEntraEmulator, type EntraEmulator } from '../emulators/entra/entra-emulator.js';
import { AKS_CLIENT_ID, AKS_SERVER_ID, DEMO_PASSWORD, DEMO_TENANT_ID, DEMO_USER } from '../emulators/entra/entra-directory.js';
import { createTestSecretBox } from '../support/methods-secret-box.js';
import { noWindow } from '../support/broker-harness.js';

let entra: EntraEmulator;
let dir: string;
const brokers: TokenBroker[] = [];
const box = createTestSecretBox();

function newBroker(): TokenBroker {
  const b = createTokenBroker({ cacheDir: path.join(dir, 'cache'), secretBox: box, signInWindow: noWindow, caPem: entra.caPem, env: {} });
  brokers.push(b);
  return b;
}

before(async () => {
  entra = await startEntraEmulator();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubetray-ca-'));
});
after(async () => {
  for (const b of brokers) await b.close();
  await entra.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

const deviceCode = (): TokenRequest => ({ login: 'devicecode', serverId: AKS_SERVER_ID, clientId: AKS_CLIENT_ID, tenantId: DEMO_TENANT_ID, authorityHost: entra.authorityHost });

for (const [name, spec] of [
  ['AADSTS53003 (authentication flows policy)', 'caBlocked'],
  ['AADSTS50097 (device authentication required)', { status: 400, error: 'invalid_grant', code: 50097, description: 'Device authentication is required.' }],
] as const) {
  test(`devicecode blocked by Conditional Access, ${name}: the message names the fix`, async () => {
    const broker = newBroker();
    const fault = entra.faults.add({ target: 'token', aadsts: spec, times: 1 });
    const progress: SignInProgress[] = [];
    const stop = entra.onDeviceCode((issued) => entra.approveDeviceCode(issued.userCode, DEMO_USER));
    try {
      await assert.rejects(broker.getToken(deviceCode(), { interactive: true, onProgress: (p) => progress.push(p) }), (e: unknown) => {
        assert.ok(e instanceof AppError);
        assert.equal(e.code, 'auth/device-code-blocked');
        assert.match(e.message, /-l interactive/);
        assert.match(e.message, /KubeTray tray window/);
        return true;
      });
      assert.equal(fault.hits, 1, 'no retry loop');
      assert.ok(progress.some((p) => p.kind === 'device-code'), 'the person saw the code first');
    } finally {
      stop();
      fault.remove();
    }
  });
}

const ropc = (over: Partial<TokenRequest> = {}): TokenRequest => ({
  login: 'ropc',
  serverId: AKS_SERVER_ID,
  clientId: AKS_CLIENT_ID,
  tenantId: DEMO_TENANT_ID,
  authorityHost: entra.authorityHost,
  username: DEMO_USER,
  password: DEMO_PASSWORD,
  ...over,
});

for (const code of ['refreshRevoked', 'refreshSignInFrequency', 'refreshInactive'] as const) {
  test(`ropc: refresh token refused with ${code} -> account dropped, one password grant`, async () => {
    await newBroker().getToken(ropc(), { interactive: false });
    const passwords = entra.tokenGrants('password');
    // PoP makes msal redeem the refresh token (a PoP access token is never served from its cache).
    const fault = entra.faults.add({ target: 'token', aadsts: code, times: 1 });
    try {
      const t = await newBroker().getToken(ropc({ popEnabled: true, popClaims: 'u=cluster.example' }), { interactive: false });
      assert.ok(t.token.length > 0);
      assert.equal(fault.hits, 1);
      assert.equal(entra.tokenGrants('password'), passwords + 1);
    } finally {
      fault.remove();
    }
  });
}

test('ropc: AADSTS53003 is reported as a block with the admin hint, not retried', async () => {
  const fault = entra.faults.add({ target: 'token', aadsts: 'caBlocked' });
  try {
    await assert.rejects(newBroker().getToken(ropc({ username: 'nobody-cached@kubetray.dev' }), { interactive: false }), (e: unknown) => {
      assert.ok(e instanceof AppError);
      assert.equal(e.code, 'auth/ca-blocked');
      assert.match(e.message, /Conditional Access/);
      return true;
    });
    assert.equal(fault.hits, 1);
  } finally {
    fault.remove();
  }
});

test('ropc with an MFA account: names -l interactive / -l devicecode instead of "sign in again"', async () => {
  entra.addUser({ username: 'mfa-ropc@kubetray.dev', password: 'Mfa-ropc-1!', mfa: true });
  await assert.rejects(newBroker().getToken(ropc({ username: 'mfa-ropc@kubetray.dev', password: 'Mfa-ropc-1!' }), { interactive: false }), (e: unknown) => {
    assert.ok(e instanceof AppError);
    assert.equal(e.code, 'auth/unsupported-method');
    assert.match(e.message, /AADSTS50076/);
    assert.match(e.message, /-l interactive/);
    assert.ok(!e.message.includes('Mfa-ropc-1!'));
    return true;
  });
});
