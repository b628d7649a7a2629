/**
 * "Installed but not running": run/app.json names the tray; get-token finds no broker, starts
 * it, waits for its pipe and gets the token from it. The "tray" here is `kubetray serve` (the
 * Electron binary cannot run on this machine); the launch path is the same.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startEntraEmulator, type EntraEmulator } from '../emulators/entra/entra-emulator.js';
import { AKS_CLIENT_ID, AKS_SERVER_ID, DEMO_TENANT_ID, DEMO_USER } from '../emulators/entra/entra-directory.js';
import { writeTrayAppInfo } from '../../shared/pipe/tray-app-info.js';
import { resolvePaths } from '../../shared/node/paths.js';
import { resolvePipeEndpoint } from '../../shared/pipe/pipe-endpoint.js';
import { pipeCall } from '../../shared/pipe/pipe-client.js';
import { KUBETRAY_MAIN, run } from '../support/pipe-processes.js';

const skip = process.platform === 'win32' ? 'Unix sockets' : false;
let entra: EntraEmulator;
let home: string;
let launchedPid: number | undefined;
let stopApproving: (() => void) | undefined;

before(async () => {
  if (skip) return;
  entra = await startEntraEmulator();
  stopApproving = entra.onDeviceCode((issued) => entra.approveDeviceCode(issued.userCode, DEMO_USER));
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'kt-tray-'));
});

after(async () => {
  stopApproving?.();
  if (home) {
    // Whatever the test got to, stop a tray it may have started (ask the broker for its pid).
    const paths = resolvePaths({ KUBETRAY_HOME: home });
    if (launchedPid === undefined) {
      const status = await pipeCall({ type: 'status' }, { paths });
      if (status.ok) launchedPid = status.value.pid;
    }
    if (launchedPid !== undefined) await stopDetached(launchedPid, resolvePipeEndpoint(paths).path);
  }
  await entra?.stop();
  if (home) fs.rmSync(home, { recursive: true, force: true });
});

/** SIGTERM a process we did not spawn directly and wait for its socket to disappear. */
async function stopDetached(pid: number, socket: string): Promise<void> {
  const gone = new Promise<void>((resolve) => {
    const dir = path.dirname(socket);
    const check = (): void => {
      if (!fs.existsSync(socket)) {
        watcher.close();
        resolve();
      }
    };
    const watcher = fs.watch(dir, check);
    check();
  });
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  await gone;
}

test('no broker running: get-token starts the tray from app.json and is served by it', { skip, timeout: 60_000 }, async () => {
  const paths = resolvePaths({ KUBETRAY_HOME: home });
  writeTrayAppInfo(paths.runDir, { executable: process.execPath, args: [KUBETRAY_MAIN, 'serve'] });
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, KUBETRAY_HOME: home, KUBETRAY_CA_FILE: entra.caFile };
  const r = await run(process.execPath, [KUBETRAY_MAIN, 'get-token', '--server-id', AKS_SERVER_ID, '--client-id', AKS_CLIENT_ID, '--tenant-id', DEMO_TENANT_ID, '--authority-host', entra.authorityHost], { env });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /starting KubeTray/);
  assert.equal(JSON.parse(r.stdout).kind, 'ExecCredential');

  const status = await run(process.execPath, [KUBETRAY_MAIN, 'status', '--json'], { env });
  assert.equal(status.code, 0, status.stderr);
  const info = JSON.parse(status.stdout);
  launchedPid = info.broker.pid;
  assert.notEqual(launchedPid, process.pid);
  assert.equal(info.broker.host, 'serve');
  assert.equal(info.broker.sessions.length, 1);
  assert.ok(!r.stderr.includes(JSON.parse(r.stdout).status.token));
});

test('app.json naming a missing executable is ignored (falls back in-process)', { skip }, async () => {
  const home2 = fs.mkdtempSync(path.join(os.tmpdir(), 'kt-tray-missing-'));
  try {
    writeTrayAppInfo(resolvePaths({ KUBETRAY_HOME: home2 }).runDir, { executable: path.join(home2, 'no-such-app') });
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home2, KUBETRAY_HOME: home2, KUBETRAY_CA_FILE: entra.caFile };
    const r = await run(process.execPath, [KUBETRAY_MAIN, 'get-token', '--server-id', AKS_SERVER_ID, '--client-id', AKS_CLIENT_ID, '--tenant-id', DEMO_TENANT_ID, '--authority-host', entra.authorityHost], { env });
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /starting KubeTray/);
    assert.match(r.stderr, /enter the code/i);
  } finally {
    fs.rmSync(home2, { recursive: true, force: true });
  }
});
