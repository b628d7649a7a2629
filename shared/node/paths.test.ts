import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { resolveHome, resolvePaths } from './paths.js';

test('KUBETRAY_HOME relocates all state', () => {
  const p = resolvePaths({ KUBETRAY_HOME: '/tmp/kt-home', HOME: '/home/a' }, 'linux');
  for (const v of Object.values(p)) assert.ok(v.startsWith('/tmp/kt-home'), v);
});

test('per-platform defaults', () => {
  assert.equal(resolveHome({ HOME: '/home/a' }, 'linux'), path.join('/home/a', '.local', 'state', 'kubetray'));
  assert.equal(resolveHome({ HOME: '/home/a', XDG_STATE_HOME: '/xdg' }, 'linux'), path.join('/xdg', 'kubetray'));
  assert.equal(resolveHome({ HOME: '/home/a', XDG_STATE_HOME: 'relative' }, 'linux'), path.join('/home/a', '.local', 'state', 'kubetray'));
  assert.equal(resolveHome({ HOME: '/Users/a' }, 'darwin'), path.join('/Users/a', 'Library', 'Application Support', 'KubeTray'));
  assert.ok(resolveHome({ HOME: 'C:\\Users\\a', LOCALAPPDATA: 'C:\\Users\\a\\AppData\\Local' }, 'win32').endsWith('KubeTray'));
});

test('an empty KUBETRAY_HOME falls back to the default', () => {
  assert.equal(resolveHome({ KUBETRAY_HOME: ' ', HOME: '/home/a' }, 'linux'), path.join('/home/a', '.local', 'state', 'kubetray'));
});

test('the tray and the headless broker never share cache files, and remove-cache-dir covers both', () => {
  const p = resolvePaths({ KUBETRAY_HOME: '/tmp/kt-home' }, 'linux');
  assert.notEqual(p.trayCacheDir, p.cacheDir);
  assert.equal(path.dirname(p.trayCacheDir), p.cacheDir);
});
