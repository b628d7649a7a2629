import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { MAX_SOCKET_PATH_BYTES, resolvePipeEndpoint, shortHash } from './pipe-endpoint.js';

test('short homes get the socket in run/', () => {
  const ep = resolvePipeEndpoint({ home: '/h', runDir: '/h/run' }, 'linux', '/tmp', 'alice');
  assert.deepEqual(ep, { path: '/h/run/kubetray.sock', dir: '/h/run' });
});

test('a socket path over sun_path falls back to a short per-home dir under tmpdir', () => {
  const home = '/home/alice/' + 'deep/'.repeat(25);
  const ep = resolvePipeEndpoint({ home, runDir: path.join(home, 'run') }, 'darwin', '/tmp', 'alice');
  assert.ok(Buffer.byteLength(ep.path) <= MAX_SOCKET_PATH_BYTES);
  assert.match(ep.path, /^\/tmp\/kubetray-[0-9a-f]{16}\/kubetray\.sock$/);
  const other = resolvePipeEndpoint({ home: home + 'x', runDir: path.join(home + 'x', 'run') }, 'darwin', '/tmp', 'alice');
  assert.notEqual(ep.path, other.path);
});

test('Windows: a named pipe keyed by user and home, no directory', () => {
  const a = resolvePipeEndpoint({ home: 'C:\\Users\\a\\AppData\\Local\\KubeTray', runDir: 'C:\\x' }, 'win32', 'C:\\Temp', 'alice');
  const b = resolvePipeEndpoint({ home: 'C:\\Users\\a\\AppData\\Local\\KubeTray', runDir: 'C:\\x' }, 'win32', 'C:\\Temp', 'bob');
  assert.match(a.path, /^\\\\\.\\pipe\\kubetray-[0-9a-f]{16}$/);
  assert.equal(a.dir, undefined);
  assert.notEqual(a.path, b.path);
});

test('shortHash is stable and 16 hex digits', () => {
  assert.equal(shortHash('abc'), shortHash('abc'));
  assert.match(shortHash(''), /^[0-9a-f]{16}$/);
  assert.notEqual(shortHash('a'), shortHash('b'));
});
