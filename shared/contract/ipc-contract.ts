/**
 * THE main<->renderer contract. Every IPC call is one entry {channel, request, response};
 * every main->renderer event is one entry {channel, payload}. The preload's `window.kubetray`
 * type (KubeTrayApi), the main-process handler map (IpcHandlers) and the renderer's calls are
 * all derived from these two tables with mapped types: add a call here and the compiler walks
 * you through the rest.
 *
 * Pure: no node:*, no packages (the renderer and the sandboxed preload import it).
 */
import type { AppErrorJson, Result } from '../core/app-error.js';
import { array, bool, literal, num, object, optional, record, str, union, type Infer, type Schema } from './schema.js';

// ---- shared shapes --------------------------------------------------------------------------

const id = () => str({ min: 1, max: 512 });

export const appErrorSchema = object({
  code: str({ max: 64 }),
  message: str({ max: 4096 }),
  detail: optional(record(union(str(), num(), bool()))),
});

export const CLUSTER_STATES = ['signed-in', 'signing-in', 'needs-sign-in', 'error', 'not-entra'] as const;
export type ClusterState = (typeof CLUSTER_STATES)[number];

export const callerSchema = object({ pid: num({ integer: true, min: 0 }), ppid: optional(num({ integer: true, min: 0 })), parentCommand: optional(str({ max: 1024 })) });

/** One kubeconfig context as the window shows it. `id` is stable across reloads (file + context). */
export const clusterViewSchema = object({
  id: id(),
  contextName: str(),
  clusterName: str(),
  server: str(),
  kubeconfigPath: str(),
  current: bool(),
  /** kubetray: already ours; kubelogin: can be converted; other/none: not an Entra user. */
  execKind: literal('kubetray', 'kubelogin', 'other', 'none'),
  login: optional(str({ max: 64 })),
  tenantId: optional(str({ max: 256 })),
  clientId: optional(str({ max: 256 })),
  serverId: optional(str({ max: 512 })),
  account: optional(str({ max: 512 })),
  /** Epoch ms of the access token's expiry, when signed in. */
  expiresOn: optional(num()),
  state: literal(...CLUSTER_STATES),
  error: optional(appErrorSchema),
  lastServed: optional(object({ time: num(), pid: optional(num()), command: optional(str({ max: 1024 })), source: str({ max: 32 }) })),
  /** A sign-in started from this window or the tray, which the window can cancel. */
  cancellable: optional(bool()),
  /** Something to know while still signed in, e.g. "background refresh failed". */
  warning: optional(str({ max: 1024 })),
  /** Epoch ms of the last silent refresh ahead of expiry (no person involved). */
  refreshedAt: optional(num()),
});
export type ClusterView = Infer<typeof clusterViewSchema>;

export const accountViewSchema = object({ username: str(), tenantId: str(), homeAccountId: str(), sessions: num({ integer: true, min: 0 }) });
export type AccountView = Infer<typeof accountViewSchema>;

export const ledgerEntryViewSchema = object({
  time: num(),
  clusterId: optional(id()),
  login: str({ max: 64 }),
  serverId: str(),
  account: optional(str()),
  caller: optional(callerSchema),
  source: literal('cache', 'refresh', 'sign-in', 'error'),
  errorCode: optional(str({ max: 64 })),
});
export type LedgerEntryView = Infer<typeof ledgerEntryViewSchema>;

/** A host name with an optional port, lower-case (no scheme, no path). */
export const SIGN_IN_HOST_PATTERN = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?$/;
const signInHost = () => str({ min: 1, max: 253, pattern: SIGN_IN_HOST_PATTERN });

/** Login methods a person can pick as the default for new conversions. */
const loginChoice = () => literal('interactive', 'devicecode', 'azurecli');

export const settingsSchema = object({
  defaultLogin: loginChoice(),
  kubeconfigPaths: array(str({ min: 1, max: 4096 }), { max: 32 }),
  startAtLogin: bool(),
  notifications: bool(),
  /** Keep the token cache in memory only (offered when the OS gives no real protection). */
  memoryOnlyCache: bool(),
  /**
   * Hosts the sign-in window may visit besides Entra ID's own: a federated tenant's identity
   * provider (AD FS, Okta, ...). Host names, optionally with :port.
   */
  signInHosts: array(signInHost(), { max: 32 }),
});
export type Settings = Infer<typeof settingsSchema>;

export const storageInfoSchema = object({ kind: str({ max: 64 }), protects: bool() });

export const snapshotSchema = object({
  version: str({ max: 64 }),
  clusters: array(clusterViewSchema),
  accounts: array(accountViewSchema),
  settings: settingsSchema,
  storage: storageInfoSchema,
  /** Problems reading kubeconfig files, shown above the table. */
  problems: array(appErrorSchema, { max: 100 }),
});
export type Snapshot = Infer<typeof snapshotSchema>;

const empty = object({});
const clusterRef = object({ clusterId: id() });

// ---- invoke: renderer -> main -> Result -----------------------------------------------------

export const IPC = {
  getSnapshot: { channel: 'kubetray:get-snapshot', request: empty, response: snapshotSchema },
  getLedger: { channel: 'kubetray:get-ledger', request: object({ limit: optional(num({ integer: true, min: 1, max: 10_000 })) }), response: array(ledgerEntryViewSchema) },
  signIn: { channel: 'kubetray:sign-in', request: clusterRef, response: clusterViewSchema },
  /** Forget this cluster's account and sign in again, letting the person pick another one. */
  switchAccount: { channel: 'kubetray:switch-account', request: clusterRef, response: clusterViewSchema },
  cancelSignIn: { channel: 'kubetray:cancel-sign-in', request: clusterRef, response: bool() },
  signOut: { channel: 'kubetray:sign-out', request: clusterRef, response: empty },
  /** Sign out of every account and clear the sign-in window's cookies. */
  signOutEverywhere: { channel: 'kubetray:sign-out-everywhere', request: empty, response: empty },
  convertContext: { channel: 'kubetray:convert-context', request: clusterRef, response: object({ changed: bool(), message: str() }) },
  updateSettings: { channel: 'kubetray:update-settings', request: object({
    defaultLogin: optional(loginChoice()),
    kubeconfigPaths: optional(array(str({ min: 1, max: 4096 }), { max: 32 })),
    startAtLogin: optional(bool()),
    notifications: optional(bool()),
    memoryOnlyCache: optional(bool()),
    signInHosts: optional(array(signInHost(), { max: 32 })),
  }), response: settingsSchema },
} as const satisfies Record<string, { channel: string; request: Schema<unknown>; response: Schema<unknown> }>;

// ---- events: main -> renderer ---------------------------------------------------------------

export const EVENTS = {
  sessionsChanged: { channel: 'kubetray:event:sessions-changed', payload: object({ clusters: array(clusterViewSchema), accounts: optional(array(accountViewSchema)) }) },
  ledgerEntry: { channel: 'kubetray:event:ledger-entry', payload: ledgerEntryViewSchema },
  kubeconfigChanged: { channel: 'kubetray:event:kubeconfig-changed', payload: empty },
  signInNeeded: { channel: 'kubetray:event:sign-in-needed', payload: object({ clusterId: optional(id()), login: str({ max: 64 }), message: str() }) },
  signInProgress: { channel: 'kubetray:event:sign-in-progress', payload: object({ clusterId: id(), message: str() }) },
} as const satisfies Record<string, { channel: string; payload: Schema<unknown> }>;

// ---- derived types --------------------------------------------------------------------------

export type IpcName = keyof typeof IPC;
export type EventName = keyof typeof EVENTS;
export type IpcRequest<N extends IpcName> = Infer<(typeof IPC)[N]['request']>;
export type IpcResponse<N extends IpcName> = Infer<(typeof IPC)[N]['response']>;
export type EventPayload<E extends EventName> = Infer<(typeof EVENTS)[E]['payload']>;
export type IpcResult<N extends IpcName> = Result<IpcResponse<N>, AppErrorJson>;

/** What main implements: one async handler per call. Nothing throws across IPC. */
export type IpcHandlers = { [N in IpcName]: (request: IpcRequest<N>) => Promise<IpcResult<N>> };

/** Subscribe helpers: `onSessionsChanged(listener)` returns an unsubscribe function. */
type EventSubscribers = {
  [E in EventName as `on${Capitalize<E>}`]: (listener: (payload: EventPayload<E>) => void) => () => void;
};

/** `window.kubetray`: exactly the contract, derived. */
export type KubeTrayApi = { [N in IpcName]: (request: IpcRequest<N>) => Promise<IpcResult<N>> } & EventSubscribers;

export const IPC_NAMES = Object.keys(IPC) as IpcName[];
export const EVENT_NAMES = Object.keys(EVENTS) as EventName[];

export function subscriberName<E extends EventName>(name: E): `on${Capitalize<E>}` {
  return `on${name.charAt(0).toUpperCase()}${name.slice(1)}` as `on${Capitalize<E>}`;
}

export const ALLOWED_INVOKE_CHANNELS: ReadonlySet<string> = new Set(IPC_NAMES.map((n) => IPC[n].channel));
export const ALLOWED_EVENT_CHANNELS: ReadonlySet<string> = new Set(EVENT_NAMES.map((n) => EVENTS[n].channel));
