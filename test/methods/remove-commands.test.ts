/**
 * remove-cache-dir / remove-tokens on real files in temp dirs, with no broker running (the pipe
 * client really finds nobody). The broker-running case is in remove-with-broker.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CliIo } from '../../shared/cli/cli-io.js';
import { parseRemoveArgs, runRemoveCacheDir } from '../../shared/cli/commands/remove-cache-dir.js';
import { runRemoveTokens } from '../../shared/cli/commands/remove-tokens.js';
import { EXIT } from '../../shared/cli/exit-codes.js';

function sandbox(): { root: string; io: CliIo; err: string[]; out: string[]; env: NodeJS.ProcessEnv; cleanup: () => void } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kubetray-remove-'));
  const env: NodeJS.ProcessEnv = { HOME: root, KUBETRAY_HOME: path.join(root, 'kt'), PATH: process.env.PATH };
  const err: string[] = [];
  const out: string[] = [];
  return {
    root,
    env,
    err,
    out,
    io: { stdout: (t) => out.push(t), stderr: (t) => err.push(t), env, cwd: root },
    cleanup: () => fs.rmSync(root, { recursive: true, force: true }),
  };
}

function seed(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  for (const f of ['msal-user-abc.cache', 'msal-app-def.cache', 'pop-key.bin', 'accounts.json', 'cache.key']) fs.writeFileSync(path.join(dir, f), 'x', { mode: 0o600 });
}

test('flags: --cache-dir, --cache-dir=, deprecated --token-cache-dir, klog flags ignored, unknown refused', () => {
  assert.equal(parseRemoveArgs(['--cache-dir', '/a']).cacheDir, '/a');
  assert.equal(parseRemoveArgs(['--cache-dir=/b']).cacheDir, '/b');
  const dep = parseRemoveArgs(['--token-cache-dir', '/c', '-v', '5', '--logtostderr']);
  assert.equal(dep.cacheDir, '/c');
  assert.equal(dep.deprecatedFlag, true);
  assert.deepEqual(dep.errors, []);
  assert.match(parseRemoveArgs(['--bogus']).errors[0]!, /unknown flag --bogus/);
  assert.match(parseRemoveArgs(['--cache-dir']).errors[0]!, /needs a directory/);
});

test('no flag: KUBECACHEDIR (which kubelogin ignores here) and KubeTray cache are both removed', async () => {
  const s = sandbox();
  try {
    const kubecache = path.join(s.root, 'kubecache');
    const trayCache = path.join(s.env.KUBETRAY_HOME!, 'cache');
    seed(kubecache);
    seed(trayCache);
    fs.writeFileSync(path.join(s.env.KUBETRAY_HOME!, 'settings.json'), '{}');
    s.env.KUBECACHEDIR = kubecache;
    assert.equal(await runRemoveCacheDir([], s.io), EXIT.OK);
    assert.equal(fs.existsSync(kubecache), false);
    assert.equal(fs.existsSync(trayCache), false);
    assert.ok(fs.existsSync(path.join(s.env.KUBETRAY_HOME!, 'settings.json')), 'settings survive');
    assert.deepEqual(s.out, [], 'stdout stays clean');
  } finally {
    s.cleanup();
  }
});

test('--cache-dir removes exactly that directory (relative to cwd)', async () => {
  const s = sandbox();
  try {
    const mine = path.join(s.root, 'mine');
    const trayCache = path.join(s.env.KUBETRAY_HOME!, 'cache');
    seed(mine);
    seed(trayCache);
    assert.equal(await runRemoveTokens(['--cache-dir', 'mine'], s.io), EXIT.OK);
    assert.equal(fs.existsSync(mine), false);
    assert.ok(fs.existsSync(trayCache), 'only the named dir');
    assert.match(s.err.join(''), /remove-cache-dir does the same/);
  } finally {
    s.cleanup();
  }
});

test('refuses home, root and KUBETRAY_HOME itself', async () => {
  const s = sandbox();
  try {
    fs.mkdirSync(s.env.KUBETRAY_HOME!, { recursive: true });
    for (const dir of [s.root, '/', s.env.KUBETRAY_HOME!]) {
      assert.equal(await runRemoveCacheDir(['--cache-dir', dir], s.io), EXIT.USAGE, dir);
    }
    assert.ok(fs.existsSync(s.env.KUBETRAY_HOME!));
    assert.match(s.err.join(''), /refusing to remove/);
  } finally {
    s.cleanup();
  }
});
