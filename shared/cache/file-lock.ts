/**
 * A cross-process lock file (`<target>.lock`) for cache writers: the tray and a headless
 * `kubetray get-token` may write the same cache. Created with O_EXCL; holds {pid, host, time}.
 * Stale-lock recovery (msal-node-extensions has none): a lock whose pid is dead on this host, or
 * whose file is older than `staleMs`, is broken. Inside one process an async mutex orders
 * waiters first, so they do not poll against their own process.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import { AppError } from '../core/app-error.js';

export interface FileLockOptions {
  /** Give up after this long (default 10 s). */
  timeoutMs?: number;
  /** A lock older than this is stale (default 30 s; writes take milliseconds). */
  staleMs?: number;
  /** Poll interval while another process holds the lock (default 15 ms). */
  retryMs?: number;
}

export type ReleaseLock = () => void;

const inProcess = new Map<string, Promise<void>>();

interface LockOwner {
  pid: number;
  host: string;
  time: number;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function isStale(lockFile: string, staleMs: number): boolean {
  let st: fs.Stats;
  let owner: Partial<LockOwner> = {};
  try {
    st = fs.statSync(lockFile);
    owner = JSON.parse(fs.readFileSync(lockFile, 'utf8')) as Partial<LockOwner>;
  } catch (e) {
    // Vanished (released) or half-written by a crashed creator: stale only if old.
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    try {
      return Date.now() - fs.statSync(lockFile).mtimeMs > staleMs;
    } catch {
      return false;
    }
  }
  if (Date.now() - st.mtimeMs > staleMs) return true;
  return owner.host === os.hostname() && typeof owner.pid === 'number' && owner.pid !== process.pid && !pidAlive(owner.pid);
}

function tryCreate(lockFile: string): boolean {
  try {
    const fd = fs.openSync(lockFile, 'wx', 0o600);
    try {
      fs.writeSync(fd, JSON.stringify({ pid: process.pid, host: os.hostname(), time: Date.now() } satisfies LockOwner));
    } finally {
      fs.closeSync(fd);
    }
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new AppError('cache/io', `Cannot create the cache lock ${lockFile}: check that the cache directory is writable.`, { cause: e });
  }
}

async function acquireCrossProcess(lockFile: string, options: FileLockOptions): Promise<ReleaseLock> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const staleMs = options.staleMs ?? 30_000;
  const retryMs = options.retryMs ?? 15;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (tryCreate(lockFile)) {
      let released = false;
      return () => {
        if (released) return;
        released = true;
        fs.rmSync(lockFile, { force: true });
      };
    }
    if (isStale(lockFile, staleMs)) {
      // Break it by renaming to a unique name: of two breakers only one rename succeeds.
      const aside = `${lockFile}.stale-${process.pid}-${Date.now()}`;
      try {
        fs.renameSync(lockFile, aside);
        fs.rmSync(aside, { force: true });
      } catch {
        // Someone else broke or released it first.
      }
      continue;
    }
    if (Date.now() > deadline) {
      throw new AppError('cache/locked', `The token cache is locked by another KubeTray process (${lockFile}). If none is running, delete that file.`);
    }
    await new Promise((r) => setTimeout(r, retryMs));
  }
}

/** Takes the lock for `target` (file `<target>.lock`); call the returned function to release. */
export async function acquireFileLock(target: string, options: FileLockOptions = {}): Promise<ReleaseLock> {
  const lockFile = `${target}.lock`;
  const previous = inProcess.get(lockFile) ?? Promise.resolve();
  let releaseLocal!: () => void;
  const mine = new Promise<void>((r) => (releaseLocal = r));
  const chained = previous.then(() => mine);
  inProcess.set(lockFile, chained);
  await previous;
  try {
    const releaseFile = await acquireCrossProcess(lockFile, options);
    return () => {
      releaseFile();
      releaseLocal();
      if (inProcess.get(lockFile) === chained) inProcess.delete(lockFile);
    };
  } catch (e) {
    releaseLocal();
    if (inProcess.get(lockFile) === chained) inProcess.delete(lockFile);
    throw e;
  }
}
