/**
 * In-memory cache of PoP ACCESS tokens (never of signed PoP JWS, which must be fresh per call).
 * Needed because msal-node stores PoP access tokens but never reads them back (pop-msal.ts).
 * Keyed by the caller's session key plus the PoP key id, so a rotated or removed key can never
 * be paired with a token bound to the old one.
 */
export interface CachedPopAccessToken {
  accessToken: string;
  /** Epoch ms. */
  expiresOn: number;
  kid: string;
}

export class PopTokenCache {
  private readonly entries = new Map<string, CachedPopAccessToken>();

  constructor(private readonly now: () => number = Date.now, private readonly minRemainingMs = 5 * 60_000) {}

  private static key(sessionKey: string, kid: string): string {
    return `${sessionKey}\u0000${kid}`;
  }

  get(sessionKey: string, kid: string): CachedPopAccessToken | undefined {
    const hit = this.entries.get(PopTokenCache.key(sessionKey, kid));
    if (!hit) return undefined;
    if (hit.expiresOn - this.now() <= this.minRemainingMs) {
      this.entries.delete(PopTokenCache.key(sessionKey, kid));
      return undefined;
    }
    return hit;
  }

  set(sessionKey: string, token: CachedPopAccessToken): void {
    this.entries.set(PopTokenCache.key(sessionKey, token.kid), token);
  }

  /** Drops one session's tokens, or all when sessionKey is omitted. */
  clear(sessionKey?: string): void {
    if (sessionKey === undefined) {
      this.entries.clear();
      return;
    }
    for (const k of [...this.entries.keys()]) if (k.startsWith(`${sessionKey}\u0000`)) this.entries.delete(k);
  }

  get size(): number {
    return this.entries.size;
  }
}
