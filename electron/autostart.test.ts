import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildAutostartDesktopEntry, isAutostartEnabled, quoteExecArg, resolveAutostartDir, writeAutostartEntry } from './autostart.js';
import { buildAppLaunchInfo, readAppLaunchInfo, wantsHiddenStart, writeAppLaunchInfo } from './launch-info.js';

test('the autostart entry follows the Desktop Entry spec and starts hidden in the tray', () => {
  const text = buildAutostartDesktopEntry({ executable: '/opt/KubeTray/kubetray-app', args: ['--hidden'] });
  const lines = text.split('\n');
  assert.equal(lines[0], '[Desktop Entry]');
  assert.ok(lines.includes('Type=Application'));
  assert.ok(lines.includes('Exec=/opt/KubeTray/kubetray-app --hidden'));
  assert.ok(lines.includes('Hidden=false'));
  assert.ok(text.endsWith('\n'));
});

test('Exec arguments with spaces, quotes and percent signs are quoted per the spec', () => {
  assert.equal(quoteExecArg('/home/ada/My Apps/KubeTray.AppImage'), '"/home/ada/My Apps/KubeTray.AppImage"');
  assert.equal(quoteExecArg('100%'), '100%%');
  assert.equal(quoteExecArg('a"b$c'), '"a\\\\"b\\\\$c"');
  assert.throws(() => buildAutostartDesktopEntry({ executable: 'relative/app' }));
  assert.throws(() => buildAutostartDesktopEntry({ executable: '/x', args: ['a\nExec=evil'] }));
});

test('the writer turns autostart on and off in $XDG_CONFIG_HOME/autostart', (t) => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'kubetray-autostart-'));
  t.after(() => fs.rmSync(home, { recursive: true, force: true }));
  const dir = resolveAutostartDir({ XDG_CONFIG_HOME: path.join(home, 'cfg') }, home);
  assert.equal(dir, path.join(home, 'cfg', 'autostart'));
  assert.equal(resolveAutostartDir({ XDG_CONFIG_HOME: 'relative' }, home), path.join(home, '.config', 'autostart'));
  assert.equal(isAutostartEnabled(dir), false);
  const file = writeAutostartEntry(dir, true, { executable: '/usr/bin/kubetray-app', args: ['--hidden'] });
  assert.equal(isAutostartEnabled(dir), true);
  assert.match(fs.readFileSync(file, 'utf8'), /^Exec=\/usr\/bin\/kubetray-app --hidden$/m);
  writeAutostartEntry(dir, false, { executable: '/usr/bin/kubetray-app' });
  assert.equal(fs.existsSync(file), false);
  assert.equal(isAutostartEnabled(dir), false);
});

test('app.json tells the CLI how to start the tray, written 0600 and read back', (t) => {
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubetray-run-'));
  t.after(() => fs.rmSync(runDir, { recursive: true, force: true }));
  const packaged = buildAppLaunchInfo({ execPath: '/opt/KubeTray/kubetray-app', isPackaged: true, appPath: '/opt/KubeTray/resources/app.asar', pid: 42, version: '0.1.0' });
  assert.deepEqual(packaged.args, ['--hidden']);
  const dev = buildAppLaunchInfo({ execPath: '/repo/node_modules/electron/dist/electron', isPackaged: false, appPath: '/repo', pid: 42, version: '0.1.0' });
  assert.deepEqual(dev.args, ['/repo', '--hidden']);
  const file = writeAppLaunchInfo(runDir, packaged);
  if (process.platform !== 'win32') assert.equal(fs.statSync(file).mode & 0o777, 0o600);
  assert.deepEqual(readAppLaunchInfo(runDir), packaged);
  fs.writeFileSync(file, '{"executable": 3}');
  assert.equal(readAppLaunchInfo(runDir), undefined);
  assert.ok(wantsHiddenStart(['/x', '--hidden']));
  assert.ok(!wantsHiddenStart(['/x']));
});

test('app.json started from an AppImage names the AppImage file, not its temporary mount', () => {
  const info = buildAppLaunchInfo({ execPath: '/tmp/.mount_KubeTrXyz/kubetray', appImage: '/home/ada/Apps/KubeTray-0.1.0-x64.AppImage', isPackaged: true, appPath: '/tmp/.mount_KubeTrXyz/resources/app.asar', pid: 42, version: '0.1.0' });
  assert.equal(info.executable, '/home/ada/Apps/KubeTray-0.1.0-x64.AppImage');
  assert.deepEqual(info.args, ['--hidden']);
  const dev = buildAppLaunchInfo({ execPath: '/repo/node_modules/electron/dist/electron', appImage: '/x.AppImage', isPackaged: false, appPath: '/repo', pid: 42, version: '0.1.0' });
  assert.equal(dev.executable, '/repo/node_modules/electron/dist/electron');
});
