/**
 * Which account each session signed in with (session key -> MSAL homeAccountId), kept in
 * `<cacheDir>/session-accounts.json` (0600, atomic writes) so that after a restart a session
 * with several fitting accounts in the cache (two accounts of one tenant, no login hint) still
 * finds its own account silently instead of asking the person again. Not secret (ids only); a
 * lost or corrupt file only costs a sign-in. Last writer wins across processes.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Logger } from '../core/log.js';
import { ensurePrivateDir, writeFileAtomic } from '../cache/atomic-file.js';

export const SESSION_BINDINGS_FILE = 'session-accounts.json';

interface BindingsFile {
  version: 1;
  bindings: Record<string, string>;
}

export class SessionBindings {
  private readonly file: string;
  private bindings = new Map<string, string>();

  constructor(
    cacheDir: string,
    private readonly log: Logger,
  ) {
    this.file = path.join(cacheDir, SESSION_BINDINGS_FILE);
    this.load();
  }

  private load(): void {
    try {
      const parsed = JSON.parse(fs.readFileSync(this.file, 'utf8')) as Partial<BindingsFile>;
      if (parsed.version === 1 && parsed.bindings && typeof parsed.bindings === 'object') {
        this.bindings = new Map(Object.entries(parsed.bindings).filter((e): e is [string, string] => typeof e[1] === 'string'));
      }
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') this.log.warn('session-account file unreadable; sessions will ask which account again', { file: this.file });
    }
  }

  private save(): void {
    try {
      ensurePrivateDir(path.dirname(this.file));
      const body: BindingsFile = { version: 1, bindings: Object.fromEntries(this.bindings) };
      writeFileAtomic(this.file, Buffer.from(JSON.stringify(body)), 0o600);
    } catch (e) {
      this.log.warn('could not save which account each session uses', { file: this.file, reason: (e as Error).message });
    }
  }

  get(sessionKey: string): string | undefined {
    return this.bindings.get(sessionKey);
  }

  set(sessionKey: string, homeAccountId: string): void {
    if (this.bindings.get(sessionKey) === homeAccountId) return;
    this.bindings.set(sessionKey, homeAccountId);
    this.save();
  }

  delete(sessionKey: string): void {
    if (this.bindings.delete(sessionKey)) this.save();
  }

  /** Drops every session bound to this account; returns their keys. */
  deleteAccount(homeAccountId: string): string[] {
    const keys = [...this.bindings].filter(([, id]) => id === homeAccountId).map(([k]) => k);
    for (const k of keys) this.bindings.delete(k);
    if (keys.length > 0) this.save();
    return keys;
  }

  clear(): void {
    this.bindings.clear();
    fs.rmSync(this.file, { force: true });
  }
}
