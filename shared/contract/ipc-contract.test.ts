import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ALLOWED_EVENT_CHANNELS, ALLOWED_INVOKE_CHANNELS, EVENTS, IPC, type ClusterView, type IpcHandlers } from './ipc-contract.js';
import { buildKubeTrayApi, dispatchIpc, type RendererTransport } from './ipc-bridge.js';
import { array, object, optional, str, validate } from './schema.js';

const cluster: ClusterView = {
  id: 'kc:prod',
  contextName: 'prod',
  clusterName: 'prod',
  server: 'https://prod.example:443',
  kubeconfigPath: '/home/u/.kube/config',
  current: true,
  execKind: 'kubetray',
  state: 'needs-sign-in',
};

const settings = { defaultLogin: 'interactive', kubeconfigPaths: [], startAtLogin: true, notifications: true, memoryOnlyCache: false, signInHosts: [] } as const;

function handlers(over: Partial<IpcHandlers> = {}): IpcHandlers {
  const todo = async () => ({ ok: false as const, error: { code: 'internal' as const, message: 'not in this test' } });
  return {
    getSnapshot: async () => ({ ok: true, value: { version: '0.1.0', clusters: [cluster], accounts: [], settings: { ...settings, kubeconfigPaths: [], signInHosts: [] }, storage: { kind: 'test', protects: true }, problems: [] } }),
    getLedger: todo,
    signIn: async ({ clusterId }) => ({ ok: true, value: { ...cluster, id: clusterId, state: 'signed-in', expiresOn: 1 } }),
    switchAccount: todo,
    cancelSignIn: todo,
    signOut: async () => ({ ok: true, value: {} }),
    signOutEverywhere: todo,
    convertContext: async () => {
      throw new Error('disk full while writing token eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhIn0.c2lnbmF0dXJl');
    },
    updateSettings: todo,
    ...over,
  };
}

test('channels are unique and namespaced', () => {
  const invoke = Object.values(IPC).map((e) => e.channel);
  const events = Object.values(EVENTS).map((e) => e.channel);
  assert.equal(ALLOWED_INVOKE_CHANNELS.size, invoke.length);
  assert.equal(ALLOWED_EVENT_CHANNELS.size, events.length);
  for (const c of [...invoke, ...events]) assert.match(c, /^kubetray:[a-z:-]+$/);
  assert.equal(new Set([...invoke, ...events]).size, invoke.length + events.length);
});

test('schemas refuse wrong types, unknown keys and oversized input', () => {
  const s = object({ a: str({ max: 3 }), b: optional(array(str(), { max: 2 })) });
  assert.ok(validate(s, { a: 'x' }).ok);
  assert.ok(validate(s, { a: 'x', b: ['1', '2'] }).ok);
  for (const bad of [null, [], { a: 1 }, { a: 'toolong' }, { a: 'x', extra: 1 }, { a: 'x', b: ['1', '2', '3'] }, Object.create({ a: 'x' })]) {
    assert.equal(validate(s, bad).ok, false, JSON.stringify(bad));
  }
  assert.equal(validate(IPC.signIn.request, { clusterId: '' }).ok, false);
});

test('dispatch validates requests, turns throws into redacted Results and checks responses', async () => {
  const h = handlers();
  assert.deepEqual(await dispatchIpc(h, IPC.signOut.channel, { clusterId: 'kc:prod' }), { ok: true, value: {} });
  const bad = await dispatchIpc(h, IPC.signOut.channel, { clusterId: 7 });
  assert.equal(bad.ok, false);
  assert.equal(!bad.ok && bad.error.code, 'ipc/bad-request');
  const unknown = await dispatchIpc(h, 'kubetray:eval', {});
  assert.equal(!unknown.ok && unknown.error.code, 'ipc/bad-request');
  const thrown = await dispatchIpc(h, IPC.convertContext.channel, { clusterId: 'kc:prod' });
  assert.equal(thrown.ok, false);
  assert.ok(!thrown.ok && !thrown.error.message.includes('eyJ'), 'no token material crosses IPC');
  // A handler answering outside the contract is caught on main, before the renderer sees it.
  const wrong = handlers({ signOut: async () => ({ ok: true, value: { leaked: 'x' } as unknown as Record<string, never> }) });
  const out = await dispatchIpc(wrong, IPC.signOut.channel, { clusterId: 'kc:prod' });
  assert.equal(!out.ok && out.error.code, 'internal');
});

test('the renderer API is derived from the contract and round-trips through a transport', async () => {
  const h = handlers();
  const listeners = new Map<string, (p: unknown) => void>();
  const transport: RendererTransport = {
    invoke: (channel, payload) => dispatchIpc(h, channel, payload),
    on: (channel, listener) => {
      listeners.set(channel, listener);
      return () => listeners.delete(channel);
    },
  };
  const api = buildKubeTrayApi(transport);
  for (const name of Object.keys(IPC)) assert.equal(typeof (api as unknown as Record<string, unknown>)[name], 'function', name);
  const snap = await api.getSnapshot({});
  assert.ok(snap.ok && snap.value.clusters[0]?.contextName === 'prod');
  const signed = await api.signIn({ clusterId: 'kc:prod' });
  assert.ok(signed.ok && signed.value.state === 'signed-in');
  const refused = await api.signIn({ clusterId: 3 as unknown as string });
  assert.equal(!refused.ok && refused.error.code, 'config/invalid');

  const seen: string[] = [];
  const off = api.onSignInProgress((p) => seen.push(p.message));
  const deliver = listeners.get(EVENTS.signInProgress.channel);
  assert.ok(deliver);
  deliver({ clusterId: 'kc:prod', message: 'Waiting for you to sign in' });
  deliver({ clusterId: 'kc:prod', message: 42 });
  assert.deepEqual(seen, ['Waiting for you to sign in'], 'malformed events are dropped');
  off();
  assert.equal(listeners.has(EVENTS.signInProgress.channel), false);
});

test('the error half of a Result is held to the contract on both ends', async () => {
  // Main: a handler error outside appErrorSchema (over-long message, no code, bad detail) is cut down.
  const long = handlers({ signOut: async () => ({ ok: false, error: { code: 'kubeconfig/write', message: 'The disk is full. '.repeat(600), detail: { nested: { a: 1 } } } as never }) });
  const cut = await dispatchIpc(long, IPC.signOut.channel, { clusterId: 'kc:prod' });
  assert.ok(!cut.ok);
  assert.equal(cut.error.code, 'kubeconfig/write');
  assert.equal(cut.error.message.length, 4096);
  assert.ok(cut.error.message.startsWith('The disk is full.'));
  assert.equal(cut.error.detail, undefined);
  const bare = handlers({ signOut: async () => ({ ok: false, error: undefined as never }) });
  const out = await dispatchIpc(bare, IPC.signOut.channel, { clusterId: 'kc:prod' });
  assert.ok(!out.ok && out.error.code === 'internal' && typeof out.error.message === 'string' && out.error.message !== '');
  const thrown = handlers({ signOut: async () => { throw Object.assign(new Error('Something broke. '.repeat(400)), { code: 'c'.repeat(100) }); } });
  const t = await dispatchIpc(thrown, IPC.signOut.channel, { clusterId: 'kc:prod' });
  assert.ok(!t.ok && t.error.code === 'internal' && t.error.message.length <= 4096);

  // Renderer: a malformed error from main is refused, not handed to the page as is.
  for (const error of [undefined, 'boom', { code: 7, message: 'x' }, { code: 'internal', message: 'x', extra: '<img src=x>' }]) {
    const api = buildKubeTrayApi({ invoke: async () => ({ ok: false, error }), on: () => () => undefined });
    const r = await api.signOut({ clusterId: 'kc:prod' });
    assert.ok(!r.ok, JSON.stringify(error));
    assert.equal(r.error.code, 'ipc/bad-request', JSON.stringify(error));
    assert.equal(typeof r.error.message, 'string');
  }
  const good = buildKubeTrayApi({ invoke: async () => ({ ok: false, error: { code: 'auth/cancelled', message: 'cancelled' } }), on: () => () => undefined });
  assert.deepEqual(await good.signOut({ clusterId: 'kc:prod' }), { ok: false, error: { code: 'auth/cancelled', message: 'cancelled' } });
});
