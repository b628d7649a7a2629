/**
 * SecretBox on Electron's safeStorage (Keychain, DPAPI, libsecret/kwallet).
 *
 * electron 45: the sync encryptString/decryptString are deprecated; use the async pair when
 * isAsyncEncryptionAvailable() resolves true. safeStorage speaks strings, the port speaks
 * bytes: the bytes travel as base64 inside the sealed string.
 * On Linux, getSelectedStorageBackend() === 'basic_text' means a hard-coded key (no
 * protection): `protects` is false and the window offers memory-only caching.
 */
import { safeStorage } from 'electron';
import { AppError } from '../shared/core/app-error.js';
import type { SecretBox } from '../shared/core/ports.js';

export async function createSafeStorageBox(platform: NodeJS.Platform = process.platform): Promise<SecretBox> {
  const asyncOk = await safeStorage.isAsyncEncryptionAvailable().catch(() => false);
  const syncOk = safeStorage.isEncryptionAvailable();
  if (!asyncOk && !syncOk) {
    throw new AppError('secret/unavailable', 'No OS key store is available to protect the token cache. Unlock your keyring (or enable memory-only caching in Settings).');
  }
  const backend = platform === 'linux' ? safeStorage.getSelectedStorageBackend() : undefined;
  const protects = backend !== 'basic_text' && backend !== 'unknown';
  const kind = backend ? `safeStorage (${backend})` : 'safeStorage';
  return {
    kind,
    protects,
    async encrypt(plain) {
      const text = Buffer.from(plain).toString('base64');
      // The sync call is deprecated in electron 45; it is only the fallback when the async encryptor is missing.
      const sealed = asyncOk ? await safeStorage.encryptStringAsync(text) : safeStorage.encryptString(text);
      return new Uint8Array(sealed);
    },
    async decrypt(sealed) {
      try {
        // shouldReEncrypt (key rotated) needs no action: the cache plugin re-seals on its next write.
        const text = asyncOk ? (await safeStorage.decryptStringAsync(Buffer.from(sealed))).result : safeStorage.decryptString(Buffer.from(sealed));
        return new Uint8Array(Buffer.from(text, 'base64'));
      } catch (e) {
        throw new AppError('cache/corrupt', 'The token cache could not be decrypted (the OS key changed?). Sign in again; KubeTray will start a fresh cache.', { cause: e });
      }
    },
  };
}
