/**
 * AES-256-GCM sealing shared by every SecretBox that holds its own key (the headless key file,
 * the tray's memory-only mode, tests). Sealed layout: version byte, 12-byte IV, 16-byte tag, body.
 * A blob that does not open (another key, damage, an older run's memory-only key) throws
 * `cache/corrupt` with `undecryptableMessage`: the cache plugin then starts empty.
 */
import * as crypto from 'node:crypto';
import { AppError } from '../core/app-error.js';
import type { SecretBox } from '../core/ports.js';

const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = 1 + IV_BYTES + TAG_BYTES;

export interface AesGcmBoxOptions {
  kind: string;
  protects: boolean;
  undecryptableMessage: string;
}

export function createAesGcmSecretBox(key: Buffer, options: AesGcmBoxOptions): SecretBox {
  if (key.length !== 32) throw new AppError('secret/unavailable', 'An AES-256 key must be 32 bytes.');
  return {
    kind: options.kind,
    protects: options.protects,
    async encrypt(plain) {
      const iv = crypto.randomBytes(IV_BYTES);
      const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain), cipher.final()]);
      return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), body]);
    },
    async decrypt(sealed) {
      const buf = Buffer.from(sealed);
      if (buf.length < HEADER_BYTES || buf[0] !== VERSION) throw new AppError('cache/corrupt', 'Sealed data has an unknown format.');
      const decipher = crypto.createDecipheriv('aes-256-gcm', key, buf.subarray(1, 1 + IV_BYTES));
      decipher.setAuthTag(buf.subarray(1 + IV_BYTES, HEADER_BYTES));
      try {
        return Buffer.concat([decipher.update(buf.subarray(HEADER_BYTES)), decipher.final()]);
      } catch (e) {
        throw new AppError('cache/corrupt', options.undecryptableMessage, { cause: e });
      }
    },
  };
}
