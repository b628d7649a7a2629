import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { pipeCall } from './pipe-client.js';
import { SOCKET_NAME } from './pipe-endpoint.js';

const skip = process.platform === 'win32' ? 'Unix socket test' : false;

test('the secret is not sent when the socket directory opens up to others before the connection is made', { skip }, async () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'kt-client-'));
  const dir = path.join(home, 'run');
  fs.mkdirSync(dir, { mode: 0o700 });
  const socketPath = path.join(dir, SOCKET_NAME);
  let received = '';
  const listener = net.createServer((s) => {
    s.on('data', (d) => {
      received += d.toString();
      s.destroy();
    });
    s.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => listener.listen(socketPath, resolve));
  try {
    const call = pipeCall(
      { type: 'ping' },
      { paths: { home, runDir: dir, secretFile: path.join(home, 'pipe-secret') }, endpoint: { path: socketPath, dir }, secret: 'the-pipe-secret', handshake: false },
    );
    // After the first look, before the connection completes.
    fs.chmodSync(dir, 0o777);
    const result = await call;
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.error.detail?.reason, 'untrusted-endpoint');
    assert.ok(!received.includes('the-pipe-secret'), 'the secret reached the listener');
  } finally {
    await new Promise<void>((resolve) => listener.close(() => resolve()));
    fs.rmSync(home, { recursive: true, force: true });
  }
});

test('a trusted socket directory still gets the request', { skip }, async () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'kt-client-'));
  const dir = path.join(home, 'run');
  fs.mkdirSync(dir, { mode: 0o700 });
  const socketPath = path.join(dir, SOCKET_NAME);
  let received = '';
  const listener = net.createServer((s) => {
    s.on('data', (d) => {
      received += d.toString();
      s.end(JSON.stringify({ v: 1, type: 'result', result: { ok: true, value: { protocolVersion: 1, pid: 1 } } }) + '\n');
    });
    s.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => listener.listen(socketPath, resolve));
  try {
    const result = await pipeCall(
      { type: 'ping' },
      { paths: { home, runDir: dir, secretFile: path.join(home, 'pipe-secret') }, endpoint: { path: socketPath, dir }, secret: 'the-pipe-secret', handshake: false },
    );
    assert.ok(result.ok, JSON.stringify(result));
    assert.ok(received.includes('the-pipe-secret'));
  } finally {
    await new Promise<void>((resolve) => listener.close(() => resolve()));
    fs.rmSync(home, { recursive: true, force: true });
  }
});

test('a broker that accepts but never answers gives a clear error after replyTimeoutMs', { skip }, async () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'kt-client-mute-'));
  const dir = path.join(home, 'run');
  fs.mkdirSync(dir, { mode: 0o700 });
  const socketPath = path.join(dir, SOCKET_NAME);
  const sockets: net.Socket[] = [];
  let requestArrived!: () => void;
  const arrived = new Promise<void>((r) => (requestArrived = r));
  const mute = net.createServer((s) => {
    sockets.push(s);
    s.on('data', () => requestArrived());
    s.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => mute.listen(socketPath, resolve));
  try {
    const result = await pipeCall(
      { type: 'status' },
      { paths: { home, runDir: dir, secretFile: path.join(home, 'pipe-secret') }, endpoint: { path: socketPath, dir }, secret: 's', handshake: false, replyTimeoutMs: 200 },
    );
    await arrived;
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.error.code, 'pipe/unavailable');
    assert.equal(!result.ok && result.error.detail?.reason, 'reply-timeout');
    assert.match(!result.ok ? result.error.message : '', /did not answer in time/);
  } finally {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => mute.close(() => resolve()));
    fs.rmSync(home, { recursive: true, force: true });
  }
});
