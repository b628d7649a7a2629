/**
 * DesktopService: what the window and the tray can do, as contract handlers. No electron
 * import: Electron's ipcMain (electron/ipc-main.ts) and the Chromium test harness
 * (test/support/desktop-harness.ts) both dispatch to these same handlers.
 */
import { AppError, toAppError, type AppErrorJson, type Result } from '../shared/core/app-error.js';
import type { BrokerEvent, TokenBrokerApi } from '../shared/core/broker.js';
import { silentLogger, type Logger } from '../shared/core/log.js';
import { systemClock, type Clock, type Notifier } from '../shared/core/ports.js';
import { redactText } from '../shared/core/redact.js';
import type { ContextSummary, KubeconfigModel } from '../shared/contract/kubeconfig-model.js';
import { checkEventPayload } from '../shared/contract/ipc-bridge.js';
import type { ClusterView, EventName, EventPayload, IpcHandlers, LedgerEntryView } from '../shared/contract/ipc-contract.js';
import { buildAccountViews, buildClusterViews, buildLedgerView, buildTokenRequest, clusterIdOf, matchSession } from './cluster-views.js';
import type { SettingsPort } from './settings-model.js';

export type DesktopEvent = { [E in EventName]: { name: E; payload: EventPayload<E> } }[EventName];

export interface DesktopServiceDeps {
  broker: TokenBrokerApi;
  /** Reads the kubeconfig model (KUBECONFIG's cluster model). */
  loadModel: () => Promise<KubeconfigModel>;
  settings: SettingsPort;
  storage: { kind: string; protects: boolean };
  version: string;
  /** Rewrites one context's user to run `kubetray get-token` (KUBECONFIG's converter). */
  convertContext?: (context: ContextSummary) => Promise<{ changed: boolean; message: string }>;
  /** Clears the sign-in window's cookies ("sign out everywhere"). */
  clearSignInSession?: () => Promise<void>;
  /** Applies the start-at-login setting to the OS. */
  applyStartAtLogin?: (enabled: boolean) => Promise<void>;
  notifier?: Notifier;
  clock?: Clock;
  log?: Logger;
}

export interface DesktopService {
  readonly handlers: IpcHandlers;
  onEvent(listener: (event: DesktopEvent) => void): () => void;
  /** The rows as last computed (the tray renders these). */
  clusters(): ClusterView[];
  /** Re-reads the kubeconfig (the watcher calls this) and tells the window. */
  reloadKubeconfig(): Promise<void>;
  close(): void;
}

const fail = (e: unknown, fallback: AppErrorJson['code'] = 'internal'): { ok: false; error: AppErrorJson } => {
  const error = toAppError(e, fallback).toJSON();
  return { ok: false, error: { ...error, message: redactText(error.message) } };
};

export function createDesktopService(deps: DesktopServiceDeps): DesktopService {
  const log = (deps.log ?? silentLogger).child('desktop');
  const clock = deps.clock ?? systemClock;
  const listeners = new Set<(event: DesktopEvent) => void>();
  const signingIn = new Map<string, AbortController>();
  const errors = new Map<string, AppErrorJson>();
  const refreshedAt = new Map<string, number>();
  const cancelled = new Set<string>();
  /** Silent refreshes are not in the broker's ledger (no caller): the window lists them too. */
  const refreshes: LedgerEntryView[] = [];
  let model: KubeconfigModel = { files: [], missingFiles: [], contexts: [], problems: [], readAt: 0 };
  let loaded: Promise<void> | undefined;
  let views: ClusterView[] = [];

  const emit = (event: DesktopEvent): void => {
    // A payload outside the contract is a bug here, not something to send and hope.
    const checked = checkEventPayload(event.name, event.payload);
    if (!checked.ok) {
      log.error('dropped an event outside the contract', { name: event.name, reason: checked.error.message });
      return;
    }
    for (const l of listeners) l(event);
  };
  const recompute = (): ClusterView[] => {
    views = buildClusterViews(model, deps.broker.sessions(), deps.broker.ledger(), { signingIn: new Set(signingIn.keys()), errors, refreshedAt, cancelled }, clock.now());
    return views;
  };
  /** Rows that stayed signed in but moved to a later expiry were refreshed without a person. */
  const noteRefreshes = (before: readonly ClusterView[], after: readonly ClusterView[]): boolean => {
    const prev = new Map(before.map((v) => [v.id, v]));
    const now = clock.now();
    let any = false;
    for (const v of after) {
      const p = prev.get(v.id);
      if (p?.state !== 'signed-in' || v.state !== 'signed-in' || p.expiresOn === undefined || v.expiresOn === undefined || v.expiresOn <= p.expiresOn) continue;
      if (!v.login || !v.serverId) continue;
      any = true;
      refreshedAt.set(v.id, now);
      const entry: LedgerEntryView = { time: now, clusterId: v.id, login: v.login, serverId: v.serverId, source: 'refresh', ...(v.account ? { account: v.account } : {}) };
      refreshes.push(entry);
      if (refreshes.length > 200) refreshes.shift();
      emit({ name: 'ledgerEntry', payload: entry });
    }
    return any;
  };
  const changed = (): void => {
    const before = views;
    let after = recompute();
    if (noteRefreshes(before, after)) after = recompute();
    emit({ name: 'sessionsChanged', payload: { clusters: after, accounts: buildAccountViews(deps.broker.sessions()) } });
  };
  const load = async (): Promise<void> => {
    model = await deps.loadModel();
    recompute();
  };
  const ensureLoaded = (): Promise<void> => (loaded ??= load().catch((e: unknown) => {
    loaded = undefined;
    throw e;
  }));
  const contextOf = async (clusterId: string): Promise<ContextSummary> => {
    await ensureLoaded();
    const context = model.contexts.find((c) => clusterIdOf(c) === clusterId);
    if (!context) throw new AppError('kubeconfig/context-not-found', `There is no context "${clusterId}" in your kubeconfig any more. Reload the window.`);
    return context;
  };
  const viewOf = (clusterId: string): ClusterView => {
    const v = recompute().find((c) => c.id === clusterId);
    if (!v) throw new AppError('kubeconfig/context-not-found', `There is no context "${clusterId}" in your kubeconfig any more.`);
    return v;
  };

  const signIn = async (clusterId: string, prompt?: 'select_account'): Promise<Result<ClusterView, AppErrorJson>> => {
    try {
      const context = await contextOf(clusterId);
      const built = buildTokenRequest(context);
      // Switching account asks Entra for its account picker instead of reusing the SSO session.
      const request = built && prompt && built.login === 'interactive' ? { ...built, prompt } : built;
      if (!request) throw new AppError('kubeconfig/invalid', `Context "${clusterId}" does not sign in with Entra ID (no --server-id or login method); convert it first.`);
      const controller = new AbortController();
      signingIn.get(clusterId)?.abort();
      signingIn.set(clusterId, controller);
      errors.delete(clusterId);
      cancelled.delete(clusterId);
      changed();
      try {
        await deps.broker.getToken(request, {
          interactive: true,
          signal: controller.signal,
          caller: { pid: process.pid, parentCommand: 'KubeTray window' },
          onProgress: (p) => emit({ name: 'signInProgress', payload: { clusterId, message: p.message.slice(0, 4096) } }),
        });
      } catch (e) {
        const error = fail(e, 'auth/failed');
        // A cancelled sign-in is the person's choice, not a failure to show on the row.
        if (error.error.code !== 'auth/cancelled') errors.set(clusterId, error.error);
        else cancelled.add(clusterId);
        return error;
      } finally {
        if (signingIn.get(clusterId) === controller) signingIn.delete(clusterId);
        changed();
      }
      return { ok: true, value: viewOf(clusterId) };
    } catch (e) {
      return fail(e);
    }
  };

  const signOut = async (clusterId: string): Promise<void> => {
    const context = await contextOf(clusterId);
    const view = viewOf(clusterId);
    const session = matchSession({ login: view.login, tenantId: view.tenantId, clientId: view.clientId, serverId: view.serverId }, deps.broker.sessions());
    signingIn.get(clusterId)?.abort();
    errors.delete(clusterId);
    refreshedAt.delete(clusterId);
    if (session) await deps.broker.signOut(session.key);
    log.info('signed out', { context: context.name });
    changed();
  };

  const handlers: IpcHandlers = {
    getSnapshot: async () => {
      try {
        await ensureLoaded();
        const sessions = deps.broker.sessions();
        return {
          ok: true,
          value: {
            version: deps.version,
            clusters: recompute(),
            accounts: buildAccountViews(sessions),
            settings: deps.settings.get(),
            storage: deps.storage,
            problems: model.problems.map((p) => ({ code: p.code.slice(0, 64), message: `${p.file}: ${p.message}`.slice(0, 4096) })),
          },
        };
      } catch (e) {
        return fail(e, 'kubeconfig/parse');
      }
    },
    getLedger: async ({ limit }) => {
      const entries = [...deps.broker.ledger().map((e) => buildLedgerView(e, views)), ...refreshes].sort((a, b) => b.time - a.time);
      return { ok: true, value: entries.slice(0, limit ?? 200) };
    },
    signIn: ({ clusterId }) => signIn(clusterId),
    switchAccount: async ({ clusterId }) => {
      try {
        await signOut(clusterId);
      } catch (e) {
        return fail(e);
      }
      return signIn(clusterId, 'select_account');
    },
    cancelSignIn: async ({ clusterId }) => {
      const controller = signingIn.get(clusterId);
      controller?.abort(new AppError('auth/cancelled', 'Sign-in cancelled in KubeTray.'));
      return { ok: true, value: controller !== undefined };
    },
    signOut: async ({ clusterId }) => {
      try {
        await signOut(clusterId);
        return { ok: true, value: {} };
      } catch (e) {
        return fail(e);
      }
    },
    signOutEverywhere: async () => {
      try {
        for (const c of signingIn.values()) c.abort();
        errors.clear();
        await deps.broker.signOut();
        await deps.clearSignInSession?.();
        changed();
        return { ok: true, value: {} };
      } catch (e) {
        return fail(e);
      }
    },
    convertContext: async ({ clusterId }) => {
      try {
        const context = await contextOf(clusterId);
        if (!deps.convertContext) throw new AppError('internal', 'Converting from the window is not available in this build; run `kubetray convert-kubeconfig`.');
        if (!context.convertible) return { ok: true, value: { changed: false, message: `Context "${context.name}" has nothing to convert.` } };
        const result = await deps.convertContext(context);
        await load();
        emit({ name: 'kubeconfigChanged', payload: {} });
        changed();
        return { ok: true, value: result };
      } catch (e) {
        return fail(e, 'kubeconfig/write');
      }
    },
    updateSettings: async (patch) => {
      try {
        const before = deps.settings.get();
        const next = await deps.settings.update(patch);
        if (next.startAtLogin !== before.startAtLogin) await deps.applyStartAtLogin?.(next.startAtLogin);
        if (JSON.stringify(next.kubeconfigPaths) !== JSON.stringify(before.kubeconfigPaths)) await reloadKubeconfig();
        return { ok: true, value: next };
      } catch (e) {
        return fail(e, 'config/invalid');
      }
    },
  };

  const reloadKubeconfig = async (): Promise<void> => {
    loaded = load();
    await loaded;
    emit({ name: 'kubeconfigChanged', payload: {} });
    changed();
  };

  const onBroker = (event: BrokerEvent): void => {
    switch (event.type) {
      case 'sessions-changed':
        changed();
        return;
      case 'token-refreshed':
        changed();
        return;
      case 'ledger':
        emit({ name: 'ledgerEntry', payload: buildLedgerView(event.entry, views) });
        return;
      case 'sign-in-needed': {
        // A new sign-in started somewhere (a kubectl call): earlier cancellations no longer apply.
        cancelled.clear();
        const cluster = views.find((c) => c.login === event.login && c.state !== 'not-entra');
        const message = 'A kubectl command is waiting for you to sign in.';
        emit({ name: 'signInNeeded', payload: cluster ? { clusterId: cluster.id, login: event.login, message } : { login: event.login, message } });
        if (deps.settings.get().notifications) deps.notifier?.notify('KubeTray: sign-in needed', cluster ? `${cluster.contextName}: ${message}` : message);
        changed();
        return;
      }
    }
  };
  const offBroker = deps.broker.on(onBroker);

  return {
    handlers,
    onEvent: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    clusters: () => views,
    reloadKubeconfig,
    close: () => {
      offBroker();
      for (const c of signingIn.values()) c.abort();
      listeners.clear();
    },
  };
}
