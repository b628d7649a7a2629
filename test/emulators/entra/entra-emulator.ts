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
import type * as http from 'node:http';
import { createSigningKey, nowSeconds, signJws, type JsonObject, type JsonWebKeyRsa } from '../jose/jose.js';
import { close, listen, readForm, Router, sendJson, type RouteHandler } from '../http/http-kit.js';
import { createTestCa, type TestCa } from '../tls/test-ca.js';
import { TOKEN_EXCHANGE_AUDIENCE, type TrustedIssuer } from './entra-client-auth.js';
import { DeviceCodeStore, type DeviceCodeIssued } from './entra-device-codes.js';
import {
  DEMO_TENANT_ID, Directory, demoTenantInput, makeApp, makeUser, mfaCodeFor,
  type AppInput, type EntraApp, type EntraTenant, type EntraUser, type TenantInput, type UserInput,
} from './entra-directory.js';
import { AADSTS, EntraError, entraErrorBody } from './entra-errors.js';
import { FaultInjector, type FaultHandle, type FaultSpec } from './entra-faults.js';
import { BUILT_IN_GRANTS, DEVICE_CODE_GRANT, type GrantHandler } from './entra-grants.js';
import { registerAuthorizeRoutes, type SessionStore } from './entra-authorize.js';
import { RefreshTokenStore, type RevokeReason } from './entra-refresh-tokens.js';
import { bump, parseClaims, resolveTenant, type EntraState } from './entra-state.js';
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

const TENANT = '(?<tenant>[A-Za-z0-9._-]+)';

export async function startEntraEmulator(options: EntraEmulatorOptions = {}): Promise<EntraEmulator> {
  const ownCa = options.ca === undefined;
  const ca = options.ca ?? createTestCa('KubeTray Entra Emulator CA');
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
  const externalKey = createSigningKey();

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
    const path = new URL(req.url ?? '/', origin).pathname;
    try {
      // Discovery faults (metadata, instance discovery, JWKS) apply before routing.
      if (/\/(\.well-known\/openid-configuration|discovery\/instance|discovery\/(v2\.0\/)?keys)$/.test(path)) {
        if (await faults.apply('metadata', path.split('/')[1], req, res)) {
          log({ method: req.method ?? '', path, status: res.statusCode, outcome: 'fault' });
          return;
        }
      }
      const found = await router.dispatch(req, res, origin);
      if (!found) {
        sendJson(res, 404, { error: 'not_found', error_description: `No emulated endpoint at ${path}.` });
      }
      // Token and device code routes log themselves with grant details.
      if (!selfLogged.has(res)) log({ method: req.method ?? '', path, status: res.statusCode, outcome: res.statusCode < 400 ? 'ok' : `http ${res.statusCode}` });
    } catch (error) {
      const spec = error instanceof EntraError ? error.spec : AADSTS.serverError;
      if (!res.headersSent) sendJson(res, spec.status, entraErrorBody(spec, req.headers['client-request-id'] as string | undefined));
      log({ method: req.method ?? '', path, status: spec.status, outcome: `${spec.error} AADSTS${spec.code}` });
    }
  }

  // --- discovery -------------------------------------------------------------------------------
  const metadata = (seg: string, version: '1.0' | '2.0'): JsonObject => {
    const { tenant, multi } = resolveTenant(state, seg);
    // Entra resolves a domain to the tenant GUID in endpoints; common/organizations stay as is.
    const pathTenant = multi ? seg.toLowerCase() : tenant.id;
    const v = version === '2.0' ? 'v2.0/' : '';
    return {
      issuer: multi ? `${origin}/{tenantid}/${version === '2.0' ? 'v2.0' : ''}` : issuerFor(origin, tenant.id, version),
      authorization_endpoint: `${origin}/${pathTenant}/oauth2/${v}authorize`,
      token_endpoint: `${origin}/${pathTenant}/oauth2/${v}token`,
      device_authorization_endpoint: `${origin}/${pathTenant}/oauth2/${v}devicecode`,
      end_session_endpoint: `${origin}/${pathTenant}/oauth2/${v}logout`,
      jwks_uri: `${origin}/${pathTenant}/discovery/${v}keys`,
      userinfo_endpoint: `${origin}/oidc/userinfo`,
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
      response_modes_supported: ['query', 'fragment', 'form_post'],
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      code_challenge_methods_supported: ['S256', 'plain'],
      claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'nonce', 'name', 'oid', 'tid', 'preferred_username', 'acrs'],
      request_uri_parameter_supported: false,
      tenant_region_scope: 'EU',
      cloud_instance_name: '127.0.0.1',
      cloud_graph_host_name: 'graph.windows.net',
      msgraph_host: 'graph.microsoft.com',
      rbac_url: 'https://pas.windows.net',
      http_logout_supported: true,
      frontchannel_logout_supported: true,
    };
  };
  router.add('GET', new RegExp(`^/${TENANT}/v2\\.0/\\.well-known/openid-configuration$`), ({ res, params }) => sendJson(res, 200, metadata(params.tenant!, '2.0')));
  router.add('GET', new RegExp(`^/${TENANT}/\\.well-known/openid-configuration$`), ({ res, params }) => sendJson(res, 200, metadata(params.tenant!, '1.0')));
  // Instance discovery (msal asks only for authorities it does not know; knownAuthorities skips it).
  router.add('GET', new RegExp(`^/${TENANT}/discovery/instance$`), ({ res, url }) => {
    const host = `127.0.0.1:${port}`;
    const authz = url.searchParams.get('authorization_endpoint') ?? `${origin}/common/oauth2/v2.0/authorize`;
    const tenantSeg = new URL(authz).pathname.split('/')[1] ?? 'common';
    sendJson(res, 200, {
      tenant_discovery_endpoint: `${origin}/${tenantSeg}/v2.0/.well-known/openid-configuration`,
      'api-version': '1.1',
      metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host, `localhost:${port}`] }],
    });
  });
  const jwks = (seg?: string): { keys: JsonWebKeyRsa[] } => {
    if (!seg || resolveTenant(state, seg).multi) return { keys: directory.tenants.map((t) => t.signingKey.jwk) };
    return { keys: [tenantOf(seg).signingKey.jwk] };
  };
  router.add('GET', new RegExp(`^/${TENANT}/discovery/(v2\\.0/)?keys$`), ({ res, params }) => sendJson(res, 200, jwks(params.tenant)));
  // The built-in external issuer for federated credentials (stands in for an AKS OIDC issuer).
  router.add('GET', /^\/_external\/\.well-known\/openid-configuration$/, ({ res }) =>
    sendJson(res, 200, { issuer: externalIssuer, jwks_uri: `${externalIssuer}/keys`, id_token_signing_alg_values_supported: ['RS256'], response_types_supported: ['id_token'], subject_types_supported: ['public'] }),
  );
  router.add('GET', /^\/_external\/keys$/, ({ res }) => sendJson(res, 200, { keys: [externalKey.jwk] }));

  // --- device code -----------------------------------------------------------------------------
  router.add('POST', new RegExp(`^/${TENANT}/oauth2/(v2\\.0/)?devicecode$`), async ({ req, res, params, url }) => {
    selfLogged.add(res);
    const form = await readForm(req);
    const clientId = (form.get('client_id') ?? '').toLowerCase();
    const entry = { method: 'POST', path: url.pathname, tenant: params.tenant, grantType: 'device_code_request', clientId };
    if (await faults.apply('devicecode', params.tenant, req, res)) return log({ ...entry, status: res.statusCode, outcome: 'fault' });
    try {
      const { tenant } = resolveTenant(state, params.tenant!);
      if (!clientId) throw new EntraError(AADSTS.missingParameter, "Missing 'client_id'.");
      const app = directory.findApp(tenant, clientId);
      if (!app && (!tenant.acceptUnknownPublicClients || state.strict)) throw new EntraError(AADSTS.appNotFound);
      const claims = parseClaims(form.get('claims'));
      const verificationUri = `${origin}/devicelogin`;
      const created = state.deviceCodes.create(
        {
          tenantId: params.tenant!.toLowerCase(),
          clientId,
          scope: form.get('scope') ?? '',
          claims: claims.raw || undefined,
          clientCapabilities: claims.clientCapabilities,
          intervalSeconds: state.deviceCodeInterval,
          expiresInSeconds: state.deviceCodeExpiresIn,
        },
        (code) => `To sign in, use a web browser to open the page ${verificationUri} and enter the code ${code} to authenticate.`,
      );
      sendJson(res, 200, {
        user_code: created.userCode,
        device_code: created.deviceCode,
        verification_uri: verificationUri,
        expires_in: state.deviceCodeExpiresIn,
        interval: state.deviceCodeInterval,
        message: `To sign in, use a web browser to open the page ${verificationUri} and enter the code ${created.userCode} to authenticate.`,
      });
      log({ ...entry, status: 200, outcome: 'ok' });
    } catch (error) {
      const spec = error instanceof EntraError ? error.spec : AADSTS.serverError;
      sendJson(res, spec.status, entraErrorBody(spec, req.headers['client-request-id'] as string | undefined, { detail: error instanceof EntraError ? error.detail : undefined }));
      log({ ...entry, status: spec.status, outcome: `${spec.error} AADSTS${spec.code}` });
    }
  });

  // --- token -----------------------------------------------------------------------------------
  router.add('POST', new RegExp(`^/${TENANT}/oauth2/(?<v2>v2\\.0/)?token$`), async ({ req, res, params, url }) => {
    selfLogged.add(res);
    const form = await readForm(req);
    const grantType = form.get('grant_type') ?? '';
    const entry = { method: 'POST', path: url.pathname, tenant: params.tenant, grantType, clientId: (form.get('client_id') ?? '').toLowerCase() || undefined };
    if (await faults.apply('token', params.tenant, req, res)) return log({ ...entry, status: res.statusCode, outcome: 'fault' });
    const correlation = req.headers['client-request-id'] as string | undefined;
    try {
      const tenant = resolveTenant(state, params.tenant!);
      const handler = grants.get(grantType);
      if (!handler) throw new EntraError(AADSTS.unsupportedGrant, `Grant '${grantType}' is not supported.`);
      const version = params.v2 ? '2.0' : '1.0';
      const v = params.v2 ? 'v2.0/' : '';
      const tokenEndpoints = [`${origin}/${params.tenant}/oauth2/${v}token`, `${origin}/${tenant.tenant.id}/oauth2/${v}token`];
      const body = await handler({ state, params: form, query: url.searchParams, headers: req.headers, tenant, tokenEndpoints, version });
      bump(state, grantType);
      sendJson(res, 200, body);
      log({ ...entry, status: 200, outcome: 'ok' });
    } catch (error) {
      const e = error instanceof EntraError ? error : undefined;
      const spec = e?.spec ?? AADSTS.serverError;
      sendJson(res, spec.status, entraErrorBody(spec, correlation, { detail: e?.detail, claims: e?.claims }));
      log({ ...entry, status: spec.status, outcome: `${spec.error} AADSTS${spec.code}` });
    }
  });

  const sessions: SessionStore = registerAuthorizeRoutes(router, state, faults);

  const findDevice = (userCode: string) => {
    const entry = state.deviceCodes.byUserCode(userCode);
    if (!entry) throw new Error(`No device code ${userCode}.`);
    return entry;
  };

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
    jwksFor: (tenant) => jwks(tenant),
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
      const mfa = opts.mfa ?? (claims.demandsMfa || state.forceMfa || directory.findUser(username)?.user.mfa === true);
      state.deviceCodes.approve(entry, username, mfa ? ['pwd', 'mfa'] : ['pwd'], opts.acrs ?? claims.acrs);
      state.signIns += 1;
    },
    declineDeviceCode: (userCode) => state.deviceCodes.decline(findDevice(userCode)),
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
