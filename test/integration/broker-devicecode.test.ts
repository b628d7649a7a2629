/**
 * The broker with real msal-node against the local Entra ID emulator, device code flow:
 * single-flight sign-in, answers from memory, restart from the encrypted cache, revoked refresh
 * tokens, non-interactive callers, and tenants/accounts side by side.
 */
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startEntraEmulator, type EntraEmulator } from '../emulators/entra/entra-emulator.js';
import { DEMO_USER } from '../emulators/entra/entra-directory.js';
import { decodeJws } from '../emulators/jose/jose.js';
import type { SignInProgress } from '../../shared/core/token-request.js';
import { AppError } from '../../shared/core/app-error.js';
import { autoApproveDeviceCodes, createBrokerHarness, userRequest, type BrokerHarness } from '../support/broker-harness.js';

const OTHER_SERVER_ID = 'a0b1c2d3-0000-4000-8000-00000000beef';

function claims(token: string): Record<string, unknown> {
  const jws = decodeJws(token);
  assert.ok(jws, 'a JWS');
  return jws.payload;
}

function allFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? allFiles(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

describe('broker: device code against the Entra emulator', () => {
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

  it('20 concurrent callers on a cold broker share exactly one sign-in and all see the device code', async () => {
    const signInsBefore = entra.signIns();
    const progress: SignInProgress[][] = Array.from({ length: 20 }, () => []);
    let approved = false;
    const calls = progress.map((seen) =>
      h.broker.getToken(userRequest(entra), {
        interactive: true,
        caller: { pid: 4242, parentCommand: 'kubectl get pods' },
        onProgress: (p) => {
          seen.push(p);
          if (p.kind === 'device-code' && !approved) {
            approved = true;
            entra.approveDeviceCode(p.userCode, DEMO_USER);
          }
        },
      }),
    );
    const tokens = await Promise.all(calls);
    assert.equal(entra.signIns(), signInsBefore + 1);
    assert.equal(entra.requestLog.filter((e) => e.grantType === 'device_code_request').length, 1);
    assert.equal(new Set(tokens.map((t) => t.token)).size, 1);
    for (const t of tokens) assert.equal(t.source, 'sign-in');
    for (const seen of progress) assert.ok(seen.some((p) => p.kind === 'device-code' && /enter the code/.test(p.message)), 'every waiter saw the device code');
    const at = claims(tokens[0]!.token);
    assert.equal(at.upn, DEMO_USER);
    assert.equal(tokens[0]!.account?.username, DEMO_USER);
    assert.ok(tokens[0]!.expiresOn > Date.now() + 30 * 60_000);
    const session = h.broker.sessions().find((s) => s.account?.username === DEMO_USER);
    assert.equal(session?.state, 'signed-in');
    assert.equal(h.broker.ledger().filter((e) => e.source === 'sign-in').length, 20);
    assert.equal(h.broker.ledger()[0]?.caller?.parentCommand, 'kubectl get pods');
  });

  it('answers from memory without any network request', async () => {
    const before = entra.requestLog.length;
    const t = await h.broker.getToken(userRequest(entra), { interactive: false });
    assert.equal(t.source, 'cache');
    assert.equal(entra.requestLog.length, before);
  });

  it('a non-interactive caller without a saved sign-in fails fast and says where to sign in', async () => {
    const before = entra.requestLog.length;
    await assert.rejects(h.broker.getToken(userRequest(entra, { tenantId: 'b2b2b2b2-0000-4000-8000-000000000000' }), { interactive: false }), (e: unknown) => {
      assert.ok(e instanceof AppError);
      assert.equal(e.code, 'auth/interaction-required');
      assert.match(e.message, /KubeTray window/);
      assert.match(e.message, /kubetray get-token/);
      return true;
    });
    assert.ok(entra.requestLog.slice(before).every((r) => r.grantType !== 'device_code_request'), 'no sign-in was started');
  });

  it('a login hint for another account never gets this account\'s token', async () => {
    await assert.rejects(h.broker.getToken(userRequest(entra, { loginHint: 'someone-else@kubetray.dev' }), { interactive: false }), { code: 'auth/interaction-required' });
  });

  it('a second scope of the same account is served silently with the refresh token', async () => {
    const signIns = entra.signIns();
    const refreshes = entra.tokenGrants('refresh_token');
    const t = await h.broker.getToken(userRequest(entra, { serverId: OTHER_SERVER_ID }), { interactive: false });
    assert.equal(t.source, 'refresh');
    assert.equal(claims(t.token).aud, OTHER_SERVER_ID);
    assert.equal(entra.signIns(), signIns);
    assert.equal(entra.tokenGrants('refresh_token'), refreshes + 1);
  });

  it('after a restart (new broker, same cache dir) answers from the encrypted MSAL cache without a sign-in', async () => {
    const broker = await h.restart();
    const requests = entra.requestLog.length;
    const t = await broker.getToken(userRequest(entra), { interactive: false });
    assert.equal(t.source, 'cache');
    assert.equal(entra.requestLog.length, requests, 'not even the authority metadata is fetched again');
    assert.equal(t.account?.username, DEMO_USER);
  });

  it('keeps the cache encrypted at rest, 0600 in a 0700 directory', () => {
    const files = allFiles(h.cacheDir).filter((f) => path.basename(f).startsWith('msal-'));
    assert.ok(files.length >= 1, 'a cache file exists');
    assert.equal(fs.statSync(h.cacheDir).mode & 0o777, 0o700);
    const issued = entra.issuedTokens();
    for (const f of files) {
      assert.equal(fs.statSync(f).mode & 0o777, 0o600, f);
      const text = fs.readFileSync(f).toString('latin1');
      for (const token of issued) {
        for (const part of token.split('.')) if (part.length > 16) assert.ok(!text.includes(part), `token material on disk in ${path.basename(f)}`);
      }
      assert.ok(!text.includes(DEMO_USER), 'no plain account data on disk');
    }
  });

  it('a revoked refresh token drops the account and leads to exactly one new sign-in, saying why', async () => {
    const broker = await h.restart();
    entra.revokeRefreshTokens({ username: DEMO_USER }, 'revoked');
    const signIns = entra.signIns();
    const stop = autoApproveDeviceCodes(entra, DEMO_USER);
    const seen: SignInProgress[] = [];
    try {
      // A new scope needs the refresh token, which Entra now rejects with AADSTS50173.
      const t = await broker.getToken(userRequest(entra, { serverId: 'c0c0c0c0-0000-4000-8000-00000000c0c0' }), { interactive: true, onProgress: (p) => seen.push(p) });
      assert.equal(t.source, 'sign-in');
    } finally {
      stop();
    }
    assert.equal(entra.signIns(), signIns + 1);
    assert.ok(seen.some((p) => p.kind === 'info' && /AADSTS50173/.test(p.message) && /Signing in again/.test(p.message)), JSON.stringify(seen));
  });

  it('two tenants and two accounts side by side, each getting only its own token', async () => {
    const tenantB = entra.addTenant({ displayName: 'Tenant B', domains: ['b.example'], users: [{ username: 'bob@b.example', password: 'Bob-pass-1!' }] });
    const broker = await h.restart();
    const stop = entra.onDeviceCode((issued) => entra.approveDeviceCode(issued.userCode, issued.tenantId === tenantB.id ? 'bob@b.example' : DEMO_USER));
    try {
      const a = await broker.getToken(userRequest(entra), { interactive: false });
      const b = await broker.getToken(userRequest(entra, { tenantId: tenantB.id }), { interactive: true });
      assert.equal(claims(a.token).tid, entra.defaultTenantId);
      assert.equal(claims(b.token).tid, tenantB.id);
      assert.equal(b.account?.username, 'bob@b.example');
      assert.equal(a.account?.username, DEMO_USER);
      // Both remain answerable from memory, and sessions lists both.
      assert.equal((await broker.getToken(userRequest(entra, { tenantId: tenantB.id }), { interactive: false })).source, 'cache');
      const users = broker.sessions().map((s) => s.account?.username).sort();
      assert.deepEqual(users, [DEMO_USER, 'bob@b.example'].sort());
    } finally {
      stop();
    }
  });

  it('signOut(key) forgets one session including its refresh token; others stay', async () => {
    const broker = await h.restart();
    const tenantB = entra.directory.tenants.find((t) => t.displayName === 'Tenant B')!;
    await broker.getToken(userRequest(entra), { interactive: false });
    await broker.getToken(userRequest(entra, { tenantId: tenantB.id }), { interactive: false });
    const bob = broker.sessions().find((s) => s.account?.username === 'bob@b.example')!;
    await broker.signOut(bob.key);
    await assert.rejects(broker.getToken(userRequest(entra, { tenantId: tenantB.id }), { interactive: false }), { code: 'auth/interaction-required' });
    const again = await h.restart();
    await assert.rejects(again.getToken(userRequest(entra, { tenantId: tenantB.id }), { interactive: false }), { code: 'auth/interaction-required' });
    assert.equal((await again.getToken(userRequest(entra), { interactive: false })).account?.username, DEMO_USER);
    await again.signOut();
    await assert.rejects(again.getToken(userRequest(entra), { interactive: false }), { code: 'auth/interaction-required' });
  });

  it('never writes token material to its log file', () => {
    const log = fs.readFileSync(h.logFile, 'utf8');
    assert.ok(log.length > 0, 'the broker logged something');
    for (const token of entra.issuedTokens()) {
      for (const part of token.split('.')) if (part.length > 16) assert.ok(!log.includes(part), 'token material in the log');
    }
  });
});
