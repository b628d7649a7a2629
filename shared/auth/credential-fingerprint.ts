/**
 * A non-secret stand-in for a credential in keys and logs. HMAC with a per-process random key:
 * stable within one broker (so the same secret finds its cached token), useless for guessing a
 * low-entropy secret from a key shown in the window or a log.
 */
import * as crypto from 'node:crypto';

const processKey = crypto.randomBytes(32);

export function credentialFingerprint(...parts: (string | undefined)[]): string {
  const h = crypto.createHmac('sha256', processKey);
  for (const p of parts) h.update(p ?? '\u0000').update('\u0001');
  return 'cred:' + h.digest('base64url').slice(0, 16);
}
