/**
 * Token endpoint grants. Each handler validates like Entra and returns the JSON success body or
 * throws EntraError (see entra-errors.ts). Extra grants can be registered on the emulator.
 */
import * as crypto from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { JsonObject } from '../jose/jose.js';
import { authenticateClient, basicCredentials, type ClientAuthMethod } from './entra-client-auth.js';
import { type EntraApp, type EntraTenant, type EntraUser } from './entra-directory.js';
import { fail } from './entra-errors.js';
import { REVOKE_ERRORS } from './entra-refresh-tokens.js';
import { bump, parseClaims, parsePopKid, type EntraState, type ResolvedTenant } from './entra-state.js';
import { mintAppAccessToken, resolveScope, userTokenResponse, type ResolvedResource } from './entra-tokens.js';

export interface GrantRequest {
  state: EntraState;
  params: URLSearchParams;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  tenant: ResolvedTenant;
  /** Absolute URLs that count as this token endpoint (client assertion audience). */
  tokenEndpoints: string[];
  version: '1.0' | '2.0';
}

export type GrantHandler = (req: GrantRequest) => JsonObject | Promise<JsonObject>;

export const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

function required(req: GrantRequest, name: string): string {
  const value = req.params.get(name);
  if (!value) fail('missingParameter', `Missing '${name}'.`);
  return value;
}

/** Looks the client up and authenticates it. Unknown public clients pass in non-strict tenants. */
export function authenticate(req: GrantRequest, tenant: EntraTenant): { app: EntraApp | undefined; method: ClientAuthMethod; clientId: string } {
  // client_secret_basic carries the client id in the Authorization header instead of the body.
  const id = (req.params.get('client_id') ?? basicCredentials(req.headers.authorization)?.clientId ?? '').toLowerCase();
  if (!id) fail('missingParameter', "Missing 'client_id'.");
  const app = req.state.dir.findApp(tenant, id);
  if (!app && (!tenant.acceptUnknownPublicClients || req.state.strict)) fail('appNotFound', `Client '${id}' is not registered in tenant ${tenant.id}.`);
  const method = authenticateClient(req.params, req.headers.authorization, app, {
    tokenEndpoints: req.tokenEndpoints,
    trustedIssuers: req.state.trustedIssuers,
    rejectJtiReplay: req.state.rejectJtiReplay,
    seenJtis: req.state.seenJtis,
  });
  return { app, method, clientId: id };
}

interface UserIssue {
  grantType: string;
  /** Original sign-in time (refresh keeps it); default now. */
  authTime?: number;
  tenant: EntraTenant;
  user: EntraUser;
  clientId: string;
  scope: string;
  amr: string[];
  acrs: string[];
  nonce?: string;
  clientCapabilities: string[];
  popKid?: string;
}

function issueForUser(req: GrantRequest, issue: UserIssue): JsonObject {
  // Conditional Access evaluates every token request (AADSTS53003 + suberror message_only).
  if (issue.user.policy?.blockGrants?.includes(issue.grantType)) fail('caBlocked');
  const resource: ResolvedResource = resolveScope(req.state.dir, issue.tenant, issue.scope, req.state.strict);
  const refreshToken = resource.offline
    ? req.state.refreshTokens.issue({
        tenantId: issue.tenant.id,
        username: issue.user.username,
        clientId: issue.clientId,
        amr: issue.amr,
        acrs: issue.acrs,
        authTime: issue.authTime ?? Date.now(),
      })
    : undefined;
  if (refreshToken) req.state.mint.record(refreshToken);
  return userTokenResponse(req.state.mint, {
    tenant: issue.tenant,
    user: issue.user,
    clientId: issue.clientId,
    resource,
    amr: issue.amr,
    acrs: issue.acrs,
    nonce: issue.nonce,
    clientCapabilities: issue.clientCapabilities,
    popKid: issue.popKid,
    version: req.version,
    refreshToken,
  });
}

function userOf(req: GrantRequest, tenantId: string, username: string): { tenant: EntraTenant; user: EntraUser } {
  const tenant = req.state.dir.tenant(tenantId);
  const found = tenant ? req.state.dir.findUser(username, tenant) : undefined;
  if (!found) fail('userNotFound');
  if (found.user.disabled) fail('userDisabled');
  return found;
}

const authorizationCode: GrantHandler = (req) => {
  const code = required(req, 'code');
  const grant = req.state.authCodes.get(code);
  if (!grant || grant.expiresAt < Date.now()) fail('codeInvalid');
  if (grant.redeemed) fail('codeRedeemed');
  const { clientId } = authenticate(req, req.state.dir.tenant(grant.tenantId) ?? req.tenant.tenant);
  if (clientId !== grant.clientId) fail('codeInvalid', 'The code was issued to another client.');
  if (req.params.get('redirect_uri') !== grant.redirectUri) fail('redirectMismatch');
  if (grant.codeChallenge) {
    const verifier = req.params.get('code_verifier');
    if (!verifier) fail('pkceMismatch', 'code_verifier is missing.');
    const expected = grant.codeChallengeMethod === 'plain' ? verifier : crypto.createHash('sha256').update(verifier).digest('base64url');
    if (expected !== grant.codeChallenge) fail('pkceMismatch');
  }
  grant.redeemed = true;
  const { tenant, user } = userOf(req, grant.tenantId, grant.username);
  return issueForUser(req, {
    grantType: 'authorization_code',
    tenant,
    user,
    clientId,
    scope: req.params.get('scope') ?? grant.scope,
    amr: grant.amr,
    acrs: grant.acrs,
    nonce: grant.nonce,
    clientCapabilities: grant.clientCapabilities,
    popKid: parsePopKid(req.params, req.query),
  });
};

const refreshToken: GrantHandler = (req) => {
  const token = required(req, 'refresh_token');
  const found = req.state.refreshTokens.lookup(token);
  if ('dead' in found) {
    if (found.dead === 'unknown' || found.dead === 'used') fail('refreshMalformed');
    fail(REVOKE_ERRORS[found.dead]);
  }
  const { grant } = found;
  const { clientId } = authenticate(req, req.state.dir.tenant(grant.tenantId) ?? req.tenant.tenant);
  if (clientId !== grant.clientId) fail('refreshClientMismatch');
  const claims = parseClaims(req.params.get('claims'));
  // A claims challenge the session has not satisfied needs the person (AADSTS50076 + basic_action
  // makes msal-node raise InteractionRequiredAuthError).
  const missingAcrs = claims.acrs.filter((a) => !grant.acrs.includes(a));
  if (claims.demandsMfa && (missingAcrs.length > 0 || !grant.amr.includes('mfa'))) fail('mfaRequired', undefined, claims.raw);
  const { tenant, user } = userOf(req, grant.tenantId, grant.username);
  const frequency = user.policy?.signInFrequencySeconds;
  if (frequency !== undefined && Date.now() - (grant.authTime ?? grant.issuedAt) >= frequency * 1000) fail('refreshSignInFrequency');
  req.state.refreshTokens.markUsed(token);
  return issueForUser(req, {
    grantType: 'refresh_token',
    authTime: grant.authTime ?? grant.issuedAt,
    tenant,
    user,
    clientId,
    scope: req.params.get('scope') ?? 'openid profile offline_access',
    amr: grant.amr,
    acrs: grant.acrs,
    clientCapabilities: claims.clientCapabilities,
    popKid: parsePopKid(req.params, req.query),
  });
};

const deviceCode: GrantHandler = (req) => {
  const code = req.params.get('device_code') ?? req.params.get('code');
  if (!code) fail('missingParameter', "Missing 'device_code'.");
  const entry = req.state.deviceCodes.byDeviceCode(code);
  if (!entry) fail('deviceCodeInvalid');
  const { clientId } = authenticate(req, req.state.dir.tenant(entry.tenantId) ?? req.tenant.tenant);
  if (clientId !== entry.clientId) fail('deviceCodeInvalid', 'The device code was issued to another client.');
  if (entry.state === 'redeemed') fail('codeRedeemed');
  if (entry.state === 'declined') fail('deviceCodeDeclined');
  if (entry.expiresAt < Date.now()) fail('deviceCodeExpired');
  if (entry.state === 'pending') {
    const now = Date.now();
    const tooFast = req.state.deviceCodes.enforceInterval && entry.lastPollAt !== undefined && now - entry.lastPollAt < entry.intervalSeconds * 1000;
    entry.lastPollAt = now;
    fail(tooFast ? 'slowDown' : 'authorizationPending');
  }
  entry.state = 'redeemed';
  const { tenant, user } = userOf(req, entry.userTenantId ?? entry.tenantId, entry.username!);
  return issueForUser(req, {
    grantType: 'device_code',
    tenant,
    user,
    clientId,
    scope: req.params.get('scope') ?? entry.scope,
    amr: entry.amr ?? ['pwd'],
    acrs: entry.acrs ?? [],
    clientCapabilities: entry.clientCapabilities ?? [],
    popKid: parsePopKid(req.params, req.query),
  });
};

const password: GrantHandler = (req) => {
  const username = required(req, 'username');
  const pw = required(req, 'password');
  const found = req.state.dir.findUser(username, req.tenant.multi ? undefined : req.tenant.tenant);
  if (!found) fail('userNotFound');
  const { clientId } = authenticate(req, found.tenant);
  if (found.user.disabled) fail('userDisabled');
  if (found.user.password !== pw) fail('badPassword');
  const claims = parseClaims(req.params.get('claims'));
  // ROPC cannot do a second factor: Entra answers AADSTS50076 for MFA users and step-up claims.
  if (found.user.mfa || req.state.forceMfa || claims.demandsMfa) fail('mfaRequired', undefined, claims.demandsMfa ? claims.raw : undefined);
  return issueForUser(req, {
    grantType: 'password',
    tenant: found.tenant,
    user: found.user,
    clientId,
    scope: required(req, 'scope'),
    amr: ['pwd'],
    acrs: [],
    clientCapabilities: claims.clientCapabilities,
    popKid: parsePopKid(req.params, req.query),
  });
};

const clientCredentials: GrantHandler = (req) => {
  const tenant = req.tenant.tenant;
  const { app, method } = authenticate(req, tenant);
  if (!app || method === 'none') fail('clientAuthRequired');
  // v2 needs <resource>/.default; the v1 endpoint takes resource=.
  let resource = req.params.get('resource') ?? '';
  if (req.version === '2.0' || !resource) {
    const scope = required(req, 'scope').trim();
    if (!scope.endsWith('/.default') || scope.includes(' ')) fail('invalidScope', "Client credentials need a single '<resource>/.default' scope.");
    resource = scope.slice(0, -'/.default'.length);
  }
  const resolved = resolveScope(req.state.dir, tenant, `${resource}/.default`, req.state.strict);
  const popKid = parsePopKid(req.params, req.query);
  const accessToken = mintAppAccessToken(req.state.mint, { tenant, client: app, aud: resolved.aud, popKid, version: req.version });
  return {
    token_type: popKid ? 'pop' : 'Bearer',
    expires_in: req.state.mint.lifetimeSeconds,
    ext_expires_in: req.state.mint.lifetimeSeconds,
    access_token: accessToken,
  };
};

export const BUILT_IN_GRANTS: Record<string, GrantHandler> = {
  authorization_code: authorizationCode,
  refresh_token: refreshToken,
  // msal-node sends the short 'device_code'; RFC 8628 clients send the URN. Entra takes both.
  [DEVICE_CODE_GRANT]: deviceCode,
  device_code: deviceCode,
  password,
  client_credentials: clientCredentials,
};

/** Counts a successful grant (called by the token endpoint). */
export function countGrant(state: EntraState, grantType: string): void {
  bump(state, grantType);
}

