/**
 * Refresh tokens: opaque, stored server-side, rotated on every use (the old one stays valid, as
 * Entra's do, unless `singleUse`), and revocable per user or per token so tests can provoke
 * AADSTS50173 (revoked, e.g. password reset), AADSTS70043 (sign-in frequency) and AADSTS700082
 * (inactivity).
 */
import { newRefreshToken } from './entra-tokens.js';
import type { AadstsName } from './entra-errors.js';

export type RevokeReason = 'revoked' | 'sign-in-frequency' | 'inactive';

export const REVOKE_ERRORS: Record<RevokeReason, AadstsName> = {
  revoked: 'refreshRevoked',
  'sign-in-frequency': 'refreshSignInFrequency',
  inactive: 'refreshInactive',
};

export interface RefreshGrant {
  tenantId: string;
  username: string;
  clientId: string;
  amr: string[];
  acrs: string[];
  issuedAt: number;
  /** When the person signed in (kept across rotation; sign-in frequency counts from here). */
  authTime?: number;
  revoked?: RevokeReason;
  used?: boolean;
}

export class RefreshTokenStore {
  private readonly grants = new Map<string, RefreshGrant>();
  /** Per-user revocation: any token issued before this moment fails with the reason. */
  private readonly userRevocations = new Map<string, { before: number; reason: RevokeReason }>();
  singleUse = false;
  /** Called after every change (persistence hook). */
  onChange: () => void = () => undefined;

  issue(grant: Omit<RefreshGrant, 'issuedAt'>): string {
    const token = newRefreshToken();
    this.grants.set(token, { ...grant, issuedAt: Date.now() });
    this.onChange();
    return token;
  }

  /** A JSON-able snapshot (holds live refresh tokens: write it 0600, never log it). */
  snapshot(): { grants: [string, RefreshGrant][]; userRevocations: [string, { before: number; reason: RevokeReason }][] } {
    return { grants: [...this.grants], userRevocations: [...this.userRevocations] };
  }

  restore(snapshot: ReturnType<RefreshTokenStore['snapshot']>): void {
    for (const [token, grant] of snapshot.grants) this.grants.set(token, grant);
    for (const [user, revocation] of snapshot.userRevocations) this.userRevocations.set(user, revocation);
  }

  /** The live grant behind a token, or the reason it is dead. */
  lookup(token: string): { grant: RefreshGrant } | { dead: RevokeReason | 'unknown' | 'used' } {
    const grant = this.grants.get(token);
    if (!grant) return { dead: 'unknown' };
    if (grant.revoked) return { dead: grant.revoked };
    const userRevocation = this.userRevocations.get(grant.username.toLowerCase());
    if (userRevocation && grant.issuedAt <= userRevocation.before) return { dead: userRevocation.reason };
    if (this.singleUse && grant.used) return { dead: 'used' };
    return { grant };
  }

  markUsed(token: string): void {
    const grant = this.grants.get(token);
    if (grant) grant.used = true;
    this.onChange();
  }

  /** Revokes one token, or every token so far of a user. Returns how many tokens it hit. */
  revoke(target: { token?: string; username?: string }, reason: RevokeReason = 'revoked'): number {
    if (target.token) {
      const grant = this.grants.get(target.token);
      if (grant) grant.revoked = reason;
      this.onChange();
      return grant ? 1 : 0;
    }
    if (target.username) {
      const key = target.username.toLowerCase();
      this.userRevocations.set(key, { before: Date.now(), reason });
      this.onChange();
      return [...this.grants.values()].filter((g) => g.username.toLowerCase() === key).length;
    }
    return 0;
  }

  get size(): number {
    return this.grants.size;
  }
}
