import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ClusterView } from '../shared/contract/ipc-contract.js';
import { buildTrayMenu, buildTrayTooltip, formatRemaining, resolveTrayIconState, trayImageFile, type TrayMenuItem } from './tray-menu.js';

const now = Date.UTC(2026, 0, 1, 12);
const cluster = (over: Partial<ClusterView>): ClusterView => ({
  id: over.contextName ?? 'c',
  contextName: 'c',
  clusterName: 'c',
  server: 'https://c.example:443',
  kubeconfigPath: '/home/u/.kube/config',
  current: false,
  execKind: 'kubetray',
  login: 'interactive',
  state: 'needs-sign-in',
  ...over,
});

const flat = (items: TrayMenuItem[]): TrayMenuItem[] => items.flatMap((i) => [i, ...flat(i.submenu ?? [])]);

test('menu always offers open, start at login and quit, so Linux users can do everything', () => {
  const menu = buildTrayMenu({ clusters: [], startAtLogin: true, now });
  const ids = menu.map((i) => i.id);
  assert.deepEqual([ids[0], ids.at(-1)], ['open', 'quit']);
  const login = menu.find((i) => i.id === 'start-at-login');
  assert.equal(login?.type, 'checkbox');
  assert.equal(login?.checked, true);
  assert.equal(menu.find((i) => i.id === 'no-clusters')?.enabled, false);
  assert.deepEqual(menu.find((i) => i.id === 'sign-out-everywhere')?.action, { type: 'sign-out-everywhere' });
});

test('each cluster shows its state and the one action that fits it', () => {
  const menu = buildTrayMenu({
    startAtLogin: false,
    now,
    clusters: [
      cluster({ contextName: 'prod', state: 'signed-in', account: 'ada@contoso.com', expiresOn: now + 65 * 60_000 }),
      cluster({ contextName: 'dev', state: 'needs-sign-in', current: true }),
      cluster({ contextName: 'minikube', execKind: 'none', state: 'not-entra' }),
      cluster({ contextName: 'broken', state: 'error', error: { code: 'auth/ca-blocked', message: 'Blocked by Conditional Access' } }),
    ],
  });
  const labels = menu.map((i) => i.label ?? '');
  assert.equal(labels[2], 'dev — sign-in needed', 'the current context comes first');
  assert.ok(labels.includes('prod — ada@contoso.com, expires in 1 h 5 min'));
  assert.ok(labels.some((l) => l.startsWith('broken — error: Blocked by Conditional Access')));
  assert.ok(!labels.some((l) => l.startsWith('minikube')), 'non-Entra contexts stay out of the tray');
  const all = flat(menu);
  assert.deepEqual(all.find((i) => i.id === 'sign-out:prod')?.action, { type: 'sign-out', clusterId: 'prod' });
  assert.deepEqual(all.find((i) => i.id === 'sign-in:dev')?.action, { type: 'sign-in', clusterId: 'dev' });
});

test('long cluster lists are cut with a way to the window', () => {
  const clusters = Array.from({ length: 40 }, (_, i) => cluster({ contextName: `ctx-${String(i).padStart(2, '0')}` }));
  const menu = buildTrayMenu({ clusters, startAtLogin: false, now, maxClusters: 10 });
  assert.equal(menu.filter((i) => i.id.startsWith('cluster:')).length, 10);
  assert.deepEqual(menu.find((i) => i.id === 'more'), { id: 'more', label: '30 more in the window…', action: { type: 'open-window' } });
});

test('icon state: error beats sign-in needed beats signed in', () => {
  assert.equal(resolveTrayIconState([]), 'idle');
  assert.equal(resolveTrayIconState([cluster({ state: 'signed-in' })]), 'signed-in');
  assert.equal(resolveTrayIconState([cluster({ state: 'signed-in' }), cluster({ state: 'needs-sign-in', current: true })]), 'sign-in-needed');
  assert.equal(resolveTrayIconState([cluster({ state: 'signed-in' }), cluster({ state: 'error' })]), 'error');
  assert.equal(resolveTrayIconState([cluster({ state: 'error', execKind: 'none' })]), 'idle');
  assert.equal(trayImageFile('error', 'darwin'), 'tray-errorTemplate.png');
  assert.equal(trayImageFile('error', 'linux'), 'tray-error.png');
  assert.equal(buildTrayTooltip([cluster({ state: 'signed-in' }), cluster({ state: 'needs-sign-in' })]), 'KubeTray: 1 signed in, 1 need sign-in');
});

test('remaining time is short and never negative', () => {
  assert.equal(formatRemaining(undefined, now), '');
  assert.equal(formatRemaining(now - 1, now), 'expired');
  assert.equal(formatRemaining(now + 30_000, now), 'in <1 min');
  assert.equal(formatRemaining(now + 42 * 60_000, now), 'in 42 min');
});
