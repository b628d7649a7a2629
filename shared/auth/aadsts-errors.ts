/**
 * Entra ID (AADSTS) and MSAL errors -> AppError codes, in one table.
 * Reference: https://learn.microsoft.com/entra/identity-platform/reference-error-codes
 * Pure apart from reading fields off MSAL's error objects; never branches on message text except
 * to find the AADSTS number when MSAL did not parse it (`errorNo`).
 */
import { AppError, type AppErrorCode } from '../core/app-error.js';
import { redactText } from '../core/redact.js';

export interface AadstsEntry {
  code: AppErrorCode;
  /** What happened and what to do next, for a person. */
  hint: string;
}

/** Refresh-token failures that mean "drop the account and sign in again once". */
export const REVOKED_REFRESH_AADSTS: ReadonlySet<number> = new Set([50173, 70043, 700082, 700084, 50133]);

const SIGN_IN_AGAIN = 'sign in again';

export const AADSTS_TABLE: Readonly<Record<number, AadstsEntry>> = {
  // Interaction the silent path cannot do: a person must sign in (MFA, consent, session gone).
  50076: { code: 'auth/interaction-required', hint: 'multi-factor authentication is required: sign in again to complete it' },
  50074: { code: 'auth/interaction-required', hint: 'strong authentication is required: sign in again to complete it' },
  50079: { code: 'auth/interaction-required', hint: 'you must register for multi-factor authentication: sign in in a browser to set it up' },
  50158: { code: 'auth/interaction-required', hint: 'an external security challenge is required: sign in again to complete it' },
  50058: { code: 'auth/interaction-required', hint: 'there is no sign-in session: sign in again' },
  65001: { code: 'auth/interaction-required', hint: 'the application needs your consent: sign in again and accept the permissions' },
  // Revoked or expired refresh tokens (password change, sign-in frequency, inactivity).
  50173: { code: 'auth/refresh-revoked', hint: `the saved sign-in was revoked (for example after a password change): ${SIGN_IN_AGAIN}` },
  70043: { code: 'auth/refresh-revoked', hint: `the saved sign-in expired under a Conditional Access sign-in frequency policy: ${SIGN_IN_AGAIN}` },
  700082: { code: 'auth/refresh-revoked', hint: `the saved sign-in expired after a period of inactivity: ${SIGN_IN_AGAIN}` },
  700084: { code: 'auth/refresh-revoked', hint: `the saved sign-in expired: ${SIGN_IN_AGAIN}` },
  50133: { code: 'auth/refresh-revoked', hint: `the session is no longer valid after a password change: ${SIGN_IN_AGAIN}` },
  // Conditional Access blocks: signing in again will not help; show the message, do not loop.
  53003: { code: 'auth/ca-blocked', hint: 'access was blocked by a Conditional Access policy: ask your administrator which policy applies' },
  53000: { code: 'auth/ca-blocked', hint: 'Conditional Access requires a compliant device: enroll this device or use a compliant one' },
  53001: { code: 'auth/ca-blocked', hint: 'Conditional Access requires a domain-joined device: use a joined device' },
  53004: { code: 'auth/ca-blocked', hint: 'you must complete security information registration first: do it in a browser, then try again' },
  530032: { code: 'auth/ca-blocked', hint: 'access was blocked by a security policy: ask your administrator' },
  50097: { code: 'auth/ca-blocked', hint: 'device authentication is required: sign in from a registered device' },
  // Client (application) credentials.
  7000215: { code: 'auth/invalid-client', hint: 'the client secret is wrong: check --client-secret (use the secret value, not its id)' },
  7000222: { code: 'auth/invalid-client', hint: 'the client secret has expired: create a new secret for the application' },
  700027: { code: 'auth/invalid-client', hint: 'the client certificate is not registered for this application: upload it or check --client-certificate' },
  700024: { code: 'auth/invalid-client', hint: 'the client assertion is outside its valid time range: check the clock and the federated token' },
  700213: { code: 'auth/invalid-client', hint: 'no federated identity credential matches this token: check the issuer and subject configured for the application' },
  700016: { code: 'auth/invalid-client', hint: 'the application (client id) was not found in the tenant: check --client-id and --tenant-id' },
  7000218: { code: 'config/invalid', hint: 'the application is not a public client: enable "Allow public client flows" or use --login spn' },
  // Users and grants.
  50126: { code: 'auth/invalid-grant', hint: 'the user name or password is wrong' },
  50034: { code: 'auth/invalid-grant', hint: 'the user account does not exist in this tenant: check the user name and --tenant-id' },
  50053: { code: 'auth/invalid-grant', hint: 'the account is locked: wait and try again, or contact your administrator' },
  50057: { code: 'auth/invalid-grant', hint: 'the user account is disabled: contact your administrator' },
  50055: { code: 'auth/invalid-grant', hint: 'the password has expired: change it in a browser, then sign in again' },
  70000: { code: 'auth/invalid-grant', hint: `the grant is invalid or expired: ${SIGN_IN_AGAIN}` },
  70008: { code: 'auth/invalid-grant', hint: `the authorization code expired: ${SIGN_IN_AGAIN}` },
  50020: { code: 'auth/failed', hint: 'this account is not a member of the tenant: use an account of the tenant or ask to be invited' },
  90072: { code: 'auth/failed', hint: 'this account is not a member of the tenant: use an account of the tenant or ask to be invited' },
  50105: { code: 'auth/failed', hint: 'your account is not assigned to the application: ask your administrator for access' },
  500121: { code: 'auth/failed', hint: 'the multi-factor authentication was not completed: try again' },
  65004: { code: 'auth/cancelled', hint: 'the consent was declined' },
  // Configuration of the request.
  90002: { code: 'config/invalid', hint: 'the tenant was not found: check --tenant-id' },
  50059: { code: 'config/invalid', hint: 'no tenant was given: set --tenant-id' },
  500011: { code: 'config/invalid', hint: 'the resource (server id) was not found in the tenant: check --server-id' },
  70011: { code: 'config/invalid', hint: 'the requested scope is invalid: check --server-id' },
  50011: { code: 'config/invalid', hint: 'the redirect URI is not registered for the application: add http://localhost as a mobile and desktop redirect URI' },
  7000112: { code: 'auth/invalid-client', hint: 'the application is disabled: contact your administrator' },
};

/** OAuth error codes (RFC 6749 §5.2, RFC 8628 §3.5) and MSAL error codes without an AADSTS number. */
const OAUTH_TABLE: Readonly<Record<string, AadstsEntry>> = {
  interaction_required: { code: 'auth/interaction-required', hint: 'you need to sign in again' },
  login_required: { code: 'auth/interaction-required', hint: 'you need to sign in' },
  consent_required: { code: 'auth/interaction-required', hint: 'the application needs your consent: sign in again' },
  no_tokens_found: { code: 'auth/interaction-required', hint: 'there is no saved sign-in: sign in' },
  no_account_in_silent_request: { code: 'auth/interaction-required', hint: 'there is no saved sign-in: sign in' },
  refresh_token_expired: { code: 'auth/refresh-revoked', hint: `the saved sign-in expired: ${SIGN_IN_AGAIN}` },
  bad_token: { code: 'auth/refresh-revoked', hint: `the saved sign-in is no longer valid: ${SIGN_IN_AGAIN}` },
  invalid_grant: { code: 'auth/invalid-grant', hint: `the grant was rejected: ${SIGN_IN_AGAIN}` },
  invalid_client: { code: 'auth/invalid-client', hint: 'the client credentials were rejected: check the client id, secret or certificate' },
  unauthorized_client: { code: 'auth/invalid-client', hint: 'the application may not use this sign-in method' },
  invalid_scope: { code: 'config/invalid', hint: 'the requested scope is invalid: check --server-id' },
  invalid_request: { code: 'auth/failed', hint: 'Entra ID rejected the request' },
  access_denied: { code: 'auth/cancelled', hint: 'the sign-in was cancelled or denied' },
  authorization_declined: { code: 'auth/cancelled', hint: 'the sign-in was declined' },
  user_cancelled: { code: 'auth/cancelled', hint: 'the sign-in was cancelled' },
  expired_token: { code: 'auth/timeout', hint: 'the device code expired before the sign-in finished: run the command again' },
  device_code_expired: { code: 'auth/timeout', hint: 'the device code expired before the sign-in finished: run the command again' },
  device_code_polling_cancelled: { code: 'auth/cancelled', hint: 'the device code sign-in was cancelled' },
  server_error: { code: 'auth/server-error', hint: 'Entra ID had an error: try again in a moment' },
  temporarily_unavailable: { code: 'auth/server-error', hint: 'Entra ID is temporarily unavailable: try again in a moment' },
  network_error: { code: 'auth/network', hint: 'could not reach Entra ID: check the network, proxy and --authority-host' },
  endpoints_resolution_error: { code: 'auth/network', hint: 'could not read the authority metadata: check the network and --authority-host' },
  openid_config_error: { code: 'auth/network', hint: 'could not read the authority metadata: check the network and --authority-host' },
};

/** The AADSTS number in an MSAL error, from `errorNo` or else the "AADSTS<n>:" prefix. */
export function extractAadsts(error: unknown): number | undefined {
  if (!error || typeof error !== 'object') return undefined;
  const e = error as { errorNo?: unknown; errorMessage?: unknown; message?: unknown };
  if (typeof e.errorNo === 'string' && /^\d+$/.test(e.errorNo)) return Number(e.errorNo);
  if (typeof e.errorNo === 'number') return e.errorNo;
  const text = typeof e.errorMessage === 'string' ? e.errorMessage : typeof e.message === 'string' ? e.message : '';
  const m = /AADSTS(\d{4,7})\b/.exec(text);
  return m ? Number(m[1]) : undefined;
}

/** The MSAL / OAuth error code (`errorCode`), e.g. invalid_grant, interaction_required. */
export function msalErrorCode(error: unknown): string | undefined {
  if (!error || typeof error !== 'object') return undefined;
  const code = (error as { errorCode?: unknown }).errorCode;
  return typeof code === 'string' && code !== '' ? code : undefined;
}

/** The claims challenge an InteractionRequiredAuthError carries (Conditional Access, CAE). */
export function claimsChallenge(error: unknown): string | undefined {
  if (!error || typeof error !== 'object') return undefined;
  const claims = (error as { claims?: unknown }).claims;
  return typeof claims === 'string' && claims.trim() !== '' ? claims : undefined;
}

/** True when a failed refresh means the refresh token is dead (drop the account, sign in once). */
export function isRevokedRefresh(error: unknown): boolean {
  const n = extractAadsts(error);
  if (n !== undefined) return REVOKED_REFRESH_AADSTS.has(n);
  const code = msalErrorCode(error);
  return code === 'invalid_grant' || code === 'refresh_token_expired' || code === 'bad_token';
}

/** True for AADSTS53003 and friends: a block that signing in again does not fix. */
export function isPolicyBlock(error: unknown): boolean {
  const n = extractAadsts(error);
  if (n !== undefined && AADSTS_TABLE[n]?.code === 'auth/ca-blocked') return true;
  return (error as { subError?: unknown } | null)?.subError === 'message_only';
}

/** The first line of what the server said, redacted, without MSAL's trace/correlation noise. */
function serverSays(error: unknown): string {
  if (!error || typeof error !== 'object') return '';
  const e = error as { errorMessage?: unknown; message?: unknown };
  const raw = typeof e.errorMessage === 'string' && e.errorMessage !== '' ? e.errorMessage : typeof e.message === 'string' ? e.message : '';
  const first = raw.split(/\r?\n/)[0]?.replace(/\s*Trace ID:.*$/i, '').trim() ?? '';
  return redactText(first).slice(0, 300);
}

/**
 * Any error from an msal-node call -> AppError with a message that says what to do next.
 * `fallback` is used when nothing in the tables matches.
 */
export function toAuthAppError(error: unknown, fallback: AppErrorCode = 'auth/failed', context = 'Sign-in failed'): AppError {
  if (error instanceof AppError) return error;
  const aadsts = extractAadsts(error);
  const code = msalErrorCode(error);
  const entry = (aadsts !== undefined ? AADSTS_TABLE[aadsts] : undefined) ?? (code ? OAUTH_TABLE[code] : undefined);
  const said = serverSays(error);
  const detail: Record<string, string | number | boolean> = {};
  if (aadsts !== undefined) detail.aadsts = aadsts;
  if (code) detail.msalCode = code;
  const subError = (error as { subError?: unknown } | null)?.subError;
  if (typeof subError === 'string' && subError !== '') detail.subError = subError;
  const networkish = (error as { code?: unknown } | null)?.code;
  if (!entry && typeof networkish === 'string' && /^(ECONNREFUSED|ENOTFOUND|ECONNRESET|ETIMEDOUT|EAI_AGAIN|CERT_|DEPTH_ZERO|SELF_SIGNED|UNABLE_TO)/.test(networkish)) {
    return new AppError('auth/network', `${context}: could not reach Entra ID (${networkish}): check the network, proxy and --authority-host.`, { cause: error, detail });
  }
  const tag = aadsts !== undefined ? ` (AADSTS${aadsts})` : code ? ` (${code})` : '';
  const hint = entry?.hint ?? 'see the KubeTray log for details';
  const tail = said && !hint.includes(said) ? ` Entra ID said: ${said}` : '';
  return new AppError(entry?.code ?? fallback, `${context}${tag}: ${hint}.${tail}`, { cause: error, detail });
}
