/**
 * A real (not fake) SecretBox for tests: AES-256-GCM with a random in-memory key, so tests see
 * sealed bytes on disk exactly as with a keychain-backed box.
 */
import * as crypto from 'node:crypto';
import { createAesGcmSecretBox } from '../../shared/cache/aes-gcm-box.js';
import type { SecretBox } from '../../shared/core/ports.js';

export function createTestSecretBox(key: Buffer = crypto.randomBytes(32)): SecretBox {
  return createAesGcmSecretBox(key, { kind: 'test-aes-gcm', protects: true, undecryptableMessage: 'Sealed with another test key.' });
}
