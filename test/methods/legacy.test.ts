/**
 * --legacy (v1 tokens with resource=) for -l spn and -l devicecode through the real TokenBroker
 * against the Entra ID emulator's v1 endpoints; spn tokens verified by the Kubernetes API
 * emulator. Also: spn PoP after a cached Bearer token (the Bearer one must not be reused).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AppError } from '../../shared/core/app-error.js';
import type { SignInProgress, TokenRequest } from '../../shared/core/token-request.js';
import { createTokenBroker, type TokenBroker } from '../../shared/broker/token-broker.js';
import { legacyResource } from '../../shared/auth/clouds-legacy.js';
import { startEntraEmulator, type EntraEmulator } from '../emulators/entra/entra-emulator.js';
import { startKubeEmulator, type KubeEmulator } from '../emulators/kube/kube-emulator.js';
import { createClientCertificate } from '../emulators/tls/test-ca.js';
import { AKS_CLIENT_ID, AKS_SERVER_ID, DEMO_TENANT_ID, DEMO_USER } from '../emulators/entra/entra-directory.js';
import { createTestSecretBox } from '../support/methods-secret-box.js';
import { kubeGet } from '../support/methods-kube-call.js';
import { verifyPopToken } from '../support/methods-pop-verify.js';

let entra: EntraEmulator;
let kube: KubeEmulator;
let dir: string;
let broker: TokenBroker;
const secret = `legacy-${randomUUID()}`;
const appId = randomUUID();
const certAppId = randomUUID();
const cert = createClientCertificate();

before(async () => {
  entra = await startEntraEmulator();
  kube = await startKubeEmulator({ entra });
  entra.addApp({ appId, displayName: 'legacy spn', secrets: [secret] });
  entra.addApp({ appId: certAppId, displayName: 'legacy cert spn', certificates: [cert.certPem] });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubetray-legacy-'));
  fs.writeFileSync(path.join(dir, 'spn.pem'), cert.combinedPem, { mode: 0o600 });
  broker = createTokenBroker({ cacheDir: path.join(dir, 'cache'), secretBox: createTestSecretBox(), signInWindow: { open: async () => undefined }, caPem: entra.caPem, env: {} });
});
after(async () => {
  await broker.close();
  await kube.stop();
  await entra.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

const spn = (over: Partial<TokenRequest> = {}): TokenRequest => ({
  login: 'spn',
  serverId: AKS_SERVER_ID,
  clientId: appId,
  clientSecret: secret,
  tenantId: DEMO_TENANT_ID,
  authorityHost: entra.authorityHost,
  ...over,
});

function claims(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
}

test('legacyResource: kubelogin strips /.default and the trailing slash', () => {
  assert.equal(legacyResource(`${AKS_SERVER_ID}/.default`), AKS_SERVER_ID);
  assert.equal(legacyResource('https://cluster.example/'), 'https://cluster.example');
});

test('spn --legacy (secret): v1 endpoint, v1 token, accepted by the API server; kept apart from v2', async () => {
  const v1 = await broker.getToken(spn({ legacy: true }), { interactive: false });
  assert.equal(claims(v1.token).ver, '1.0');
  assert.ok(entra.requestLog.some((r) => r.path === `/${DEMO_TENANT_ID}/oauth2/token` && r.outcome === 'ok'), 'the v1 token endpoint answered');
  assert.equal((await kubeGet(kube.origin, entra.caPem, v1.token)).status, 200);
  const v2 = await broker.getToken(spn(), { interactive: false });
  assert.equal(claims(v2.token).ver, '2.0');
  assert.notEqual(v1.token, v2.token);
  const again = await broker.getToken(spn({ legacy: true }), { interactive: false });
  assert.equal(again.token, v1.token, 'the legacy token is cached under its own key');
});

test('spn --legacy (certificate): RFC 7523 assertion with x5t accepted by the v1 endpoint', async () => {
  const t = await broker.getToken(spn({ legacy: true, clientId: certAppId, clientSecret: undefined, clientCertificate: path.join(dir, 'spn.pem') }), { interactive: false });
  assert.equal(claims(t.token).ver, '1.0');
  assert.equal((await kubeGet(kube.origin, entra.caPem, t.token)).status, 200);
});

test('spn --legacy with a wrong secret: the AADSTS hint, not the secret', async () => {
  await assert.rejects(broker.getToken(spn({ legacy: true, clientSecret: 'nope-not-it' }), { interactive: false }), (e: unknown) => {
    assert.ok(e instanceof AppError);
    assert.equal(e.code, 'auth/invalid-client');
    assert.ok(!e.message.includes('nope-not-it'));
    return true;
  });
});

test('--legacy with --pop-enabled is refused with a clear message', async () => {
  await assert.rejects(broker.getToken(spn({ legacy: true, popEnabled: true, popClaims: 'u=x' }), { interactive: false }), /cannot be combined/);
});

test('devicecode --legacy: v1 device code endpoints, the code reaches the person', async () => {
  const stop = entra.onDeviceCode((issued) => entra.approveDeviceCode(issued.userCode, DEMO_USER));
  const progress: SignInProgress[] = [];
  try {
    const t = await broker.getToken(
      { login: 'devicecode', serverId: AKS_SERVER_ID, clientId: AKS_CLIENT_ID, tenantId: DEMO_TENANT_ID, authorityHost: entra.authorityHost, legacy: true },
      { interactive: true, onProgress: (p) => progress.push(p) },
    );
    assert.ok(t.token.length > 0);
    assert.equal(claims(t.token).ver, '1.0');
    assert.ok(progress.some((p) => p.kind === 'device-code'));
    assert.ok(entra.requestLog.some((r) => r.path === `/${DEMO_TENANT_ID}/oauth2/devicecode`), 'v1 devicecode endpoint');
  } finally {
    stop();
  }
});

test('spn --pop-enabled after a cached Bearer token: a PoP-bound token, never the Bearer one', async () => {
  const bearer = await broker.getToken(spn(), { interactive: false });
  const pop = await broker.getToken(spn({ popEnabled: true, popClaims: `u=${kube.popHost}` }), { interactive: false });
  const decoded = verifyPopToken(pop.token);
  assert.notEqual(decoded.payload.at, bearer.token);
  assert.equal((claims(decoded.payload.at).cnf as { kid?: string } | undefined)?.kid, decoded.header.kid);
  assert.equal((await kubeGet(kube.origin, entra.caPem, pop.token)).status, 200);
});

test('devicecode --pop-enabled (beyond kubelogin, which ignores PoP there): PoP params in the query msal sends', async () => {
  const stop = entra.onDeviceCode((issued) => entra.approveDeviceCode(issued.userCode, DEMO_USER));
  try {
    const t = await broker.getToken(
      { login: 'devicecode', serverId: AKS_SERVER_ID, clientId: AKS_CLIENT_ID, tenantId: DEMO_TENANT_ID, authorityHost: entra.authorityHost, popEnabled: true, popClaims: `u=${kube.popHost}` },
      { interactive: true },
    );
    const decoded = verifyPopToken(t.token);
    assert.equal((claims(decoded.payload.at).cnf as { kid?: string } | undefined)?.kid, decoded.header.kid);
    assert.equal((await kubeGet(kube.origin, entra.caPem, t.token)).status, 200);
    assert.equal(kube.lastCaller()?.scheme, 'pop');
  } finally {
    stop();
  }
});
