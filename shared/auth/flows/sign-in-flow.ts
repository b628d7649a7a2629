/**
 * The contract between the TokenBroker and every way of getting a token (a "flow"), and the
 * registry that finds a flow for a LoginMethod.
 *
 * The broker owns: request keys, single-flight, the in-memory token cache (for EVERY flow, so
 * PoP tokens and non-MSAL sources such as the Azure CLI are cached too), refresh-ahead, account
 * matching, sign-out and the ledger. A flow only turns a FlowContext into a FlowResult.
 *
 * Kinds:
 * - 'user'     MSAL public client with accounts (devicecode, interactive, ropc). The broker first
 *              calls acquireSilent with the matching account, then acquire (a sign-in) only when
 *              interaction is required and allowed.
 * - 'app'      MSAL confidential client (spn, workloadidentity, azurepipelines): no person, no
 *              account; acquire is network work only.
 * - 'external' anything else (msi, azurecli, azd): no MSAL persistent cache; the broker keeps the
 *              result in memory until shortly before it expires.
 *
 * Proof-of-Possession: when the request has popEnabled the broker builds a PopBinding (through the
 * registered PopBinder) and passes it in ctx.pop. A flow adds the PoP fields to its MSAL request
 * with `ctx.pop.apply(request, kind)` and returns `popKid` in its result. The broker then calls
 * `pop.present(accessToken)` on EVERY serve, including answers from memory: a PoP token is a JWS
 * over {at, ts, u, cnf, nonce} that must be freshly signed per call. msal-node writes PoP access
 * tokens to its cache but never reads them back, so the broker's memory cache is the PoP cache.
 *
 * Adding a flow: create `shared/auth/flows/<name>-flow.ts` exporting `signInFlow: SignInFlow`
 * and list it in DEFAULT_FLOW_MODULES below (or call registry.register at startup).
 * The broker supplies the PopBinder (shared/broker/pop-binding.ts) unless one is registered.
 */
import type {
  AccountInfo,
  ClientAssertionCallback,
  ConfidentialClientApplication,
  INetworkModule,
  PublicClientApplication,
} from '@azure/msal-node';
import { AppError } from '../../core/app-error.js';
import type { Logger } from '../../core/log.js';
import type { Clock, SecretBox, SignInWindow } from '../../core/ports.js';
import type { LoginMethod, SignInProgress, TokenRequest } from '../../core/token-request.js';

export type FlowKind = 'user' | 'app' | 'external';
export type PopFlowKind = 'user' | 'client-credentials';

/** Authority settings for msal-node (see shared/auth/authority.ts). */
export interface FlowAuthority {
  /** Ends in '/', e.g. https://login.microsoftonline.com/ */
  authorityHost: string;
  /** `<authorityHost><tenant>`: msal-node's auth.authority. */
  authority: string;
  tenant: string;
  /** msal-node auth.knownAuthorities ([] = instance discovery as usual). */
  knownAuthorities: string[];
}

/** How a confidential client proves itself. Built by the spn / workload identity flows. */
export type ClientCredential =
  | { kind: 'secret'; clientSecret: string }
  | { kind: 'certificate'; privateKeyPem: string; thumbprintSha256: string; thumbprintSha1: string; x5c?: string }
  | { kind: 'assertion'; clientAssertion: string | ClientAssertionCallback };

/** MSAL applications with KubeTray's network client, cache plugin and CP1 capability. */
export interface MsalApps {
  /**
   * `partition`: a separate application instance (own in-memory cache, same file). msal-node's
   * acquireTokenSilent clears the app's in-memory cache before reloading it, which races with
   * another call's cache write on the SAME instance; the broker gives every acquisition its own
   * partition (flows receive an `apps` already bound to it and need not pass one).
   */
  publicClient(authority: FlowAuthority, clientId: string, partition?: string): Promise<PublicClientApplication>;
  /**
   * `credentialId` is a non-secret fingerprint of the credential (the app is reused per
   * (authority, client, credentialId)); never pass the secret itself as the id.
   */
  confidentialClient(authority: FlowAuthority, clientId: string, credential: ClientCredential, credentialId: string): Promise<ConfidentialClientApplication>;
  /** Forget cached apps and their in-memory tokens for this client (sign-out of an app identity). */
  clearConfidential(authority: FlowAuthority, clientId: string): Promise<void>;
}

/** What the broker gives every flow once. */
export interface FlowEnv {
  log: Logger;
  clock: Clock;
  /** msal-node network module (shared/auth/network-client.ts): extra CAs, timeouts, no body logs. */
  network: INetworkModule;
  /** Extra trusted CA certificates (PEM), for flows that make their own HTTPS calls. */
  caPem: string[];
  apps: MsalApps;
  signInWindow: SignInWindow;
  cacheDir: string;
  secretBox: SecretBox;
}

/** A request's binding to the PoP key (kid). Built by the registered PopBinder. */
export interface PopBinding {
  /** The key id the access token is bound to (cnf). */
  readonly kid: string;
  /** Adds popKid and token_type=pop / req_cnf to an msal request. */
  apply<T extends { extraParameters?: Record<string, string>; extraQueryParameters?: Record<string, string> }>(
    request: T,
    kind: PopFlowKind,
  ): T & { popKid?: string };
  /** A freshly signed PoP token (JWS) for `accessToken`. Called on every serve. */
  present(accessToken: string, now: number): string;
}

export type PopBinder = (request: TokenRequest, env: FlowEnv) => Promise<PopBinding>;

/** One acquisition. */
export interface FlowContext {
  request: TokenRequest;
  authority: FlowAuthority;
  clientId: string;
  scopes: string[];
  /** The cached MSAL account that matches the request (user flows), if any. */
  account?: AccountInfo;
  pop?: PopBinding;
  /** A claims challenge (Conditional Access, CAE) to satisfy. */
  claims?: string;
  /** Skip the access token in MSAL's cache (refresh-ahead, claims). */
  forceRefresh: boolean;
  /** May this acquisition involve a person (a window, a device code)? */
  interactive: boolean;
  /**
   * Aborts network work (the --timeout) or the whole acquisition (close, cancel). It is NOT fired
   * by --timeout while a person is signing in; see `personSignal`.
   */
  signal: AbortSignal;
  /** Aborts the person's part (window closed, broker closing). */
  personSignal: AbortSignal;
  onProgress(progress: SignInProgress): void;
  env: FlowEnv;
}

export interface FlowResult {
  accessToken: string;
  /** Epoch ms. */
  expiresOn: number;
  /** Epoch ms when the issuer suggests refreshing (MSAL refreshOn), if given. */
  refreshOn?: number;
  tokenType: 'Bearer' | 'pop';
  /** Set when the access token is bound to a PoP key; the broker then presents a signed JWS. */
  popKid?: string;
  /** The MSAL account for user flows (silent later, sign-out). */
  account?: AccountInfo;
  /** 'cache' = from MSAL's cache without network; 'refresh' = silent network; 'sign-in' = a person. */
  source: 'cache' | 'refresh' | 'sign-in';
}

export interface SignInFlow {
  readonly login: LoginMethod;
  readonly kind: FlowKind;
  /** Throws AppError (cli/invalid-flag, config/invalid) for requests this flow cannot serve. */
  validate?(request: TokenRequest): void;
  /**
   * Extra, non-secret parts of the request key (e.g. a credential fingerprint, an identity
   * resource id), so two requests that would get different tokens never share one.
   */
  keyParts?(request: TokenRequest): string[];
  /** User flows: try without a person (cache, refresh token). Return undefined to sign in. */
  acquireSilent?(ctx: FlowContext): Promise<FlowResult | undefined>;
  /** Get a token; for user flows this is the sign-in (only called when ctx.interactive). */
  acquire(ctx: FlowContext): Promise<FlowResult>;
  /** Forget what the flow keeps itself (an app's tokens in MSAL's cache). */
  forget?(ctx: FlowContext): Promise<void>;
}

export type FlowLoader = () => Promise<SignInFlow>;

/**
 * Built-in flow modules, relative to this file. Each exports `signInFlow: SignInFlow`.
 * Loaded lazily: the exec client's hot path never pays for a flow it does not use.
 */
export const DEFAULT_FLOW_MODULES: Readonly<Record<LoginMethod, string>> = {
  devicecode: './device-code-flow.js',
  interactive: './interactive-flow.js',
  spn: './spn-flow.js',
  ropc: './ropc-flow.js',
  msi: './msi-flow.js',
  workloadidentity: './workload-identity-flow.js',
  azurecli: './azure-cli-flow.js',
  azd: './azd-flow.js',
  azurepipelines: './azure-pipelines-flow.js',
};

async function loadModule<T>(specifier: string, exportName: string, what: string): Promise<T> {
  let mod: Record<string, unknown>;
  try {
    // A variable specifier: flows are optional modules, resolved next to this file at run time.
    mod = (await import(specifier)) as Record<string, unknown>;
  } catch (e) {
    throw new AppError('auth/unsupported-method', `${what} is not available in this build of KubeTray: update KubeTray or use another --login method.`, { cause: e });
  }
  const value = mod[exportName];
  if (value === undefined) {
    throw new AppError('internal', `${what}: module ${specifier} does not export ${exportName}; this is a KubeTray bug.`);
  }
  return value as T;
}

export interface FlowRegistry {
  register(login: LoginMethod, loader: FlowLoader): void;
  get(login: LoginMethod): Promise<SignInFlow>;
  setPopBinder(binder: PopBinder): void;
  /** The PopBinder, or undefined when none was set. */
  popBinder(): PopBinder | undefined;
}

/** A registry with the default modules; `overrides` replace single entries (tests, plugins). */
export function createFlowRegistry(overrides: Partial<Record<LoginMethod, FlowLoader>> = {}, popBinder?: PopBinder): FlowRegistry {
  const loaders = new Map<LoginMethod, FlowLoader>();
  for (const [login, specifier] of Object.entries(DEFAULT_FLOW_MODULES) as [LoginMethod, string][]) {
    loaders.set(login, () => loadModule<SignInFlow>(specifier, 'signInFlow', `--login ${login}`));
  }
  for (const [login, loader] of Object.entries(overrides) as [LoginMethod, FlowLoader][]) loaders.set(login, loader);
  const loaded = new Map<LoginMethod, Promise<SignInFlow>>();
  let binder: PopBinder | undefined = popBinder;
  return {
    register(login, loader) {
      loaders.set(login, loader);
      loaded.delete(login);
    },
    get(login) {
      let pending = loaded.get(login);
      if (!pending) {
        const loader = loaders.get(login);
        if (!loader) return Promise.reject(new AppError('auth/unsupported-method', `--login ${String(login)} is not a login method KubeTray knows.`));
        pending = loader();
        loaded.set(login, pending);
        pending.catch(() => loaded.delete(login));
      }
      return pending;
    },
    setPopBinder(b) {
      binder = b;
    },
    popBinder: () => binder,
  };
}
