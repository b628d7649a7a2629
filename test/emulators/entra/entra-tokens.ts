/**
 * Token minting for the Entra emulator: access tokens (RS256 JWTs signed by the tenant key whose
 * kid is in the tenant JWKS), id tokens, client_info and rotating opaque refresh tokens.
 *
 * Audience rules (documented because kubelogin's `--legacy` and `spn:` forms depend on them):
 *  - v2 scope `<resource>/.default` (or `<resource>/<scope>`): resource = text before the last
 *    '/'; a leading `spn:` is stripped. If the resource names a registered app (by appId or an
 *    identifier URI) `aud` = that app's appId, else (non-strict tenants) `aud` = the resource text.
 *  - v1 `resource=` (managed identity, the v1 token endpoint): same lookup; the token is
 *    `ver: "1.0"` with issuer `<origin>/<tid>/` (standing in for https://sts.windows.net/<tid>/).
 *  - v2 tokens use issuer `<origin>/<tid>/v2.0`.
 */
import * as crypto from 'node:crypto';
import { b64url, b64urlJson, nowSeconds, signJws, type JsonObject } from '../jose/jose.js';
import type { Directory, EntraApp, EntraTenant, EntraUser } from './entra-directory.js';
import { fail } from './entra-errors.js';

export const OIDC_SCOPES = new Set(['openid', 'profile', 'offline_access', 'email']);
export const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';

export interface ResolvedResource {
  aud: string;
  app: EntraApp | undefined;
  /** Scope names for `scp` (users). */
  scopeNames: string[];
  /** What the response's `scope` field echoes. */
  responseScope: string;
  /** Whether the caller asked for offline_access (a refresh token). */
  offline: boolean;
  /** Whether the caller asked for openid (an id token). */
  openid: boolean;
}

export function resolveScope(dir: Directory, tenant: EntraTenant, scope: string, strict: boolean): ResolvedResource {
  const scopes = scope.split(/\s+/).filter(Boolean);
  const resourceScopes = scopes.filter((s) => !OIDC_SCOPES.has(s.toLowerCase()));
  const first = resourceScopes[0];
  let resource = GRAPH_APP_ID;
  const scopeNames: string[] = [];
  if (first !== undefined) {
    // A bare scope name (User.Read) is a Microsoft Graph scope, as on Entra.
    const cut = first.lastIndexOf('/');
    resource = cut > 0 ? first.slice(0, cut) : GRAPH_APP_ID;
    for (const s of resourceScopes) {
      const name = s.slice(s.lastIndexOf('/') + 1);
      scopeNames.push(name === '.default' ? 'user_impersonation' : name);
    }
  } else {
    scopeNames.push('User.Read');
  }
  const resolved = resolveResource(dir, tenant, resource, strict);
  return {
    ...resolved,
    scopeNames,
    responseScope: scopes.join(' '),
    offline: scopes.includes('offline_access'),
    openid: scopes.includes('openid'),
  };
}

export function resolveResource(dir: Directory, tenant: EntraTenant, resource: string, strict: boolean): { aud: string; app: EntraApp | undefined } {
  const app = dir.findResource(tenant, resource);
  if (app) return { aud: app.appId, app };
  // Microsoft Graph exists in every tenant.
  if (resource === GRAPH_APP_ID || /^https:\/\/graph\.microsoft\.com\/?$/.test(resource)) return { aud: GRAPH_APP_ID, app: undefined };
  if (strict) fail('resourceNotFound', `Resource '${resource}' is not registered in tenant ${tenant.id}.`);
  return { aud: resource.replace(/^spn:/i, '').replace(/\/+$/, ''), app: undefined };
}

export interface MintContext {
  origin: string;
  lifetimeSeconds: number;
  /** Called with every token string minted, so tests can grep logs for them. */
  record(token: string): void;
}

export interface UserTokenInput {
  tenant: EntraTenant;
  user: EntraUser;
  clientId: string;
  resource: ResolvedResource;
  amr: string[];
  acrs?: string[];
  nonce?: string;
  clientCapabilities?: string[];
  popKid?: string;
  version?: '1.0' | '2.0';
  /** A refresh token to hand out (already stored); omitted when offline_access was not asked. */
  refreshToken?: string;
}

export function issuerFor(origin: string, tenantId: string, version: '1.0' | '2.0'): string {
  return version === '1.0' ? `${origin}/${tenantId}/` : `${origin}/${tenantId}/v2.0`;
}

function baseClaims(ctx: MintContext, tenant: EntraTenant, aud: string, version: '1.0' | '2.0'): JsonObject {
  const now = nowSeconds();
  return {
    aud,
    iss: issuerFor(ctx.origin, tenant.id, version),
    iat: now,
    nbf: now - 5,
    exp: now + ctx.lifetimeSeconds,
    tid: tenant.id,
    ver: version,
    uti: b64url(crypto.randomBytes(16)),
    rh: `0.${b64url(crypto.randomBytes(24))}.`,
  };
}

function sign(ctx: MintContext, tenant: EntraTenant, claims: JsonObject): string {
  const token = signJws({ typ: 'JWT', alg: 'RS256', kid: tenant.signingKey.kid }, claims, tenant.signingKey.privateKey);
  ctx.record(token);
  return token;
}

/** Pairwise subject per (user, client), like Entra's `sub`. */
function pairwiseSub(oid: string, clientId: string): string {
  return b64url(crypto.createHash('sha256').update(`${oid}:${clientId}`).digest());
}

export function mintUserAccessToken(ctx: MintContext, input: UserTokenInput): string {
  const version = input.version ?? '2.0';
  const claims: JsonObject = {
    ...baseClaims(ctx, input.tenant, input.resource.aud, version),
    amr: input.amr,
    name: input.user.displayName,
    oid: input.user.oid,
    sub: pairwiseSub(input.user.oid, input.clientId),
    upn: input.user.username,
    preferred_username: input.user.username,
    unique_name: input.user.username,
    groups: input.user.groups,
    scp: input.resource.scopeNames.join(' '),
    idtyp: 'user',
  };
  if (version === '1.0') Object.assign(claims, { appid: input.clientId, appidacr: '0' });
  else Object.assign(claims, { azp: input.clientId, azpacr: '0' });
  if (input.acrs && input.acrs.length > 0) claims.acrs = input.acrs;
  if (input.clientCapabilities?.includes('CP1')) claims.xms_cc = ['CP1'];
  if (input.popKid) claims.cnf = { kid: input.popKid };
  return sign(ctx, input.tenant, claims);
}

export function mintIdToken(ctx: MintContext, input: UserTokenInput): string {
  const claims: JsonObject = {
    ...baseClaims(ctx, input.tenant, input.clientId, '2.0'),
    name: input.user.displayName,
    oid: input.user.oid,
    sub: pairwiseSub(input.user.oid, input.clientId),
    preferred_username: input.user.username,
    login_hint: b64url(`O.${input.user.oid}.${input.tenant.id}`),
  };
  if (input.nonce) claims.nonce = input.nonce;
  return sign(ctx, input.tenant, claims);
}

export function clientInfo(oid: string, tenantId: string): string {
  return b64urlJson({ uid: oid, utid: tenantId });
}

/** The JSON body of a successful user-flow token response (what msal-node needs to cache an account). */
export function userTokenResponse(ctx: MintContext, input: UserTokenInput): JsonObject {
  const accessToken = mintUserAccessToken(ctx, input);
  const body: JsonObject = {
    token_type: input.popKid ? 'pop' : 'Bearer',
    scope: input.resource.responseScope,
    expires_in: ctx.lifetimeSeconds,
    ext_expires_in: ctx.lifetimeSeconds,
    access_token: accessToken,
    client_info: clientInfo(input.user.oid, input.tenant.id),
  };
  if (input.resource.openid) body.id_token = mintIdToken(ctx, input);
  if (input.refreshToken) body.refresh_token = input.refreshToken;
  return body;
}

export interface AppTokenInput {
  tenant: EntraTenant;
  client: EntraApp;
  aud: string;
  popKid?: string;
  version?: '1.0' | '2.0';
  /** Extra claims (e.g. xms_mirid for managed identities). */
  extra?: JsonObject;
}

export function mintAppAccessToken(ctx: MintContext, input: AppTokenInput): string {
  const version = input.version ?? '2.0';
  const claims: JsonObject = {
    ...baseClaims(ctx, input.tenant, input.aud, version),
    oid: input.client.servicePrincipalId,
    sub: input.client.servicePrincipalId,
    roles: input.client.roles,
    idtyp: 'app',
    ...input.extra,
  };
  if (version === '1.0') Object.assign(claims, { appid: input.client.appId, appidacr: '2' });
  else Object.assign(claims, { azp: input.client.appId, azpacr: '2' });
  if (input.popKid) claims.cnf = { kid: input.popKid };
  return sign(ctx, input.tenant, claims);
}

/** Entra refresh tokens are opaque and long ("0.A..."); this one is random and looked up in a store. */
export function newRefreshToken(): string {
  return `0.A${b64url(crypto.randomBytes(120))}`;
}
