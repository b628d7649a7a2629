/**
 * The clusters table: one row per kubeconfig context. Rows are keyed by cluster id and only
 * rebuilt when their data changed, so a sessions-changed event with 1,000 contexts touches a
 * handful of rows; the countdown ticks by rewriting text in the expiry cells alone.
 */
import type { ClusterView } from '../shared/contract/ipc-contract.js';
import { h } from './dom.js';
import { formatAgo, formatCountdown, matchesFilter, shortId, shortServer, SOURCE_LABELS, STATE_LABELS } from './format.js';

/** Rows built before the first paint; the rest follow in chunks (see update()). */
const FIRST_CHUNK = 60;
const CHUNK = 250;

export type ClusterAction = 'sign-in' | 'sign-out' | 'switch-account' | 'convert' | 'cancel';

interface RowEntry {
  row: HTMLTableRowElement;
  key: string;
  view: ClusterView;
  expiry: HTMLElement;
}

const ACTION_LABELS: Record<ClusterAction, string> = {
  'sign-in': 'Sign in',
  'sign-out': 'Sign out',
  'switch-account': 'Switch account',
  convert: 'Convert to KubeTray',
  cancel: 'Cancel',
};

function actionsFor(c: ClusterView): ClusterAction[] {
  const out: ClusterAction[] = [];
  if (c.execKind === 'kubelogin') out.push('convert');
  if (c.state === 'signing-in') {
    if (c.cancellable) out.push('cancel');
  }
  else if (c.state === 'signed-in') out.push('sign-out', 'switch-account');
  else if (c.state === 'needs-sign-in' || (c.state === 'error' && c.serverId)) out.push('sign-in');
  return out;
}

function buildRow(c: ClusterView, now: number): { row: HTMLTableRowElement; expiry: HTMLElement } {
  const countdown = h('span', { class: 'countdown' }, c.state === 'signed-in' ? formatCountdown(c.expiresOn, now) : '—');
  const expiry = h('td', { class: 'expiry', 'data-col': 'expiry', 'data-expires': c.state === 'signed-in' ? c.expiresOn : undefined }, countdown);
  if (c.refreshedAt !== undefined) expiry.append(h('div', { class: 'sub refreshed', title: new Date(c.refreshedAt).toISOString() }, `refreshed silently ${formatAgo(c.refreshedAt, now)}`));
  const state = h('td', { 'data-col': 'state' }, h('span', { class: `badge state-${c.state}` }, STATE_LABELS[c.state] ?? c.state));
  if (c.state === 'signing-in' && !c.cancellable) state.append(h('div', { class: 'sub' }, 'waiting for you in the sign-in window'));
  if (c.warning) state.append(h('div', { class: 'warning-text' }, c.warning));
  if (c.error) state.append(h('div', { class: 'error-text', role: c.state === 'error' ? 'note' : undefined }, c.error.message));
  const served = c.lastServed
    ? h('td', { 'data-col': 'served', title: c.lastServed.command ?? '' }, `${formatAgo(c.lastServed.time, now)} · ${SOURCE_LABELS[c.lastServed.source] ?? c.lastServed.source}${c.lastServed.pid ? ` · pid ${c.lastServed.pid}` : ''}`)
    : h('td', { 'data-col': 'served' }, '—');
  const actions = h('td', { class: 'actions', 'data-col': 'actions' });
  for (const a of actionsFor(c)) {
    actions.append(h('button', { type: 'button', 'data-action': a, 'data-id': c.id, 'aria-label': `${ACTION_LABELS[a]}: ${c.contextName}`, class: a === 'sign-in' ? 'primary' : undefined }, ACTION_LABELS[a]));
  }
  const name = h('th', { scope: 'row', 'data-col': 'context' }, h('span', { class: 'ctx' }, c.contextName));
  if (c.current) name.append(' ', h('span', { class: 'badge current', title: 'kubectl current-context' }, 'current'));
  if (c.clusterName !== c.contextName) name.append(h('div', { class: 'sub' }, c.clusterName));
  const row = h(
    'tr',
    { 'data-id': c.id, 'data-state': c.state },
    name,
    h('td', { 'data-col': 'server', title: c.server }, shortServer(c.server)),
    h('td', { 'data-col': 'login' }, c.execKind === 'kubetray' || c.execKind === 'kubelogin' ? `${c.login ?? '—'}${c.execKind === 'kubelogin' ? ' (kubelogin)' : ''}` : c.execKind === 'other' ? 'other exec' : '—'),
    h('td', { 'data-col': 'tenant', title: c.tenantId ?? '' }, shortId(c.tenantId)),
    h('td', { 'data-col': 'account' }, c.account ?? '—'),
    expiry,
    state,
    served,
    actions,
  );
  return { row, expiry: countdown };
}

export interface ClusterTable {
  readonly element: HTMLElement;
  update(clusters: readonly ClusterView[]): void;
  setFilter(filter: string): void;
  tick(now: number): void;
  onAction(handler: (action: ClusterAction, clusterId: string, button: HTMLButtonElement) => void): void;
  count(): { shown: number; total: number };
}

export function createClusterTable(now: () => number): ClusterTable {
  const tbody = h('tbody');
  const empty = h('p', { class: 'empty', hidden: true }, 'No contexts match.');
  const table = h(
    'table',
    { class: 'clusters', 'aria-label': 'Kubernetes contexts' },
    h('thead', {}, h('tr', {}, ...['Context', 'Server', 'Login', 'Tenant', 'Account', 'Expires in', 'State', 'Last served', 'Actions'].map((t) => h('th', { scope: 'col' }, t)))),
    tbody,
  );
  const element = h('div', { class: 'table-wrap' }, table, empty);
  const rows = new Map<string, RowEntry>();
  let order: string[] = [];
  let filter = '';
  let generation = 0;
  let handler: ((action: ClusterAction, id: string, button: HTMLButtonElement) => void) | undefined;

  tbody.addEventListener('click', (ev) => {
    const button = (ev.target as Element).closest('button[data-action]');
    if (!(button instanceof HTMLButtonElement) || !handler) return;
    handler(button.dataset.action as ClusterAction, button.dataset.id ?? '', button);
  });

  const visible = (e: RowEntry) => matchesFilter([e.view.contextName, e.view.clusterName, e.view.server, e.view.account, e.view.tenantId, e.view.login], filter);
  const applyFilter = (): void => {
    let shown = 0;
    for (const e of rows.values()) {
      const v = visible(e);
      e.row.hidden = !v;
      if (v) shown++;
    }
    empty.hidden = shown > 0 || rows.size === 0;
  };

  const table_: ClusterTable = {
    element,
    update(clusters) {
      generation++;
      const t = now();
      // Keep keyboard focus on the same action of the same row across a rebuild.
      const active = document.activeElement instanceof HTMLButtonElement && tbody.contains(document.activeElement) ? { id: document.activeElement.dataset.id, action: document.activeElement.dataset.action } : undefined;
      const seen = new Set<string>();
      const nextOrder: string[] = [];
      const build = (c: ClusterView): void => {
        const key = JSON.stringify(c);
        const prev = rows.get(c.id);
        if (prev && prev.key === key) return;
        const built = buildRow(c, t);
        const entry: RowEntry = { row: built.row, key, view: c, expiry: built.expiry };
        built.row.hidden = !visible(entry);
        if (prev) prev.row.replaceWith(built.row);
        rows.set(c.id, entry);
      };
      for (const c of clusters) {
        seen.add(c.id);
        nextOrder.push(c.id);
      }
      for (const [id, e] of rows) {
        if (!seen.has(id)) {
          e.row.remove();
          rows.delete(id);
        }
      }
      // First render of a long list: paint the first screenful now, the rest in later tasks,
      // so the window shows up at once with 1,000 contexts.
      const progressive = rows.size === 0 && clusters.length > FIRST_CHUNK;
      const now0 = progressive ? clusters.slice(0, FIRST_CHUNK) : clusters;
      for (const c of now0) build(c);
      if (progressive) {
        element.dataset.complete = 'false';
        tbody.replaceChildren(...now0.map((c) => (rows.get(c.id) as RowEntry).row));
        const gen = generation;
        let next = FIRST_CHUNK;
        const step = (): void => {
          if (gen !== generation) return; // a newer update rebuilt everything
          const chunk = clusters.slice(next, next + CHUNK);
          const fragment = document.createDocumentFragment();
          for (const c of chunk) {
            build(c);
            fragment.append((rows.get(c.id) as RowEntry).row);
          }
          tbody.append(fragment);
          next += CHUNK;
          if (next < clusters.length) setTimeout(step, 0);
          else {
            order = nextOrder;
            element.dataset.complete = 'true';
            empty.hidden = table_.count().shown > 0 || rows.size === 0;
          }
        };
        setTimeout(step, 0);
        return;
      }
      if (nextOrder.join('\u0000') !== order.join('\u0000') || tbody.childElementCount !== rows.size) {
        const fragment = document.createDocumentFragment();
        for (const id of nextOrder) fragment.append((rows.get(id) as RowEntry).row);
        tbody.replaceChildren(fragment);
        order = nextOrder;
      }
      element.dataset.complete = 'true';
      applyFilter();
      if (active) {
        const again = tbody.querySelector<HTMLButtonElement>(`tr[data-id="${CSS.escape(active.id ?? '')}"] button[data-action]`);
        const same = tbody.querySelector<HTMLButtonElement>(`tr[data-id="${CSS.escape(active.id ?? '')}"] button[data-action="${CSS.escape(active.action ?? '')}"]`);
        (same ?? again)?.focus();
      }
    },
    setFilter(f) {
      filter = f;
      applyFilter();
    },
    tick(t) {
      for (const e of rows.values()) {
        if (e.view.state !== 'signed-in' || e.view.expiresOn === undefined) continue;
        const text = formatCountdown(e.view.expiresOn, t);
        if (e.expiry.textContent !== text) e.expiry.textContent = text;
      }
    },
    onAction(fn) {
      handler = fn;
    },
    count() {
      let shown = 0;
      for (const e of rows.values()) if (!e.row.hidden) shown++;
      return { shown, total: rows.size };
    },
  };
  return table_;
}
