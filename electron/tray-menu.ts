/**
 * The tray: which icon, which tooltip, which menu. Pure; electron/tray.ts only renders it.
 *
 * Linux (AppIndicator / StatusNotifierItem) delivers no click events to the icon itself, so
 * every action a click does elsewhere also has a menu item ("Open KubeTray").
 */
import type { ClusterView } from '../shared/contract/ipc-contract.js';

export type TrayIconState = 'signed-in' | 'sign-in-needed' | 'error' | 'idle';

export type TrayAction =
  | { type: 'open-window' }
  | { type: 'sign-in'; clusterId: string }
  | { type: 'sign-out'; clusterId: string }
  | { type: 'sign-out-everywhere' }
  | { type: 'toggle-start-at-login' }
  | { type: 'quit' };

/** A menu template without functions; the glue maps `action` to a click handler. */
export interface TrayMenuItem {
  id: string;
  label?: string;
  type?: 'normal' | 'separator' | 'submenu' | 'checkbox';
  enabled?: boolean;
  checked?: boolean;
  action?: TrayAction;
  submenu?: TrayMenuItem[];
}

export interface TrayState {
  clusters: readonly ClusterView[];
  startAtLogin: boolean;
  now: number;
  /** Clusters listed in the menu; the rest are in the window. */
  maxClusters?: number;
}

/** "in 42 min", "in 3 h 5 min", "expired": short enough for a menu line. */
export function formatRemaining(expiresOn: number | undefined, now: number): string {
  if (expiresOn === undefined) return '';
  const ms = expiresOn - now;
  if (ms <= 0) return 'expired';
  const min = Math.floor(ms / 60_000);
  if (min < 1) return 'in <1 min';
  if (min < 60) return `in ${min} min`;
  const h = Math.floor(min / 60);
  return `in ${h} h ${min % 60} min`;
}

export function resolveTrayIconState(clusters: readonly ClusterView[]): TrayIconState {
  const entra = clusters.filter((c) => c.state !== 'not-entra' && c.execKind !== 'none' && c.execKind !== 'other');
  if (entra.some((c) => c.state === 'error')) return 'error';
  if (entra.some((c) => c.state === 'needs-sign-in' && c.current)) return 'sign-in-needed';
  if (entra.some((c) => c.state === 'signed-in')) return 'signed-in';
  if (entra.some((c) => c.state === 'needs-sign-in')) return 'sign-in-needed';
  return 'idle';
}

export function buildTrayTooltip(clusters: readonly ClusterView[]): string {
  const state = resolveTrayIconState(clusters);
  const signedIn = clusters.filter((c) => c.state === 'signed-in').length;
  const needs = clusters.filter((c) => c.state === 'needs-sign-in').length;
  const errors = clusters.filter((c) => c.state === 'error').length;
  const parts = [`${signedIn} signed in`];
  if (needs) parts.push(`${needs} need sign-in`);
  if (errors) parts.push(`${errors} with errors`);
  return state === 'idle' ? 'KubeTray: no Entra ID clusters found' : `KubeTray: ${parts.join(', ')}`;
}

function clusterLine(c: ClusterView, now: number): string {
  switch (c.state) {
    case 'signed-in':
      return `${c.contextName} — ${c.account ?? 'signed in'}, expires ${formatRemaining(c.expiresOn, now)}`;
    case 'signing-in':
      return `${c.contextName} — signing in…`;
    case 'needs-sign-in':
      return `${c.contextName} — sign-in needed`;
    case 'error':
      return `${c.contextName} — error: ${c.error?.message ?? 'unknown'}`.slice(0, 120);
    default:
      return c.contextName;
  }
}

function clusterItem(c: ClusterView, now: number): TrayMenuItem {
  const submenu: TrayMenuItem[] = [];
  if (c.state === 'signed-in') {
    submenu.push({ id: `sign-out:${c.id}`, label: 'Sign out', action: { type: 'sign-out', clusterId: c.id } });
  } else {
    submenu.push({ id: `sign-in:${c.id}`, label: 'Sign in…', enabled: c.state !== 'signing-in', action: { type: 'sign-in', clusterId: c.id } });
  }
  return { id: `cluster:${c.id}`, label: clusterLine(c, now), type: 'submenu', submenu };
}

export function buildTrayMenu(state: TrayState): TrayMenuItem[] {
  const max = state.maxClusters ?? 15;
  const entra = state.clusters.filter((c) => c.execKind === 'kubetray' || c.execKind === 'kubelogin');
  // The current context first, then those that need the person, then the rest by name.
  const rank = (c: ClusterView) => (c.current ? 0 : c.state === 'needs-sign-in' || c.state === 'error' ? 1 : 2);
  const sorted = [...entra].sort((a, b) => rank(a) - rank(b) || a.contextName.localeCompare(b.contextName));
  const items: TrayMenuItem[] = [{ id: 'open', label: 'Open KubeTray', action: { type: 'open-window' } }, { id: 'sep-1', type: 'separator' }];
  if (sorted.length === 0) {
    items.push({ id: 'no-clusters', label: 'No Entra ID clusters in your kubeconfig', enabled: false });
  }
  for (const c of sorted.slice(0, max)) items.push(clusterItem(c, state.now));
  if (sorted.length > max) {
    items.push({ id: 'more', label: `${sorted.length - max} more in the window…`, action: { type: 'open-window' } });
  }
  items.push(
    { id: 'sep-2', type: 'separator' },
    // Always offered: it also clears the sign-in window's cookies, which outlive tokens.
    { id: 'sign-out-everywhere', label: 'Sign out everywhere', action: { type: 'sign-out-everywhere' } },
    { id: 'start-at-login', label: 'Start at login', type: 'checkbox', checked: state.startAtLogin, action: { type: 'toggle-start-at-login' } },
    { id: 'sep-3', type: 'separator' },
    { id: 'quit', label: 'Quit KubeTray', action: { type: 'quit' } },
  );
  return items;
}

/** Tray image file for a state, relative to the tray image folder (build/tray/). */
export function trayImageFile(state: TrayIconState, platform: NodeJS.Platform): string {
  // macOS template images adapt to the menu bar's light/dark look by themselves.
  if (platform === 'darwin') return `tray-${state}Template.png`;
  return `tray-${state}.png`;
}
