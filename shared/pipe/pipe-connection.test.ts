import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { TokenBrokerApi } from '../core/broker.js';
import { resolvePaths } from '../node/paths.js';
import { requestToken } from './pipe-client.js';
import { startPipeServer, type PipeServer } from './pipe-server.js';
import { PROTOCOL_VERSION, validateRequest, validateServerFrame } from './protocol.js';

const skip = process.platform === 'win32' ? 'Unix socket test' : false;
let home: string;
let paths: ReturnType<typeof resolvePaths>;
let server: PipeServer;

const broker: TokenBrokerApi = {
  getToken: async (request) => ({ token: `t-${request.serverId}`, expiresOn: Date.UTC(2030, 0, 1), source: 'cache' }),
  sessions: () => [],
  ledger: () => [],
  signOut: async () => undefined,
  on: () => () => undefined,
  close: async () => undefined,
};

before(async () => {
  if (skip) return;
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'kt-conn-'));
  paths = resolvePaths({ KUBETRAY_HOME: home });
  server = await startPipeServer({ broker, paths, requestReadTimeoutMs: 1_000 });
});

after(async () => {
  await server?.close();
  if (home) fs.rmSync(home, { recursive: true, force: true });
});

function exchange(line: string): Promise<string> {
  return new Promise((resolve) => {
    const s = net.connect(server.endpoint.path);
    let got = '';
    s.on('data', (d) => (got += d.toString()));
    s.on('error', () => undefined);
    s.on('close', () => resolve(got));
    s.on('connect', () => s.write(line + '\n'));
  });
}

// String({"toString":1}) throws: such a value must not escape the validators.
const HOSTILE = { toString: 1, valueOf: 1 };

test('validators answer values that String() cannot convert instead of throwing', () => {
  const r = validateRequest({ v: PROTOCOL_VERSION, secret: 'x', type: HOSTILE });
  assert.equal(r.ok, false);
  const f = validateServerFrame({ v: HOSTILE, type: 'result' });
  assert.equal(f.ok, false);
  assert.equal(!f.ok && f.error.code, 'pipe/version-mismatch');
});

test('a request whose type String() cannot convert gets an error frame and the broker keeps serving', { skip }, async () => {
  // No secret needed to reach the validator: any local peer could send this.
  const answer = await exchange(JSON.stringify({ v: PROTOCOL_VERSION, secret: 'wrong', type: HOSTILE }));
  const frame = JSON.parse(answer.trim().split('\n').at(-1) ?? '{}') as { type?: string; result?: { ok?: boolean; error?: { code?: string } } };
  assert.equal(frame.type, 'result');
  assert.equal(frame.result?.ok, false);
  assert.equal(frame.result?.error?.code, 'pipe/bad-request');
  const r = await requestToken({ paths, request: { login: 'spn', serverId: 'alive' }, interactive: true });
  assert.ok(r.ok, JSON.stringify(r));
});
