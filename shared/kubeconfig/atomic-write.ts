/**
 * Crash-safe file replacement for kubeconfigs: a reader (kubectl, or KubeTray itself) sees either
 * the whole old file or the whole new one, never a half-written file.
 *
 *   1. write a temp file in the SAME directory (rename is atomic only within one filesystem),
 *      named `.<name>.kubetray-<pid>-<random>.tmp` so no kubeconfig list ever names it;
 *   2. give it the old file's mode (and owner, where the process may chown), fsync it;
 *   3. optionally check the file did not change since it was read, and keep a backup;
 *   4. rename over the original, then fsync the directory so the rename itself is durable.
 *
 * Temp files left by a writer that died (its pid no longer runs) are removed on the next write.
 * A symlinked kubeconfig (dotfiles) is written through to its target; the link stays a link.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AppError } from '../core/app-error.js';

export interface AtomicWriteOptions {
  /** Keep the file's current content here (written atomically too) before replacing it. */
  backupPath?: string;
  /** Refuse to write when the file's current text is not this (someone edited it meanwhile). */
  expectedCurrent?: string;
  /** Mode for a file that does not exist yet (default 0600: kubeconfigs hold credentials). */
  newFileMode?: number;
  /** Force this mode whatever the file had (backups take the original's mode). */
  mode?: number;
  /** Test hook: called once the temp file is durable, just before the rename. */
  beforeRename?: (tempPath: string) => void;
}

export const BACKUP_SUFFIX = '.kubetray-backup';
const TEMP_MARK = '.kubetray-';

/** True for our temp files, so watchers and listings can ignore them. */
export function isAtomicTempFile(name: string): boolean {
  const base = path.basename(name);
  return base.startsWith('.') && base.includes(TEMP_MARK) && base.endsWith('.tmp');
}

function writeError(file: string, action: string, cause: unknown): AppError {
  const code = (cause as NodeJS.ErrnoException | undefined)?.code ?? 'error';
  return new AppError('kubeconfig/write', `Cannot ${action} ${file} (${code}): check that its folder is writable and the disk is not full; the original file was left as it was.`, {
    cause,
    detail: { file },
  });
}

function resolveTarget(file: string): string {
  try {
    return fs.realpathSync(file);
  } catch {
    return file;
  }
}

function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Not supported everywhere (Windows): the rename is still atomic, only its durability is weaker.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes temp files a crashed writer left for this file (their pid is gone). Best effort. */
export function removeStaleTemps(target: string): void {
  const dir = path.dirname(target);
  const prefix = `.${path.basename(target)}${TEMP_MARK}`;
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
    const pid = Number(name.slice(prefix.length).split('-')[0]);
    if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid || isAlive(pid)) continue;
    fs.rmSync(path.join(dir, name), { force: true });
  }
}

export function writeFileAtomicSync(file: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): void {
  const target = resolveTarget(file);
  const dir = path.dirname(target);
  removeStaleTemps(target);
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(target);
  } catch {
    stat = undefined;
  }
  const mode = options.mode ?? (stat ? stat.mode & 0o7777 : (options.newFileMode ?? 0o600));
  const temp = path.join(dir, `.${path.basename(target)}${TEMP_MARK}${process.pid}-${crypto.randomBytes(6).toString('hex')}.tmp`);
  let fd: number | undefined;
  try {
    fd = fs.openSync(temp, 'wx', 0o600);
    fs.writeFileSync(fd, data);
    fs.fchmodSync(fd, mode);
    if (stat && typeof process.getuid === 'function' && (stat.uid !== process.getuid() || stat.gid !== (process.getgid?.() ?? stat.gid))) {
      try {
        fs.fchownSync(fd, stat.uid, stat.gid);
      } catch {
        // Only root may give a file away; an ordinary user keeps owning what they write.
      }
    }
    fs.fsyncSync(fd);
  } catch (error) {
    if (fd !== undefined) fs.closeSync(fd);
    fd = undefined;
    fs.rmSync(temp, { force: true });
    throw writeError(target, 'write a temporary copy of', error);
  }
  fs.closeSync(fd);
  try {
    if (options.expectedCurrent !== undefined || options.backupPath !== undefined) {
      let current: Buffer | undefined;
      try {
        current = fs.readFileSync(target);
      } catch {
        current = undefined;
      }
      if (options.expectedCurrent !== undefined && (current === undefined || current.toString('utf8') !== options.expectedCurrent)) {
        throw new AppError('kubeconfig/write', `${target} changed while KubeTray was converting it: nothing was written; run the command again.`, { detail: { file: target } });
      }
      if (options.backupPath !== undefined && current !== undefined) writeFileAtomicSync(options.backupPath, current, { mode });
    }
    options.beforeRename?.(temp);
    fs.renameSync(temp, target);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    if (error instanceof AppError) throw error;
    throw writeError(target, 'replace', error);
  }
  fsyncDir(dir);
}
