/**
 * Real kubectl -> kubetray get-token -> (kubetray serve | in-process) -> Entra ID emulator and
 * the identity emulator (IMDS, App Service, GitHub Actions and Azure Pipelines OIDC) ->
 * Kubernetes API emulator, for -l workloadidentity, -l azurepipelines and -l msi.
 * Each kubectl call runs a fresh get-token process, so every managed identity source gets its
 * own process (msal-node keeps the source per process).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startEntraEmulator } from '../emulators/entra/entra-emulator.js';
import { startKubeEmulator } from '../emulators/kube/kube-emulator.js';
import { startIdentityEmulator, type IdentityEmulator } from '../emulators/identity/identity-emulator.js';
import { AKS_SERVER_ID, DEMO_TENANT_ID } from '../emulators/entra/entra-directory.js';
import { requestToken } from '../../shared/pipe/pipe-client.js';
import { resolvePaths } from '../../shared/node/paths.js';
import { startServe, type ServeProcess, filesUnder } from '../support/pipe-processes.js';
import { kubectlGetNamespaces, methodKubeconfig, MODES, type KubectlRig } from '../support/methods-kubectl.js';

const skip = process.platform === 'win32' ? 'uses Unix sockets' : false;
let rig: KubectlRig;
let identity: IdentityEmulator;
let serve: ServeProcess | undefined;

before(async () => {
  if (skip) return;
  const entra = await startEntraEmulator();
  const kube = await startKubeEmulator({ entra });
  identity = await startIdentityEmulator({ entra });
  rig = {
    entra,
    kube,
    brokerHome: fs.mkdtempSync(path.join(os.tmpdir(), 'kt-ci-broker-')),
    localHome: fs.mkdtempSync(path.join(os.tmpdir(), 'kt-ci-local-')),
    path: process.env.PATH ?? '/usr/bin:/bin',
  };
  serve = await startServe({ PATH: rig.path, HOME: rig.brokerHome, KUBETRAY_HOME: rig.brokerHome, KUBETRAY_CA_FILE: entra.caFile });
});

after(async () => {
  await serve?.stop();
  await identity?.stop();
  await rig?.kube.stop();
  await rig?.entra.stop();
  for (const d of [rig?.brokerHome, rig?.localHome]) if (d) fs.rmSync(d, { recursive: true, force: true });
});

for (const mode of MODES) {
  test(`workloadidentity (${mode}): AZURE_* variables as the AKS webhook sets them; flags lose to them`, { skip, timeout: 60_000 }, async () => {
    const app = rig.entra.addApp({ displayName: `wi-${mode}`, federatedCredentials: [{ issuer: rig.entra.externalIssuer, subject: `system:serviceaccount:apps:${mode}` }] });
    const file = path.join(rig.localHome, `token-${mode}`);
    fs.writeFileSync(file, rig.entra.mintFederatedToken({ subject: `system:serviceaccount:apps:${mode}` }));
    // kubelogin applies AZURE_CLIENT_ID / AZURE_FEDERATED_TOKEN_FILE / AZURE_AUTHORITY_HOST after the flags.
    const args = ['get-token', '-l', 'workloadidentity', '--server-id', AKS_SERVER_ID, '--client-id', 'flag-loses', '--federated-token-file', '/nonexistent'];
    const config = methodKubeconfig(rig, mode, args, {
      AZURE_CLIENT_ID: app.appId,
      AZURE_TENANT_ID: DEMO_TENANT_ID,
      AZURE_FEDERATED_TOKEN_FILE: file,
      AZURE_AUTHORITY_HOST: rig.entra.authorityHost,
    });
    const r = await kubectlGetNamespaces(rig, config);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(rig.kube.lastCaller()?.claims?.appid ?? rig.kube.lastCaller()?.claims?.azp, app.appId);
  });

  test(`workloadidentity in GitHub Actions (${mode}): ACTIONS_ID_TOKEN_REQUEST_* of the caller`, { skip, timeout: 60_000 }, async () => {
    const app = identity.federatedApp('github');
    const before = identity.calls('github');
    const config = methodKubeconfig(rig, mode, ['get-token', '-l', 'workloadidentity', '--server-id', AKS_SERVER_ID, '--client-id', app.appId, '--tenant-id', DEMO_TENANT_ID, '--authority-host', rig.entra.authorityHost], identity.github.env());
    const r = await kubectlGetNamespaces(rig, config);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(identity.calls('github'), before + 1);
    assert.equal(rig.kube.lastCaller()?.claims?.appid ?? rig.kube.lastCaller()?.claims?.azp, app.appId);
  });

  test(`azurepipelines (${mode}): SYSTEM_* and AZURESUBSCRIPTION_* of the AzureCLI@2 task`, { skip, timeout: 60_000 }, async () => {
    const connection = `conn-${mode}`;
    const app = identity.federatedApp('pipelines', { serviceConnectionId: connection });
    const before = identity.calls('pipelines');
    const config = methodKubeconfig(rig, mode, ['get-token', '-l', 'azurepipelines', '--server-id', AKS_SERVER_ID, '--authority-host', rig.entra.authorityHost], {
      ...identity.pipelines.env(),
      AZURESUBSCRIPTION_CLIENT_ID: app.appId,
      AZURESUBSCRIPTION_TENANT_ID: DEMO_TENANT_ID,
      AZURESUBSCRIPTION_SERVICE_CONNECTION_ID: connection,
    });
    const r = await kubectlGetNamespaces(rig, config);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(identity.calls('pipelines'), before + 1);
    assert.equal(rig.kube.lastCaller()?.claims?.appid ?? rig.kube.lastCaller()?.claims?.azp, app.appId);
  });
}

test('azurepipelines without SYSTEM_ACCESSTOKEN: says how to map it', { skip, timeout: 60_000 }, async () => {
  const env = identity.pipelines.env();
  const config = methodKubeconfig(rig, 'in-process', ['get-token', '-l', 'azurepipelines', '--server-id', AKS_SERVER_ID, '--client-id', 'x', '--tenant-id', DEMO_TENANT_ID], {
    SYSTEM_OIDCREQUESTURI: env.SYSTEM_OIDCREQUESTURI!,
    AZURESUBSCRIPTION_SERVICE_CONNECTION_ID: 'c',
  });
  const r = await kubectlGetNamespaces(rig, config);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /SYSTEM_ACCESSTOKEN: \$\(System\.AccessToken\)/);
});

const msiArgs = (): string[] => ['get-token', '-l', 'msi', '--server-id', AKS_SERVER_ID];

test('msi, IMDS system-assigned', { skip, timeout: 60_000 }, async () => {
  const before = identity.calls('imds');
  const r = await kubectlGetNamespaces(rig, methodKubeconfig(rig, 'in-process', msiArgs(), identity.imdsEnv()));
  assert.equal(r.code, 0, r.stderr);
  assert.equal(identity.calls('imds'), before + 1);
  assert.equal(rig.kube.lastCaller()?.claims?.oid, identity.systemAssigned.principalId);
});

test('msi, IMDS user-assigned by --client-id and by --identity-resource-id', { skip, timeout: 60_000 }, async () => {
  const a = identity.addManagedIdentity();
  const b = identity.addManagedIdentity();
  const r1 = await kubectlGetNamespaces(rig, methodKubeconfig(rig, 'in-process', [...msiArgs(), '--client-id', a.clientId], identity.imdsEnv()));
  assert.equal(r1.code, 0, r1.stderr);
  assert.equal(rig.kube.lastCaller()?.claims?.oid, a.principalId);
  const r2 = await kubectlGetNamespaces(rig, methodKubeconfig(rig, 'in-process', [...msiArgs(), '--identity-resource-id', b.resourceId], identity.imdsEnv()));
  assert.equal(r2.code, 0, r2.stderr);
  assert.equal(rig.kube.lastCaller()?.claims?.oid, b.principalId);
});

test('msi, App Service (IDENTITY_ENDPOINT + IDENTITY_HEADER)', { skip, timeout: 60_000 }, async () => {
  const before = identity.calls('app-service');
  const r = await kubectlGetNamespaces(rig, methodKubeconfig(rig, 'in-process', msiArgs(), identity.appServiceEnv()));
  assert.equal(r.code, 0, r.stderr);
  assert.equal(identity.calls('app-service'), before + 1);
});

test('msi, an identity the endpoint does not know: a clear error', { skip, timeout: 60_000 }, async () => {
  const r = await kubectlGetNamespaces(rig, methodKubeconfig(rig, 'in-process', [...msiArgs(), '--client-id', '00000000-0000-0000-0000-00000000dead'], identity.imdsEnv()));
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /--client-id|managed identity/i);
});

test('msi through a broker (`kubetray serve` started on the VM with the IMDS environment)', { skip, timeout: 60_000 }, async () => {
  // get-token always runs msi in-process (it is this machine's identity); a broker on the same
  // machine can serve it too: ask `kubetray serve` directly over the pipe.
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'kt-ci-msi-'));
  const vmServe = await startServe({ PATH: rig.path, HOME: home, KUBETRAY_HOME: home, KUBETRAY_CA_FILE: rig.entra.caFile, ...identity.imdsEnv() });
  try {
    const paths = resolvePaths({ KUBETRAY_HOME: home });
    const before = identity.calls('imds');
    const answer = await requestToken({ paths: { home: paths.home, runDir: paths.runDir, secretFile: paths.secretFile }, request: { login: 'msi', serverId: AKS_SERVER_ID }, interactive: false });
    assert.ok(answer.ok, JSON.stringify(!answer.ok && answer.error));
    const again = await requestToken({ paths: { home: paths.home, runDir: paths.runDir, secretFile: paths.secretFile }, request: { login: 'msi', serverId: AKS_SERVER_ID }, interactive: false });
    assert.ok(again.ok && again.value.source === 'cache');
    assert.equal(identity.calls('imds'), before + 1);
    const config = rig.kube.kubeconfigFor({ user: { token: answer.value.token } });
    const r = await kubectlGetNamespaces(rig, config);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(rig.kube.lastCaller()?.claims?.oid, identity.systemAssigned.principalId);
  } finally {
    await vmServe.stop();
    fs.rmSync(home, { recursive: true, force: true });
  }
});

test('no token, secret or password reached any log file', { skip, timeout: 30_000 }, () => {
  const secrets = [...rig.entra.issuedTokens(), ...identity.issuedTokens(), identity.pipelines.env().SYSTEM_ACCESSTOKEN!, identity.github.env().ACTIONS_ID_TOKEN_REQUEST_TOKEN!].filter((s) => s.length > 8);
  const files = [...filesUnder(path.join(rig.brokerHome, 'logs')), ...filesUnder(path.join(rig.localHome, 'logs'))];
  assert.ok(files.length > 0, 'the broker and the in-process client wrote logs');
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    for (const s of secrets) assert.ok(!text.includes(s), `${file} contains token material`);
  }
});
