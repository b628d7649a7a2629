/**
 * The signed PoP token that kubectl presents (Azure Arc / AKS PoP, the "SHR" of the MSAL
 * libraries): a compact JWS, header {typ:"pop", alg:"RS256", kid}, payload
 * {at, ts, u, cnf:{jwk}, nonce} plus any extra `--pop-claims`, signed with the PoP key.
 * A fresh nonce and timestamp on every call, as kubelogin does: the receiving side rejects
 * stale or replayed tokens, so a signed token is never cached — only the access token is.
 * kubelogin drops claims other than `u`; KubeTray includes them (they cannot override the
 * reserved members).
 */
import * as crypto from 'node:crypto';
import type { PopClaims } from './pop-claims.js';
import { base64url, type PopKey } from './pop-key.js';

const RESERVED = new Set(['at', 'ts', 'u', 'cnf', 'nonce']);

export interface PopTokenInput {
  accessToken: string;
  key: PopKey;
  claims: PopClaims;
  /** Epoch ms; default now. */
  now?: number;
  /** Default: 32 random hex characters (a dash-less UUID, like kubelogin). */
  nonce?: string;
}

export function buildPopToken(input: PopTokenInput): string {
  const header = { typ: 'pop', alg: 'RS256', kid: input.key.kid };
  const payload: Record<string, unknown> = {
    at: input.accessToken,
    ts: Math.floor((input.now ?? Date.now()) / 1000),
    u: input.claims.u,
    cnf: { jwk: input.key.jwk },
    nonce: input.nonce ?? crypto.randomUUID().replace(/-/g, ''),
  };
  for (const [k, v] of Object.entries(input.claims)) if (!RESERVED.has(k)) payload[k] = v;
  const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`;
  return `${signingInput}.${base64url(input.key.sign(signingInput))}`;
}
