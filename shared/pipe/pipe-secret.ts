/**
 * Reading the per-install pipe secret: 32 random bytes (hex) in a 0600 file in $KUBETRAY_HOME.
 * Creating and comparing it is in pipe-secret-store.ts, so the client's hot path loads no
 * node:crypto. Every request carries it, because a path is not an access check everywhere (Windows named pipes are
 * open to Everyone by default; a shared /tmp fallback dir could be pre-created by someone else).
 */
import * as fs from 'node:fs';

/** Reads the secret; undefined when there is none yet (no broker ever ran). For clients. */
export function readPipeSecret(file: string): string | undefined {
  try {
    const text = fs.readFileSync(file, 'utf8').trim();
    return text === '' ? undefined : text;
  } catch {
    return undefined;
  }
}
