/**
 * `kubetray remove-tokens`: kubelogin's older name for remove-cache-dir (kubelogin prints a
 * deprecation note and takes --token-cache-dir). Same effect here: the running broker forgets
 * everything and the cache directory is deleted (see remove-cache-dir.ts).
 */
import type { CliIo } from '../cli-io.js';
import { removeEverything, type RemoveDeps } from './remove-cache-dir.js';

export async function runRemoveTokens(argv: string[], io: CliIo, deps: RemoveDeps = {}): Promise<number> {
  io.stderr('kubetray: remove-tokens is an older name: remove-cache-dir does the same.\n');
  return removeEverything(argv, io, deps, 'remove-tokens');
}
