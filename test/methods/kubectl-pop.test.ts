/**
 * --pop-enabled for -l spn and -l interactive through real kubectl, in-process and via
 * `kubetray serve`; the Kubernetes API emulator verifies each PoP token (signature by the key in
 * cnf.jwk, u claim, the access token's cnf.kid). The interactive sign-in happens in real Chromium
 * driven by a test $BROWSER (test/support/methods-browser-cli.ts). ropc PoP: kubectl-user-methods.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startEntraEmulator } from '../emulators/entra/entra-emulator.js';
import { startKubeEmulator } from '../emulators/kube/kube-emulator.js';
import { AKS_CLIENT_ID, AKS_SERVER_ID, DEMO_PASSWORD, DEMO_TENANT_ID, DEMO_USER } from '../emulators/entra/entra-directory.js';
import { startServe, type ServeProcess, filesUnder } from '../support/pipe-processes.js';
import { waitForBrowsers } from '../support/methods-browser-marks.js';
import { kubectlGetNamespaces, kubectlGetNamespacesInTerminal, methodKubeconfig, MODES, type KubectlRig } from '../support/methods-kubectl.js';

const skip = process.platform !== 'linux' || !fs.existsSync('/usr/bin/chromium') ? 'needs Linux, Unix sockets and /usr/bin/chromium' : false;
const BROWSER = `${process.execPath} ${path.resolve(__dirname, '../support/methods-browser-cli.js')}`;
const marks = fs.mkdtempSync(path.join(os.tmpdir(), 'kt-pop-browsers-'));
const browserEnv = { BROWSER, METHODS_BROWSER_USER: DEMO_USER, METHODS_BROWSER_PASSWORD: DEMO_PASSWORD, METHODS_BROWSER_DIR: marks };
let rig: KubectlRig;
let serve: ServeProcess | undefined;
const spn = { appId: randomUUID(), secret: `pop-secret-${randomUUID()}` };

before(async () => {
  if (skip) return;
  const entra = await startEntraEmulator();
  const kube = await startKubeEmulator({ entra });
  entra.addApp({ appId: spn.appId, displayName: 'PoP SPN', secrets: [spn.secret] });
  rig = {
    entra,
    kube,
    brokerHome: fs.mkdtempSync(path.join(os.tmpdir(), 'kt-pop-broker-')),
    localHome: fs.mkdtempSync(path.join(os.tmpdir(), 'kt-pop-local-')),
    path: process.env.PATH ?? '/usr/bin:/bin',
  };
  serve = await startServe({ PATH: rig.path, HOME: rig.brokerHome, KUBETRAY_HOME: rig.brokerHome, KUBETRAY_CA_FILE: entra.caFile, ...browserEnv });
});

after(async () => {
  // The system-browser launcher detaches $BROWSER: wait until every test browser has exited.
  await waitForBrowsers(marks);
  fs.rmSync(marks, { recursive: true, force: true });
  await serve?.stop();
  await rig?.kube.stop();
  await rig?.entra.stop();
  for (const d of [rig?.brokerHome, rig?.localHome]) if (d) fs.rmSync(d, { recursive: true, force: true });
});

const popArgs = (): string[] => ['--pop-enabled', '--pop-claims', `u=${rig.kube.popHost}`];

for (const mode of MODES) {
  test(`spn --pop-enabled (${mode}): PoP token verified by the API server`, { skip, timeout: 60_000 }, async () => {
    const args = ['get-token', '-l', 'spn', '--server-id', AKS_SERVER_ID, '--client-id', spn.appId, '--tenant-id', DEMO_TENANT_ID, '--authority-host', rig.entra.authorityHost, ...popArgs()];
    const rejections = rig.kube.rejections.length;
    const r = await kubectlGetNamespaces(rig, methodKubeconfig(rig, mode, args, { AAD_SERVICE_PRINCIPAL_CLIENT_SECRET: spn.secret }));
    assert.equal(r.code, 0, r.stderr);
    assert.equal(rig.kube.lastCaller()?.scheme, 'pop');
    assert.equal(rig.kube.rejections.length, rejections);
  });

  test(`interactive --pop-enabled (${mode}): Chromium sign-in, PoP token verified by the API server`, { skip, timeout: 90_000 }, async () => {
    const args = ['get-token', '-l', 'interactive', '--server-id', AKS_SERVER_ID, '--client-id', AKS_CLIENT_ID, '--tenant-id', DEMO_TENANT_ID, '--authority-host', rig.entra.authorityHost, ...popArgs()];
    const signIns = rig.entra.signIns();
    const r = await kubectlGetNamespacesInTerminal(rig, methodKubeconfig(rig, mode, args, browserEnv, 'IfAvailable'), browserEnv);
    assert.equal(r.code, 0, r.stdout);
    assert.match(r.stdout, /kubetray-demo/);
    assert.equal(rig.kube.lastCaller()?.scheme, 'pop');
    assert.equal(rig.kube.lastCaller()?.username, DEMO_USER);
    assert.equal(rig.entra.signIns(), signIns + 1);
  });
}

test('no token, secret or password reached any log file', { skip, timeout: 30_000 }, () => {
  const secrets = [...rig.entra.issuedTokens(), DEMO_PASSWORD, spn.secret].filter((s) => s.length > 8);
  const files = [...filesUnder(path.join(rig.brokerHome, 'logs')), ...filesUnder(path.join(rig.localHome, 'logs'))];
  assert.ok(files.length > 0, 'the broker and the in-process client wrote logs');
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    for (const s of secrets) assert.ok(!text.includes(s), `${file} contains token material`);
  }
});
