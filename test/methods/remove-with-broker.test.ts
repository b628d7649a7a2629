/**
 * `kubetray remove-cache-dir` / `remove-tokens` while `kubetray serve` runs: the broker drops its
 * memory over the pipe and the cache directory (refresh tokens, PoP key) is gone, so the next
 * kubectl call has to sign in again. All real: kubectl, serve, pipe, Entra and Kube emulators.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startEntraEmulator } from '../emulators/entra/entra-emulator.js';
import { startKubeEmulator } from '../emulators/kube/kube-emulator.js';
import { AKS_CLIENT_ID, AKS_SERVER_ID, DEMO_PASSWORD, DEMO_TENANT_ID, DEMO_USER } from '../emulators/entra/entra-directory.js';
import { KUBETRAY_MAIN, run, startServe, type ServeProcess } from '../support/pipe-processes.js';
import { kubectlGetNamespaces, methodKubeconfig, type KubectlRig } from '../support/methods-kubectl.js';

const skip = process.platform === 'win32' ? 'uses Unix sockets' : false;
let rig: KubectlRig;
let serve: ServeProcess | undefined;

before(async () => {
  if (skip) return;
  const entra = await startEntraEmulator();
  const kube = await startKubeEmulator({ entra });
  rig = {
    entra,
    kube,
    brokerHome: fs.mkdtempSync(path.join(os.tmpdir(), 'kt-rm-broker-')),
    localHome: fs.mkdtempSync(path.join(os.tmpdir(), 'kt-rm-local-')),
    path: process.env.PATH ?? '/usr/bin:/bin',
  };
  serve = await startServe({ PATH: rig.path, HOME: rig.brokerHome, KUBETRAY_HOME: rig.brokerHome, KUBETRAY_CA_FILE: entra.caFile });
});

after(async () => {
  await serve?.stop();
  await rig?.kube.stop();
  await rig?.entra.stop();
  for (const d of [rig?.brokerHome, rig?.localHome]) if (d) fs.rmSync(d, { recursive: true, force: true });
});

for (const command of ['remove-cache-dir', 'remove-tokens']) {
  test(`${command} with a running broker: memory and files gone, the next call signs in again`, { skip, timeout: 60_000 }, async () => {
    const args = ['get-token', '-l', 'ropc', '--server-id', AKS_SERVER_ID, '--client-id', AKS_CLIENT_ID, '--tenant-id', DEMO_TENANT_ID, '--authority-host', rig.entra.authorityHost, '--username', DEMO_USER, '--pop-enabled', '--pop-claims', `u=${rig.kube.popHost}`];
    const config = methodKubeconfig(rig, 'broker', args, { AZURE_PASSWORD: DEMO_PASSWORD });
    assert.equal((await kubectlGetNamespaces(rig, config)).code, 0);
    const cacheDir = path.join(rig.brokerHome, 'cache');
    const files = fs.readdirSync(cacheDir);
    assert.ok(files.some((f) => f.startsWith('msal-')), `msal cache written: ${files.join(', ')}`);
    assert.ok(files.includes('pop-key.bin'), 'PoP key written');
    const passwords = rig.entra.tokenGrants('password');
    // Served from the broker's memory: no new grant.
    assert.equal((await kubectlGetNamespaces(rig, config)).code, 0);
    assert.equal(rig.entra.tokenGrants('password'), passwords);

    const r = await run(process.execPath, [KUBETRAY_MAIN, command], { env: { PATH: rig.path, HOME: rig.brokerHome, KUBETRAY_HOME: rig.brokerHome } });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /dropped all its tokens/);
    assert.equal(r.stdout, '');
    assert.equal(fs.existsSync(cacheDir), false);

    const after = await kubectlGetNamespaces(rig, config);
    assert.equal(after.code, 0, after.stderr);
    assert.equal(rig.entra.tokenGrants('password'), passwords + 1, 'signed in again: nothing was left to refresh from');
  });
}
