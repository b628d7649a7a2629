/**
 * The pipe's challenge-response (protocol.ts): both sides prove they know the per-install
 * secret without sending it. Loaded by the client only when it uses the handshake (Windows by
 * default), so the Unix hot path stays free of node:crypto.
 */
import * as crypto from 'node:crypto';

export function newNonce(): string {
  return crypto.randomBytes(32).toString('hex');
}

export function handshakeProof(secret: string, label: string, nonce: string): string {
  return crypto.createHmac('sha256', secret).update(label).update(nonce).digest('hex');
}

/** Constant-time comparison of two proofs (hex strings of any length). */
export function proofsEqual(expected: string, given: string): boolean {
  const a = crypto.createHash('sha256').update(expected).digest();
  const b = crypto.createHash('sha256').update(given).digest();
  return crypto.timingSafeEqual(a, b);
}
