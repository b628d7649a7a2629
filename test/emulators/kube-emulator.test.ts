/**
 * The Kubernetes API emulator with real kubectl (static tokens from the Entra emulator) and the
 * bearer/PoP verification rules, positive and negative.
 */
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as https from 'node:https';
import { promisify } from 'node:util';
import { ConfidentialClientApplication, type ClientCredentialRequest } from '@azure/msal-node';
import { startEntraEmulator, type EntraEmulator } from './entra/entra-emulator.js';
import { startKubeEmulator, type KubeEmulator } from './kube/kube-emulator.js';
import { AKS_SERVER_ID, ARC_POP_SERVER_ID, DEMO_ADMIN_GROUP, DEMO_TENANT_ID } from './entra/entra-directory.js';
import { msalConfigFor, msalNetworkClient, type EmulatorNetworkClient } from '../support/emulators-msal.js';
import { createPopKey, signPopToken, type PopKey } from '../support/emulators-pop.js';

const run = promisify(execFile);
const KUBECTL = '/usr/bin/kubectl';

// kubectl's discovery cache goes to a temp dir, not the user's ~/.kube/cache.
const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubetray-kubectl-cache-'));
after(() => fs.rmSync(cacheDir, { recursive: true, force: true }));

async function kubectl(kubeconfig: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(KUBECTL, ['--kubeconfig', kubeconfig, '--cache-dir', cacheDir, ...args], { timeout: 30_000, env: { ...process.env, KUBECONFIG: '' } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

function get(kube: KubeEmulator, path: string, authorization?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = https.request(`${kube.origin}${path}`, { ca: kube.caPem, headers: authorization ? { authorization } : {} }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * msal-node 7 types drop extraQueryParameters from client credential requests but still sends
 * them; popKid stops msal from trying to sign the PoP token itself.
 */
function popRequest(key: PopKey): ClientCredentialRequest {
  return { scopes: [`${ARC_POP_SERVER_ID}/.default`], popKid: key.kid, skipCache: true, extraQueryParameters: { token_type: 'pop', req_cnf: key.reqCnf } } as ClientCredentialRequest;
}

describe('Kubernetes API emulator', () => {
  let entra: EntraEmulator;
  let kube: KubeEmulator;
  let net: EmulatorNetworkClient;
  let cca: ConfidentialClientApplication;
  let appObjectId: string;

  before(async () => {
    entra = await startEntraEmulator();
    kube = await startKubeEmulator({ entra });
    net = msalNetworkClient(entra.caPem);
    const app = entra.addApp({ displayName: 'kube-test-spn', secrets: ['kube-secret'] });
    appObjectId = app.servicePrincipalId;
    cca = new ConfidentialClientApplication(msalConfigFor(entra, net, { clientId: app.appId, tenant: DEMO_TENANT_ID, clientSecret: 'kube-secret' }));
  });
  after(async () => {
    net.destroy();
    await kube.stop();
    await entra.stop();
  });

  it('kubectl lists namespaces and pods and answers auth whoami with a static Entra token', async () => {
    const { accessToken } = (await cca.acquireTokenByClientCredential({ scopes: [`${AKS_SERVER_ID}/.default`] }))!;
    const kubeconfig = kube.kubeconfigFor({ user: { token: accessToken } });
    const ns = await kubectl(kubeconfig, ['get', 'namespaces']);
    assert.equal(ns.code, 0, ns.stderr);
    assert.match(ns.stdout, /^NAME\s+STATUS\s+AGE/m);
    assert.match(ns.stdout, /^kube-system\s+Active\s+3d/m);
    const pods = await kubectl(kubeconfig, ['get', 'pods', '-n', 'default', '-o', 'name']);
    assert.equal(pods.code, 0, pods.stderr);
    assert.equal(pods.stdout.trim(), 'pod/hello-7c9f8d6b5-abcde');
    const whoami = await kubectl(kubeconfig, ['auth', 'whoami', '-o', 'json']);
    assert.equal(whoami.code, 0, whoami.stderr);
    assert.equal((JSON.parse(whoami.stdout) as { status: { userInfo: { username: string } } }).status.userInfo.username, appObjectId);
    assert.equal(kube.lastCaller()?.username, appObjectId);
    assert.equal(kube.lastCaller()?.scheme, 'bearer');
  });

  it('kubectl gets 401 Unauthorized for a token with the wrong audience', async () => {
    const { accessToken } = (await cca.acquireTokenByClientCredential({ scopes: ['api://some-other-api/.default'] }))!;
    const kubeconfig = kube.kubeconfigFor({ user: { token: accessToken } });
    const before = kube.rejections.length;
    const ns = await kubectl(kubeconfig, ['get', 'namespaces']);
    assert.notEqual(ns.code, 0);
    assert.match(ns.stderr, /Unauthorized|must be logged in/);
    assert.ok(kube.rejections.slice(before).every((r) => r.reason === 'audience not accepted'));
    assert.ok(kube.rejections.length > before);
  });

  it('rejects missing, malformed, forged and expired-issuer tokens with a 401 Status', async () => {
    assert.equal((await get(kube, '/version')).status, 200);
    const none = await get(kube, '/api/v1/namespaces');
    assert.equal(none.status, 401);
    assert.equal((JSON.parse(none.body) as { kind: string; code: number }).code, 401);
    assert.equal((await get(kube, '/api/v1/namespaces', 'Bearer not-a-jwt')).status, 401);
    const { accessToken } = (await cca.acquireTokenByClientCredential({ scopes: [`${AKS_SERVER_ID}/.default`], skipCache: true }))!;
    const [h, p, s] = accessToken.split('.');
    const payload = JSON.parse(Buffer.from(p!, 'base64url').toString()) as Record<string, unknown>;
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...payload, upn: 'admin@kubetray.dev' })).toString('base64url')}.${s}`;
    assert.equal((await get(kube, '/api/v1/namespaces', `Bearer ${forged}`)).status, 401);
    assert.equal(kube.rejections.at(-1)?.reason, 'bad signature');
    assert.equal((await get(kube, '/api/v1/namespaces', `Bearer ${accessToken}`)).status, 200);
  });

  it('PoP: accepts a PoP token bound to the access token cnf.kid, rejects every broken variant', async () => {
    const key = createPopKey();
    const other = createPopKey();
    const result = (await cca.acquireTokenByClientCredential(popRequest(key)))!;
    const at = result.accessToken;
    const inner = JSON.parse(Buffer.from(at.split('.')[1]!, 'base64url').toString()) as { cnf?: { kid: string } };
    assert.equal(inner.cnf?.kid, key.kid);

    const good = signPopToken({ at, u: kube.popHost, key });
    assert.equal((await get(kube, '/api/v1/namespaces', `Bearer ${good}`)).status, 200);
    assert.equal(kube.lastCaller()?.scheme, 'pop');
    assert.equal((await get(kube, '/api/v1/namespaces', `PoP ${signPopToken({ at, u: kube.popHost, key })}`)).status, 200);

    const cases: [string, string, string][] = [
      ['other key', signPopToken({ at, u: kube.popHost, key: other }), 'PoP key does not match the access token cnf.kid'],
      ['wrong host', signPopToken({ at, u: 'evil.example:443', key }), 'PoP u does not match this host'],
      ['stale ts', signPopToken({ at, u: kube.popHost, key, ts: Math.floor(Date.now() / 1000) - 16 * 60 }), 'PoP ts outside the allowed window'],
      ['bound token as bearer', at, 'PoP-bound access token presented as bearer'],
    ];
    for (const [name, token, reason] of cases) {
      assert.equal((await get(kube, '/api/v1/namespaces', `Bearer ${token}`)).status, 401, name);
      assert.equal(kube.rejections.at(-1)?.reason, reason, name);
    }
    // A signature by another key over the right claims.
    const [h, p] = good.split('.');
    const tampered = `${h}.${p}.${signPopToken({ at, u: kube.popHost, key: other }).split('.')[2]}`;
    assert.equal((await get(kube, '/api/v1/namespaces', `Bearer ${tampered}`)).status, 401);
    assert.equal(kube.rejections.at(-1)?.reason, 'bad PoP signature');
  });

  it('kubectl works with a PoP token as its static token', async () => {
    const key = createPopKey();
    const result = (await cca.acquireTokenByClientCredential(popRequest(key)))!;
    const kubeconfig = kube.kubeconfigFor({ user: { token: signPopToken({ at: result.accessToken, u: kube.popHost, key }) } });
    const ns = await kubectl(kubeconfig, ['get', 'ns', '-o', 'name']);
    assert.equal(ns.code, 0, ns.stderr);
    assert.match(ns.stdout, /namespace\/kubetray-demo/);
    assert.equal(kube.lastCaller()?.scheme, 'pop');
  });

  it('kubeconfigFor writes an exec stanza kubectl runs (a stand-in plugin printing an ExecCredential)', async () => {
    const { accessToken } = (await cca.acquireTokenByClientCredential({ scopes: [`${AKS_SERVER_ID}/.default`] }))!;
    // fake exec plugin: echoes KUBERNETES_EXEC_INFO's apiVersion and a token from its env.
    const plugin = [
      'const info = JSON.parse(process.env.KUBERNETES_EXEC_INFO);',
      'process.stdout.write(JSON.stringify({ apiVersion: info.apiVersion, kind: "ExecCredential", status: { token: process.env.EMU_TOKEN } }));',
    ].join('');
    const kubeconfig = kube.kubeconfigFor({
      user: { exec: { command: process.execPath, args: ['-e', plugin], env: [{ name: 'EMU_TOKEN', value: accessToken }] } },
      namespace: 'kubetray-demo',
    });
    const pods = await kubectl(kubeconfig, ['get', 'pods', '-o', 'name']);
    assert.equal(pods.code, 0, pods.stderr);
    assert.equal(pods.stdout.trim(), 'pod/web-0');
    assert.equal(kube.lastCaller()?.username, appObjectId);
  });

  it('authorize option: a verified caller outside the admin group gets 403 Forbidden', async () => {
    const guarded = await startKubeEmulator({ entra, authorize: (caller) => caller.groups.includes(DEMO_ADMIN_GROUP) });
    try {
      const { accessToken } = (await cca.acquireTokenByClientCredential({ scopes: [`${AKS_SERVER_ID}/.default`] }))!;
      const kubeconfig = guarded.kubeconfigFor({ user: { token: accessToken } });
      const ns = await kubectl(kubeconfig, ['get', 'namespaces']);
      assert.notEqual(ns.code, 0);
      assert.match(ns.stderr, /Forbidden|forbidden/);
      assert.equal(guarded.forbidden.at(-1)?.reason, appObjectId);
    } finally {
      await guarded.stop();
    }
  });
});
