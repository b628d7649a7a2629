/**
 * The per-install pipe secret: 32 random bytes (hex) in a 0600 file in $KUBETRAY_HOME. Every
 * request carries it, because a path is not an access check everywhere (Windows named pipes are
 * open to Everyone by default; a shared /tmp fallback dir could be pre-created by someone else).
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AppError } from '../core/app-error.js';

const SECRET_BYTES = 32;

/** Reads the secret, creating it (0600, exclusive create) on first use. For servers. */
export function ensurePipeSecret(file: string): string {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  try {
    const fd = fs.openSync(file, 'wx', 0o600);
    try {
      fs.writeSync(fd, crypto.randomBytes(SECRET_BYTES).toString('hex'));
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw new AppError('secret/unavailable', `Cannot create the pipe secret in ${path.dirname(file)}: check that KUBETRAY_HOME is writable.`, { cause: error });
    }
  }
  if (process.platform !== 'win32') {
    const st = fs.statSync(file);
    if ((st.mode & 0o077) !== 0) fs.chmodSync(file, 0o600);
  }
  const secret = readPipeSecret(file);
  if (secret === undefined) {
    throw new AppError('secret/unavailable', `The pipe secret ${file} is empty or unreadable: delete it and start KubeTray again.`);
  }
  return secret;
}

/** Reads the secret; undefined when there is none yet (no broker ever ran). For clients. */
export function readPipeSecret(file: string): string | undefined {
  try {
    const text = fs.readFileSync(file, 'utf8').trim();
    return text === '' ? undefined : text;
  } catch {
    return undefined;
  }
}

/** Constant-time comparison (hash first so lengths never leak through timing). */
export function pipeSecretsEqual(expected: string, given: string): boolean {
  const a = crypto.createHash('sha256').update(expected).digest();
  const b = crypto.createHash('sha256').update(given).digest();
  return crypto.timingSafeEqual(a, b);
}
