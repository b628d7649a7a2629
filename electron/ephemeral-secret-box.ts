/**
 * "Keep tokens in memory only": a SecretBox whose AES-256-GCM key lives only in this process.
 * The broker's cache files are still written (the cache plugin expects a file), but nobody,
 * this app included, can read them after the process ends: effectively memory-only, with no
 * change to the broker. Offered when the OS gives no real protection (Linux basic_text).
 */
import * as crypto from 'node:crypto';
import { createAesGcmSecretBox } from '../shared/cache/aes-gcm-box.js';
import type { SecretBox } from '../shared/core/ports.js';

export function createEphemeralSecretBox(): SecretBox {
  return createAesGcmSecretBox(crypto.randomBytes(32), {
    kind: 'memory only (key never leaves this process)',
    protects: true,
    // Written by an earlier run (its key is gone): start a fresh cache, sign in again.
    undecryptableMessage: 'Tokens from an earlier run are not readable in memory-only mode; sign in again.',
  });
}
