import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeFrame, PROTOCOL_VERSION, validateHello, validateRequest, validateServerFrame, versionMismatchMessage } from './protocol.js';

const base = { v: PROTOCOL_VERSION, secret: 's' };

test('a valid get-token request passes and unknown request fields are dropped', () => {
  const r = validateRequest({ ...base, type: 'get-token', interactive: true, request: { login: 'spn', serverId: 'x', clientId: 'c', evil: 1 }, caller: { pid: 1, ppid: 2, parentCommand: 'kubectl get pods' } });
  assert.ok(r.ok);
  assert.equal(r.value.type, 'get-token');
  if (r.value.type === 'get-token') {
    assert.deepEqual(r.value.request, { login: 'spn', serverId: 'x', clientId: 'c' });
    assert.deepEqual(r.value.caller, { pid: 1, ppid: 2, parentCommand: 'kubectl get pods' });
  }
});

const rejects: Array<[string, unknown, string]> = [
  ['not an object', [1, 2], 'pipe/bad-request'],
  ['no version', { secret: 's', type: 'ping' }, 'pipe/version-mismatch'],
  ['newer version', { ...base, v: 2, type: 'ping' }, 'pipe/version-mismatch'],
  ['no secret', { v: PROTOCOL_VERSION, type: 'ping' }, 'pipe/unauthenticated'],
  ['secret and proof', { ...base, proof: 'p', type: 'ping' }, 'pipe/unauthenticated'],
  ['unknown type', { ...base, type: 'steal' }, 'pipe/bad-request'],
  ['bad login', { ...base, type: 'get-token', interactive: true, request: { login: 'SPN', serverId: 'x' } }, 'pipe/bad-request'],
  ['no server id', { ...base, type: 'get-token', interactive: true, request: { login: 'spn' } }, 'pipe/bad-request'],
  ['bad field type', { ...base, type: 'get-token', interactive: true, request: { login: 'spn', serverId: 'x', legacy: 'yes' } }, 'pipe/bad-request'],
  ['bad timeout', { ...base, type: 'get-token', interactive: true, request: { login: 'spn', serverId: 'x', timeoutMs: -1 } }, 'pipe/bad-request'],
  ['no interactive', { ...base, type: 'get-token', request: { login: 'spn', serverId: 'x' } }, 'pipe/bad-request'],
  ['bad caller', { ...base, type: 'get-token', interactive: true, request: { login: 'spn', serverId: 'x' }, caller: { pid: 'x' } }, 'pipe/bad-request'],
  ['bad callerEnv', { ...base, type: 'get-token', interactive: true, request: { login: 'azurepipelines', serverId: 'x', callerEnv: { 'A B': 'x' } } }, 'pipe/bad-request'],
  ['bad key', { ...base, type: 'sign-out', key: 5 }, 'pipe/bad-request'],
];
for (const [name, value, code] of rejects) {
  test(`request rejected: ${name}`, () => {
    const r = validateRequest(value);
    assert.equal(r.ok, false);
    if (!r.ok) assert.equal(r.error.code, code);
  });
}

test('callerEnv and the pipelines connection id pass through', () => {
  const r = validateRequest({ ...base, type: 'get-token', interactive: true, request: { login: 'azurepipelines', serverId: 'x', callerEnv: { SYSTEM_ACCESSTOKEN: 't' }, azurePipelinesServiceConnectionId: 'sc' } });
  assert.ok(r.ok);
  if (r.ok && r.value.type === 'get-token') {
    assert.deepEqual(r.value.request.callerEnv, { SYSTEM_ACCESSTOKEN: 't' });
    assert.equal(r.value.request.azurePipelinesServiceConnectionId, 'sc');
  }
});

test('hello frames carry a hex nonce', () => {
  assert.ok(validateHello({ v: PROTOCOL_VERSION, type: 'hello', nonce: 'ab'.repeat(16) }).ok);
  assert.equal(validateHello({ v: PROTOCOL_VERSION, type: 'hello', nonce: 'xyz' }).ok, false);
  assert.equal(validateHello({ v: 9, type: 'hello', nonce: 'ab'.repeat(16) }).ok, false);
  assert.ok(validateRequest({ v: PROTOCOL_VERSION, proof: 'p', type: 'ping' }).ok);
  assert.ok(validateServerFrame({ v: PROTOCOL_VERSION, type: 'challenge', proof: 'p', nonce: 'cd'.repeat(16) }).ok);
});

test('version mismatch says which side to update', () => {
  assert.match(versionMismatchMessage(PROTOCOL_VERSION + 1), /update KubeTray/);
  assert.match(versionMismatchMessage(0), /update the kubetray command/);
});

test('server frames are validated', () => {
  assert.ok(validateServerFrame({ v: PROTOCOL_VERSION, type: 'progress', progress: { kind: 'waiting', message: 'w' } }).ok);
  assert.ok(validateServerFrame({ v: PROTOCOL_VERSION, type: 'progress', progress: { kind: 'device-code', message: 'm', userCode: 'ABC', verificationUri: 'https://x', expiresOn: 1 } }).ok);
  assert.equal(validateServerFrame({ v: PROTOCOL_VERSION, type: 'progress', progress: { kind: 'device-code', message: 'm' } }).ok, false);
  assert.ok(validateServerFrame({ v: PROTOCOL_VERSION, type: 'result', result: { ok: false, error: { code: 'auth/failed', message: 'x' } } }).ok);
  assert.equal(validateServerFrame({ v: PROTOCOL_VERSION, type: 'result', result: { ok: false, error: 'x' } }).ok, false);
  assert.equal(validateServerFrame({ v: 99, type: 'result', result: { ok: true, value: 1 } }).ok, false);
});

test('frames are one line even when strings hold newlines', () => {
  const line = encodeFrame({ message: 'a\nb' });
  assert.equal(line.indexOf('\n'), line.length - 1);
});
