/**
 * The real Electron app through Playwright's Electron support. Runs wherever an Electron binary
 * exists (KUBETRAY_ELECTRON, ELECTRON_OVERRIDE_DIST_PATH, or node_modules/electron/dist); here,
 * where the binary cannot be downloaded, it prints one SKIP line and is marked skipped.
 *
 * It never calls require('electron') to find the binary: that tries to download it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { _electron } from 'playwright';
import { resolvePaths } from '../../shared/node/paths.js';
import { resolvePipeEndpoint } from '../../shared/pipe/pipe-endpoint.js';
import { readAppLaunchInfo } from '../../electron/launch-info.js';
import { REPO_ROOT } from '../support/desktop-harness.js';

function findElectronBinary(): { path?: string; why: string } {
  const candidates: string[] = [];
  if (process.env.KUBETRAY_ELECTRON) candidates.push(process.env.KUBETRAY_ELECTRON);
  const pkgDir = path.join(REPO_ROOT, 'node_modules', 'electron');
  let relative = 'electron';
  try {
    relative = fs.readFileSync(path.join(pkgDir, 'path.txt'), 'utf8').trim() || relative;
  } catch {
    // no path.txt: the binary was never fetched
  }
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) candidates.push(path.join(process.env.ELECTRON_OVERRIDE_DIST_PATH, relative));
  candidates.push(path.join(pkgDir, 'dist', relative));
  const found = candidates.find((c) => fs.existsSync(c));
  return found ? { path: found, why: '' } : { why: `no binary at ${candidates.join(', ')}` };
}

test('the tray app starts, shows its window with the contract API, writes app.json and quits cleanly', async (t) => {
  const electron = findElectronBinary();
  if (!electron.path) {
    const line = `SKIP: Electron binary not available (${electron.why}; set KUBETRAY_ELECTRON to run this suite)`;
    console.log(line);
    t.skip(`Electron binary not available (${electron.why})`);
    return;
  }
  // dist/ (this file's output root) needs the bundled preload and the window's static files.
  const outDir = path.resolve(__dirname, '..', '..');
  const bundled = spawnSync(process.execPath, [path.join(REPO_ROOT, 'build', 'bundle-desktop.mjs'), outDir], { encoding: 'utf8' });
  assert.equal(bundled.status, 0, bundled.stderr);

  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'kubetray-electron-'));
  t.after(() => fs.rmSync(home, { recursive: true, force: true }));
  const kubeconfig = path.join(home, 'kubeconfig');
  fs.writeFileSync(kubeconfig, 'apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\n');
  const app = await _electron.launch({
    executablePath: electron.path,
    args: [path.join(outDir, 'electron', 'main.js'), '--no-sandbox'],
    env: { ...process.env, KUBETRAY_HOME: home, KUBECONFIG: kubeconfig, XDG_CONFIG_HOME: path.join(home, 'xdg') },
  });
  try {
    const window = await app.firstWindow();
    await window.waitForFunction(() => performance.getEntriesByName('kubetray:first-paint').length > 0);
    assert.equal(await window.title(), 'KubeTray');
    const snapshot = await window.evaluate(async () => (window as unknown as { kubetray: { getSnapshot(r: object): Promise<{ ok: boolean }> } }).kubetray.getSnapshot({}));
    assert.equal(snapshot.ok, true);
    // The renderer has no Node: the sandbox and context isolation hold in the real app.
    assert.equal(await window.evaluate(() => typeof (globalThis as { require?: unknown }).require), 'undefined');
    const info = readAppLaunchInfo(resolvePaths({ KUBETRAY_HOME: home }).runDir);
    assert.equal(info?.executable, electron.path);
  } finally {
    await app.close();
  }
  // Quitting closes the pipe and removes its socket.
  const endpoint = resolvePipeEndpoint(resolvePaths({ KUBETRAY_HOME: home }));
  if (process.platform !== 'win32') assert.equal(fs.existsSync(endpoint.path), false);
});
