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
import { ensurePrivateDir, writeFileAtomic } from './atomic-file.js';

const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;

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
  const tmp = `${keyFile}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.new`;
  writeFileAtomic(tmp, crypto.randomBytes(32), 0o600);
  try {
    // link() fails if the key exists: of two processes creating it at once, one key wins.
    fs.linkSync(tmp, keyFile);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new AppError('secret/unavailable', `Cannot create the cache key ${keyFile}.`, { cause: e });
  } finally {
    fs.rmSync(tmp, { force: true });
  }
  return fs.readFileSync(keyFile);
}

export function createKeyFileSecretBox(keyFile: string, log?: Logger): SecretBox {
  const key = loadOrCreateKey(keyFile);
  log?.warn(
    'token cache encrypted with a key stored in a local file: this only stops casual reading. Use the KubeTray app for OS-protected storage.',
    { keyFile },
  );
  return {
    kind: 'aes-gcm-key-file',
    protects: false,
    async encrypt(plain) {
      const iv = crypto.randomBytes(IV_BYTES);
      const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain), cipher.final()]);
      return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), body]);
    },
    async decrypt(sealed) {
      const buf = Buffer.from(sealed);
      if (buf.length < 1 + IV_BYTES + TAG_BYTES || buf[0] !== VERSION) throw new AppError('cache/corrupt', 'Sealed data has an unknown format.');
      const iv = buf.subarray(1, 1 + IV_BYTES);
      const tag = buf.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
      const decipher = crypto.createDecipheriv('aes-256-gcm', key, iv);
      decipher.setAuthTag(tag);
      try {
        return Buffer.concat([decipher.update(buf.subarray(1 + IV_BYTES + TAG_BYTES)), decipher.final()]);
      } catch (e) {
        throw new AppError('cache/corrupt', 'Sealed data cannot be decrypted with this key (it was written with another key, or damaged).', { cause: e });
      }
    },
  };
}
