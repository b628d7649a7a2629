/**
 * Proof-of-Possession helpers for tests: an RSA-2048 PoP key (kid = RFC 7638 thumbprint), the
 * `req_cnf` parameter Entra expects, and a signed PoP token in the shape kubelogin and Azure
 * Arc's guard use: header {typ:"pop", alg:"RS256", kid}, payload {at, ts, u, cnf:{jwk}, nonce}.
 */
import * as crypto from 'node:crypto';
import { b64urlJson, createSigningKey, nowSeconds, signJws, type SigningKey } from '../emulators/jose/jose.js';

export interface PopKey {
  kid: string;
  key: SigningKey;
  /** base64url of {"kid": <thumbprint>} for the token request. */
  reqCnf: string;
}

export function createPopKey(): PopKey {
  const key = createSigningKey();
  return { kid: key.kid, key, reqCnf: b64urlJson({ kid: key.kid }) };
}

export function signPopToken(input: { at: string; u: string; key: PopKey; ts?: number; nonce?: string }): string {
  const { n, e } = input.key.key.jwk;
  return signJws(
    { typ: 'pop', alg: 'RS256', kid: input.key.kid },
    { at: input.at, ts: input.ts ?? nowSeconds(), u: input.u, cnf: { jwk: { kty: 'RSA', e, n, kid: input.key.kid } }, nonce: input.nonce ?? crypto.randomUUID().replace(/-/g, '') },
    input.key.key.privateKey,
  );
}
