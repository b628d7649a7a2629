/**
 * Client authentication at the token endpoint (Microsoft identity platform rules):
 *  - public clients send no credential (AADSTS700025 if they do, for public-only apps);
 *  - confidential clients send client_secret (body or HTTP Basic), or a client_assertion JWT:
 *    * certificate credential: RS256/PS256 signed, header x5t (SHA-1) or x5t#S256 naming a
 *      registered certificate, iss = sub = client id, aud = the token endpoint, exp/nbf, jti
 *      (https://learn.microsoft.com/entra/identity-platform/certificate-credentials);
 *    * federated credential (workload identity): a token from a trusted external issuer whose
 *      iss/sub/aud match a federated identity credential of the app (default audience
 *      api://AzureADTokenExchange), verified against that issuer's JWKS.
 */
import * as crypto from 'node:crypto';
import { decodeJws, nowSeconds, publicKeyFromJwk, verifyJwsSignature, type DecodedJws, type JsonWebKeyRsa } from '../jose/jose.js';
import { certificateThumbprints } from '../tls/test-ca.js';
import type { EntraApp } from './entra-directory.js';
import { fail } from './entra-errors.js';

export const JWT_BEARER_ASSERTION = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
export const TOKEN_EXCHANGE_AUDIENCE = 'api://AzureADTokenExchange';
/** Entra allows 5 minutes of clock skew on assertions. */
const SKEW_SECONDS = 300;

export type ClientAuthMethod = 'none' | 'secret' | 'certificate' | 'federated';

export interface TrustedIssuer {
  issuer: string;
  keys: JsonWebKeyRsa[];
}

export interface ClientAuthOptions {
  tokenEndpoints: string[];
  trustedIssuers: Map<string, TrustedIssuer>;
  /** Reject a reused jti. Off by default: msal-node reuses its cached assertion for 10 minutes. */
  rejectJtiReplay: boolean;
  seenJtis: Set<string>;
}

export function basicCredentials(authorization: string | undefined): { clientId: string; secret: string } | undefined {
  if (!authorization?.startsWith('Basic ')) return undefined;
  const decoded = Buffer.from(authorization.slice(6), 'base64').toString('utf8');
  const i = decoded.indexOf(':');
  if (i < 0) return undefined;
  return { clientId: decodeURIComponent(decoded.slice(0, i)), secret: decodeURIComponent(decoded.slice(i + 1)) };
}

function timingSafeEqualText(a: string, b: string): boolean {
  const ha = crypto.createHash('sha256').update(a).digest();
  const hb = crypto.createHash('sha256').update(b).digest();
  return crypto.timingSafeEqual(ha, hb);
}

/**
 * Authenticates the client of a token request. `app` is undefined for unknown clients the
 * tenant accepts as public. Throws EntraError on failure.
 */
export function authenticateClient(
  params: URLSearchParams,
  authorization: string | undefined,
  app: EntraApp | undefined,
  options: ClientAuthOptions,
): ClientAuthMethod {
  const basic = basicCredentials(authorization);
  const secret = params.get('client_secret') ?? basic?.secret ?? undefined;
  const assertion = params.get('client_assertion') ?? undefined;
  if (!app) {
    if (secret !== undefined || assertion !== undefined) fail('appNotFound');
    return 'none';
  }
  if (secret === undefined && assertion === undefined) {
    if (app.publicClient) return 'none';
    fail('clientAuthRequired');
  }
  if (secret !== undefined) {
    if (app.publicClient && app.secrets.length === 0) fail('publicClientWithSecret');
    if (!app.secrets.some((s) => timingSafeEqualText(s, secret))) fail('invalidSecret');
    return 'secret';
  }
  if (params.get('client_assertion_type') !== JWT_BEARER_ASSERTION) fail('assertionInvalid', "client_assertion_type must be 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'.");
  const jws = decodeJws(assertion!);
  if (!jws) fail('assertionInvalid');
  if (typeof jws.header.x5t === 'string' || typeof jws.header['x5t#S256'] === 'string') {
    verifyCertificateAssertion(jws, app, options);
    return 'certificate';
  }
  verifyFederatedAssertion(jws, app, options);
  return 'federated';
}

function checkTimes(payload: Record<string, unknown>): void {
  const now = nowSeconds();
  const exp = payload.exp;
  const nbf = payload.nbf;
  if (typeof exp !== 'number' || exp + SKEW_SECONDS < now) fail('assertionTime', 'The assertion has expired.');
  if (typeof nbf === 'number' && nbf - SKEW_SECONDS > now) fail('assertionTime', 'The assertion is not yet valid.');
}

function verifyCertificateAssertion(jws: DecodedJws, app: EntraApp, options: ClientAuthOptions): void {
  const x5t = jws.header.x5t as string | undefined;
  const x5tS256 = jws.header['x5t#S256'] as string | undefined;
  const match = app.certificates.find((pem) => {
    const t = certificateThumbprints(pem);
    if (x5tS256) return Buffer.from(t.thumbprintSha256, 'hex').toString('base64url') === x5tS256;
    return Buffer.from(t.thumbprintSha1, 'hex').toString('base64url') === x5t;
  });
  if (!match) fail('assertionSignature', 'No registered certificate has that thumbprint.');
  if (!verifyJwsSignature(jws, new crypto.X509Certificate(match).publicKey)) fail('assertionSignature');
  const { payload } = jws;
  if (payload.iss !== app.appId || payload.sub !== app.appId) fail('assertionInvalid', 'iss and sub must be the client id.');
  const aud = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
  if (!aud.some((a) => typeof a === 'string' && options.tokenEndpoints.includes(a))) {
    fail('assertionInvalid', 'The assertion audience must be the token endpoint.');
  }
  checkTimes(payload);
  if (typeof payload.jti !== 'string' || payload.jti === '') fail('assertionInvalid', 'The assertion has no jti.');
  if (options.rejectJtiReplay) {
    if (options.seenJtis.has(payload.jti)) fail('assertionReplay');
    options.seenJtis.add(payload.jti);
  }
}

function verifyFederatedAssertion(jws: DecodedJws, app: EntraApp, options: ClientAuthOptions): void {
  const { payload } = jws;
  const issuer = typeof payload.iss === 'string' ? payload.iss : '';
  const trusted = options.trustedIssuers.get(issuer);
  const candidates = app.federatedCredentials.filter((f) => f.issuer === issuer);
  if (!trusted || candidates.length === 0) fail('federatedIssuerUnknown', `Issuer '${issuer}' has no federated identity credential on this app.`);
  const key = trusted.keys.find((k) => k.kid === jws.header.kid) ?? (trusted.keys.length === 1 ? trusted.keys[0] : undefined);
  if (!key || !verifyJwsSignature(jws, publicKeyFromJwk(key))) fail('assertionSignature', 'The federated token signature does not verify against the issuer keys.');
  checkTimes(payload);
  const subjectMatches = candidates.filter((f) => f.subject === payload.sub);
  if (subjectMatches.length === 0) fail('federatedNoMatch', `No federated identity credential matches subject '${String(payload.sub)}'.`);
  const aud = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
  const ok = subjectMatches.some((f) => (f.audiences ?? [TOKEN_EXCHANGE_AUDIENCE]).some((a) => aud.includes(a)));
  if (!ok) fail('assertionAudience');
}
