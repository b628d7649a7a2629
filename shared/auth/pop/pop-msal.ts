/**
 * How KubeTray gets PoP access tokens out of unmodified msal-node 7 (which forces Bearer for
 * every non-broker flow):
 *
 * 1. We send the PoP request parameters ourselves: `token_type=pop` and `req_cnf` (see
 *    pop-key.ts). Where msal-node 7.2.3 puts them depends on the grant (read in its source):
 *      - authorization code (interactive) and refresh token (acquireTokenSilent) copy
 *        `extraParameters` into the token POST body, and ignore them otherwise;
 *      - password (ROPC), device code and client credentials build the token request with
 *        `createTokenQueryParameters`, which copies only `extraQueryParameters` (into the token
 *        endpoint URL); they ignore `extraParameters`.
 *    Entra ID reads the parameters in either place. So: kind 'user' (body) for
 *    acquireTokenInteractive / acquireTokenByCode / acquireTokenSilent, and kind
 *    'client-credentials' (query) for acquireTokenByUsernamePassword, acquireTokenByDeviceCode
 *    and acquireTokenByClientCredential — see POP_KIND_FOR.
 * 2. We set `popKid` on the request. When the response says `token_type: pop`, msal-common's
 *    ResponseHandler would otherwise try to sign an SHR with its own (absent) key store and
 *    throw; with `popKid` set it returns the raw access token for us to sign (pop-token.ts).
 * 3. msal-node writes the PoP access token to its cache with tokenType "pop" but only ever
 *    looks up Bearer tokens, so it never serves it back (and never leaks it to a Bearer caller).
 *    The refresh token, account and id token are cached normally, so a silent call with the
 *    same parameters refreshes into a new PoP access token without a sign-in. The broker keeps
 *    the PoP access token in memory with the key's kid (FlowResult.popKid) and signs a
 *    fresh JWS on every call.
 */
import type { PopKey } from './pop-key.js';

export type PopFlowKind = 'user' | 'client-credentials';

/** Which PoP kind each msal-node call needs (where it copies extra parameters from). */
export const POP_KIND_FOR = {
  acquireTokenInteractive: 'user',
  acquireTokenByCode: 'user',
  acquireTokenSilent: 'user',
  acquireTokenByUsernamePassword: 'client-credentials',
  acquireTokenByDeviceCode: 'client-credentials',
  acquireTokenByClientCredential: 'client-credentials',
} as const satisfies Record<string, PopFlowKind>;

export interface PopRequestFields {
  popKid: string;
  extraParameters?: Record<string, string>;
  extraQueryParameters?: Record<string, string>;
}

export function popRequestFields(key: PopKey, kind: PopFlowKind): PopRequestFields {
  const params = { token_type: 'pop', req_cnf: key.reqCnf };
  return kind === 'user' ? { popKid: key.kid, extraParameters: params } : { popKid: key.kid, extraQueryParameters: params };
}

/**
 * The placement a request needs, from its shape when that is unambiguous (so a caller passing
 * the wrong kind still gets a working PoP request), else from `kind`.
 */
export function popKindOf(request: object, kind: PopFlowKind): PopFlowKind {
  if ('deviceCodeCallback' in request || ('username' in request && 'password' in request)) return 'client-credentials';
  if ('account' in request || 'openBrowser' in request || 'code' in request) return 'user';
  return kind;
}

function isClientCredentialsRequest(request: object): boolean {
  return 'scopes' in request && !('account' in request) && !('deviceCodeCallback' in request) && !('username' in request) && !('openBrowser' in request) && !('code' in request);
}

/**
 * Merges the PoP fields into an msal request, keeping caller-provided extra parameters.
 * A silent request (it names an `account`) also gets `forceRefresh`, and a client credentials
 * request `skipCache`: msal's cache lookup only finds Bearer access tokens, and a Bearer token
 * cached for the same account / app and scope must never be answered to a PoP request. The
 * broker caches the PoP access token instead.
 */
export function withPopFields<T extends object>(request: T, key: PopKey | undefined, kind: PopFlowKind): T & Partial<PopRequestFields> {
  if (!key) return request;
  const pop = popRequestFields(key, popKindOf(request, kind));
  const base = request as T & { extraParameters?: Record<string, string>; extraQueryParameters?: Record<string, string> };
  return {
    ...request,
    ...('account' in request ? { forceRefresh: true } : {}),
    ...(isClientCredentialsRequest(request) ? { skipCache: true } : {}),
    popKid: pop.popKid,
    ...(pop.extraParameters ? { extraParameters: { ...(base.extraParameters ?? {}), ...pop.extraParameters } } : {}),
    ...(pop.extraQueryParameters ? { extraQueryParameters: { ...(base.extraQueryParameters ?? {}), ...pop.extraQueryParameters } } : {}),
  };
}
