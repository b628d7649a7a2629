/**
 * The audit ledger ("which process got which token, when, from where") and the accounts list.
 */
import type { AccountView, LedgerEntryView } from '../shared/contract/ipc-contract.js';
import { clear, h } from './dom.js';
import { formatClock, shortId, SOURCE_LABELS } from './format.js';

const MAX_ROWS = 500;

export interface LedgerView {
  readonly element: HTMLElement;
  replace(entries: readonly LedgerEntryView[]): void;
  prepend(entry: LedgerEntryView): void;
}

function ledgerRow(e: LedgerEntryView): HTMLTableRowElement {
  const who = e.caller ? `${e.caller.parentCommand ?? 'unknown command'} (pid ${e.caller.pid})` : e.source === 'refresh' ? 'KubeTray (background refresh)' : 'unknown caller';
  return h(
    'tr',
    { 'data-source': e.source },
    h('td', { title: new Date(e.time).toISOString() }, formatClock(e.time)),
    h('td', {}, who),
    h('td', {}, e.clusterId ?? shortId(e.serverId)),
    h('td', {}, e.account ?? '—'),
    h('td', {}, h('span', { class: `badge source-${e.source}` }, SOURCE_LABELS[e.source] ?? e.source), e.errorCode ? ` ${e.errorCode}` : ''),
  );
}

/** Identity of an entry: the same entry may arrive as an event and in a fresh list. */
const entryKey = (e: LedgerEntryView): string => `${e.time}|${e.caller?.pid ?? ''}|${e.source}|${e.login}|${e.serverId}|${e.clusterId ?? ''}`;

export function createLedgerView(): LedgerView {
  const tbody = h('tbody');
  const seen = new Set<string>();
  const element = h(
    'table',
    { class: 'ledger', 'aria-label': 'Tokens served' },
    h('thead', {}, h('tr', {}, ...['Time', 'Process', 'Context', 'Account', 'Source'].map((t) => h('th', { scope: 'col' }, t)))),
    tbody,
  );
  return {
    element,
    replace(entries) {
      const fragment = document.createDocumentFragment();
      seen.clear();
      for (const e of entries.slice(0, MAX_ROWS)) {
        const key = entryKey(e);
        if (seen.has(key)) continue;
        seen.add(key);
        fragment.append(ledgerRow(e));
      }
      tbody.replaceChildren(fragment);
    },
    prepend(entry) {
      const key = entryKey(entry);
      if (seen.has(key)) return;
      seen.add(key);
      tbody.prepend(ledgerRow(entry));
      while (tbody.childElementCount > MAX_ROWS) tbody.lastElementChild?.remove();
    },
  };
}

export function renderAccounts(target: HTMLElement, accounts: readonly AccountView[]): void {
  clear(target);
  if (accounts.length === 0) {
    target.append(h('p', { class: 'empty' }, 'No account is signed in.'));
    return;
  }
  const list = h('ul', { class: 'accounts', 'aria-label': 'Signed-in accounts' });
  for (const a of accounts) {
    list.append(h('li', {}, h('strong', {}, a.username), ` · tenant ${a.tenantId} · ${a.sessions} session${a.sessions === 1 ? '' : 's'}`));
  }
  target.append(list);
}
