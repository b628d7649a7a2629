/**
 * Settings form. Every control has a label; changes are sent one field at a time and the
 * answer (the stored settings) is what the form shows afterwards.
 */
import { SIGN_IN_HOST_PATTERN, type IpcRequest, type Settings } from '../shared/contract/ipc-contract.js';
import { h } from './dom.js';

export interface SettingsView {
  readonly element: HTMLElement;
  show(settings: Settings, storage: { kind: string; protects: boolean }): void;
}

export function createSettingsView(save: (patch: IpcRequest<'updateSettings'>) => Promise<void>, refuse: (message: string) => void): SettingsView {
  const login = h('select', { id: 'set-default-login' }, ...['interactive', 'devicecode', 'azurecli'].map((v) => h('option', { value: v }, v)));
  const paths = h('textarea', { id: 'set-kubeconfig-paths', rows: 3, spellcheck: 'false', placeholder: 'Empty: $KUBECONFIG or ~/.kube/config' });
  const startAtLogin = h('input', { type: 'checkbox', id: 'set-start-at-login' });
  const notifications = h('input', { type: 'checkbox', id: 'set-notifications' });
  const memoryOnly = h('input', { type: 'checkbox', id: 'set-memory-only' });
  const hosts = h('textarea', { id: 'set-sign-in-hosts', rows: 2, spellcheck: 'false', placeholder: 'adfs.contoso.com' });
  const storageNote = h('p', { class: 'note', id: 'storage-note' });
  const row = (control: HTMLElement, label: string, hint?: string) =>
    h('div', { class: 'field' }, h('label', { for: control.id }, label), control, hint ? h('div', { class: 'sub' }, hint) : null);

  login.addEventListener('change', () => void save({ defaultLogin: login.value as Settings['defaultLogin'] }));
  paths.addEventListener('change', () => void save({ kubeconfigPaths: paths.value.split('\n').map((l) => l.trim()).filter(Boolean) }));
  startAtLogin.addEventListener('change', () => void save({ startAtLogin: startAtLogin.checked }));
  notifications.addEventListener('change', () => void save({ notifications: notifications.checked }));
  memoryOnly.addEventListener('change', () => void save({ memoryOnlyCache: memoryOnly.checked }));
  hosts.addEventListener('change', () => {
    const list = hosts.value.split(/[\s,]+/).map((l) => l.trim().toLowerCase()).filter(Boolean);
    const bad = list.find((x) => !SIGN_IN_HOST_PATTERN.test(x));
    // Say what is wrong with the person's input here, before the contract refuses it in main.
    if (bad) refuse(`"${bad}" is not a host name: write only the host (and :port), e.g. adfs.contoso.com.`);
    else void save({ signInHosts: list });
  });

  const element = h(
    'form',
    { class: 'settings', 'aria-label': 'Settings' },
    row(login, 'Default login method', 'Stored for conversions; converting from the window keeps each context\'s own login method.'),
    row(paths, 'Kubeconfig files (one per line)'),
    row(startAtLogin, 'Start KubeTray at login'),
    row(notifications, 'Notify me when a sign-in is needed'),
    row(hosts, 'Extra sign-in hosts (one per line)', "Your organisation's own sign-in server (AD FS, Okta...) if Entra ID sends you there; the sign-in window refuses every other site."),
    row(memoryOnly, 'Keep tokens in memory only', 'Tokens are only readable while KubeTray runs; you sign in again after a restart. Applies at the next start.'),
    storageNote,
  );
  element.addEventListener('submit', (e) => e.preventDefault());
  return {
    element,
    show(s, storage) {
      login.value = s.defaultLogin;
      if (document.activeElement !== paths) paths.value = s.kubeconfigPaths.join('\n');
      startAtLogin.checked = s.startAtLogin;
      notifications.checked = s.notifications;
      memoryOnly.checked = s.memoryOnlyCache;
      if (document.activeElement !== hosts) hosts.value = s.signInHosts.join('\n');
      storageNote.textContent = storage.protects
        ? `Token cache protected by ${storage.kind}.`
        : `Your system offers no real protection for stored tokens (${storage.kind}). Consider "Keep tokens in memory only".`;
    },
  };
}
