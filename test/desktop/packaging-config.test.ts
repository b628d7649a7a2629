/**
 * Validates build/electron-builder.yml as far as this machine allows: electron-builder's own
 * schema validator, every referenced file present, icon sizes, wrapper scripts. Building the
 * installers needs the Electron binary (and wine/macOS for nsis/dmg): not done here.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { load } from 'js-yaml';

const root = path.resolve(__dirname, '..', '..', '..');
const buildDir = path.join(root, 'build');
const config = load(fs.readFileSync(path.join(buildDir, 'electron-builder.yml'), 'utf8')) as Record<string, unknown> & {
  linux: { target: string[]; desktop: { entry: Record<string, string> }; executableName: string; icon: string };
  deb: { afterInstall: string; afterRemove: string };
  win: { target: string[]; icon: string };
  nsis: { include: string };
  mac: { target: string[]; extendInfo: Record<string, unknown>; icon: string; entitlements: string };
  extraResources: { from: string; to: string }[];
  electronFuses: Record<string, boolean>;
};

function pngSize(file: string): { width: number; height: number } {
  const b = fs.readFileSync(file);
  assert.equal(b.subarray(1, 4).toString('ascii'), 'PNG', `${file} is a PNG`);
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

test("electron-builder's own schema accepts the configuration", async () => {
  // app-builder-lib is electron-builder's engine; validateConfiguration is what `electron-builder` runs first.
  const { validateConfiguration } = (await import('app-builder-lib/out/util/config/config.js' as string)) as {
    validateConfiguration(c: unknown, logger: unknown): Promise<void>;
  };
  const { DebugLogger } = (await import('builder-util' as string)) as { DebugLogger: new (enabled: boolean) => unknown };
  await validateConfiguration(config, new DebugLogger(false));
  await assert.rejects(validateConfiguration({ ...config, linux: { ...config.linux, bogus: 1 } }, new DebugLogger(false)), 'the validator is not a no-op');
});

test('targets: AppImage + deb, nsis, dmg; macOS is tray-only', () => {
  assert.deepEqual(config.linux.target, ['AppImage', 'deb']);
  assert.deepEqual(config.win.target, ['nsis']);
  assert.deepEqual(config.mac.target, ['dmg']);
  assert.equal(config.mac.extendInfo.LSUIElement, true);
  assert.equal(config.electronFuses.runAsNode, true, 'the kubetray wrapper runs Electron as Node');
});

test('every file the configuration names exists, scripts are executable', () => {
  for (const rel of [config.deb.afterInstall, config.deb.afterRemove, config.nsis.include, config.mac.entitlements, config.mac.icon, config.win.icon]) {
    assert.ok(fs.existsSync(path.join(root, rel)), rel);
  }
  for (const r of config.extraResources) assert.ok(fs.statSync(path.join(root, r.from)).isDirectory(), r.from);
  for (const script of ['build/linux/after-install.sh', 'build/linux/after-remove.sh', 'build/bin/kubetray']) {
    const st = fs.statSync(path.join(root, script));
    assert.ok(st.mode & 0o100, `${script} is executable`);
    assert.match(fs.readFileSync(path.join(root, script), 'utf8'), /^#!\/bin\/sh\n/);
  }
  assert.match(fs.readFileSync(path.join(root, 'build/linux/after-install.sh'), 'utf8'), /ln -sf .*resources\/bin\/kubetray' \/usr\/bin\/kubetray/);
  assert.match(fs.readFileSync(path.join(root, 'build/bin/kubetray.cmd'), 'utf8'), /ELECTRON_RUN_AS_NODE=1\r\n"%~dp0\.\.\\\.\.\\kubetray-app\.exe"/);
  assert.match(fs.readFileSync(path.join(root, 'build/installer.nsh'), 'utf8'), /!macro customInstall[\s\S]*WriteRegExpandStr HKCU "Environment" "Path"/);
});

test('icons: 16-512 px app icons, 512 px macOS icon, tray images for every state at 1x and 2x', () => {
  for (const s of [16, 32, 48, 64, 128, 256, 512]) assert.deepEqual(pngSize(path.join(root, config.linux.icon, `${s}x${s}.png`)), { width: s, height: s });
  assert.deepEqual(pngSize(path.join(root, config.mac.icon)), { width: 512, height: 512 });
  for (const state of ['signed-in', 'sign-in-needed', 'error', 'idle']) {
    for (const variant of ['', 'Template']) {
      assert.deepEqual(pngSize(path.join(buildDir, 'tray', `tray-${state}${variant}.png`)), { width: 22, height: 22 });
      assert.deepEqual(pngSize(path.join(buildDir, 'tray', `tray-${state}${variant}@2x.png`)), { width: 44, height: 44 });
    }
  }
});

test('the committed .desktop file agrees with the generated entry', () => {
  const text = fs.readFileSync(path.join(buildDir, 'kubetray.desktop'), 'utf8');
  const fields = new Map(text.split('\n').filter((l) => l.includes('=')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
  assert.equal(text.split('\n')[0], '[Desktop Entry]');
  for (const [k, v] of Object.entries(config.linux.desktop.entry)) assert.equal(fields.get(k), v, k);
  assert.match(fields.get('Exec') ?? '', new RegExp(`/${config.linux.executableName} `));
});
