/**
 * Independent PoP token checker for tests: verifies the RS256 signature with the JWK carried in
 * `cnf.jwk`, and that `kid` is that JWK's RFC 7638 thumbprint. Written from the RFCs, not from
 * the code under test.
 */
import * as crypto from 'node:crypto';

export interface DecodedPop {
  header: { typ: string; alg: string; kid: string };
  payload: { at: string; ts: number; u: string; nonce: string; cnf: { jwk: { e: string; n: string; kty: string; kid?: string } } } & Record<string, unknown>;
}

export function verifyPopToken(token: string): DecodedPop {
  const parts = token.split('.');
  if (parts.length !== 3) throw new Error('not a compact JWS');
  const [h, p, s] = parts as [string, string, string];
  const header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as DecodedPop['header'];
  const payload = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as DecodedPop['payload'];
  const jwk = payload.cnf.jwk;
  const key = crypto.createPublicKey({ key: { kty: 'RSA', e: jwk.e, n: jwk.n }, format: 'jwk' });
  if (!crypto.verify('sha256', Buffer.from(`${h}.${p}`), key, Buffer.from(s, 'base64url'))) throw new Error('bad signature');
  const thumb = crypto.createHash('sha256').update(`{"e":"${jwk.e}","kty":"RSA","n":"${jwk.n}"}`).digest('base64url');
  if (thumb !== header.kid) throw new Error('kid is not the JWK thumbprint');
  return { header, payload };
}
