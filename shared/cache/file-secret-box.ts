/**
 * Node SecretBox implementations for headless use and tests.
 *
 * - createKeyFileSecretBox: AES-256-GCM with a random key kept in a 0600 file NEXT TO the cache.
 *   `protects: false`: anyone who can read the cache can read the key. It only stops casual
 *   reading (grep, backups of the cache file alone). The tray uses Electron safeStorage instead.
 * - plainSecretBox: no encryption at all (explicit opt-in, e.g. containers with a tmpfs).
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AppError } from '../core/app-error.js';
import type { Logger } from '../core/log.js';
import type { SecretBox } from '../core/ports.js';
import { createAesGcmSecretBox } from './aes-gcm-box.js';
import { createFileExclusive, ensurePrivateDir } from './atomic-file.js';

export const plainSecretBox: SecretBox = {
  kind: 'plaintext',
  protects: false,
  encrypt: async (plain) => plain,
  decrypt: async (sealed) => sealed,
};

function loadOrCreateKey(keyFile: string): Buffer {
  try {
    const key = fs.readFileSync(keyFile);
    if (key.length !== 32) throw new AppError('secret/unavailable', `The cache key ${keyFile} is damaged: delete it and the cache files, then sign in again.`);
    return key;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') {
      if (e instanceof AppError) throw e;
      throw new AppError('secret/unavailable', `Cannot read the cache key ${keyFile}: check its permissions.`, { cause: e });
    }
  }
  ensurePrivateDir(path.dirname(keyFile));
  try {
    // Of two processes creating the key at once, one key wins and both use it.
    createFileExclusive(keyFile, crypto.randomBytes(32), 0o600);
  } catch (e) {
    throw new AppError('secret/unavailable', `Cannot create the cache key ${keyFile}.`, { cause: e });
  }
  return fs.readFileSync(keyFile);
}

export function createKeyFileSecretBox(keyFile: string, log?: Logger): SecretBox {
  const key = loadOrCreateKey(keyFile);
  log?.warn(
    'token cache encrypted with a key stored in a local file: this only stops casual reading. Use the KubeTray app for OS-protected storage.',
    { keyFile },
  );
  return createAesGcmSecretBox(key, {
    kind: 'aes-gcm-key-file',
    protects: false,
    undecryptableMessage: 'Sealed data cannot be decrypted with this key (it was written with another key, or damaged).',
  });
}
