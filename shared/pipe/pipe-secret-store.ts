/**
 * Server side of the pipe secret: create it on first serve (32 random bytes, hex, 0600,
 * exclusive create) and compare in constant time.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createFileExclusive } from '../cache/atomic-file.js';
import { AppError } from '../core/app-error.js';
import { readPipeSecret } from './pipe-secret.js';

const SECRET_BYTES = 32;

/** Reads the secret, creating it (0600, exclusive create) on first use. For servers. */
export function ensurePipeSecret(file: string): string {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  try {
    // Written whole under a temp name, then linked into place: a concurrent reader, or a crash
    // half-way, never leaves an empty secret file behind (which would stop every broker start).
    createFileExclusive(file, Buffer.from(crypto.randomBytes(SECRET_BYTES).toString('hex')), 0o600);
  } catch (error) {
    throw new AppError('secret/unavailable', `Cannot create the pipe secret in ${path.dirname(file)}: check that KUBETRAY_HOME is writable.`, { cause: error });
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

/** Constant-time comparison (hash first so lengths never leak through timing). */
export function pipeSecretsEqual(expected: string, given: string): boolean {
  const a = crypto.createHash('sha256').update(expected).digest();
  const b = crypto.createHash('sha256').update(given).digest();
  return crypto.timingSafeEqual(a, b);
}
