import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { acquireFileLock } from './file-lock.js';
import { writeFileAtomic } from './atomic-file.js';
import { createKeyFileSecretBox, plainSecretBox } from './file-secret-box.js';

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'kubetray-lock-'));
}

/** The pid of a process that has certainly exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(r.stdout.toString());
}

test('a lock left by a dead process is broken', async (t) => {
  const dir = tempDir();
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const target = path.join(dir, 'cache');
  fs.writeFileSync(`${target}.lock`, JSON.stringify({ pid: deadPid(), host: os.hostname(), time: Date.now() }));
  const release = await acquireFileLock(target, { timeoutMs: 2_000 });
  assert.equal(JSON.parse(fs.readFileSync(`${target}.lock`, 'utf8')).pid, process.pid);
  release();
  assert.equal(fs.existsSync(`${target}.lock`), false);
});

test('a lock older than staleMs is broken even if its owner looks alive', async (t) => {
  const dir = tempDir();
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const target = path.join(dir, 'cache');
  fs.writeFileSync(`${target}.lock`, JSON.stringify({ pid: process.ppid, host: os.hostname(), time: 0 }));
  const old = new Date(Date.now() - 120_000);
  fs.utimesSync(`${target}.lock`, old, old);
  const release = await acquireFileLock(target, { timeoutMs: 2_000, staleMs: 30_000 });
  release();
});

test('a fresh lock of a live process is respected until the timeout, with a clear error', async (t) => {
  const dir = tempDir();
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const target = path.join(dir, 'cache');
  fs.writeFileSync(`${target}.lock`, JSON.stringify({ pid: process.ppid, host: os.hostname(), time: Date.now() }));
  await assert.rejects(acquireFileLock(target, { timeoutMs: 100, retryMs: 5 }), (e: unknown) => {
    assert.equal((e as { code?: string }).code, 'cache/locked');
    assert.match((e as Error).message, /delete that file/);
    return true;
  });
});

test('waiters in one process are served in order, one at a time', async (t) => {
  const dir = tempDir();
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const target = path.join(dir, 'cache');
  const order: string[] = [];
  let inside = 0;
  await Promise.all(
    ['a', 'b', 'c', 'd'].map(async (name) => {
      const release = await acquireFileLock(target);
      inside += 1;
      assert.equal(inside, 1, 'only one holder at a time');
      order.push(name);
      await Promise.resolve();
      inside -= 1;
      release();
    }),
  );
  assert.deepEqual(order, ['a', 'b', 'c', 'd']);
});

test('atomic writes leave no temp files and set the mode', (t) => {
  const dir = tempDir();
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'f.bin');
  writeFileAtomic(file, Buffer.from('one'));
  writeFileAtomic(file, Buffer.from('two'));
  assert.equal(fs.readFileSync(file, 'utf8'), 'two');
  assert.deepEqual(fs.readdirSync(dir), ['f.bin']);
  assert.equal(fs.statSync(file).mode & 0o777, 0o600);
});

test('the key-file SecretBox round-trips, says it does not protect, and rejects foreign data', async (t) => {
  const dir = tempDir();
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const box = createKeyFileSecretBox(path.join(dir, 'k', 'cache.key'));
  assert.equal(box.protects, false);
  assert.equal(fs.statSync(path.join(dir, 'k', 'cache.key')).mode & 0o777, 0o600);
  assert.equal(fs.statSync(path.join(dir, 'k')).mode & 0o777, 0o700);
  const sealed = await box.encrypt(Buffer.from('refresh-token-material'));
  assert.ok(!Buffer.from(sealed).toString('latin1').includes('refresh-token-material'));
  assert.equal(Buffer.from(await box.decrypt(sealed)).toString(), 'refresh-token-material');
  const same = createKeyFileSecretBox(path.join(dir, 'k', 'cache.key'));
  assert.equal(Buffer.from(await same.decrypt(sealed)).toString(), 'refresh-token-material', 'a second instance reads the same key');
  const other = createKeyFileSecretBox(path.join(dir, 'other.key'));
  await assert.rejects(other.decrypt(sealed), { code: 'cache/corrupt' });
  const tampered = Buffer.from(sealed);
  tampered[tampered.length - 1]! ^= 1;
  await assert.rejects(box.decrypt(tampered), { code: 'cache/corrupt' });
  assert.equal(plainSecretBox.protects, false);
});
