/**
 * "Keep tokens in memory only": a SecretBox whose AES-256-GCM key lives only in this process.
 * The broker's cache files are still written (the cache plugin expects a file), but nobody,
 * this app included, can read them after the process ends: effectively memory-only, with no
 * change to the broker. Offered when the OS gives no real protection (Linux basic_text).
 */
import * as crypto from 'node:crypto';
import { AppError } from '../shared/core/app-error.js';
import type { SecretBox } from '../shared/core/ports.js';

const IV_BYTES = 12;
const TAG_BYTES = 16;

export function createEphemeralSecretBox(): SecretBox {
  const key = crypto.randomBytes(32);
  return {
    kind: 'memory only (key never leaves this process)',
    protects: true,
    async encrypt(plain) {
      const iv = crypto.randomBytes(IV_BYTES);
      const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain), cipher.final()]);
      return new Uint8Array(Buffer.concat([iv, cipher.getAuthTag(), body]));
    },
    async decrypt(sealed) {
      try {
        const buf = Buffer.from(sealed);
        const decipher = crypto.createDecipheriv('aes-256-gcm', key, buf.subarray(0, IV_BYTES));
        decipher.setAuthTag(buf.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
        return new Uint8Array(Buffer.concat([decipher.update(buf.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]));
      } catch (e) {
        // Written by an earlier run (its key is gone): start a fresh cache, sign in again.
        throw new AppError('cache/corrupt', 'Tokens from an earlier run are not readable in memory-only mode; sign in again.', { cause: e });
      }
    },
  };
}
