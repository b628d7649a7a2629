import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { pipeCall, type PipeCallOptions } from './pipe-client.js';
import { SOCKET_NAME } from './pipe-endpoint.js';

const skip = process.platform === 'win32' ? 'Unix socket test' : false;

interface SocketFixture {
  dir: string;
  /** Call options aimed at the fixture's socket (secret given, no handshake). */
  options(secret: string, more?: Partial<PipeCallOptions>): PipeCallOptions;
  close(): Promise<void>;
}

/** A 0700 socket dir in a temp home with a listener whose connections `onConnection` handles. */
async function socketFixture(onConnection: (s: net.Socket) => void): Promise<SocketFixture> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'kt-client-'));
  const dir = path.join(home, 'run');
  fs.mkdirSync(dir, { mode: 0o700 });
  const socketPath = path.join(dir, SOCKET_NAME);
  const sockets: net.Socket[] = [];
  const listener = net.createServer((s) => {
    sockets.push(s);
    s.on('error', () => undefined);
    onConnection(s);
  });
  await new Promise<void>((resolve) => listener.listen(socketPath, resolve));
  return {
    dir,
    options: (secret, more = {}) => ({
      paths: { home, runDir: dir, secretFile: path.join(home, 'pipe-secret') },
      endpoint: { path: socketPath, dir },
      secret,
      handshake: false,
      ...more,
    }),
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => listener.close(() => resolve()));
      fs.rmSync(home, { recursive: true, force: true });
    },
  };
}

test('the secret is not sent when the socket directory opens up to others before the connection is made', { skip }, async () => {
  let received = '';
  const fx = await socketFixture((s) =>
    s.on('data', (d) => {
      received += d.toString();
      s.destroy();
    }),
  );
  try {
    const call = pipeCall({ type: 'ping' }, fx.options('the-pipe-secret'));
    // After the first look, before the connection completes.
    fs.chmodSync(fx.dir, 0o777);
    const result = await call;
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.error.detail?.reason, 'untrusted-endpoint');
    assert.ok(!received.includes('the-pipe-secret'), 'the secret reached the listener');
  } finally {
    await fx.close();
  }
});

test('a trusted socket directory still gets the request', { skip }, async () => {
  let received = '';
  const fx = await socketFixture((s) =>
    s.on('data', (d) => {
      received += d.toString();
      s.end(JSON.stringify({ v: 1, type: 'result', result: { ok: true, value: { protocolVersion: 1, pid: 1 } } }) + '\n');
    }),
  );
  try {
    const result = await pipeCall({ type: 'ping' }, fx.options('the-pipe-secret'));
    assert.ok(result.ok, JSON.stringify(result));
    assert.ok(received.includes('the-pipe-secret'));
  } finally {
    await fx.close();
  }
});

test('a broker that accepts but never answers gives a clear error after replyTimeoutMs', { skip }, async () => {
  let requestArrived!: () => void;
  const arrived = new Promise<void>((r) => (requestArrived = r));
  const fx = await socketFixture((s) => s.on('data', () => requestArrived()));
  try {
    const result = await pipeCall({ type: 'status' }, fx.options('s', { replyTimeoutMs: 200 }));
    await arrived;
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.error.code, 'pipe/unavailable');
    assert.equal(!result.ok && result.error.detail?.reason, 'reply-timeout');
    assert.match(!result.ok ? result.error.message : '', /did not answer in time/);
  } finally {
    await fx.close();
  }
});
