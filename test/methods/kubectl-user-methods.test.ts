/**
 * Real kubectl -> kubetray get-token -> (kubetray serve | in-process) -> Entra ID emulator ->
 * Kubernetes API emulator, for -l ropc (Bearer and PoP), -l azurecli and -l azd.
 * The Azure CLI and azd cannot be installed here: fake-az-cli / fake-azd (MOCKS, see
 * test/support/methods-fake-cli.ts) stand in for them and get their tokens from the emulator.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startEntraEmulator } from '../emulators/entra/entra-emulator.js';
import { startKubeEmulator } from '../emulators/kube/kube-emulator.js';
import { AKS_CLIENT_ID, AKS_SERVER_ID, AZURE_CLI_CLIENT_ID, DEMO_PASSWORD, DEMO_TENANT_ID, DEMO_USER } from '../emulators/entra/entra-directory.js';
import { startServe, type ServeProcess, filesUnder } from '../support/pipe-processes.js';
import { createFakeCli, type FakeCli } from '../support/methods-fake-cli.js';
import { kubectlGetNamespaces, methodKubeconfig, MODES, type KubectlRig } from '../support/methods-kubectl.js';

const skip = process.platform === 'win32' ? 'uses Unix sockets and #! scripts' : false;
let rig: KubectlRig;
let serve: ServeProcess | undefined;
let fake: FakeCli;

before(async () => {
  if (skip) return;
  const entra = await startEntraEmulator();
  const kube = await startKubeEmulator({ entra });
  fake = createFakeCli();
  const mint = { tokenUrl: entra.tokenEndpoint(DEMO_TENANT_ID), clientId: AZURE_CLI_CLIENT_ID, username: DEMO_USER, password: DEMO_PASSWORD, caFile: entra.caFile };
  fake.setScenario('az', { mintFrom: mint });
  fake.setScenario('azd', { mintFrom: mint });
  rig = {
    entra,
    kube,
    brokerHome: fs.mkdtempSync(path.join(os.tmpdir(), 'kt-m-broker-')),
    localHome: fs.mkdtempSync(path.join(os.tmpdir(), 'kt-m-local-')),
    path: fake.path,
  };
  serve = await startServe({ PATH: fake.path, HOME: rig.brokerHome, KUBETRAY_HOME: rig.brokerHome, KUBETRAY_CA_FILE: entra.caFile });
});

after(async () => {
  await serve?.stop();
  await rig?.kube.stop();
  await rig?.entra.stop();
  fake?.dispose();
  for (const d of [rig?.brokerHome, rig?.localHome]) if (d) fs.rmSync(d, { recursive: true, force: true });
});

const ropcArgs = (): string[] => ['get-token', '-l', 'ropc', '--server-id', AKS_SERVER_ID, '--client-id', AKS_CLIENT_ID, '--tenant-id', DEMO_TENANT_ID, '--authority-host', rig.entra.authorityHost, '--username', DEMO_USER];

for (const mode of MODES) {
  test(`ropc (${mode}): AZURE_PASSWORD beats a wrong --password, as in kubelogin; the API server sees the user`, { skip, timeout: 60_000 }, async () => {
    const config = methodKubeconfig(rig, mode, [...ropcArgs(), '--password', 'wrong-on-purpose'], { AZURE_PASSWORD: DEMO_PASSWORD });
    const r = await kubectlGetNamespaces(rig, config);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /kubetray-demo/);
    assert.equal(rig.kube.lastCaller()?.username, DEMO_USER);
    assert.equal(rig.kube.lastCaller()?.scheme, 'bearer');
  });

  test(`ropc --pop-enabled (${mode}): the API server verifies a PoP token bound to our key`, { skip, timeout: 60_000 }, async () => {
    const config = methodKubeconfig(rig, mode, [...ropcArgs(), '--pop-enabled', '--pop-claims', `u=${rig.kube.popHost}`], { AAD_USER_PRINCIPAL_PASSWORD: DEMO_PASSWORD });
    const rejectionsBefore = rig.kube.rejections.length;
    const r = await kubectlGetNamespaces(rig, config);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(rig.kube.lastCaller()?.scheme, 'pop');
    assert.equal(rig.kube.lastCaller()?.username, DEMO_USER);
    assert.equal(rig.kube.rejections.length, rejectionsBefore);
  });

  test(`ropc --pop-claims without u= (${mode}): kubelogin's message, exit code 2`, { skip, timeout: 60_000 }, async () => {
    const config = methodKubeconfig(rig, mode, [...ropcArgs(), '--pop-enabled', '--pop-claims', 'x=1'], { AZURE_PASSWORD: DEMO_PASSWORD });
    const r = await kubectlGetNamespaces(rig, config);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /u=<ARM/);
  });

  test(`azurecli (${mode}): az argv and AZURE_CONFIG_DIR; the broker caches instead of running az per call`, { skip, timeout: 60_000 }, async () => {
    const profile = path.join(rig.localHome, `az-profile-${mode}`);
    const config = methodKubeconfig(rig, mode, ['get-token', '-l', 'azurecli', '--server-id', AKS_SERVER_ID, '--tenant-id', DEMO_TENANT_ID]);
    const calls = fake.calls().length;
    const r1 = await kubectlGetNamespaces(rig, config, { AZURE_CONFIG_DIR: profile });
    assert.equal(r1.code, 0, r1.stderr);
    assert.equal(rig.kube.lastCaller()?.username, DEMO_USER);
    const r2 = await kubectlGetNamespaces(rig, config, { AZURE_CONFIG_DIR: profile });
    assert.equal(r2.code, 0, r2.stderr);
    const mine = fake.calls().slice(calls).filter((c) => c.tool === 'az');
    assert.deepEqual(mine[0]?.argv, ['account', 'get-access-token', '--resource', AKS_SERVER_ID, '--tenant', DEMO_TENANT_ID, '-o', 'json']);
    assert.equal(mine[0]?.azureConfigDir, profile);
    // In-process there is no memory between kubectl calls (like kubelogin); the broker has one.
    assert.equal(mine.length, mode === 'broker' ? 1 : 2);
  });

  test(`azd (${mode}): azd argv, token accepted`, { skip, timeout: 60_000 }, async () => {
    const config = methodKubeconfig(rig, mode, ['get-token', '-l', 'azd', '--server-id', AKS_SERVER_ID, '--tenant-id', DEMO_TENANT_ID]);
    const calls = fake.calls().length;
    const r = await kubectlGetNamespaces(rig, config);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(rig.kube.lastCaller()?.username, DEMO_USER);
    const mine = fake.calls().slice(calls).filter((c) => c.tool === 'azd');
    assert.deepEqual(mine[0]?.argv, ['auth', 'token', '--output', 'json', '--no-prompt', '--scope', `${AKS_SERVER_ID}/.default`, '--tenant-id', DEMO_TENANT_ID]);
  });
}

test('azurecli not signed in: kubectl shows "run az login"', { skip, timeout: 60_000 }, async () => {
  const other = createFakeCli();
  try {
    other.setScenario('az', { exitCode: 1, stderr: "ERROR: Please run 'az login' to setup account.\n" });
    const config = methodKubeconfig(rig, 'in-process', ['get-token', '-l', 'azurecli', '--server-id', AKS_SERVER_ID]);
    const r = await kubectlGetNamespaces({ ...rig, path: other.path }, config);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /run `az login`/);
  } finally {
    other.dispose();
  }
});

test('in-process: --cache-dir and KUBECACHEDIR choose where the token cache lives', { skip, timeout: 60_000 }, async () => {
  const viaFlag = path.join(rig.localHome, 'flag-cache');
  const viaEnv = path.join(rig.localHome, 'env-cache');
  const r1 = await kubectlGetNamespaces(rig, methodKubeconfig(rig, 'in-process', [...ropcArgs(), '--cache-dir', viaFlag], { AZURE_PASSWORD: DEMO_PASSWORD }));
  assert.equal(r1.code, 0, r1.stderr);
  assert.ok(fs.readdirSync(viaFlag).some((f) => f.startsWith('msal-')), 'cache written under --cache-dir');
  const r2 = await kubectlGetNamespaces(rig, methodKubeconfig(rig, 'in-process', ropcArgs(), { AZURE_PASSWORD: DEMO_PASSWORD, KUBECACHEDIR: viaEnv }));
  assert.equal(r2.code, 0, r2.stderr);
  assert.ok(fs.readdirSync(viaEnv).some((f) => f.startsWith('msal-')), 'cache written under KUBECACHEDIR');
});

test('no token, secret or password reached any log file', { skip, timeout: 30_000 }, () => {
  const secrets = [...rig.entra.issuedTokens(), DEMO_PASSWORD].filter((s) => s.length > 8);
  const files = [...filesUnder(path.join(rig.brokerHome, 'logs')), ...filesUnder(path.join(rig.localHome, 'logs'))];
  assert.ok(files.length > 0, 'the broker and the in-process client wrote logs');
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    for (const s of secrets) assert.ok(!text.includes(s), `${file} contains token material`);
  }
});
