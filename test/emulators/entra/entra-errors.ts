/**
 * Error bodies shaped like Entra ID's token endpoint: {error, error_description "AADSTSnnnnn:
 * ...", error_codes, timestamp, trace_id, correlation_id, suberror?, claims?}. msal-node maps
 * `error` and `suberror` to its error classes (invalid_grant -> InteractionRequiredAuthError
 * for several codes), so the pairs below follow what Entra actually sends.
 */
import * as crypto from 'node:crypto';

export interface EntraErrorSpec {
  status: number;
  error: string;
  code: number;
  description: string;
  suberror?: string;
}

/** The AADSTS errors the emulator produces, by a short name. */
export const AADSTS = {
  tenantNotFound: { status: 400, error: 'invalid_request', code: 90002, description: "Tenant not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud." },
  missingParameter: { status: 400, error: 'invalid_request', code: 900144, description: 'The request body must contain the following parameter.' },
  unsupportedGrant: { status: 400, error: 'unsupported_grant_type', code: 70003, description: 'The app requested an unsupported grant type.' },
  appNotFound: { status: 400, error: 'unauthorized_client', code: 700016, description: "Application was not found in the directory. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant." },
  invalidSecret: { status: 401, error: 'invalid_client', code: 7000215, description: 'Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.' },
  clientAuthRequired: { status: 401, error: 'invalid_client', code: 7000218, description: "The request body must contain the following parameter: 'client_assertion' or 'client_secret'." },
  publicClientWithSecret: { status: 401, error: 'invalid_client', code: 700025, description: 'Client is public so neither client_assertion nor client_secret should be presented.' },
  assertionSignature: { status: 401, error: 'invalid_client', code: 700027, description: 'The certificate with identifier used to sign the client assertion is not registered on application, or the signature is invalid.' },
  assertionTime: { status: 401, error: 'invalid_client', code: 700024, description: 'Client assertion is not within its valid time range.' },
  assertionAudience: { status: 401, error: 'invalid_client', code: 700212, description: 'No matching federated identity record found for presented assertion audience.' },
  assertionInvalid: { status: 401, error: 'invalid_client', code: 50027, description: 'JWT token is invalid or malformed.' },
  assertionReplay: { status: 401, error: 'invalid_client', code: 700229, description: 'The client assertion has already been used (jti replay).' },
  federatedNoMatch: { status: 401, error: 'invalid_client', code: 70021, description: 'No matching federated identity record found for presented assertion.' },
  federatedIssuerUnknown: { status: 401, error: 'invalid_client', code: 700211, description: 'No matching federated identity record found for presented assertion issuer.' },
  badPassword: { status: 400, error: 'invalid_grant', code: 50126, description: 'Error validating credentials due to invalid username or password.' },
  userNotFound: { status: 400, error: 'invalid_grant', code: 50034, description: 'The user account does not exist in this directory.' },
  userDisabled: { status: 400, error: 'invalid_grant', code: 50057, description: 'The user account is disabled.' },
  mfaRequired: { status: 400, error: 'invalid_grant', code: 50076, description: 'Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access the resource.', suberror: 'basic_action' },
  claimsChallengeRopc: { status: 400, error: 'invalid_grant', code: 50079, description: 'Due to a configuration change made by your administrator, or because you moved to a new location, you must enroll in multi-factor authentication to access the resource.', suberror: 'basic_action' },
  caBlocked: { status: 400, error: 'invalid_grant', code: 53003, description: 'Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.', suberror: 'message_only' },
  codeInvalid: { status: 400, error: 'invalid_grant', code: 70008, description: 'The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.' },
  codeRedeemed: { status: 400, error: 'invalid_grant', code: 54005, description: 'OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.' },
  pkceMismatch: { status: 400, error: 'invalid_grant', code: 501481, description: 'The Code_Verifier does not match the code_challenge supplied in the authorization request.' },
  redirectMismatch: { status: 400, error: 'invalid_grant', code: 50011, description: 'The redirect URI specified in the request does not match the redirect URIs configured for the application.' },
  refreshMalformed: { status: 400, error: 'invalid_grant', code: 9002313, description: 'Invalid request. Request is malformed or invalid (refresh token not recognised).' },
  refreshRevoked: { status: 400, error: 'invalid_grant', code: 50173, description: 'The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password.', suberror: 'bad_token' },
  refreshSignInFrequency: { status: 400, error: 'invalid_grant', code: 70043, description: 'The refresh token has expired or is invalid due to sign-in frequency checks by conditional access.', suberror: 'bad_token' },
  refreshInactive: { status: 400, error: 'invalid_grant', code: 700082, description: 'The refresh token has expired due to inactivity. The token was issued on a date and was inactive for 90 days.', suberror: 'bad_token' },
  refreshClientMismatch: { status: 400, error: 'invalid_grant', code: 70000, description: 'Provided grant is invalid or malformed (the refresh token was issued to a different client).' },
  invalidScope: { status: 400, error: 'invalid_scope', code: 70011, description: 'The provided request must include a \'scope\' input parameter. The provided value for the input parameter \'scope\' is not valid.' },
  resourceNotFound: { status: 400, error: 'invalid_resource', code: 500011, description: 'The resource principal was not found in the tenant. This can happen if the application has not been installed by the administrator of the tenant.' },
  authorizationPending: { status: 400, error: 'authorization_pending', code: 70016, description: 'OAuth 2.0 device flow error. Authorization is pending. Continue polling.' },
  slowDown: { status: 400, error: 'slow_down', code: 70016, description: 'OAuth 2.0 device flow error. Polling too fast; slow down.' },
  deviceCodeExpired: { status: 400, error: 'expired_token', code: 70020, description: 'The provided value for the input parameter \'device_code\' is not valid. Device codes are valid for 15 minutes.' },
  deviceCodeDeclined: { status: 400, error: 'authorization_declined', code: 70000, description: 'The user declined the device code request.' },
  deviceCodeInvalid: { status: 400, error: 'invalid_grant', code: 70000, description: 'The provided value for the input parameter \'device_code\' is not valid.' },
  throttled: { status: 429, error: 'temporarily_unavailable', code: 50196, description: 'The server terminated an operation because it encountered a client request loop. Please retry later.' },
  serverError: { status: 500, error: 'server_error', code: 90033, description: 'A transient error has occurred. Please try again.' },
} satisfies Record<string, EntraErrorSpec>;

export type AadstsName = keyof typeof AADSTS;

export interface EntraErrorBody {
  error: string;
  error_description: string;
  error_codes: number[];
  timestamp: string;
  trace_id: string;
  correlation_id: string;
  error_uri: string;
  suberror?: string;
  claims?: string;
}

/** Entra's timestamp style: "2026-11-24 20:15:03Z". */
function entraTimestamp(): string {
  return new Date().toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

export function entraErrorBody(spec: EntraErrorSpec, correlationId: string | undefined, extra: { detail?: string; claims?: string } = {}): EntraErrorBody {
  const traceId = crypto.randomUUID();
  const correlation = correlationId ?? crypto.randomUUID();
  const timestamp = entraTimestamp();
  const detail = extra.detail ? ` ${extra.detail}` : '';
  return {
    error: spec.error,
    error_description: `AADSTS${spec.code}: ${spec.description}${detail} Trace ID: ${traceId} Correlation ID: ${correlation} Timestamp: ${timestamp}`,
    error_codes: [spec.code],
    timestamp,
    trace_id: traceId,
    correlation_id: correlation,
    error_uri: `https://login.microsoftonline.com/error?code=${spec.code}`,
    ...(spec.suberror ? { suberror: spec.suberror } : {}),
    ...(extra.claims ? { claims: extra.claims } : {}),
  };
}

/** Thrown inside grant handlers; the token endpoint turns it into an Entra error response. */
export class EntraError extends Error {
  constructor(
    readonly spec: EntraErrorSpec,
    readonly detail?: string,
    readonly claims?: string,
  ) {
    super(`AADSTS${spec.code}`);
    this.name = 'EntraError';
  }
}

export function fail(name: AadstsName, detail?: string, claims?: string): never {
  throw new EntraError(AADSTS[name], detail, claims);
}
