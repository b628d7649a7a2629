/**
 * End to end, all real: kubectl -> `kubetray get-token` (compiled bin, exec plugin) ->
 * `kubetray serve` (pipe + broker) -> Entra ID emulator -> Kubernetes API emulator.
 * Trust goes through KUBETRAY_CA_FILE (the product's knob), not NODE_EXTRA_CA_CERTS.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startEntraEmulator, type EntraEmulator } from '../emulators/entra/entra-emulator.js';
import { startKubeEmulator, type KubeEmulator, type ExecStanza } from '../emulators/kube/kube-emulator.js';
import { AKS_CLIENT_ID, AKS_SERVER_ID, AZURE_CLI_CLIENT_ID, DEMO_TENANT_ID, DEMO_USER } from '../emulators/entra/entra-directory.js';
import { filesUnder, KUBETRAY_MAIN, kubectl, kubectlInTerminal, startServe, type RunResult, type ServeProcess } from '../support/pipe-processes.js';

function missing(): string | false {
  if (process.platform === 'win32') return 'needs Unix sockets';
  for (const tool of ['kubectl', 'script']) {
    const found = (process.env.PATH ?? '').split(path.delimiter).some((d) => fs.existsSync(path.join(d, tool)));
    if (!found) return `needs ${tool} on PATH`;
  }
  return false;
}
const skip = missing();
const V1 = 'client.authentication.k8s.io/v1';
const V1BETA1 = 'client.authentication.k8s.io/v1beta1';

let entra: EntraEmulator;
let kube: KubeEmulator;
let home: string;
let lonelyHome: string;
let serve: ServeProcess | undefined;
let stopApproving: (() => void) | undefined;
const spn = { appId: randomUUID(), secret: `e2e-secret-${randomUUID()}`, objectId: '' };
const captured: string[] = [];

function keep(r: RunResult): RunResult {
  captured.push(r.stdout, r.stderr);
  return r;
}

function baseEnv(kubetrayHome: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: kubetrayHome, KUBETRAY_HOME: kubetrayHome, KUBETRAY_CA_FILE: entra.caFile };
  return env;
}

function deviceCodeArgs(clientId = AKS_CLIENT_ID): string[] {
  return ['get-token', '--login', 'devicecode', '--server-id', AKS_SERVER_ID, '--client-id', clientId, '--tenant-id', DEMO_TENANT_ID, '--authority-host', entra.authorityHost];
}

function kubeconfig(kubetrayHome: string, exec: Partial<ExecStanza> & { args: string[] }, extraEnv: Record<string, string> = {}): string {
  const env = Object.entries({ KUBETRAY_HOME: kubetrayHome, KUBETRAY_CA_FILE: entra.caFile, ...extraEnv }).map(([name, value]) => ({ name, value }));
  return kube.kubeconfigFor({ user: { exec: { command: process.execPath, ...exec, args: [KUBETRAY_MAIN, ...exec.args], env } } });
}

before(async () => {
  if (skip) return;
  entra = await startEntraEmulator();
  kube = await startKubeEmulator({ entra });
  spn.objectId = entra.addApp({ appId: spn.appId, displayName: 'KubeTray e2e SPN', secrets: [spn.secret] }, DEMO_TENANT_ID).servicePrincipalId;
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'kt-e2e-'));
  lonelyHome = fs.mkdtempSync(path.join(os.tmpdir(), 'kt-e2e-nobroker-'));
  // The person: approves every device code the moment it is requested.
  stopApproving = entra.onDeviceCode((issued) => entra.approveDeviceCode(issued.userCode, DEMO_USER));
  serve = await startServe(baseEnv(home));
});

after(async () => {
  stopApproving?.();
  await serve?.stop();
  await kube?.stop();
  await entra?.stop();
  for (const d of [home, lonelyHome]) if (d) fs.rmSync(d, { recursive: true, force: true });
});

test('20 concurrent kubectl against a cold broker: one device code sign-in, all succeed', { skip, timeout: 120_000 }, async () => {
  const config = kubeconfig(home, { apiVersion: V1, interactiveMode: 'IfAvailable', args: deviceCodeArgs() });
  const before = entra.signIns();
  const results = await Promise.all(Array.from({ length: 20 }, () => kubectlInTerminal(['--kubeconfig', config, 'get', 'namespaces'], baseEnv(home), 90_000).then(keep)));
  const failed = results.filter((r) => r.code !== 0);
  assert.deepEqual(failed.map((r) => r.stdout.slice(-400)), []);
  for (const r of results) assert.match(r.stdout, /kubetray-demo/);
  assert.equal(entra.signIns() - before, 1);
  // The device code message reached the terminals that waited for it.
  assert.ok(results.some((r) => /enter the code/i.test(r.stdout)), 'no terminal saw the device code message');
});

test('warm broker, exec v1 interactiveMode Never: get namespaces and auth whoami', { skip }, async () => {
  const config = kubeconfig(home, { apiVersion: V1, interactiveMode: 'Never', args: deviceCodeArgs() });
  const ns = keep(await kubectl(['--kubeconfig', config, 'get', 'namespaces'], baseEnv(home)));
  assert.equal(ns.code, 0, ns.stderr);
  assert.match(ns.stdout, /kube-system/);
  const who = keep(await kubectl(['--kubeconfig', config, 'auth', 'whoami'], baseEnv(home)));
  assert.equal(who.code, 0, who.stderr);
  assert.match(who.stdout, new RegExp(DEMO_USER.replace('.', '\\.')));
});

test('warm broker, exec v1beta1 (no terminal): served from the broker', { skip }, async () => {
  const signIns = entra.signIns();
  const config = kubeconfig(home, { apiVersion: V1BETA1, args: deviceCodeArgs() });
  const r = keep(await kubectl(['--kubeconfig', config, 'get', 'namespaces'], baseEnv(home)));
  assert.equal(r.code, 0, r.stderr);
  assert.equal(entra.signIns(), signIns);
});

test('spec.interactive=false and a sign-in needed: fast failure that says where to sign in', { skip }, async () => {
  const signIns = entra.signIns();
  const deviceCodes = entra.requestLog.filter((e) => e.path.endsWith('/devicecode')).length;
  // Another client id = another session: cold.
  const config = kubeconfig(home, { apiVersion: V1, interactiveMode: 'Never', args: deviceCodeArgs(AZURE_CLI_CLIENT_ID) });
  const r = keep(await kubectl(['--kubeconfig', config, 'get', 'namespaces'], baseEnv(home), 30_000));
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /sign in from the KubeTray window/);
  assert.equal(entra.signIns(), signIns);
  assert.equal(entra.requestLog.filter((e) => e.path.endsWith('/devicecode')).length, deviceCodes);
});

test('no broker: spn in-process, kubectl succeeds as the service principal', { skip }, async () => {
  const config = kubeconfig(
    lonelyHome,
    { apiVersion: V1, interactiveMode: 'Never', args: ['get-token', '--login', 'spn', '--server-id', AKS_SERVER_ID, '--client-id', spn.appId, '--tenant-id', DEMO_TENANT_ID, '--authority-host', entra.authorityHost] },
    { AAD_SERVICE_PRINCIPAL_CLIENT_SECRET: spn.secret },
  );
  const r = keep(await kubectl(['--kubeconfig', config, 'auth', 'whoami', '-o', 'json'], baseEnv(lonelyHome)));
  assert.equal(r.code, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).status.userInfo.username, spn.objectId);
  assert.ok(!fs.existsSync(path.join(lonelyHome, 'run', 'kubetray.sock')));
  const again = keep(await kubectl(['--kubeconfig', config, 'get', 'namespaces'], baseEnv(lonelyHome)));
  assert.equal(again.code, 0, again.stderr);
});

test('no broker and spec.interactive=false: in-process device code fails fast too', { skip }, async () => {
  const deviceCodes = entra.requestLog.filter((e) => e.path.endsWith('/devicecode')).length;
  const config = kubeconfig(lonelyHome, { apiVersion: V1, interactiveMode: 'Never', args: deviceCodeArgs() });
  const r = keep(await kubectl(['--kubeconfig', config, 'get', 'namespaces'], baseEnv(lonelyHome), 30_000));
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /exit code 3/);
  assert.match(r.stderr, /needs you, but kubectl runs this command without a terminal/);
  assert.equal(entra.requestLog.filter((e) => e.path.endsWith('/devicecode')).length, deviceCodes);
});

test('kubetray status talks to the running broker', { skip }, async () => {
  const { run } = await import('../support/pipe-processes.js');
  const r = keep(await run(process.execPath, [KUBETRAY_MAIN, 'status', '--json'], { env: baseEnv(home) }));
  assert.equal(r.code, 0, r.stderr);
  const status = JSON.parse(r.stdout);
  assert.equal(status.running, true);
  assert.equal(status.broker.host, 'serve');
  assert.ok(status.broker.sessions.length >= 1);
});

test('no token the emulator issued appears in any log or captured output', { skip }, async () => {
  const issued = entra.issuedTokens().filter((t) => t.length >= 16);
  assert.ok(issued.length > 0);
  const texts = [...filesUnder(path.join(home, 'logs')), ...filesUnder(path.join(lonelyHome, 'logs'))].map((f) => fs.readFileSync(f, 'utf8'));
  assert.ok(texts.length > 0, 'no log files were written');
  // Everything a person saw: the broker's terminal, kubectl's stdout/stderr (with the plugin's stderr).
  texts.push(serve!.output(), ...captured);
  for (const token of issued) {
    for (const text of texts) assert.ok(!text.includes(token), 'a token leaked into a log or stderr');
  }
});

test('a second kubetray serve refuses to take over the running one (exit 5)', { skip }, async () => {
  const { run } = await import('../support/pipe-processes.js');
  const r = await run(process.execPath, [KUBETRAY_MAIN, 'serve'], { env: baseEnv(home), timeoutMs: 30_000 });
  assert.equal(r.code, 5);
  assert.match(r.stderr, /already serving/);
  assert.ok(fs.existsSync(serve!.endpoint), 'the running broker lost its socket');
});

test('serve stops cleanly on SIGTERM and removes its socket', { skip }, async () => {
  const endpoint = serve!.endpoint;
  assert.ok(fs.existsSync(endpoint));
  const code = await serve!.stop();
  serve = undefined;
  assert.equal(code, 0);
  assert.equal(fs.existsSync(endpoint), false);
});
