/**
 * Joins the kubeconfig model with the broker's sessions and ledger into the rows the window
 * and the tray show. Pure (no electron, no node:*).
 */
import type { AppErrorJson } from '../shared/core/app-error.js';
import type { LedgerEntry, SessionSummary } from '../shared/core/broker.js';
import { isLoginMethod, type TokenRequest } from '../shared/core/token-request.js';
import type { ContextSummary, KubeconfigModel } from '../shared/contract/kubeconfig-model.js';
import type { AccountView, ClusterView, LedgerEntryView } from '../shared/contract/ipc-contract.js';

/** The kubelogin default when a stanza has no --login (Azure/kubelogin: devicecode). */
const KUBELOGIN_DEFAULT_LOGIN = 'devicecode';

export interface ClusterRuntime {
  /** Clusters with a sign-in started from the window or tray, not finished yet. */
  signingIn: ReadonlySet<string>;
  /** The last failure per cluster (cleared by the next success or sign-out). */
  errors: ReadonlyMap<string, AppErrorJson>;
  /** Clusters whose last sign-in from the window was cancelled (the broker may still say signing-in). */
  cancelled?: ReadonlySet<string>;
  /** When a cluster's token was last refreshed in the background. */
  refreshedAt?: ReadonlyMap<string, number>;
}

export function clusterIdOf(context: ContextSummary): string {
  // Context names are unique after kubectl's merge, so the name is a stable id.
  return context.name;
}

function execKindOf(context: ContextSummary): ClusterView['execKind'] {
  const a = context.auth;
  if (a.kind === 'azure-exec') return a.tool;
  if (a.kind === 'auth-provider-azure') return 'kubelogin';
  if (a.kind === 'exec' || a.kind === 'auth-provider' || a.kind === 'auth-provider-oidc') return 'other';
  return 'none';
}

interface AuthFields {
  login?: string;
  tenantId?: string;
  clientId?: string;
  serverId?: string;
}

function authFieldsOf(context: ContextSummary): AuthFields | undefined {
  const a = context.auth;
  if (a.kind === 'azure-exec') return { login: a.login || KUBELOGIN_DEFAULT_LOGIN, tenantId: a.tenantId, clientId: a.clientId, serverId: a.serverId };
  if (a.kind === 'auth-provider-azure') return { login: KUBELOGIN_DEFAULT_LOGIN, tenantId: a.tenantId, clientId: a.clientId, serverId: a.serverId };
  return undefined;
}

/** The TokenRequest a sign-in from the window sends: what kubectl would send for this context. */
export function buildTokenRequest(context: ContextSummary): TokenRequest | undefined {
  const fields = authFieldsOf(context);
  if (!fields?.serverId || !fields.login || !isLoginMethod(fields.login)) return undefined;
  const base = context.auth.kind === 'azure-exec' ? context.auth.request : {};
  const request: TokenRequest = { ...base, login: fields.login, serverId: fields.serverId };
  if (fields.clientId) request.clientId = fields.clientId;
  if (fields.tenantId) request.tenantId = fields.tenantId;
  return request;
}

const same = (a: string | undefined, b: string | undefined) => a === undefined || b === undefined || a.toLowerCase() === b.toLowerCase();

/** The broker session serving this context's request: same login, server, client and tenant. */
export function matchSession(fields: AuthFields, sessions: readonly SessionSummary[]): SessionSummary | undefined {
  const candidates = sessions.filter(
    (s) => s.login === fields.login && same(s.serverId, fields.serverId) && same(s.clientId, fields.clientId) && same(s.tenantId, fields.tenantId),
  );
  // Prefer the one that is usable right now.
  return candidates.find((s) => s.state === 'signed-in') ?? candidates[0];
}

function lastServedIndex(ledger: readonly LedgerEntry[]): Map<string, LedgerEntry> {
  const index = new Map<string, LedgerEntry>();
  for (const e of ledger) {
    const k = `${e.login}\u0000${e.serverId.toLowerCase()}`;
    const prev = index.get(k);
    if (!prev || prev.time <= e.time) index.set(k, e);
  }
  return index;
}

export function buildClusterViews(model: KubeconfigModel, sessions: readonly SessionSummary[], ledger: readonly LedgerEntry[], runtime: ClusterRuntime, now: number): ClusterView[] {
  const served = lastServedIndex(ledger);
  return model.contexts.map((context) => {
    const id = clusterIdOf(context);
    const view: ClusterView = {
      id,
      contextName: context.name,
      clusterName: context.clusterName,
      server: context.server,
      kubeconfigPath: context.sourceFile,
      current: context.current,
      execKind: execKindOf(context),
      state: 'not-entra',
    };
    const fields = authFieldsOf(context);
    if (!fields) return view;
    if (fields.login) view.login = fields.login;
    if (fields.tenantId) view.tenantId = fields.tenantId;
    if (fields.clientId) view.clientId = fields.clientId;
    if (fields.serverId) view.serverId = fields.serverId;
    const session = matchSession(fields, sessions);
    if (session?.account) view.account = session.account.username;
    const expired = session?.expiresOn !== undefined && session.expiresOn <= now;
    if (session?.expiresOn !== undefined && !expired) view.expiresOn = session.expiresOn;
    const error = runtime.errors.get(id);
    const brokerSigningIn = session?.state === 'signing-in' && !runtime.cancelled?.has(id);
    if (runtime.signingIn.has(id) || brokerSigningIn) {
      view.state = 'signing-in';
      // Only our own sign-ins can be cancelled here; a kubectl caller's ends with its caller.
      if (runtime.signingIn.has(id)) view.cancellable = true;
    }
    else if (error) {
      view.state = 'error';
      view.error = error;
    } else if (session?.state === 'error') {
      view.state = 'error';
      view.error = { code: 'auth/failed', message: session.error ?? 'The last sign-in failed. Sign in again.' };
    } else if (session?.state === 'signed-in' && !expired) view.state = 'signed-in';
    else if (session?.state === 'needs-sign-in' && session.expiresOn !== undefined && !expired) {
      // The broker keeps serving the current token until it expires; say so instead of
      // pretending the person is signed out (e.g. a background refresh needed a sign-in).
      view.state = 'signed-in';
      view.warning = 'The token could not be renewed in the background: sign in again before it expires.';
    } else view.state = 'needs-sign-in';
    if (!buildTokenRequest(context)) {
      view.state = 'error';
      view.error = { code: 'kubeconfig/invalid', message: context.problems[0] ?? 'This context has no --server-id or an unknown --login; fix its user in the kubeconfig.' };
    }
    const refreshed = runtime.refreshedAt?.get(id);
    if (refreshed !== undefined && view.state === 'signed-in') view.refreshedAt = refreshed;
    const last = fields.serverId && fields.login ? served.get(`${fields.login}\u0000${fields.serverId.toLowerCase()}`) : undefined;
    if (last) {
      view.lastServed = { time: last.time, source: last.source };
      if (last.caller?.pid !== undefined) view.lastServed.pid = last.caller.pid;
      if (last.caller?.parentCommand) view.lastServed.command = last.caller.parentCommand.slice(0, 1024);
    }
    return view;
  });
}

export function buildAccountViews(sessions: readonly SessionSummary[]): AccountView[] {
  const byId = new Map<string, AccountView>();
  for (const s of sessions) {
    if (!s.account) continue;
    const prev = byId.get(s.account.homeAccountId);
    if (prev) prev.sessions += 1;
    else byId.set(s.account.homeAccountId, { username: s.account.username, tenantId: s.account.tenantId, homeAccountId: s.account.homeAccountId, sessions: 1 });
  }
  return [...byId.values()].sort((a, b) => a.username.localeCompare(b.username));
}

export function buildLedgerView(entry: LedgerEntry, clusters: readonly ClusterView[]): LedgerEntryView {
  const match = clusters.find((c) => c.login === entry.login && c.serverId !== undefined && c.serverId.toLowerCase() === entry.serverId.toLowerCase());
  const view: LedgerEntryView = { time: entry.time, login: entry.login, serverId: entry.serverId, source: entry.source };
  if (match) view.clusterId = match.id;
  if (entry.account) view.account = entry.account;
  if (entry.caller) {
    view.caller = { pid: entry.caller.pid };
    if (entry.caller.ppid !== undefined) view.caller.ppid = entry.caller.ppid;
    if (entry.caller.parentCommand) view.caller.parentCommand = entry.caller.parentCommand.slice(0, 1024);
  }
  if (entry.errorCode) view.errorCode = entry.errorCode.slice(0, 64);
  return view;
}
