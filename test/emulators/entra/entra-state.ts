/**
 * Shared state of one Entra emulator instance and the request parsing helpers every endpoint
 * uses (tenant path segment, claims requests, PoP req_cnf).
 */
import type { Directory, EntraTenant } from './entra-directory.js';
import type { DeviceCodeStore } from './entra-device-codes.js';
import type { RefreshTokenStore } from './entra-refresh-tokens.js';
import type { TrustedIssuer } from './entra-client-auth.js';
import type { MintContext } from './entra-tokens.js';
import { fail } from './entra-errors.js';
import { fromB64url, isObject } from '../jose/jose.js';

export interface AuthCodeGrant {
  tenantId: string;
  username: string;
  clientId: string;
  redirectUri: string;
  scope: string;
  codeChallenge?: string;
  codeChallengeMethod?: string;
  nonce?: string;
  amr: string[];
  acrs: string[];
  clientCapabilities: string[];
  expiresAt: number;
  redeemed: boolean;
}

export interface EntraState {
  origin: string;
  dir: Directory;
  defaultTenant: EntraTenant;
  strict: boolean;
  mint: MintContext;
  refreshTokens: RefreshTokenStore;
  deviceCodes: DeviceCodeStore;
  authCodes: Map<string, AuthCodeGrant>;
  trustedIssuers: Map<string, TrustedIssuer>;
  seenJtis: Set<string>;
  rejectJtiReplay: boolean;
  deviceCodeExpiresIn: number;
  deviceCodeInterval: number;
  signIns: number;
  grants: Map<string, number>;
  /** Users who must pass MFA on every sign-in regardless of their own setting. */
  forceMfa: boolean;
}

/** Multi-tenant path segments: the user's home tenant decides (apps use the default tenant). */
export const MULTI_TENANT_SEGMENTS = new Set(['common', 'organizations', 'consumers']);

export interface ResolvedTenant {
  tenant: EntraTenant;
  /** True for common/organizations: user flows pick the user's home tenant. */
  multi: boolean;
  segment: string;
}

export function resolveTenant(state: EntraState, segment: string): ResolvedTenant {
  const key = segment.toLowerCase();
  if (MULTI_TENANT_SEGMENTS.has(key)) return { tenant: state.defaultTenant, multi: true, segment: key };
  const tenant = state.dir.tenant(key);
  if (!tenant) fail('tenantNotFound', `Tenant '${segment}' is not known to this emulator.`);
  return { tenant, multi: false, segment: key };
}

export interface ClaimsRequest {
  raw: string;
  clientCapabilities: string[];
  /** acrs values asked for (a Conditional Access authentication context). */
  acrs: string[];
  /** The request demands a step-up (acrs, or any essential/valued claim other than xms_cc). */
  demandsMfa: boolean;
}

/**
 * Parses the OIDC `claims` request parameter. msal-node merges client capabilities
 * ({"access_token":{"xms_cc":{"values":["CP1"]}}}) with any claims challenge the caller passes.
 */
export function parseClaims(raw: string | null | undefined): ClaimsRequest {
  const out: ClaimsRequest = { raw: raw ?? '', clientCapabilities: [], acrs: [], demandsMfa: false };
  if (!raw) return out;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    fail('missingParameter', "The 'claims' parameter is not valid JSON.");
  }
  if (!isObject(parsed)) return out;
  for (const [section, value] of Object.entries(parsed)) {
    if (!isObject(value)) continue;
    for (const [claim, spec] of Object.entries(value)) {
      if (claim === 'xms_cc' && isObject(spec) && Array.isArray(spec.values)) {
        out.clientCapabilities.push(...spec.values.filter((v): v is string => typeof v === 'string'));
        continue;
      }
      if (claim === 'acrs' && isObject(spec)) {
        if (typeof spec.value === 'string') out.acrs.push(spec.value);
        if (Array.isArray(spec.values)) out.acrs.push(...spec.values.filter((v): v is string => typeof v === 'string'));
      }
      // msal-node always sends optional id_token claims ({essential:false}); only an essential
      // claim or a required value (acrs "c1", a CAE nbf) is a challenge.
      const demanding = isObject(spec) && (spec.essential === true || spec.value !== undefined || spec.values !== undefined);
      if ((section === 'access_token' || section === 'id_token') && demanding) out.demandsMfa = true;
    }
  }
  return out;
}

/** The PoP key id from `req_cnf` (base64url JSON {"kid": ...}) when token_type=pop was asked. */
export function parsePopKid(params: URLSearchParams, query: URLSearchParams): string | undefined {
  const tokenType = params.get('token_type') ?? query.get('token_type');
  if (tokenType?.toLowerCase() !== 'pop') return undefined;
  const reqCnf = params.get('req_cnf') ?? query.get('req_cnf');
  if (!reqCnf) fail('missingParameter', "token_type=pop requires 'req_cnf'.");
  try {
    const cnf = JSON.parse(fromB64url(reqCnf).toString('utf8')) as unknown;
    if (isObject(cnf) && typeof cnf.kid === 'string' && cnf.kid !== '') return cnf.kid;
  } catch {
    // fall through
  }
  fail('missingParameter', "'req_cnf' must be base64url JSON with a 'kid'.");
}

export function bump(state: EntraState, grantType: string): void {
  state.grants.set(grantType, (state.grants.get(grantType) ?? 0) + 1);
}
