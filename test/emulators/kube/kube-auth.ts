/**
 * Token checks of the Kubernetes API emulator, like an AKS API server with Entra integration
 * (bearer) and like Azure Arc's guard (PoP):
 *  - bearer: RS256 signature by a key in the Entra emulator's JWKS (kid), `iss` = the token
 *    tenant's v2 or v1 issuer, `aud` in the configured server ids, exp/nbf (1 min skew);
 *  - PoP (outer JWS header typ "pop"): signed by the RSA key in payload `cnf.jwk`; that key's
 *    RFC 7638 thumbprint equals the inner access token's `cnf.kid`; the inner `at` passes the
 *    bearer checks; `ts` within ±15 minutes; `u` equals the configured host.
 */
import { decodeJws, nowSeconds, publicKeyFromJwk, rsaJwkThumbprint, verifyJwsSignature, isObject, type JsonObject, type JsonWebKeyRsa } from '../jose/jose.js';

export interface TokenVerifierConfig {
  /** All signing keys the Entra emulator publishes (every tenant). */
  keys(): JsonWebKeyRsa[];
  /** Accepted issuers for a tenant id (v1 and v2 forms), or [] when the tenant is unknown. */
  issuersFor(tenantId: string): string[];
  audiences: string[];
  /** Expected `u` claim of PoP tokens. */
  popHost: string;
  /** PoP `ts` window, seconds (Arc guard: 15 minutes). */
  popWindowSeconds?: number;
  /** Reject bearer tokens that are bound to a PoP key (cnf) or unbound tokens (Arc). */
  requirePop?: boolean;
}

export interface VerifiedCaller {
  username: string;
  groups: string[];
  scheme: 'bearer' | 'pop';
  claims: JsonObject;
}

export class TokenRejected extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'TokenRejected';
  }
}

const SKEW_SECONDS = 60;

function reject(reason: string): never {
  throw new TokenRejected(reason);
}

/** Checks an Entra access token and returns its claims. */
export function verifyAccessToken(token: string, config: TokenVerifierConfig): JsonObject {
  const jws = decodeJws(token);
  if (!jws) reject('not a JWT');
  if (jws.header.alg !== 'RS256') reject(`alg ${String(jws.header.alg)} not accepted`);
  const key = config.keys().find((k) => k.kid === jws.header.kid);
  if (!key) reject('unknown signing key');
  if (!verifyJwsSignature(jws, publicKeyFromJwk(key))) reject('bad signature');
  const claims = jws.payload;
  const tid = typeof claims.tid === 'string' ? claims.tid : '';
  if (!config.issuersFor(tid).includes(String(claims.iss))) reject('issuer not trusted');
  const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!aud.some((a) => typeof a === 'string' && config.audiences.includes(a.replace(/^spn:/, '')))) reject('audience not accepted');
  const now = nowSeconds();
  if (typeof claims.exp !== 'number' || claims.exp + SKEW_SECONDS < now) reject('token expired');
  if (typeof claims.nbf === 'number' && claims.nbf - SKEW_SECONDS > now) reject('token not yet valid');
  return claims;
}

function identity(claims: JsonObject): { username: string; groups: string[] } {
  const user = claims.upn ?? claims.preferred_username ?? claims.unique_name;
  const username = typeof user === 'string' && user !== '' ? user : String(claims.oid ?? claims.sub ?? 'unknown');
  const groups = Array.isArray(claims.groups) ? claims.groups.filter((g): g is string => typeof g === 'string') : [];
  return { username, groups: [...groups, 'system:authenticated'] };
}

/** Verifies what kubectl sent in `Authorization` (Bearer or PoP scheme, bearer or PoP token). */
export function verifyAuthorization(header: string | undefined, config: TokenVerifierConfig): VerifiedCaller {
  if (!header) reject('no credentials');
  const match = /^(Bearer|PoP)\s+(\S+)$/i.exec(header);
  if (!match) reject('unsupported authorization scheme');
  const token = match[2]!;
  const outer = decodeJws(token);
  if (!outer) reject('not a JWT');
  if (outer.header.typ === 'pop') {
    const claims = verifyPopToken(token, config);
    return { ...identity(claims), scheme: 'pop', claims };
  }
  const claims = verifyAccessToken(token, config);
  if (config.requirePop) reject('a PoP token is required');
  if (isObject(claims.cnf)) reject('PoP-bound access token presented as bearer');
  return { ...identity(claims), scheme: 'bearer', claims };
}

/** Verifies a PoP token (outer JWS) and returns the inner access token's claims. */
export function verifyPopToken(token: string, config: TokenVerifierConfig): JsonObject {
  const outer = decodeJws(token);
  if (!outer) reject('not a JWT');
  const { payload } = outer;
  const cnf = payload.cnf;
  if (!isObject(cnf) || !isObject(cnf.jwk)) reject('PoP token has no cnf.jwk');
  const jwk = cnf.jwk as { kty?: string; n?: string; e?: string };
  if (jwk.kty !== 'RSA' || typeof jwk.n !== 'string' || typeof jwk.e !== 'string') reject('PoP key must be RSA');
  if (outer.header.alg !== 'RS256') reject('PoP token must be RS256');
  if (!verifyJwsSignature(outer, publicKeyFromJwk({ n: jwk.n, e: jwk.e }))) reject('bad PoP signature');
  if (typeof payload.at !== 'string') reject('PoP token has no at');
  const inner = verifyAccessToken(payload.at, config);
  const innerCnf = inner.cnf;
  if (!isObject(innerCnf) || innerCnf.kid !== rsaJwkThumbprint({ n: jwk.n, e: jwk.e })) reject('PoP key does not match the access token cnf.kid');
  const ts = payload.ts;
  const window = config.popWindowSeconds ?? 15 * 60;
  if (typeof ts !== 'number' || Math.abs(nowSeconds() - ts) > window) reject('PoP ts outside the allowed window');
  if (payload.u !== config.popHost) reject('PoP u does not match this host');
  return inner;
}
