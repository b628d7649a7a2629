/**
 * Which cached MSAL account may answer a request. A request for another tenant (GUID) or another
 * login hint must never get this account's token; when several accounts fit and nothing says
 * which, the broker asks the person instead of guessing.
 */
import type { AccountInfo } from '@azure/msal-node';
import type { AccountSummary } from '../core/token-request.js';
import { isTenantGuid } from '../auth/authority.js';

export interface AccountQuery {
  /** host[:port] of the authority (msal's account.environment). */
  environment: string;
  tenant: string;
  loginHint?: string;
  /** The homeAccountId this session signed in with before, if any. */
  boundHomeAccountId?: string;
}

export function accountFitsTenant(account: AccountInfo, tenant: string): boolean {
  if (!isTenantGuid(tenant)) return true;
  const t = tenant.toLowerCase();
  return account.tenantId.toLowerCase() === t || account.tenantProfiles?.has(t) === true || account.tenantProfiles?.has(tenant) === true;
}

export function accountFitsHint(account: AccountInfo, loginHint: string | undefined): boolean {
  const hint = (loginHint ?? '').trim().toLowerCase();
  return hint === '' || account.username.toLowerCase() === hint;
}

export function matchAccount(accounts: AccountInfo[], query: AccountQuery): AccountInfo | undefined {
  const env = query.environment.toLowerCase();
  const fits = accounts.filter((a) => a.environment.toLowerCase() === env && accountFitsTenant(a, query.tenant) && accountFitsHint(a, query.loginHint));
  if (query.boundHomeAccountId) {
    const bound = fits.find((a) => a.homeAccountId === query.boundHomeAccountId);
    if (bound) return bound;
  }
  const distinct = new Map(fits.map((a) => [a.homeAccountId, a]));
  return distinct.size === 1 ? [...distinct.values()][0] : undefined;
}

export function summarizeAccount(account: AccountInfo | undefined): AccountSummary | undefined {
  if (!account) return undefined;
  return { username: account.username, homeAccountId: account.homeAccountId, tenantId: account.tenantId };
}
