/**
 * Parsing what `az account get-access-token -o json` and `azd auth token -o json` print.
 *
 * az: {"accessToken", "expiresOn": "2024-05-01 10:20:30.000000" (LOCAL time, no zone),
 *      "expires_on": 1714558830 (epoch seconds; az >= 2.54), "subscription", "tenant", "tokenType"}.
 *      expires_on wins: expiresOn is ambiguous across DST changes.
 * azd: {"token", "expiresOn": "2024-05-01T10:20:30Z"} (RFC 3339).
 */
import { AppError } from '../../core/app-error.js';
import type { AccountInfo } from '@azure/msal-node';
import type { AccountSummary } from '../../core/token-request.js';

export interface CliToken {
  accessToken: string;
  /** Epoch ms. */
  expiresOn: number;
  account?: AccountSummary;
}

function bad(tool: string): AppError {
  return new AppError('auth/failed', `${tool} printed something that is not a token response: update it, or run it by hand to see what it says.`);
}

/** "YYYY-MM-DD HH:MM:SS[.ffffff]" in the machine's local zone, as az prints it. */
export function parseAzLocalTime(value: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?$/.exec(value.trim());
  if (!m) return NaN;
  const [, y, mo, d, h, mi, s, frac] = m;
  const ms = frac ? Math.floor(Number(`0.${frac}`) * 1000) : 0;
  return new Date(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms).getTime();
}

export function parseAzAccessToken(stdout: string): CliToken {
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(stdout) as Record<string, unknown>;
  } catch {
    throw bad('Azure CLI');
  }
  const accessToken = body.accessToken;
  if (typeof accessToken !== 'string' || accessToken === '') throw bad('Azure CLI');
  let expiresOn = NaN;
  const epoch = body.expires_on;
  if (typeof epoch === 'number' || (typeof epoch === 'string' && /^\d+$/.test(epoch))) expiresOn = Number(epoch) * 1000;
  if (!Number.isFinite(expiresOn) && typeof body.expiresOn === 'string') expiresOn = parseAzLocalTime(body.expiresOn);
  if (!Number.isFinite(expiresOn)) throw bad('Azure CLI');
  return { accessToken, expiresOn, ...accountFromJwt(accessToken, typeof body.tenant === 'string' ? body.tenant : undefined) };
}

export function parseAzdToken(stdout: string): CliToken {
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(stdout) as Record<string, unknown>;
  } catch {
    throw bad('Azure Developer CLI');
  }
  const token = body.token;
  const expiresOn = typeof body.expiresOn === 'string' ? Date.parse(body.expiresOn) : NaN;
  if (typeof token !== 'string' || token === '' || !Number.isFinite(expiresOn)) throw bad('Azure Developer CLI');
  return { accessToken: token, expiresOn, ...accountFromJwt(token, undefined) };
}

/**
 * Who the CLI's token belongs to, read from the (unverified) access token claims: used only to
 * show the account and to keep different accounts apart in the broker, never for trust.
 */
export function accountFromJwt(token: string, tenantHint: string | undefined): { account?: AccountSummary } {
  const part = token.split('.')[1];
  if (!part) return {};
  try {
    const claims = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
    const str = (k: string): string | undefined => (typeof claims[k] === 'string' ? (claims[k] as string) : undefined);
    const tenantId = str('tid') ?? tenantHint ?? '';
    const oid = str('oid') ?? str('sub') ?? '';
    const username = str('upn') ?? str('preferred_username') ?? str('unique_name') ?? str('appid') ?? oid;
    if (!oid && !username) return {};
    return { account: { username, homeAccountId: `${oid}.${tenantId}`, tenantId } };
  } catch {
    return {};
  }
}

/**
 * The account for the broker's session list (FlowResult.account is msal's AccountInfo): who the
 * CLI's token is for, so the window can show it. `environment` names the source, not a host.
 */
export function cliAccountInfo(token: CliToken, source: 'azurecli' | 'azd'): AccountInfo | undefined {
  const a = token.account;
  if (!a) return undefined;
  return { homeAccountId: a.homeAccountId, environment: source, tenantId: a.tenantId, username: a.username, localAccountId: a.homeAccountId.split('.')[0] ?? '' };
}
