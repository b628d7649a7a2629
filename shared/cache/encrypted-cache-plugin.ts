/**
 * msal-node ICachePlugin: MSAL's whole cache as ONE SecretBox-sealed blob per file.
 * - every access hands MSAL the file's state (msal-node's overwriteCache clears memory and
 *   expects beforeCacheAccess to deserialize); the file is only re-read and decrypted when it
 *   changed (another process or another app instance wrote), else the last JSON is reused;
 * - a write takes the cross-process lock in beforeCacheAccess (MSAL then merges its change into
 *   the freshly loaded state) and releases it in afterCacheAccess, so writers never lose each
 *   other's entries; the file is replaced atomically, mode 0600 in a 0700 directory;
 * - a corrupt or undecryptable file never stops sign-in: it is moved aside as
 *   `<file>.corrupt-<time>`, a warning is logged, and the cache starts empty.
 * - inside one application, every beforeCacheAccess..afterCacheAccess pair runs alone: msal-node
 *   awaits between the two, and a concurrent read would otherwise reload the file over a write
 *   that is half applied in memory (and silently drop its new entries);
 * Use one plugin instance per MSAL application (it tracks what that app's cache has loaded).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ICachePlugin, TokenCacheContext } from '@azure/msal-node';
import { AppError } from '../core/app-error.js';
import type { Logger } from '../core/log.js';
import type { SecretBox } from '../core/ports.js';
import { ensurePrivateDir, writeFileAtomic } from './atomic-file.js';
import { acquireFileLock, type FileLockOptions, type ReleaseLock } from './file-lock.js';

const MAGIC = 'KTCACHE1\n';

export interface EncryptedCachePluginOptions {
  file: string;
  secretBox: SecretBox;
  log: Logger;
  lock?: FileLockOptions;
  /** Longest one cache access may hold the app's turn (default 15 s). */
  turnTimeoutMs?: number;
}

interface FileStamp {
  mtimeMs: number;
  size: number;
  ino: number;
}

function stamp(file: string): FileStamp | undefined {
  try {
    const st = fs.statSync(file);
    return { mtimeMs: st.mtimeMs, size: st.size, ino: st.ino };
  } catch {
    return undefined;
  }
}

const sameStamp = (a: FileStamp | undefined, b: FileStamp | undefined): boolean =>
  a !== undefined && b !== undefined && a.mtimeMs === b.mtimeMs && a.size === b.size && a.ino === b.ino;

export async function sealCache(box: SecretBox, json: string): Promise<Buffer> {
  const sealed = await box.encrypt(Buffer.from(json, 'utf8'));
  return Buffer.concat([Buffer.from(MAGIC, 'utf8'), Buffer.from(sealed)]);
}

export async function unsealCache(box: SecretBox, data: Buffer): Promise<string> {
  const magic = Buffer.from(MAGIC, 'utf8');
  if (data.length < magic.length || !data.subarray(0, magic.length).equals(magic)) throw new Error('not a KubeTray cache file');
  const plain = Buffer.from(await box.decrypt(data.subarray(magic.length))).toString('utf8');
  JSON.parse(plain); // must be JSON, else treat as corrupt
  return plain;
}

export class EncryptedCachePlugin implements ICachePlugin {
  private loaded: FileStamp | undefined;
  private lastJson: string | undefined;
  private release: ReleaseLock | undefined;
  private turn: Promise<void> = Promise.resolve();
  private endTurn: (() => void) | undefined;

  /**
   * Waits for the previous access to finish. A pair whose afterCacheAccess never comes (msal-node
   * threw in between) gives up its turn after `turnTimeoutMs`, so the cache cannot wedge.
   */
  private async takeTurn(): Promise<void> {
    const previous = this.turn;
    let done!: () => void;
    const mine = new Promise<void>((resolve) => (done = resolve));
    this.turn = previous.then(() => mine);
    await previous;
    const timer = setTimeout(() => finish(), this.options.turnTimeoutMs ?? 15_000);
    timer.unref();
    const finish = (): void => {
      clearTimeout(timer);
      if (this.endTurn === finish) this.endTurn = undefined;
      done();
    };
    this.endTurn = finish;
  }

  constructor(private readonly options: EncryptedCachePluginOptions) {
    ensurePrivateDir(path.dirname(options.file));
  }

  get file(): string {
    return this.options.file;
  }

  async beforeCacheAccess(ctx: TokenCacheContext): Promise<void> {
    await this.takeTurn();
    try {
      if (ctx.cacheHasChanged) this.release = await acquireFileLock(this.options.file, this.options.lock);
      const now = stamp(this.options.file);
      if (now === undefined) {
        this.loaded = undefined;
        this.lastJson = undefined;
        return;
      }
      if (!sameStamp(now, this.loaded) || this.lastJson === undefined) {
        this.lastJson = await this.readJson();
        this.loaded = this.lastJson === undefined ? undefined : now;
      }
      if (this.lastJson !== undefined) ctx.tokenCache.deserialize(this.lastJson);
    } catch (e) {
      this.releaseLock();
      this.endTurn?.();
      throw e;
    }
  }

  async afterCacheAccess(ctx: TokenCacheContext): Promise<void> {
    try {
      if (ctx.cacheHasChanged) {
        const json = ctx.tokenCache.serialize();
        const sealed = await sealCache(this.options.secretBox, json);
        try {
          writeFileAtomic(this.options.file, sealed, 0o600);
          this.loaded = stamp(this.options.file);
        } catch (e) {
          // Keep working from memory: failing here would throw away a sign-in the person just did.
          this.options.log.error('cannot write the token cache; tokens are kept in memory only (sign-in will be needed after a restart)', {
            file: this.options.file,
            reason: (e as NodeJS.ErrnoException).code ?? (e as Error).message,
          });
        }
        this.lastJson = json;
      }
    } finally {
      this.releaseLock();
      this.endTurn?.();
    }
  }

  /** Replaces the file with an empty cache (sign out everyone), under the lock. */
  async clear(): Promise<void> {
    const release = await acquireFileLock(this.options.file, this.options.lock);
    try {
      fs.rmSync(this.options.file, { force: true });
      this.loaded = undefined;
      this.lastJson = undefined;
    } finally {
      release();
    }
  }

  private releaseLock(): void {
    const r = this.release;
    this.release = undefined;
    r?.();
  }

  private async readJson(): Promise<string | undefined> {
    let data: Buffer;
    try {
      data = fs.readFileSync(this.options.file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new AppError('cache/io', `Cannot read the token cache ${this.options.file}: check its permissions.`, { cause: e });
    }
    try {
      return await unsealCache(this.options.secretBox, data);
    } catch (e) {
      const aside = `${this.options.file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      try {
        fs.renameSync(this.options.file, aside);
      } catch {
        // Another process already moved it.
      }
      this.options.log.warn('token cache unreadable; starting with an empty cache (you may need to sign in again)', {
        file: this.options.file,
        keptAs: aside,
        reason: (e as Error).message,
        box: this.options.secretBox.kind,
      });
      return undefined;
    }
  }
}
