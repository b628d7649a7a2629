/**
 * A real (not fake) SecretBox for tests: AES-256-GCM with a random in-memory key, so tests see
 * sealed bytes on disk exactly as with a keychain-backed box.
 */
import * as crypto from 'node:crypto';
import type { SecretBox } from '../../shared/core/ports.js';

export function createTestSecretBox(key: Buffer = crypto.randomBytes(32)): SecretBox {
  return {
    kind: 'test-aes-gcm',
    protects: true,
    async encrypt(plain) {
      const iv = crypto.randomBytes(12);
      const c = crypto.createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([c.update(plain), c.final()]);
      return Buffer.concat([iv, c.getAuthTag(), body]);
    },
    async decrypt(sealed) {
      const buf = Buffer.from(sealed);
      const d = crypto.createDecipheriv('aes-256-gcm', key, buf.subarray(0, 12));
      d.setAuthTag(buf.subarray(12, 28));
      return Buffer.concat([d.update(buf.subarray(28)), d.final()]);
    },
  };
}
