import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { once } from 'node:events';
import { ensurePipeSecret } from './pipe-secret-store.js';

test('the secret file is created 0600, once, and read back unchanged', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kt-secret-'));
  try {
    const file = path.join(dir, 'pipe-secret');
    const first = ensurePipeSecret(file);
    assert.match(first, /^[0-9a-f]{64}$/);
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    assert.equal(ensurePipeSecret(file), first);
    assert.deepEqual(fs.readdirSync(dir), ['pipe-secret'], 'no temp files left behind');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('processes starting at once all get the same, non-empty secret', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kt-secret-race-'));
  try {
    const file = path.join(dir, 'pipe-secret');
    const script = `process.stdout.write(require(${JSON.stringify(path.join(__dirname, 'pipe-secret-store.js'))}).ensurePipeSecret(${JSON.stringify(file)}))`;
    const children = Array.from({ length: 8 }, () => spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'pipe'] }));
    const results = await Promise.all(
      children.map(async (child) => {
        let out = '';
        let err = '';
        child.stdout.on('data', (c: Buffer) => (out += c.toString()));
        child.stderr.on('data', (c: Buffer) => (err += c.toString()));
        const [code] = (await once(child, 'exit')) as [number];
        assert.equal(code, 0, err);
        return out;
      }),
    );
    assert.equal(new Set(results).size, 1);
    assert.match(results[0] ?? '', /^[0-9a-f]{64}$/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
