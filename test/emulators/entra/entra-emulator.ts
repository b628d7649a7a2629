/**
 * Local Microsoft Entra ID emulator: HTTPS on 127.0.0.1 with a run-time CA, speaking the v2.0
 * endpoints that unmodified @azure/msal-node uses (OIDC metadata, instance discovery, JWKS,
 * authorize + sign-in/MFA pages, device code, token grants). See the sibling files for each part.
 *
 *   const entra = await startEntraEmulator();
 *   new PublicClientApplication({ auth: { clientId, authority: entra.authority(),
 *     knownAuthorities: entra.knownAuthorities }, system: { networkClient: msalNetworkClient(entra.caPem) } });
 */
import * as https from 'node:https';
import * as path from 'node:path';
import type * as http from 'node:http';
import { createSigningKey, nowSeconds, signJws, type JsonObject, type JsonWebKeyRsa } from '../jose/jose.js';
import { close, listen, Router, sendJson, type RouteHandler } from '../http/http-kit.js';
import { createTestCa, type TestCa } from '../tls/test-ca.js';
import { TOKEN_EXCHANGE_AUDIENCE, type TrustedIssuer } from './entra-client-auth.js';
import { DeviceCodeStore, type DeviceCodeIssued } from './entra-device-codes.js';
import {
  DEMO_TENANT_ID, Directory, demoTenantInput, makeApp, makeUser, mfaCodeFor,
  type AppInput, type EntraApp, type EntraTenant, type EntraUser, type TenantInput, type UserInput,
} from './entra-directory.js';
import { AADSTS, EntraError, entraErrorBody } from './entra-errors.js';
import { persistKeys, persistRefreshTokens } from './entra-persistence.js';
import { FaultInjector, type FaultHandle, type FaultSpec } from './entra-faults.js';
import { BUILT_IN_GRANTS, DEVICE_CODE_GRANT, type GrantHandler } from './entra-grants.js';
import { registerAuthorizeRoutes, type SessionStore } from './entra-authorize.js';
import { jwksOf, registerDiscoveryRoutes } from './entra-discovery-routes.js';
import { registerTokenRoutes } from './entra-token-routes.js';
import { RefreshTokenStore, type RevokeReason } from './entra-refresh-tokens.js';
import { parseClaims, resolveTenant, type EntraState } from './entra-state.js';
import { issuerFor } from './entra-tokens.js';

export interface EntraEmulatorOptions {
  /** 0 (default) = random port. A fixed port keeps msal-node cache keys stable across restarts. */
  port?: number;
  /** Reuse a CA (e.g. shared with the Kubernetes emulator); default: a new one, disposed on stop. */
  ca?: TestCa;
  /** Access token lifetime; default 3600 s (msal-node refreshes anything under 300 s). */
  tokenLifetimeSeconds?: number;
  /** Preload the demo tenant (AKS/Arc ids, demo users); default true. */
  demoTenant?: boolean;
  /** Reject unknown clients and resources everywhere (AADSTS700016 / AADSTS500011). */
  strict?: boolean;
  tenants?: TenantInput[];
  deviceCodeExpiresInSeconds?: number;
  /** Device code polling interval; default 1 s (Entra uses 5). */
  deviceCodeIntervalSeconds?: number;
  /** Answer `slow_down` to polls faster than the interval. */
  enforceDeviceCodeInterval?: boolean;
  /** Invalidate a refresh token once it is redeemed (Entra keeps them valid; this is stricter). */
  singleUseRefreshTokens?: boolean;
  /** Reject reused client assertion jti (msal-node reuses its assertion for 10 min, so off by default). */
  rejectJtiReplay?: boolean;
  /** Every interactive sign-in asks for the second factor. */
  forceMfa?: boolean;
  /**
   * Keep the CA, tenant signing keys and refresh tokens in this directory across restarts (for
   * the demo: with a fixed port, a cache from the last run stays valid). Default: nothing on disk.
   */
  stateDir?: string;
}

export interface RequestLogEntry {
  at: number;
  method: string;
  path: string;
  status: number;
  tenant?: string;
  grantType?: string;
  clientId?: string;
  /** 'ok' or the error (e.g. 'invalid_grant AADSTS50126'). */
  outcome: string;
}

export interface FederatedTokenInput {
  subject: string;
  audience?: string;
  lifetimeSeconds?: number;
  claims?: JsonObject;
}

export interface EntraEmulator {
  origin: string;
  /** origin + '/', for `--authority-host`. */
  authorityHost: string;
  port: number;
  knownAuthorities: string[];
  caPem: string;
  caFile: string;
  ca: TestCa;
  directory: Directory;
  defaultTenantId: string;
  authority(tenant?: string): string;
  tokenEndpoint(tenant?: string): string;
  jwksFor(tenant?: string): { keys: JsonWebKeyRsa[] };
  /** Issuer of v2 access tokens of a tenant (`<origin>/<tid>/v2.0`); v1 tokens: `<origin>/<tid>/`. */
  issuerFor(tenant?: string, version?: '1.0' | '2.0'): string;

  addTenant(input: TenantInput): EntraTenant;
  addUser(input: UserInput, tenant?: string): EntraUser;
  addApp(input: AppInput, tenant?: string): EntraApp;
  mfaCodeFor(username: string): string;

  /** The built-in external OIDC issuer (workload identity): its issuer URL and a token from it. */
  externalIssuer: string;
  mintFederatedToken(input: FederatedTokenInput): string;
  /** Trust another issuer's keys for federated client assertions. */
  trustIssuer(issuer: string, jwks: { keys: JsonWebKeyRsa[] }): void;

  nextDeviceCode(filter?: { clientId?: string; signal?: AbortSignal }): Promise<DeviceCodeIssued>;
  onDeviceCode(listener: (issued: DeviceCodeIssued) => void): () => void;
  /** Approves a pending device code as this user (as if they typed it and signed in). */
  approveDeviceCode(userCode: string, username: string, options?: { mfa?: boolean; acrs?: string[] }): void;
  declineDeviceCode(userCode: string): void;
  /** Approve every device code from now on as this user (demo, unattended e2e); undefined stops it. */
  autoApproveDeviceCodes(username: string | undefined, options?: { mfa?: boolean }): void;
  /** Change the lifetime of tokens issued from now on (refresh-ahead tests). */
  setTokenLifetimeSeconds(seconds: number): void;

  revokeRefreshTokens(target: { token?: string; username?: string }, reason?: RevokeReason): number;

  faults: { add(spec: FaultSpec): FaultHandle; clear(): void };
  requestLog: RequestLogEntry[];
  /** Successful interactive and device code sign-ins. */
  signIns(): number;
  /** Successful token responses, by grant type (or all). */
  tokenGrants(grantType?: string): number;
  /** Every token string issued (access, id, refresh), so tests can grep logs for them. */
  issuedTokens(): string[];

  addRoute(method: string, pattern: RegExp, handler: RouteHandler): void;
  addGrant(grantType: string, handler: GrantHandler): void;
  stop(): Promise<void>;
}

export async function startEntraEmulator(options: EntraEmulatorOptions = {}): Promise<EntraEmulator> {
  const ownCa = options.ca === undefined;
  const ca = options.ca ?? createTestCa({ commonName: 'KubeTray Entra Emulator CA', persistDir: options.stateDir ? path.join(options.stateDir, 'ca') : undefined });
  const leaf = ca.issue();
  const router = new Router();
  const faults = new FaultInjector();
  const requestLog: RequestLogEntry[] = [];
  const issued: string[] = [];
  const selfLogged = new WeakSet<http.ServerResponse>();
  const grants = new Map<string, GrantHandler>(Object.entries(BUILT_IN_GRANTS));
  const directory = new Directory();
  const tenants = [...(options.demoTenant === false ? [] : [demoTenantInput(options.strict)]), ...(options.tenants ?? [])];
  if (tenants.length === 0) tenants.push({ displayName: 'Default' });
  for (const t of tenants) directory.addTenant(t);
  const externalKey = options.stateDir ? persistKeys(options.stateDir, directory.tenants, createSigningKey()) : createSigningKey();

  const state: EntraState = {
    origin: '',
    dir: directory,
    defaultTenant: directory.tenants[0]!,
    strict: options.strict ?? false,
    mint: { origin: '', lifetimeSeconds: options.tokenLifetimeSeconds ?? 3600, record: (t) => issued.push(t) },
    refreshTokens: new RefreshTokenStore(),
    deviceCodes: new DeviceCodeStore(),
    authCodes: new Map(),
    trustedIssuers: new Map<string, TrustedIssuer>(),
    seenJtis: new Set(),
    rejectJtiReplay: options.rejectJtiReplay ?? false,
    deviceCodeExpiresIn: options.deviceCodeExpiresInSeconds ?? 900,
    deviceCodeInterval: options.deviceCodeIntervalSeconds ?? 1,
    signIns: 0,
    grants: new Map(),
    forceMfa: options.forceMfa ?? false,
  };
  state.refreshTokens.singleUse = options.singleUseRefreshTokens ?? false;
  if (options.stateDir) persistRefreshTokens(options.stateDir, state.refreshTokens);
  state.deviceCodes.enforceInterval = options.enforceDeviceCodeInterval ?? false;

  const server = https.createServer({ key: leaf.keyPem, cert: leaf.certPem }, (req, res) => {
    void handle(req, res);
  });
  const port = await listen(server as unknown as http.Server, options.port ?? 0);
  const origin = `https://127.0.0.1:${port}`;
  state.origin = origin;
  state.mint.origin = origin;
  const externalIssuer = `${origin}/_external`;
  state.trustedIssuers.set(externalIssuer, { issuer: externalIssuer, keys: [externalKey.jwk] });

  const log = (entry: Omit<RequestLogEntry, 'at'>): void => {
    requestLog.push({ at: Date.now(), ...entry });
  };
  const tenantOf = (seg?: string): EntraTenant => (seg ? resolveTenant(state, seg).tenant : state.defaultTenant);

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const pathname = new URL(req.url ?? '/', origin).pathname;
    try {
      // Discovery faults (metadata, instance discovery, JWKS) apply before routing.
      if (/\/(\.well-known\/openid-configuration|discovery\/instance|discovery\/(v2\.0\/)?keys)$/.test(pathname)) {
        if (await faults.apply('metadata', pathname.split('/')[1], req, res)) {
          log({ method: req.method ?? '', path: pathname, status: res.statusCode, outcome: 'fault' });
          return;
        }
      }
      const found = await router.dispatch(req, res, origin);
      if (!found) {
        sendJson(res, 404, { error: 'not_found', error_description: `No emulated endpoint at ${pathname}.` });
      }
      // Token and device code routes log themselves with grant details.
      if (!selfLogged.has(res)) log({ method: req.method ?? '', path: pathname, status: res.statusCode, outcome: res.statusCode < 400 ? 'ok' : `http ${res.statusCode}` });
    } catch (error) {
      const spec = error instanceof EntraError ? error.spec : AADSTS.serverError;
      if (!res.headersSent) sendJson(res, spec.status, entraErrorBody(spec, req.headers['client-request-id'] as string | undefined));
      log({ method: req.method ?? '', path: pathname, status: spec.status, outcome: `${spec.error} AADSTS${spec.code}` });
    }
  }

  registerDiscoveryRoutes(router, state, port, { issuer: externalIssuer, key: externalKey });
  registerTokenRoutes(router, { state, faults, grants, log, selfLogged });

  const sessions: SessionStore = registerAuthorizeRoutes(router, state, faults);

  const findDevice = (userCode: string) => {
    const entry = state.deviceCodes.byUserCode(userCode);
    if (!entry) throw new Error(`No device code ${userCode}.`);
    return entry;
  };

  let stopAutoApprove: (() => void) | undefined;
  const emulator: EntraEmulator = {
    origin,
    authorityHost: `${origin}/`,
    port,
    knownAuthorities: [`127.0.0.1:${port}`],
    caPem: ca.caPem,
    caFile: ca.caFile,
    ca,
    directory,
    defaultTenantId: state.defaultTenant.id,
    authority: (tenant = state.defaultTenant.id) => `${origin}/${tenant}`,
    tokenEndpoint: (tenant = state.defaultTenant.id) => `${origin}/${tenant}/oauth2/v2.0/token`,
    jwksFor: (tenant) => jwksOf(state, tenant),
    issuerFor: (tenant, version = '2.0') => issuerFor(origin, tenantOf(tenant).id, version),
    addTenant: (input) => directory.addTenant(input),
    addUser: (input, tenant) => {
      const user = makeUser(input);
      tenantOf(tenant).users.push(user);
      return user;
    },
    addApp: (input, tenant) => {
      const app = makeApp(input);
      tenantOf(tenant).apps.push(app);
      return app;
    },
    mfaCodeFor: (username) => {
      const found = directory.findUser(username);
      return mfaCodeFor(found?.user ?? { username });
    },
    externalIssuer,
    mintFederatedToken: (input) => {
      const now = nowSeconds();
      return signJws(
        { typ: 'JWT', alg: 'RS256', kid: externalKey.kid },
        { iss: externalIssuer, sub: input.subject, aud: input.audience ?? TOKEN_EXCHANGE_AUDIENCE, iat: now, nbf: now, exp: now + (input.lifetimeSeconds ?? 3600), ...input.claims },
        externalKey.privateKey,
      );
    },
    trustIssuer: (issuer, set) => {
      state.trustedIssuers.set(issuer, { issuer, keys: set.keys });
    },
    nextDeviceCode: (filter) => state.deviceCodes.nextDeviceCode(filter),
    onDeviceCode: (listener) => state.deviceCodes.onDeviceCode(listener),
    approveDeviceCode: (userCode, username, opts = {}) => {
      const entry = findDevice(userCode);
      const claims = parseClaims(entry.claims);
      const { tenant, multi } = resolveTenant(state, entry.tenantId);
      const found = directory.findUser(username, multi ? undefined : tenant);
      if (!found) throw new Error(`No user ${username} in tenant ${entry.tenantId}.`);
      const mfa = opts.mfa ?? (claims.demandsMfa || state.forceMfa || found.user.mfa);
      state.deviceCodes.approve(entry, found.user.username, found.tenant.id, mfa ? ['pwd', 'mfa'] : ['pwd'], opts.acrs ?? claims.acrs);
      state.signIns += 1;
    },
    declineDeviceCode: (userCode) => state.deviceCodes.decline(findDevice(userCode)),
    autoApproveDeviceCodes: (username, opts) => {
      stopAutoApprove?.();
      stopAutoApprove = username === undefined ? undefined : state.deviceCodes.onDeviceCode((issued) => emulator.approveDeviceCode(issued.userCode, username, opts));
    },
    setTokenLifetimeSeconds: (seconds) => {
      state.mint.lifetimeSeconds = seconds;
    },
    revokeRefreshTokens: (target, reason) => {
      if (target.username) sessions.endFor(target.username);
      return state.refreshTokens.revoke(target, reason);
    },
    faults,
    requestLog,
    signIns: () => state.signIns,
    tokenGrants: (grantType) => (grantType === undefined ? [...state.grants.values()].reduce((a, b) => a + b, 0) : state.grants.get(grantType) ?? 0),
    issuedTokens: () => [...issued],
    addRoute: (method, pattern, handler) => router.add(method, pattern, handler),
    addGrant: (grantType, handler) => {
      grants.set(grantType, handler);
    },
    stop: async () => {
      await close(server as unknown as http.Server);
      if (ownCa) ca.dispose();
    },
  };
  return emulator;
}

export { DEMO_TENANT_ID, DEVICE_CODE_GRANT };
