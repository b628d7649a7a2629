/**
 * The journey convert-kubeconfig exists for, all real: a kubeconfig as `az aks get-credentials`
 * writes it (kubelogin exec) -> `kubetray convert-kubeconfig` (the compiled bin) -> kubectl runs
 * `kubetray get-token` found on PATH -> Entra ID emulator -> Kubernetes API emulator.
 */
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startEntraEmulator, type EntraEmulator } from '../emulators/entra/entra-emulator.js';
import { startKubeEmulator, type KubeEmulator } from '../emulators/kube/kube-emulator.js';
import { AKS_CLIENT_ID, AKS_SERVER_ID, DEMO_TENANT_ID } from '../emulators/entra/entra-directory.js';
import { KUBETRAY_MAIN, kubectl, run } from '../support/pipe-processes.js';
import { makeTempDir, readYaml, removeDir, userOf, writeYaml } from '../support/kubeconfig-fixtures.js';

const skip = process.platform === 'win32' || !fs.existsSync('/usr/bin/kubectl') ? 'needs kubectl and a POSIX shell' : false;
const KUBELOGIN_HINT = '\nkubelogin is not installed which is required to connect to AAD enabled cluster.\n\nTo learn more, please go to https://azure.github.io/kubelogin/\n';

let entra: EntraEmulator;
let kube: KubeEmulator;
let dir: string;
const spn = { appId: randomUUID(), secret: `journey-secret-${randomUUID()}`, objectId: '' };

before(async () => {
  if (skip) return;
  entra = await startEntraEmulator();
  kube = await startKubeEmulator({ entra });
  spn.objectId = entra.addApp({ appId: spn.appId, displayName: 'KubeTray convert journey', secrets: [spn.secret] }, DEMO_TENANT_ID).servicePrincipalId;
  dir = makeTempDir('kubetray-journey-');
});

after(async () => {
  await kube?.stop();
  await entra?.stop();
  if (dir) removeDir(dir);
});

test('az aks get-credentials kubeconfig -> convert-kubeconfig -> kubectl signs in through kubetray', { skip, timeout: 60_000 }, async () => {
  const bin = path.join(dir, 'bin');
  fs.mkdirSync(bin);
  // `kubetray` on PATH, as the installer puts it; kubelogin is not installed at all.
  fs.writeFileSync(path.join(bin, 'kubetray'), `#!/bin/sh\nexec '${process.execPath}' '${KUBETRAY_MAIN}' "$@"\n`, { mode: 0o755 });
  const file = path.join(dir, 'config');
  const doc = kube.kubeconfigObject({
    user: {
      exec: {
        command: 'kubelogin',
        args: ['get-token', '--environment', 'AzurePublicCloud', '--server-id', AKS_SERVER_ID, '--client-id', AKS_CLIENT_ID, '--tenant-id', DEMO_TENANT_ID, '--login', 'devicecode', '--authority-host', entra.authorityHost],
        env: null,
        installHint: KUBELOGIN_HINT,
      },
    },
    userName: 'clusterUser_rg_aks',
  });
  writeYaml(file, doc);
  const env: NodeJS.ProcessEnv = {
    PATH: `${bin}${path.delimiter}${process.env.PATH ?? '/usr/bin:/bin'}`,
    HOME: dir,
    KUBETRAY_HOME: path.join(dir, 'home'),
    KUBETRAY_CA_FILE: entra.caFile,
    KUBETRAY_BROKER: 'off',
    AAD_SERVICE_PRINCIPAL_CLIENT_SECRET: spn.secret,
  };

  const beforeConvert = await kubectl(['--kubeconfig', file, 'get', 'namespaces'], env, 30_000);
  assert.notEqual(beforeConvert.code, 0);
  assert.match(beforeConvert.stderr, /kubelogin is not installed/);

  const converted = await run(process.execPath, [KUBETRAY_MAIN, 'convert-kubeconfig', '--kubeconfig', file, '-l', 'spn', '--client-id', spn.appId], { env });
  assert.equal(converted.code, 0, converted.stderr);
  assert.match(converted.stderr, /converted devicecode -> kubetray --login spn/);
  const exec = userOf(readYaml(file), 'clusterUser_rg_aks')?.exec as Record<string, unknown>;
  assert.equal(exec.command, 'kubetray');
  assert.deepEqual(exec.args, ['get-token', '--login', 'spn', '--server-id', AKS_SERVER_ID, '--client-id', spn.appId, '--tenant-id', DEMO_TENANT_ID, '--environment', 'AzurePublicCloud', '--authority-host', entra.authorityHost]);
  assert.ok(!fs.readFileSync(file, 'utf8').includes(spn.secret), 'the secret stays in the environment, not the file');

  const who = await kubectl(['--kubeconfig', file, 'auth', 'whoami', '-o', 'json'], env, 45_000);
  assert.equal(who.code, 0, who.stderr);
  assert.equal(JSON.parse(who.stdout).status.userInfo.username, spn.objectId);
  const ns = await kubectl(['--kubeconfig', file, 'get', 'namespaces'], env, 45_000);
  assert.equal(ns.code, 0, ns.stderr);
  assert.match(ns.stdout, /kube-system/);
});
