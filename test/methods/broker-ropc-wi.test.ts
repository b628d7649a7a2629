/**
 * ropc and workload identity through the real TokenBroker (in-process, as `kubetray get-token`
 * without a tray), real msal-node against the Entra ID emulator, tokens verified by the
 * Kubernetes API emulator over HTTPS. Nothing here is mocked.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AppError } from '../../shared/core/app-error.js';
import type { TokenRequest } from '../../shared/core/token-request.js';
import { createTokenBroker, type TokenBroker } from '../../shared/broker/token-broker.js';
import { startEntraEmulator, type EntraEmulator } from '../emulators/entra/entra-emulator.js';
import { startKubeEmulator, type KubeEmulator } from '../emulators/kube/kube-emulator.js';
import { AKS_CLIENT_ID, AKS_SERVER_ID, DEMO_PASSWORD, DEMO_TENANT_ID, DEMO_USER } from '../emulators/entra/entra-directory.js';
import { createTestSecretBox } from '../support/methods-secret-box.js';
import { noWindow } from '../support/broker-harness.js';
import { verifyPopToken } from '../support/methods-pop-verify.js';
import { kubeGet } from '../support/methods-kube-call.js';

let entra: EntraEmulator;
let kube: KubeEmulator;
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
  kube = await startKubeEmulator({ entra });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubetray-methods-'));
  entra.addUser({ username: 'bob@kubetray.dev', password: 'Bob-pass-1!' });
  entra.addUser({ username: 'carol@kubetray.dev', password: 'Carol-pass-1!' });
});
after(async () => {
  for (const b of brokers) await b.close();
  await kube.stop();
  await entra.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

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

test('ropc: non-interactive caller gets a token the API server accepts; second call from memory', async () => {
  const broker = newBroker();
  const before = entra.tokenGrants('password');
  const first = await broker.getToken(ropc(), { interactive: false });
  assert.equal((await kubeGet(kube.origin, entra.caPem, first.token)).status, 200);
  assert.equal(kube.lastCaller()?.username, DEMO_USER);
  assert.equal(first.account?.username, DEMO_USER);
  const second = await broker.getToken(ropc(), { interactive: false });
  assert.equal(second.source, 'cache');
  assert.equal(second.token, first.token);
  assert.equal(entra.tokenGrants('password'), before + 1, 'one password grant for both calls');
});

test('ropc: two accounts side by side never get each other\'s token', async () => {
  const broker = newBroker();
  const alice = await broker.getToken(ropc(), { interactive: false });
  const bob = await broker.getToken(ropc({ username: 'bob@kubetray.dev', password: 'Bob-pass-1!' }), { interactive: false });
  assert.notEqual(alice.token, bob.token);
  await kubeGet(kube.origin, entra.caPem, bob.token);
  assert.equal(kube.lastCaller()?.username, 'bob@kubetray.dev');
  const aliceAgain = await broker.getToken(ropc(), { interactive: false });
  await kubeGet(kube.origin, entra.caPem, aliceAgain.token);
  assert.equal(kube.lastCaller()?.username, DEMO_USER);
  assert.equal(new Set(broker.sessions().map((s) => s.key)).size >= 2, true);
});

test('ropc: a restarted broker answers from the persisted cache; a revoked refresh token is dropped and the password used once', async () => {
  await newBroker().getToken(ropc(), { interactive: false });
  const passwordGrants = entra.tokenGrants('password');
  const refreshGrants = entra.tokenGrants('refresh_token');
  // A new broker over the same cache dir: nothing in memory, everything on disk (encrypted).
  const restarted = newBroker();
  const silent = await restarted.getToken(ropc(), { interactive: false });
  assert.equal(silent.source, 'cache');
  assert.equal(entra.tokenGrants('password') + entra.tokenGrants('refresh_token'), passwordGrants + refreshGrants, 'no network at all');

  // PoP always redeems the refresh token (msal never serves PoP access tokens from its cache).
  assert.ok(entra.revokeRefreshTokens({ username: DEMO_USER }) > 0);
  const again = newBroker();
  const fresh = await again.getToken(ropc({ popEnabled: true, popClaims: `u=${kube.popHost}` }), { interactive: false });
  assert.equal(entra.tokenGrants('password'), passwordGrants + 1, 'exactly one new password grant');
  assert.equal((await kubeGet(kube.origin, entra.caPem, fresh.token)).status, 200);
  assert.ok(entra.requestLog.some((r) => r.grantType === 'refresh_token' && /AADSTS/.test(r.outcome)), 'the revoked refresh token was tried and refused');
});

test('ropc --pop-enabled: a fresh PoP JWS per serve, bound to the key, verified by the API server', async () => {
  const broker = newBroker();
  const claims = `u=${kube.popHost}`;
  const grants = entra.tokenGrants('password') + entra.tokenGrants('refresh_token');
  const a = await broker.getToken(ropc({ popEnabled: true, popClaims: claims }), { interactive: false });
  const b = await broker.getToken(ropc({ popEnabled: true, popClaims: claims }), { interactive: false });
  assert.notEqual(a.token, b.token, 'signed afresh per call');
  assert.equal(b.source, 'cache');
  assert.equal(entra.tokenGrants('password') + entra.tokenGrants('refresh_token'), grants + 1, 'one token request for both');
  const decoded = verifyPopToken(b.token);
  assert.equal(decoded.payload.u, kube.popHost);
  const inner = JSON.parse(Buffer.from(decoded.payload.at.split('.')[1]!, 'base64url').toString('utf8')) as { cnf?: { kid?: string } };
  assert.equal(inner.cnf?.kid, decoded.header.kid, 'access token bound to our key');
  assert.equal((await kubeGet(kube.origin, entra.caPem, b.token)).status, 200);
  assert.equal(kube.lastCaller()?.scheme, 'pop');
  // The same cluster without PoP never receives the PoP-bound token.
  const bearer = await broker.getToken(ropc(), { interactive: false });
  assert.throws(() => verifyPopToken(bearer.token));
  assert.equal((await kubeGet(kube.origin, entra.caPem, bearer.token)).status, 200);
});

test('ropc: wrong password is an auth error that says so, without the password', async () => {
  const broker = newBroker();
  await assert.rejects(broker.getToken(ropc({ username: 'carol@kubetray.dev', password: 'not-Bobs-pass' }), { interactive: false }), (e: unknown) => {
    assert.ok(e instanceof AppError);
    assert.equal(e.code, 'auth/invalid-grant');
    assert.ok(!e.message.includes('not-Bobs-pass'));
    return true;
  });
});

test('workloadidentity: token file read on every acquisition (rotation), API server accepts the token', async () => {
  const app = entra.addApp({ displayName: 'wi-app', federatedCredentials: [{ issuer: entra.externalIssuer, subject: 'system:serviceaccount:apps:web' }] });
  const file = path.join(dir, 'azure-identity-token');
  fs.writeFileSync(file, entra.mintFederatedToken({ subject: 'system:serviceaccount:apps:web' }));
  const request: TokenRequest = { login: 'workloadidentity', serverId: AKS_SERVER_ID, clientId: app.appId, tenantId: DEMO_TENANT_ID, federatedTokenFile: file, authorityHost: entra.authorityHost };
  const broker = newBroker();
  const t = await broker.getToken(request, { interactive: false });
  assert.equal((await kubeGet(kube.origin, entra.caPem, t.token)).status, 200);

  // The kubelet rotates the file: a token for another subject is not trusted -> proves a re-read.
  fs.writeFileSync(file, entra.mintFederatedToken({ subject: 'system:serviceaccount:apps:intruder' }));
  await broker.signOut();
  await assert.rejects(broker.getToken(request, { interactive: false }), (e: unknown) => e instanceof AppError && e.code === 'auth/invalid-client');
  fs.writeFileSync(file, entra.mintFederatedToken({ subject: 'system:serviceaccount:apps:web' }));
  const again = await broker.getToken(request, { interactive: false });
  assert.equal((await kubeGet(kube.origin, entra.caPem, again.token)).status, 200);
});

test('workloadidentity: missing inputs name the variable to set', async () => {
  const broker = newBroker();
  const base: TokenRequest = { login: 'workloadidentity', serverId: AKS_SERVER_ID, tenantId: DEMO_TENANT_ID, authorityHost: entra.authorityHost };
  await assert.rejects(broker.getToken(base, { interactive: false }), /AZURE_CLIENT_ID/);
  await assert.rejects(broker.getToken({ ...base, clientId: 'x' }, { interactive: false }), /AZURE_FEDERATED_TOKEN_FILE/);
  await assert.rejects(broker.getToken({ ...base, clientId: 'x', federatedTokenFile: path.join(dir, 'nope') }, { interactive: false }), /Cannot read the federated token file/);
});

test('workloadidentity --pop-enabled (beyond kubelogin): a PoP token the API server verifies', async () => {
  const app = entra.addApp({ displayName: 'wi-pop', federatedCredentials: [{ issuer: entra.externalIssuer, subject: 'system:serviceaccount:apps:pop' }] });
  const file = path.join(dir, 'azure-identity-token-pop');
  fs.writeFileSync(file, entra.mintFederatedToken({ subject: 'system:serviceaccount:apps:pop' }));
  const request: TokenRequest = { login: 'workloadidentity', serverId: AKS_SERVER_ID, clientId: app.appId, tenantId: DEMO_TENANT_ID, federatedTokenFile: file, authorityHost: entra.authorityHost };
  const broker = newBroker();
  const bearer = await broker.getToken(request, { interactive: false });
  const pop = await broker.getToken({ ...request, popEnabled: true, popClaims: `u=${kube.popHost}` }, { interactive: false });
  const decoded = verifyPopToken(pop.token);
  assert.notEqual(decoded.payload.at, bearer.token, 'not the cached Bearer token');
  assert.equal((await kubeGet(kube.origin, entra.caPem, pop.token)).status, 200);
  assert.equal(kube.lastCaller()?.scheme, 'pop');
});
