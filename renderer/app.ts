/**
 * The window: header, tabs (Clusters, Activity, Accounts, Settings), a live status line.
 * Data comes from one snapshot and then from events; nothing polls.
 */
import type { AppErrorJson } from '../shared/core/app-error.js';
import type { ClusterView, KubeTrayApi, Snapshot } from '../shared/contract/ipc-contract.js';
import { createClusterTable, type ClusterAction } from './cluster-table.js';
import { h } from './dom.js';
import { createLedgerView, renderAccounts } from './ledger-view.js';
import { createSettingsView } from './settings-view.js';

const TABS = [
  { id: 'clusters', label: 'Clusters' },
  { id: 'activity', label: 'Activity' },
  { id: 'accounts', label: 'Accounts' },
  { id: 'settings', label: 'Settings' },
] as const;

export function startApp(root: HTMLElement, api: KubeTrayApi, now: () => number = () => Date.now()): void {
  const status = h('div', { id: 'status', class: 'status', role: 'status', 'aria-live': 'polite' });
  const alert = h('div', { id: 'alert', class: 'alert', role: 'alert', hidden: true });
  const storageBanner = h('div', { class: 'banner', id: 'storage-banner', hidden: true });
  const summary = h('span', { class: 'summary', id: 'summary' });
  const signOutAll = h('button', { type: 'button', id: 'sign-out-everywhere' }, 'Sign out everywhere');
  const table = createClusterTable(now);
  const ledger = createLedgerView();
  const accounts = h('div', { id: 'accounts' });
  let snapshot: Snapshot | undefined;

  const say = (text: string) => {
    status.textContent = text;
  };
  const showError = (error: AppErrorJson | undefined) => {
    // A stale progress line (e.g. an old device code) must not sit next to the error.
    if (error) status.textContent = '';
    alert.hidden = !error;
    alert.textContent = error ? error.message : '';
  };
  const settings = createSettingsView(async (patch) => {
    const r = await api.updateSettings(patch);
    if (!r.ok) return showError(r.error);
    if (snapshot) {
      snapshot.settings = r.value;
      settings.show(r.value, snapshot.storage);
      renderStorage();
    }
    say('Settings saved.');
  }, (message) => showError({ code: 'config/invalid', message }));
  const renderStorage = () => {
    const s = snapshot;
    storageBanner.hidden = !s || s.storage.protects || s.settings.memoryOnlyCache;
    storageBanner.textContent = s ? `Tokens on disk are not really protected on this system (${s.storage.kind}). Settings → "Keep tokens in memory only" keeps them unreadable outside KubeTray.` : '';
  };
  const renderClusters = (clusters: readonly ClusterView[]) => {
    table.update(clusters);
    const signedIn = clusters.filter((c) => c.state === 'signed-in').length;
    const needs = clusters.filter((c) => c.state === 'needs-sign-in').length;
    summary.textContent = `${clusters.length} contexts · ${signedIn} signed in · ${needs} need sign-in`;
  };

  // Tabs (WAI-ARIA tabs pattern: arrow keys move between tabs, Tab moves into the panel).
  const tablist = h('div', { role: 'tablist', 'aria-label': 'KubeTray sections' });
  const panels = new Map<string, HTMLElement>();
  const tabs = TABS.map((t, i) =>
    h('button', { type: 'button', role: 'tab', id: `tab-${t.id}`, 'aria-controls': `panel-${t.id}`, 'aria-selected': i === 0 ? 'true' : 'false', tabindex: i === 0 ? 0 : -1 }, t.label),
  );
  const select = (index: number) => {
    tabs.forEach((tab, i) => {
      tab.setAttribute('aria-selected', String(i === index));
      tab.tabIndex = i === index ? 0 : -1;
      const panel = panels.get(TABS[i]?.id ?? '');
      if (panel) panel.hidden = i !== index;
    });
    tabs[index]?.focus();
    if (TABS[index]?.id === 'activity') void refreshLedger();
  };
  tabs.forEach((tab, i) => {
    tab.addEventListener('click', () => select(i));
    tab.addEventListener('keydown', (e) => {
      const key = (e as KeyboardEvent).key;
      if (key === 'ArrowRight') select((i + 1) % tabs.length);
      else if (key === 'ArrowLeft') select((i - 1 + tabs.length) % tabs.length);
      else if (key === 'Home') select(0);
      else if (key === 'End') select(tabs.length - 1);
      else return;
      e.preventDefault();
    });
    tablist.append(tab);
  });

  const filter = h('input', { type: 'search', id: 'filter', placeholder: 'Filter by context, server, account…', autocomplete: 'off' });
  filter.addEventListener('input', () => table.setFilter(filter.value));
  const panel = (id: string, ...children: HTMLElement[]) => {
    const p = h('section', { role: 'tabpanel', id: `panel-${id}`, 'aria-labelledby': `tab-${id}`, tabindex: 0, hidden: id !== 'clusters' }, ...children);
    panels.set(id, p);
    return p;
  };
  root.replaceChildren(
    h('header', { class: 'top' }, h('h1', {}, 'KubeTray'), summary, signOutAll),
    storageBanner,
    alert,
    status,
    tablist,
    panel('clusters', h('div', { class: 'toolbar' }, h('label', { for: 'filter' }, 'Filter contexts'), filter), table.element),
    panel('activity', ledger.element),
    panel('accounts', accounts),
    panel('settings', settings.element),
  );

  const refreshLedger = async () => {
    const r = await api.getLedger({ limit: 500 });
    if (r.ok) ledger.replace(r.value);
  };

  const run = async (action: ClusterAction, clusterId: string, button: HTMLButtonElement) => {
    const name = snapshot?.clusters.find((c) => c.id === clusterId)?.contextName ?? clusterId;
    showError(undefined);
    button.disabled = true;
    switch (action) {
      case 'sign-in':
      case 'switch-account': {
        say(`Signing in to ${name}… finish in the sign-in window.`);
        const r = action === 'sign-in' ? await api.signIn({ clusterId }) : await api.switchAccount({ clusterId });
        if (r.ok) say(`Signed in to ${name} as ${r.value.account ?? 'your account'}.`);
        else if (r.error.code === 'auth/cancelled') say(`Sign-in to ${name} cancelled.`);
        else showError(r.error);
        break;
      }
      case 'cancel': {
        await api.cancelSignIn({ clusterId });
        break;
      }
      case 'sign-out': {
        const r = await api.signOut({ clusterId });
        if (r.ok) say(`Signed out of ${name}.`);
        else showError(r.error);
        break;
      }
      case 'convert': {
        const r = await api.convertContext({ clusterId });
        if (r.ok) say(r.value.message);
        else showError(r.error);
        break;
      }
    }
    button.disabled = false;
  };
  table.onAction((action, id, button) => void run(action, id, button));
  signOutAll.addEventListener('click', async () => {
    const r = await api.signOutEverywhere({});
    if (r.ok) say('Signed out of every account.');
    else showError(r.error);
  });

  // The cluster a "waiting for you to sign in" line is about: cleared once it is signed in.
  let waitingOn: string | undefined;
  api.onSessionsChanged(({ clusters, accounts: accountList }) => {
    if (snapshot) snapshot.clusters = clusters;
    renderClusters(clusters);
    const waiting = waitingOn && clusters.find((c) => c.id === waitingOn);
    if (waiting && waiting.state === 'signed-in') {
      say(`Signed in to ${waiting.contextName} as ${waiting.account ?? 'your account'}.`);
      waitingOn = undefined;
    }
    if (accountList) renderAccounts(accounts, accountList);
  });
  api.onLedgerEntry((entry) => ledger.prepend(entry));
  api.onSignInProgress(({ clusterId, message }) => say(`${clusterId}: ${message}`));
  api.onSignInNeeded(({ clusterId, message }) => {
    waitingOn = clusterId;
    say(clusterId ? `${clusterId}: ${message}` : message);
  });
  api.onKubeconfigChanged(() => void load());

  const load = async () => {
    const r = await api.getSnapshot({});
    performance.mark('kubetray:snapshot');
    if (!r.ok) {
      showError(r.error);
      return;
    }
    snapshot = r.value;
    renderClusters(r.value.clusters);
    performance.mark('kubetray:rows');
    renderAccounts(accounts, r.value.accounts);
    settings.show(r.value.settings, r.value.storage);
    renderStorage();
    if (r.value.problems.length) showError({ code: 'kubeconfig/parse', message: r.value.problems.map((p) => p.message).join('\n') });
  };

  // One timer for every countdown; rewrites only text that changed.
  setInterval(() => table.tick(now()), 1000);
  void load().then(() => {
    root.setAttribute('aria-busy', 'false');
    // First paint after the rows are in the DOM: the harness reads this mark.
    requestAnimationFrame(() => performance.mark('kubetray:first-paint'));
  });
}
