/**
 * `kubetray get-token` against a real pipe server with a fake-broker behind it (the full chain
 * with the real broker and emulators is in kubectl-e2e.test.ts): output format, exit codes,
 * fallbacks, and what the hot path loads.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { resolvePaths } from '../../shared/node/paths.js';
import { startPipeServer, type PipeServer } from '../../shared/pipe/pipe-server.js';
import { runGetToken, type GetTokenDeps } from '../../shared/cli/commands/get-token.js';
import { runCli } from '../../shared/cli/main.js';
import { EXIT } from '../../shared/cli/exit-codes.js';
import type { CliIo } from '../../shared/cli/cli-io.js';
import { createFakeBroker, type FakeBroker } from '../support/pipe-fake-broker.js';
import { AppError } from '../../shared/core/app-error.js';

const MAIN = path.resolve(__dirname, '../../shared/cli/main.js');
const V1 = 'client.authentication.k8s.io/v1';
let home: string;
let emptyHome: string;
let server: PipeServer;
let broker: FakeBroker;

before(async () => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'kt-cli-'));
  emptyHome = fs.mkdtempSync(path.join(os.tmpdir(), 'kt-cli-empty-'));
  broker = createFakeBroker();
  server = await startPipeServer({ broker, paths: resolvePaths({ KUBETRAY_HOME: home }) });
});

after(async () => {
  await server?.close();
  fs.rmSync(home, { recursive: true, force: true });
  fs.rmSync(emptyHome, { recursive: true, force: true });
});

function io(env: Record<string, string>): CliIo & { out: string; err: string } {
  const o = { out: '', err: '', env: { KUBETRAY_HOME: home, ...env }, cwd: '/tmp', stdout: (t: string) => void (o.out += t), stderr: (t: string) => void (o.err += t) };
  return o;
}

const ARGS = ['--login', 'devicecode', '--server-id', 'srv', '--client-id', 'cli', '--tenant-id', 'ten'];

test('prints one ExecCredential with the apiVersion kubectl asked for, progress on stderr', async () => {
  const x = io({ KUBERNETES_EXEC_INFO: JSON.stringify({ apiVersion: V1, kind: 'ExecCredential', spec: { interactive: true } }) });
  assert.equal(await runGetToken(ARGS, x), EXIT.OK);
  const lines = x.out.trimEnd().split('\n');
  assert.equal(lines.length, 1);
  const cred = JSON.parse(lines[0]!);
  assert.equal(cred.apiVersion, V1);
  assert.equal(cred.kind, 'ExecCredential');
  assert.match(cred.status.token, /^fake-token-\d+-srv$/);
  assert.equal(cred.status.expirationTimestamp, '2030-01-01T00:00:00Z');
  assert.match(x.err, /fake-broker: working/);
  assert.ok(!x.err.includes(cred.status.token));
  const call = broker.calls.at(-1)!;
  assert.deepEqual(call.request, { login: 'devicecode', serverId: 'srv', clientId: 'cli', tenantId: 'ten', environment: 'AzurePublicCloud', timeoutMs: 60_000 });
  assert.equal(call.context.caller?.pid, process.pid);
});

test('no KUBERNETES_EXEC_INFO: v1beta1', async () => {
  const x = io({});
  assert.equal(await runGetToken(ARGS, x), EXIT.OK);
  assert.equal(JSON.parse(x.out).apiVersion, 'client.authentication.k8s.io/v1beta1');
});

test('usage errors exit 2 with nothing on stdout', async () => {
  for (const argv of [['--bogus'], ['--login', 'magic', '--server-id', 's'], [], ['--server-id', 's', '--authority-host', 'https://x']]) {
    const x = io({});
    assert.equal(await runGetToken(argv, x), EXIT.USAGE, argv.join(' '));
    assert.equal(x.out, '');
    assert.match(x.err, /kubetray get-token: /);
  }
});

test('unsupported exec apiVersion exits 2', async () => {
  const x = io({ KUBERNETES_EXEC_INFO: JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1alpha1' }) });
  assert.equal(await runGetToken(ARGS, x), EXIT.USAGE);
  assert.match(x.err, /does not support/);
});

test('non-interactive caller that needs a sign-in fails fast with where to sign in', async () => {
  const x = io({ KUBERNETES_EXEC_INFO: JSON.stringify({ apiVersion: V1, spec: { interactive: false } }) });
  assert.equal(await runGetToken([...ARGS, '--login-hint', 'needs-sign-in'], x), EXIT.SIGN_IN_REQUIRED);
  assert.match(x.err, /sign in from the KubeTray window/);
  assert.equal(x.out, '');
});

test('broker errors map to exit codes and plain words', async () => {
  broker.failWith = new AppError('auth/invalid-client', 'The client secret is wrong: create a new one and update AZURE_CLIENT_SECRET.');
  try {
    const x = io({});
    assert.equal(await runGetToken(ARGS, x), EXIT.AUTH_FAILED);
    assert.match(x.err, /client secret is wrong/);
  } finally {
    broker.failWith = undefined;
  }
});

test('env overrides reach the broker; CI variables go as callerEnv', async () => {
  const x = io({ AAD_LOGIN_METHOD: 'azurepipelines', AZURE_CLIENT_ID: 'env-client', SYSTEM_ACCESSTOKEN: 'sys', OTHER: 'no' });
  assert.equal(await runGetToken(ARGS, x), EXIT.OK);
  const req = broker.calls.at(-1)!.request;
  assert.equal(req.login, 'azurepipelines');
  assert.equal(req.clientId, 'env-client');
  assert.deepEqual(req.callerEnv, { SYSTEM_ACCESSTOKEN: 'sys' });
});

test('--disable-environment-override keeps AZURESUBSCRIPTION_* out of callerEnv', async () => {
  const x = io({ SYSTEM_ACCESSTOKEN: 'sys', AZURESUBSCRIPTION_CLIENT_ID: 'sc-client', AZURESUBSCRIPTION_TENANT_ID: 'sc-tenant' });
  const argv = ['--login', 'azurepipelines', '--server-id', 'srv', '--client-id', 'cli', '--tenant-id', 'ten', '--disable-environment-override'];
  assert.equal(await runGetToken(argv, x), EXIT.OK);
  assert.deepEqual(broker.calls.at(-1)!.request.callerEnv, { SYSTEM_ACCESSTOKEN: 'sys' });
  const y = io({ SYSTEM_ACCESSTOKEN: 'sys', AZURESUBSCRIPTION_CLIENT_ID: 'sc-client' });
  assert.equal(await runGetToken(argv.slice(0, -1), y), EXIT.OK);
  assert.equal(broker.calls.at(-1)!.request.callerEnv?.AZURESUBSCRIPTION_CLIENT_ID, 'sc-client');
});

test('no broker: tries the tray, then signs in in-process', async () => {
  const steps: string[] = [];
  const deps: GetTokenDeps = {
    launchTray: async () => (steps.push('tray'), 'no-tray'),
    inProcess: async (call) => (steps.push(`in-process:${call.request.serverId}:${call.interactive}`), { token: 'inproc-token', expiresOn: Date.UTC(2031, 0, 1), source: 'sign-in' }),
  };
  const x = io({ KUBETRAY_HOME: emptyHome });
  assert.equal(await runGetToken(ARGS, x, deps), EXIT.OK);
  assert.deepEqual(steps, ['tray', 'in-process:srv:true']);
  assert.equal(JSON.parse(x.out).status.token, 'inproc-token');
});

test('KUBETRAY_BROKER=only and no broker: exit 5; =off skips the pipe', async () => {
  const deps: GetTokenDeps = { launchTray: async () => 'no-tray', inProcess: async () => ({ token: 't', expiresOn: Date.UTC(2031, 0, 1), source: 'sign-in' }) };
  const only = io({ KUBETRAY_HOME: emptyHome, KUBETRAY_BROKER: 'only' });
  assert.equal(await runGetToken(ARGS, only, deps), EXIT.BROKER);
  const before = broker.calls.length;
  const off = io({ KUBETRAY_BROKER: 'off' });
  assert.equal(await runGetToken(ARGS, off, deps), EXIT.OK);
  assert.equal(broker.calls.length, before);
});

test('runCli: help, version, unknown command, per-command help', async () => {
  const h = io({});
  assert.equal(await runCli(['--help'], h), 0);
  assert.match(h.out, /get-token/);
  const v = io({});
  assert.equal(await runCli(['--version'], v), 0);
  assert.match(v.out, /^kubetray \d+\.\d+\.\d+/);
  const u = io({});
  assert.equal(await runCli(['frobnicate'], u), 2);
  const g = io({});
  assert.equal(await runCli(['get-token', '--help'], g), 0);
  assert.match(g.err, /--server-id/);
});

test('the compiled bin, run by node: one line on stdout, and the hot path loads no broker or package code', async () => {
  const probe = path.join(home, 'modules.json');
  const preload = path.join(home, 'probe.js');
  fs.writeFileSync(preload, `process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(probe)}, JSON.stringify(Object.keys(require.cache))));`);
  const child = spawn(process.execPath, ['--require', preload, MAIN, 'get-token', ...ARGS], {
    env: { PATH: process.env.PATH ?? '', KUBETRAY_HOME: home, KUBERNETES_EXEC_INFO: JSON.stringify({ apiVersion: V1, spec: { interactive: false } }) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.equal(code, 0);
  assert.equal(out.split('\n').filter((l) => l !== '').length, 1);
  assert.equal(JSON.parse(out).apiVersion, V1);
  const loaded = (JSON.parse(fs.readFileSync(probe, 'utf8')) as string[]).filter((f) => f !== preload);
  const offenders = loaded.filter((f) => f.includes('node_modules') || /shared[\\/](broker|cache|kubeconfig)[\\/]/.test(f) || /shared[\\/]auth[\\/](?!flows[\\/]workload-identity-env)/.test(f));
  assert.deepEqual(offenders, []);
  assert.ok(loaded.length <= 20, `hot path loaded ${loaded.length} modules: ${loaded.join(', ')}`);
});

test('runCli delegates convert-kubeconfig, remove-tokens and remove-cache-dir to their owners', async () => {
  for (const cmd of ['convert-kubeconfig', 'remove-tokens', 'remove-cache-dir']) {
    const x = io({});
    const code = await runCli([cmd, '--help'], x);
    assert.equal(code, 0, `${cmd}: ${x.err}`);
    assert.doesNotMatch(x.err, /not part of this build/);
    assert.ok((x.out + x.err).length > 0, cmd);
  }
});

test('a tray that does not come up is given up on after the bounded wait', async () => {
  const { launchTrayAndWait } = await import('../../shared/cli/tray-launcher.js');
  const { writeTrayAppInfo } = await import('../../shared/pipe/tray-app-info.js');
  const paths = resolvePaths({ KUBETRAY_HOME: emptyHome });
  assert.equal(await launchTrayAndWait(paths, { timeoutMs: 300 }), 'no-tray');
  writeTrayAppInfo(paths.runDir, { executable: process.execPath, args: ['-e', '0'] });
  let said = '';
  assert.equal(await launchTrayAndWait(paths, { timeoutMs: 300, say: (t) => (said += t) }), 'did-not-start');
  assert.match(said, /starting KubeTray/);
  fs.rmSync(path.join(paths.runDir, 'app.json'));
});

test('status and sign-out talk to the broker; without one they exit 5 and say how to start it', async () => {
  const s = io({});
  assert.equal(await runCli(['status'], s), 0);
  assert.match(s.out, /KubeTray .* \(serve\) pid \d+/);
  assert.match(s.out, /signed-in\s+devicecode/);
  const o = io({});
  assert.equal(await runCli(['sign-out', 'k1'], o), 0);
  assert.match(o.err, /signed out of k1/);
  assert.equal(broker.signOuts.at(-1), 'k1');
  const none = io({ KUBETRAY_HOME: emptyHome });
  assert.equal(await runCli(['status'], none), EXIT.BROKER);
  assert.match(none.err, /kubetray serve/);
});

test('a broker that never answers: --timeout (plus a short grace) ends the wait with exit 6', async () => {
  let release!: () => void;
  broker.gate = new Promise<void>((r) => (release = r));
  try {
    const x = io({});
    assert.equal(await runGetToken([...ARGS, '--timeout', '100ms'], x), EXIT.TIMEOUT);
    assert.match(x.err, /no token after 100 ms: raise --timeout/);
    assert.equal(x.out, '');
  } finally {
    broker.gate = undefined;
    release();
  }
});
