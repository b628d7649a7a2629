/**
 * The pipe over a real Unix socket in a temp KUBETRAY_HOME, with a fake-broker behind it:
 * hostile and broken clients close only their own connection; others are still served.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { resolvePaths } from '../../shared/node/paths.js';
import { startPipeServer, type PipeServer } from '../../shared/pipe/pipe-server.js';
import { pipeCall, requestToken } from '../../shared/pipe/pipe-client.js';
import { resolvePipeEndpoint } from '../../shared/pipe/pipe-endpoint.js';
import { PROTOCOL_VERSION } from '../../shared/pipe/protocol.js';
import { createFakeBroker, type FakeBroker } from '../support/pipe-fake-broker.js';
import { AppError } from '../../shared/core/app-error.js';

const skip = process.platform === 'win32' ? 'Unix socket suite' : false;
let home: string;
let server: PipeServer;
let broker: FakeBroker;
let paths: ReturnType<typeof resolvePaths>;

before(async () => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'kt-pipe-'));
  paths = resolvePaths({ KUBETRAY_HOME: home });
  broker = createFakeBroker();
  server = await startPipeServer({ broker, paths, requestReadTimeoutMs: 300 });
});

after(async () => {
  await server?.close();
  fs.rmSync(home, { recursive: true, force: true });
});

async function stillServed(): Promise<void> {
  const r = await requestToken({ paths, request: { login: 'spn', serverId: 'still' }, interactive: true });
  assert.ok(r.ok, JSON.stringify(r));
  assert.match(r.value.token, /still$/);
}

/** Sends raw bytes and collects what the server says until it closes the connection. */
function raw(write: (s: net.Socket) => void): Promise<string> {
  return new Promise((resolve) => {
    const s = net.connect(server.endpoint.path);
    let got = '';
    s.on('data', (d) => (got += d.toString()));
    s.on('error', () => undefined);
    s.on('close', () => resolve(got));
    s.on('connect', () => write(s));
  });
}

function secret(): string {
  return fs.readFileSync(paths.secretFile, 'utf8').trim();
}

test('socket dir is 0700, socket 0600, secret file 0600', { skip }, () => {
  assert.equal(fs.statSync(path.dirname(server.endpoint.path)).mode & 0o777, 0o700);
  assert.equal(fs.statSync(server.endpoint.path).mode & 0o777, 0o600);
  assert.equal(fs.statSync(paths.secretFile).mode & 0o777, 0o600);
  assert.equal(secret().length, 64);
});

test('get-token: progress then result, caller passed to the broker', { skip }, async () => {
  const progress: string[] = [];
  const r = await requestToken({ paths, request: { login: 'devicecode', serverId: 'srv' }, caller: { pid: 42, ppid: 1 }, interactive: false, onProgress: (p) => progress.push(p.message) });
  assert.ok(r.ok);
  assert.match(r.value.token, /^fake-token-\d+-srv$/);
  assert.deepEqual(progress, ['fake-broker: working']);
  const call = broker.calls.find((c) => c.request.serverId === 'srv');
  assert.deepEqual(call?.context.caller, { pid: 42, ppid: 1 });
  assert.equal(call?.context.interactive, false);
});

test('broker errors travel as AppErrorJson', { skip }, async () => {
  const r = await requestToken({ paths, request: { login: 'devicecode', serverId: 'srv', loginHint: 'needs-sign-in' }, interactive: false });
  assert.equal(r.ok, false);
  if (!r.ok) assert.equal(r.error.code, 'auth/interaction-required');
});

test('a broker error quoting a token is redacted before it leaves the server', { skip }, async () => {
  const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlLWJ5dGVz';
  broker.failWith = new AppError('auth/server-error', `Entra said: invalid token ${jwt}`, { detail: { echoed: `Bearer ${jwt}` } });
  try {
    const r = await requestToken({ paths, request: { login: 'spn', serverId: 'leak' }, interactive: true });
    assert.equal(r.ok, false);
    if (!r.ok) {
      assert.equal(r.error.code, 'auth/server-error');
      assert.ok(!JSON.stringify(r.error).includes(jwt));
      assert.match(r.error.message, /Entra said: invalid token/);
    }
  } finally {
    broker.failWith = undefined;
  }
});

test('status, ping, sign-out and remove-tokens', { skip }, async () => {
  const status = await pipeCall({ type: 'status' }, { paths });
  assert.ok(status.ok);
  assert.equal(status.value.pid, process.pid);
  assert.equal(status.value.sessions.length, 1);
  assert.ok((await pipeCall({ type: 'ping' }, { paths })).ok);
  assert.ok((await pipeCall({ type: 'sign-out', key: 'k1' }, { paths })).ok);
  assert.ok((await pipeCall({ type: 'remove-tokens' }, { paths })).ok);
  assert.deepEqual(broker.signOuts, ['k1', undefined]);
});

test('a wrong secret is refused and the token is not served', { skip }, async () => {
  const before = broker.calls.length;
  const r = await requestToken({ paths, secret: 'f'.repeat(64), request: { login: 'spn', serverId: 'x' }, interactive: true });
  assert.equal(r.ok, false);
  if (!r.ok) assert.equal(r.error.code, 'pipe/unauthenticated');
  assert.equal(broker.calls.length, before);
  await stillServed();
});

test('garbage gets bad-request and a close', { skip }, async () => {
  const answer = await raw((s) => s.write('this is not json\n'));
  assert.match(answer, /pipe\/bad-request/);
  await stillServed();
});

test('a 10 MB frame gets too-large and a close, without buffering it all', { skip }, async () => {
  const answer = await raw((s) => {
    const chunk = Buffer.alloc(1024 * 1024, 0x61);
    for (let i = 0; i < 10 && !s.destroyed; i++) s.write(chunk);
  });
  assert.match(answer, /pipe\/too-large/);
  await stillServed();
});

test('an unknown version gets a please-update answer', { skip }, async () => {
  const answer = await raw((s) => s.write(JSON.stringify({ v: PROTOCOL_VERSION + 1, secret: secret(), type: 'ping' }) + '\n'));
  assert.match(answer, /pipe\/version-mismatch/);
  assert.match(answer, /please update KubeTray/);
  await stillServed();
});

test('half-open connections time out while others are served', { skip }, async () => {
  const closed: Array<Promise<string>> = [];
  for (let i = 0; i < 5; i++) closed.push(raw((s) => s.write('{"v":1')));
  await stillServed();
  const answers = await Promise.all(closed);
  for (const a of answers) assert.match(a, /No request within/);
});

test('a client that disconnects mid-request aborts its broker call only', { skip }, async () => {
  let release!: () => void;
  broker.gate = new Promise<void>((r) => (release = r));
  const ac = new AbortController();
  const pending = requestToken({ paths, request: { login: 'spn', serverId: 'gone' }, interactive: true, signal: ac.signal });
  await waitFor(() => broker.calls.some((c) => c.request.serverId === 'gone'));
  ac.abort();
  const r = await pending;
  assert.equal(r.ok, false);
  const call = broker.calls.find((c) => c.request.serverId === 'gone');
  await waitFor(() => call?.context.signal?.aborted === true);
  broker.gate = undefined;
  release();
  await stillServed();
});

test('many concurrent clients are all served', { skip }, async () => {
  const results = await Promise.all(Array.from({ length: 100 }, (_, i) => requestToken({ paths, request: { login: 'spn', serverId: `c${i}` }, interactive: true })));
  assert.equal(results.filter((r) => r.ok).length, 100);
});

test('a second server refuses to steal a live socket; a stale socket is replaced', { skip }, async () => {
  await assert.rejects(startPipeServer({ broker, paths }), /already serving/);
  // Stale: a socket file nobody listens on.
  const home2 = fs.mkdtempSync(path.join(os.tmpdir(), 'kt-pipe-stale-'));
  const paths2 = resolvePaths({ KUBETRAY_HOME: home2 });
  const ep = resolvePipeEndpoint(paths2);
  try {
    fs.mkdirSync(ep.dir!, { recursive: true, mode: 0o700 });
    // A broker that crashed: a child listens, then dies by SIGKILL without cleaning up.
    spawnSync(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(ep.path)}, () => process.kill(process.pid, 'SIGKILL'))`]);
    assert.ok(fs.existsSync(ep.path));
    const s2 = await startPipeServer({ broker, paths: paths2 });
    try {
      const r = await requestToken({ paths: paths2, request: { login: 'spn', serverId: 'stale' }, interactive: true });
      assert.ok(r.ok);
    } finally {
      await s2.close();
    }
    assert.equal(fs.existsSync(ep.path), false);
  } finally {
    fs.rmSync(home2, { recursive: true, force: true });
  }
});

test('the tray (signInWithoutTerminal) lets callers without a terminal sign in in its window', { skip }, async () => {
  const home4 = fs.mkdtempSync(path.join(os.tmpdir(), 'kt-pipe-tray-'));
  const p4 = resolvePaths({ KUBETRAY_HOME: home4 });
  const trayBroker = createFakeBroker();
  const tray = await startPipeServer({ broker: trayBroker, paths: p4, host: 'tray', signInWithoutTerminal: true });
  try {
    const r = await requestToken({ paths: p4, request: { login: 'devicecode', serverId: 'lens', loginHint: 'needs-sign-in' }, interactive: false });
    assert.ok(r.ok);
    assert.equal(trayBroker.calls[0]?.context.interactive, true);
  } finally {
    await tray.close();
    fs.rmSync(home4, { recursive: true, force: true });
  }
});

test('the client refuses a socket directory others can enter, and sends no secret there', { skip }, async () => {
  const dir = path.dirname(server.endpoint.path);
  fs.chmodSync(dir, 0o755);
  try {
    const before = broker.calls.length;
    const r = await requestToken({ paths, request: { login: 'spn', serverId: 'x' }, interactive: true });
    assert.equal(r.ok, false);
    if (!r.ok) {
      assert.equal(r.error.code, 'pipe/unavailable');
      assert.equal(r.error.detail?.reason, 'untrusted-endpoint');
    }
    assert.equal(broker.calls.length, before);
  } finally {
    fs.chmodSync(dir, 0o700);
  }
  await stillServed();
});

test('handshake: the server proves the secret first, the client then sends a proof, not the secret', { skip }, async () => {
  const r = await requestToken({ paths, handshake: true, request: { login: 'spn', serverId: 'hs' }, interactive: true });
  assert.ok(r.ok, JSON.stringify(r));
  const status = await pipeCall({ type: 'status' }, { paths, handshake: true });
  assert.ok(status.ok);
});

test('handshake: a squatter that does not know the secret gets neither the secret nor the request', { skip }, async () => {
  const home5 = fs.mkdtempSync(path.join(os.tmpdir(), 'kt-pipe-squat-'));
  const p5 = resolvePaths({ KUBETRAY_HOME: home5 });
  const ep = resolvePipeEndpoint(p5);
  fs.mkdirSync(ep.dir!, { recursive: true, mode: 0o700 });
  fs.writeFileSync(p5.secretFile, 'a'.repeat(64), { mode: 0o600 });
  const received: string[] = [];
  const squatter = net.createServer((s) => {
    s.on('data', (d) => {
      received.push(d.toString());
      s.write(JSON.stringify({ v: PROTOCOL_VERSION, type: 'challenge', proof: 'b'.repeat(64), nonce: 'c'.repeat(64) }) + '\n');
    });
  });
  await new Promise<void>((resolve) => squatter.listen(ep.path, resolve));
  try {
    const r = await requestToken({ paths: p5, handshake: true, request: { login: 'spn', serverId: 'x', clientSecret: 'do-not-send' }, interactive: true });
    assert.equal(r.ok, false);
    if (!r.ok) assert.equal(r.error.detail?.reason, 'untrusted-endpoint');
    const all = received.join('');
    assert.ok(!all.includes('a'.repeat(64)), 'the secret reached the squatter');
    assert.ok(!all.includes('do-not-send'), 'the request reached the squatter');
    assert.match(all, /"type":"hello"/);
  } finally {
    await new Promise<void>((resolve) => squatter.close(() => resolve()));
    fs.rmSync(home5, { recursive: true, force: true });
  }
});

test('a proof without a handshake is refused', { skip }, async () => {
  const answer = await raw((s) => s.write(JSON.stringify({ v: PROTOCOL_VERSION, proof: 'f'.repeat(64), type: 'ping' }) + '\n'));
  assert.match(answer, /pipe\/unauthenticated/);
  await stillServed();
});

test('no broker: the client says so with reason no-broker', { skip }, async () => {
  const home3 = fs.mkdtempSync(path.join(os.tmpdir(), 'kt-pipe-none-'));
  try {
    const r = await requestToken({ paths: resolvePaths({ KUBETRAY_HOME: home3 }), request: { login: 'spn', serverId: 'x' }, interactive: true });
    assert.equal(r.ok, false);
    if (!r.ok) {
      assert.equal(r.error.code, 'pipe/unavailable');
      assert.equal(r.error.detail?.reason, 'no-broker');
    }
  } finally {
    fs.rmSync(home3, { recursive: true, force: true });
  }
});

test('a long KUBETRAY_HOME falls back to a short 0700 dir under tmpdir', { skip }, async () => {
  const deep = fs.mkdtempSync(path.join(os.tmpdir(), 'kt-pipe-long-'));
  const longHome = path.join(deep, 'x'.repeat(60), 'y'.repeat(60));
  const p = resolvePaths({ KUBETRAY_HOME: longHome });
  const s = await startPipeServer({ broker, paths: p });
  try {
    assert.ok(Buffer.byteLength(s.endpoint.path) <= 103);
    assert.ok(!s.endpoint.path.startsWith(longHome));
    assert.equal(fs.statSync(s.endpoint.dir!).mode & 0o777, 0o700);
    const r = await requestToken({ paths: p, request: { login: 'spn', serverId: 'long' }, interactive: true });
    assert.ok(r.ok);
  } finally {
    await s.close();
    fs.rmSync(s.endpoint.dir!, { recursive: true, force: true });
    fs.rmSync(deep, { recursive: true, force: true });
  }
});

/** Polls a condition on the event loop (no fixed sleeps). */
async function waitFor(cond: () => boolean, timeoutMs = 5_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setImmediate(r));
  }
}
