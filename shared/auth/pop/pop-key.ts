/**
 * The PoP signing key: RSA-2048, one per cache directory, persisted so that a PoP access token
 * cached by the broker (bound to the key's thumbprint) stays usable across restarts.
 *
 * kubelogin keeps its key in memory only (regenerated every 8 hours), so each process run
 * needs a fresh PoP token. KubeTray stores the key sealed with the SecretBox port (safeStorage /
 * OS keychain / 0600 fallback) in `<cacheDir>/pop-key.bin`, mode 0600, written atomically.
 *
 * kid = RFC 7638 JWK thumbprint (SHA-256 over {"e","kty","n"} in lexicographic order, base64url);
 * req_cnf = base64url of {"kid":<kid>,"xms_ksl":"sw"} — the shape kubelogin and MSAL send
 * ("sw": software key storage); Entra ID binds the access token to that kid (cnf claim).
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AppError } from '../../core/app-error.js';
import type { SecretBox } from '../../core/ports.js';
import { createFileExclusive } from '../../cache/atomic-file.js';

export const POP_KEY_FILE = 'pop-key.bin';

export interface PopPublicJwk {
  e: string;
  kty: 'RSA';
  n: string;
  alg: 'RS256';
  kid: string;
}

export interface PopKey {
  /** RFC 7638 thumbprint; also the JWS `kid`. */
  readonly kid: string;
  /** Public JWK as embedded in the PoP token's `cnf.jwk`. */
  readonly jwk: PopPublicJwk;
  /** Value for the token request's `req_cnf` parameter. */
  readonly reqCnf: string;
  /** RS256 (RSASSA-PKCS1-v1_5 with SHA-256) signature over `data`. */
  sign(data: string): Buffer;
}

export function base64url(input: Buffer | string): string {
  return Buffer.from(input).toString('base64url');
}

/** Builds the PoP key view of an RSA private key. */
export function popKeyFromPrivateKey(privateKey: crypto.KeyObject): PopKey {
  if (privateKey.asymmetricKeyType !== 'rsa') throw new AppError('internal', 'PoP key must be RSA');
  const pub = crypto.createPublicKey(privateKey).export({ format: 'jwk' }) as { e: string; n: string };
  // RFC 7638 §3.2: required members only, lexicographic order, no whitespace.
  const thumbprintInput = JSON.stringify({ e: pub.e, kty: 'RSA', n: pub.n });
  const kid = base64url(crypto.createHash('sha256').update(thumbprintInput).digest());
  const jwk: PopPublicJwk = { e: pub.e, kty: 'RSA', n: pub.n, alg: 'RS256', kid };
  const reqCnf = base64url(JSON.stringify({ kid, xms_ksl: 'sw' }));
  return {
    kid,
    jwk,
    reqCnf,
    sign: (data) => crypto.sign('sha256', Buffer.from(data), privateKey),
  };
}

export function generatePopPrivateKey(): crypto.KeyObject {
  return crypto.generateKeyPairSync('rsa', { modulusLength: 2048, publicExponent: 0x10001 }).privateKey;
}

interface Loaded {
  pending: Promise<PopKey>;
  /** inode:mtime of the file the key came from, once loaded. */
  stamp?: string;
}

const loaded = new Map<string, Loaded>();

function stampOf(file: string): string | undefined {
  try {
    const st = fs.statSync(file);
    return `${st.ino}:${st.mtimeMs}`;
  } catch {
    return undefined;
  }
}

/**
 * Loads the cache directory's PoP key, creating it on first use. Concurrent callers in one
 * process share one load. Across processes the first writer wins; a later loser re-reads so
 * everybody signs with the same key. A key whose file was removed (`kubetray remove-cache-dir`
 * from another process while the tray runs) or replaced is dropped from memory too: one stat
 * per call, so "remove everything" really means the running broker's key as well.
 */
export function loadOrCreatePopKey(cacheDir: string, box: SecretBox): Promise<PopKey> {
  const file = path.join(path.resolve(cacheDir), POP_KEY_FILE);
  const current = loaded.get(file);
  if (current && (current.stamp === undefined || current.stamp === stampOf(file))) return current.pending;
  const entry: Loaded = { pending: loadOrCreate(file, box) };
  loaded.set(file, entry);
  entry.pending.then(
    () => {
      entry.stamp = stampOf(file) ?? 'gone';
    },
    () => {
      if (loaded.get(file) === entry) loaded.delete(file);
    },
  );
  return entry.pending;
}

/** Forgets in-memory keys (after `remove-tokens` deleted the files). */
export function forgetPopKeys(cacheDir?: string): void {
  if (cacheDir === undefined) loaded.clear();
  else loaded.delete(path.join(path.resolve(cacheDir), POP_KEY_FILE));
}

async function readKey(file: string, box: SecretBox): Promise<PopKey | undefined> {
  let sealed: Buffer;
  try {
    sealed = fs.readFileSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new AppError('cache/io', `Cannot read the PoP key ${file}: check its permissions, or run \`kubetray remove-tokens\` to start over.`, { cause: e });
  }
  try {
    const pem = Buffer.from(await box.decrypt(sealed)).toString('utf8');
    return popKeyFromPrivateKey(crypto.createPrivateKey(pem));
  } catch (e) {
    throw new AppError('cache/corrupt', `The PoP key ${file} cannot be decrypted: run \`kubetray remove-tokens\` to replace it.`, { cause: e });
  }
}

async function loadOrCreate(file: string, box: SecretBox): Promise<PopKey> {
  const existing = await readKey(file, box);
  if (existing) return existing;
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const privateKey = generatePopPrivateKey();
  const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
  const sealed = await box.encrypt(Buffer.from(pem, 'utf8'));
  try {
    // Of two processes creating the key at once, one key wins and both use it.
    createFileExclusive(file, sealed);
  } catch (e) {
    throw new AppError('cache/io', `Cannot store the PoP key in ${path.dirname(file)}: check that the directory is writable.`, { cause: e });
  }
  const key = await readKey(file, box);
  if (!key) throw new AppError('cache/io', `The PoP key ${file} vanished while it was being created: try again.`);
  return key;
}
