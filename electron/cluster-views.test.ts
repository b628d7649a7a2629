import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LedgerEntry, SessionSummary } from '../shared/core/broker.js';
import type { ContextSummary, KubeconfigModel } from '../shared/contract/kubeconfig-model.js';
import { buildAccountViews, buildClusterViews, buildLedgerView, buildTokenRequest, matchSession } from './cluster-views.js';

const now = Date.UTC(2026, 0, 1, 12);
const TENANT = 'a1f5e8a0-7c3e-4b6a-9d55-6b0c0de7e7a1';
const SERVER = '6dae42f8-4368-4678-94ff-3960e28e3630';
const CLIENT = '80faf920-1908-4b52-b5ef-a8e7bedfc67a';

function ctx(name: string, auth: ContextSummary['auth'], over: Partial<ContextSummary> = {}): ContextSummary {
  return { name, clusterName: name, userName: name, server: `https://${name}:443`, current: false, auth, convertible: false, sourceFile: '/k/config', problems: [], ...over };
}
const exec = (login: string, extra: Partial<{ serverId: string; tool: 'kubetray' | 'kubelogin' }> = {}): ContextSummary['auth'] => ({
  kind: 'azure-exec',
  tool: extra.tool ?? 'kubetray',
  command: 'kubetray',
  login,
  tenantId: TENANT,
  clientId: CLIENT,
  serverId: extra.serverId ?? SERVER,
  request: { login: login as 'interactive', tenantId: TENANT, clientId: CLIENT, serverId: extra.serverId ?? SERVER, authorityHost: 'https://127.0.0.1:8443/' },
  secretInArgs: false,
});
const model = (contexts: ContextSummary[]): KubeconfigModel => ({ files: ['/k/config'], missingFiles: [], contexts, problems: [], readAt: now });
const session = (over: Partial<SessionSummary>): SessionSummary => ({ key: 'k1', login: 'interactive', tenantId: TENANT, clientId: CLIENT, serverId: SERVER, state: 'signed-in', expiresOn: now + 3600_000, ...over });
const idle = { signingIn: new Set<string>(), errors: new Map() };

test('the token request is what kubectl would send, with the file\'s other flags', () => {
  const r = buildTokenRequest(ctx('a', exec('interactive')));
  assert.deepEqual(r, { login: 'interactive', tenantId: TENANT, clientId: CLIENT, serverId: SERVER, authorityHost: 'https://127.0.0.1:8443/' });
  assert.equal(buildTokenRequest(ctx('b', { kind: 'client-certificate', source: 'data' })), undefined);
  assert.equal(buildTokenRequest(ctx('c', exec('nonsense'))), undefined);
  // A legacy azure auth-provider signs in with kubelogin's default, devicecode.
  assert.equal(buildTokenRequest(ctx('d', { kind: 'auth-provider-azure', tenantId: TENANT, clientId: CLIENT, serverId: SERVER }))?.login, 'devicecode');
});

test('rows join the model with sessions: signed in, needs sign-in, not Entra, broken', () => {
  const views = buildClusterViews(
    model([
      ctx('prod', exec('interactive'), { current: true }),
      ctx('other-server', exec('interactive', { serverId: 'api://other' })),
      ctx('kind', { kind: 'client-certificate', source: 'data' }),
      ctx('broken', exec('interactive', { serverId: '' }), { problems: ["user 'x' has no --server-id"] }),
      ctx('legacy', exec('devicecode', { tool: 'kubelogin' }), { convertible: true }),
    ]),
    [session({ account: { username: 'ada@contoso.com', homeAccountId: 'h1', tenantId: TENANT } })],
    [],
    idle,
    now,
  );
  const byId = new Map(views.map((v) => [v.id, v]));
  assert.equal(byId.get('prod')?.state, 'signed-in');
  assert.equal(byId.get('prod')?.account, 'ada@contoso.com');
  assert.equal(byId.get('prod')?.expiresOn, now + 3600_000);
  assert.equal(byId.get('other-server')?.state, 'needs-sign-in');
  assert.equal(byId.get('kind')?.state, 'not-entra');
  assert.equal(byId.get('broken')?.state, 'error');
  assert.equal(byId.get('broken')?.error?.message, "user 'x' has no --server-id");
  assert.equal(byId.get('legacy')?.execKind, 'kubelogin');
  assert.equal(byId.get('legacy')?.state, 'needs-sign-in', 'devicecode sessions are not interactive ones');
});

test('expired tokens need a sign-in; a valid token whose refresh failed stays signed in with a warning', () => {
  const m = model([ctx('prod', exec('interactive'))]);
  assert.equal(buildClusterViews(m, [session({ expiresOn: now - 1 })], [], idle, now)[0]?.state, 'needs-sign-in');
  const warned = buildClusterViews(m, [session({ state: 'needs-sign-in' })], [], idle, now)[0];
  assert.equal(warned?.state, 'signed-in');
  assert.match(warned?.warning ?? '', /sign in again before it expires/);
});

test('window sign-ins, cancellations and errors override what the broker says', () => {
  const m = model([ctx('prod', exec('interactive'))]);
  const ours = buildClusterViews(m, [], [], { signingIn: new Set(['prod']), errors: new Map() }, now)[0];
  assert.equal(ours?.state, 'signing-in');
  assert.equal(ours?.cancellable, true);
  const theirs = buildClusterViews(m, [session({ state: 'signing-in' })], [], idle, now)[0];
  assert.equal(theirs?.state, 'signing-in');
  assert.equal(theirs?.cancellable, undefined, 'a kubectl caller\'s sign-in is not cancelled from the window');
  assert.equal(buildClusterViews(m, [session({ state: 'signing-in' })], [], { ...idle, cancelled: new Set(['prod']) }, now)[0]?.state, 'needs-sign-in');
  const failed = buildClusterViews(m, [], [], { signingIn: new Set(), errors: new Map([['prod', { code: 'auth/ca-blocked' as const, message: 'Blocked by Conditional Access' }]]) }, now)[0];
  assert.equal(failed?.state, 'error');
  assert.equal(failed?.error?.code, 'auth/ca-blocked');
});

test('ledger: last served per cluster, the view of an entry, accounts', () => {
  const m = model([ctx('prod', exec('interactive'))]);
  const ledger: LedgerEntry[] = [
    { time: now - 2000, key: 'k1', login: 'interactive', serverId: SERVER, source: 'sign-in', caller: { pid: 10, parentCommand: 'kubectl get pods' } },
    { time: now - 1000, key: 'k1', login: 'interactive', serverId: SERVER.toUpperCase(), source: 'cache', caller: { pid: 11, ppid: 3, parentCommand: 'helm list' } },
  ];
  const [view] = buildClusterViews(m, [session({})], ledger, idle, now);
  assert.deepEqual(view?.lastServed, { time: now - 1000, source: 'cache', pid: 11, command: 'helm list' });
  assert.deepEqual(buildLedgerView(ledger[1] as LedgerEntry, view ? [view] : []), {
    time: now - 1000, login: 'interactive', serverId: SERVER.toUpperCase(), source: 'cache', clusterId: 'prod', caller: { pid: 11, ppid: 3, parentCommand: 'helm list' },
  });
  const accounts = buildAccountViews([
    session({ account: { username: 'b@x', homeAccountId: 'h2', tenantId: TENANT } }),
    session({ key: 'k2', account: { username: 'a@x', homeAccountId: 'h1', tenantId: TENANT } }),
    session({ key: 'k3', account: { username: 'a@x', homeAccountId: 'h1', tenantId: TENANT } }),
  ]);
  assert.deepEqual(accounts.map((a) => [a.username, a.sessions]), [['a@x', 2], ['b@x', 1]]);
  assert.equal(matchSession({ login: 'interactive', serverId: SERVER }, [session({ state: 'error', key: 'e' }), session({ key: 'ok' })])?.key, 'ok');
});
