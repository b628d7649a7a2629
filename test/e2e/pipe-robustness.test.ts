/**
 * The pipe server under abuse, over a real socket: random bytes, truncated and malformed JSON,
 * valid JSON of the wrong shape, and connections that open and vanish. After each, a real
 * client is still served and no connection is left behind.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { resolvePaths } from '../../shared/node/paths.js';
import { startPipeServer, type PipeServer } from '../../shared/pipe/pipe-server.js';
import { requestToken } from '../../shared/pipe/pipe-client.js';
import { PROTOCOL_VERSION } from '../../shared/pipe/protocol.js';
import { createFakeBroker } from '../support/pipe-fake-broker.js';

const skip = process.platform === 'win32' ? 'Unix socket suite' : false;
let home: string;
let server: PipeServer;
let paths: ReturnType<typeof resolvePaths>;

before(async () => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'kt-pipe-abuse-'));
  paths = resolvePaths({ KUBETRAY_HOME: home });
  server = await startPipeServer({ broker: createFakeBroker(), paths, requestReadTimeoutMs: 500 });
});

after(async () => {
  await server?.close();
  fs.rmSync(home, { recursive: true, force: true });
});

/** Writes `data`, then waits for the server to close the connection (or for us to give up). */
function send(data: Buffer | string, endOurSide: boolean): Promise<string> {
  return new Promise((resolve) => {
    const s = net.connect(server.endpoint.path);
    let got = '';
    s.on('data', (d) => (got += d.toString()));
    s.on('error', () => undefined);
    s.on('close', () => resolve(got));
    s.on('connect', () => {
      s.write(data);
      if (endOurSide) s.end();
    });
  });
}

async function served(): Promise<void> {
  const r = await requestToken({ paths, request: { login: 'spn', serverId: 'alive' }, interactive: true });
  assert.ok(r.ok, JSON.stringify(r));
}

async function drained(): Promise<void> {
  // Connections close asynchronously after the answer; wait for the count to reach zero.
  while (server.connectionCount() > 0) await new Promise((r) => setImmediate(r));
}

test('random bytes, with and without newlines, never take the server down', { skip }, async () => {
  for (let i = 0; i < 40; i++) {
    const bytes = randomBytes(1 + Math.floor(Math.random() * 4096));
    const withNewline = i % 2 === 0 ? Buffer.concat([bytes, Buffer.from('\n')]) : bytes;
    await send(withNewline, i % 3 === 0);
  }
  await served();
});

test('JSON of the wrong shape gets an error frame, never a crash', { skip }, async () => {
  const secret = fs.readFileSync(paths.secretFile, 'utf8').trim();
  const frames: unknown[] = [
    null, 42, 'text', [], {}, { v: PROTOCOL_VERSION }, { v: PROTOCOL_VERSION, secret },
    { v: PROTOCOL_VERSION, secret, type: 'get-token' },
    { v: PROTOCOL_VERSION, secret, type: 'get-token', interactive: true, request: null },
    { v: PROTOCOL_VERSION, secret, type: 'get-token', interactive: true, request: { login: 'spn', serverId: 'x', callerEnv: [] } },
    { v: PROTOCOL_VERSION, secret, type: 'get-token', interactive: true, request: { login: 'spn', serverId: 'x' }, caller: { pid: -1 } },
    { v: PROTOCOL_VERSION, secret, type: 'sign-out', key: { nested: true } },
    { v: PROTOCOL_VERSION, type: 'hello', nonce: 'zz' },
    { v: PROTOCOL_VERSION, secret: 'x'.repeat(10_000), type: 'ping' },
    { v: '1', secret, type: 'ping' },
    { __proto__: { v: PROTOCOL_VERSION }, secret, type: 'ping' },
  ];
  for (const frame of frames) {
    const answer = await send(JSON.stringify(frame) + '\n', false);
    const parsed = JSON.parse(answer.trim().split('\n').at(-1) ?? '{}') as { type?: string; result?: { ok?: boolean; error?: { code?: string } } };
    assert.equal(parsed.type, 'result', `no answer for ${JSON.stringify(frame)}`);
    assert.equal(parsed.result?.ok, false, JSON.stringify(frame));
    assert.match(parsed.result?.error?.code ?? '', /^pipe\//);
  }
  await served();
});

test('a thousand connections that open and vanish leave nothing behind', { skip }, async () => {
  await Promise.all(
    Array.from({ length: 1000 }, () =>
      new Promise<void>((resolve) => {
        const s = net.connect(server.endpoint.path);
        s.on('error', () => resolve());
        s.on('connect', () => {
          s.destroy();
          resolve();
        });
      }),
    ),
  );
  await served();
  await drained();
  assert.equal(server.connectionCount(), 0);
});

test('a client that sends half a request and goes silent is timed out', { skip }, async () => {
  const answer = await send(`{"v":${PROTOCOL_VERSION},"type":"ping","secret":"`, false);
  assert.match(answer, /No request within/);
  await served();
});
