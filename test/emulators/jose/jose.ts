/**
 * Minimal JOSE for the emulators: compact JWS sign/verify (RS256, PS256) with node:crypto,
 * base64url, and RFC 7638 JWK thumbprints. The emulators must verify what real clients send
 * (msal-node's client assertions, PoP tokens), so this is deliberately strict about format.
 */
import * as crypto from 'node:crypto';

export type JwtAlg = 'RS256' | 'PS256';
export type JsonObject = Record<string, unknown>;

export function b64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

export function b64urlJson(value: unknown): string {
  return b64url(JSON.stringify(value));
}

export function fromB64url(text: string): Buffer {
  return Buffer.from(text, 'base64url');
}

export interface DecodedJws {
  header: JsonObject;
  payload: JsonObject;
  signingInput: string;
  signature: Buffer;
}

/** Splits and parses a compact JWS without verifying it; null when it is not one. */
export function decodeJws(token: string): DecodedJws | null {
  const parts = token.split('.');
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]*$/.test(p))) return null;
  try {
    const header = JSON.parse(fromB64url(parts[0]!).toString('utf8')) as unknown;
    const payload = JSON.parse(fromB64url(parts[1]!).toString('utf8')) as unknown;
    if (!isObject(header) || !isObject(payload)) return null;
    return { header, payload, signingInput: `${parts[0]}.${parts[1]}`, signature: fromB64url(parts[2]!) };
  } catch {
    return null;
  }
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function signJws(header: JsonObject, payload: JsonObject, key: crypto.KeyObject): string {
  const alg = (header.alg ?? 'RS256') as JwtAlg;
  const input = `${b64urlJson({ ...header, alg })}.${b64urlJson(payload)}`;
  const signature =
    alg === 'PS256'
      ? crypto.sign('sha256', Buffer.from(input), { key, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 })
      : crypto.sign('sha256', Buffer.from(input), key);
  return `${input}.${b64url(signature)}`;
}

/** Verifies the signature of a decoded JWS with an RSA public key; only RS256/PS256 are accepted. */
export function verifyJwsSignature(jws: DecodedJws, key: crypto.KeyObject): boolean {
  const alg = jws.header.alg;
  const data = Buffer.from(jws.signingInput);
  try {
    if (alg === 'RS256') return crypto.verify('sha256', data, key, jws.signature);
    if (alg === 'PS256') {
      return crypto.verify('sha256', data, { key, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: crypto.constants.RSA_PSS_SALTLEN_AUTO }, jws.signature);
    }
  } catch {
    return false;
  }
  return false;
}

/** RFC 7638 thumbprint of an RSA public JWK: SHA-256 over {"e","kty","n"} in that order. */
export function rsaJwkThumbprint(jwk: { e: string; n: string }): string {
  const canonical = JSON.stringify({ e: jwk.e, kty: 'RSA', n: jwk.n });
  return b64url(crypto.createHash('sha256').update(canonical).digest());
}

export interface SigningKey {
  kid: string;
  privateKey: crypto.KeyObject;
  publicKey: crypto.KeyObject;
  /** Public JWK with kid, use=sig, alg=RS256 (the JWKS entry). */
  jwk: JsonWebKeyRsa;
}

export interface JsonWebKeyRsa {
  kty: 'RSA';
  kid: string;
  use: 'sig';
  alg: 'RS256';
  n: string;
  e: string;
  x5c?: string[];
}

/** A fresh RSA-2048 signing key whose kid is its RFC 7638 thumbprint. */
export function createSigningKey(): SigningKey {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  return signingKeyFrom(privateKey, publicKey);
}

export function signingKeyFrom(privateKey: crypto.KeyObject, publicKey: crypto.KeyObject): SigningKey {
  const exported = publicKey.export({ format: 'jwk' }) as { n: string; e: string };
  const kid = rsaJwkThumbprint(exported);
  return { kid, privateKey, publicKey, jwk: { kty: 'RSA', kid, use: 'sig', alg: 'RS256', n: exported.n, e: exported.e } };
}

export function publicKeyFromJwk(jwk: { n: string; e: string }): crypto.KeyObject {
  return crypto.createPublicKey({ key: { kty: 'RSA', n: jwk.n, e: jwk.e }, format: 'jwk' });
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
