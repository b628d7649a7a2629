/**
 * How KubeTray gets PoP access tokens out of unmodified msal-node 7 (which forces Bearer for
 * every non-broker flow):
 *
 * 1. We send the PoP request parameters ourselves: `token_type=pop` and `req_cnf` (see
 *    pop-key.ts). For user flows (interactive, device code, ROPC, refresh) msal-node copies
 *    `extraParameters` into the token POST body. The client-credentials client ignores
 *    `extraParameters`, so for spn / workload identity / pipelines they go in
 *    `extraQueryParameters`, which msal-node appends to the token endpoint URL; Entra ID reads
 *    both places.
 * 2. We set `popKid` on the request. When the response says `token_type: pop`, msal-common's
 *    ResponseHandler would otherwise try to sign an SHR with its own (absent) key store and
 *    throw; with `popKid` set it returns the raw access token for us to sign (pop-token.ts).
 * 3. msal-node writes the PoP access token to its cache with tokenType "pop" but only ever
 *    looks up Bearer tokens, so it never serves it back (and never leaks it to a Bearer caller).
 *    The refresh token, account and id token are cached normally, so a silent call with the
 *    same parameters refreshes into a new PoP access token without a sign-in. The broker keeps
 *    its own PoP access-token cache keyed by the key's kid (pop-token-cache.ts) and signs a
 *    fresh JWS on every call.
 */
import type { PopKey } from './pop-key.js';

export type PopFlowKind = 'user' | 'client-credentials';

export interface PopRequestFields {
  popKid: string;
  extraParameters?: Record<string, string>;
  extraQueryParameters?: Record<string, string>;
}

export function popRequestFields(key: PopKey, kind: PopFlowKind): PopRequestFields {
  const params = { token_type: 'pop', req_cnf: key.reqCnf };
  return kind === 'user' ? { popKid: key.kid, extraParameters: params } : { popKid: key.kid, extraQueryParameters: params };
}

/** Merges the PoP fields into an msal request, keeping caller-provided extra parameters. */
export function withPopFields<T extends object>(request: T, key: PopKey | undefined, kind: PopFlowKind): T & Partial<PopRequestFields> {
  if (!key) return request;
  const pop = popRequestFields(key, kind);
  const base = request as T & { extraParameters?: Record<string, string>; extraQueryParameters?: Record<string, string> };
  return {
    ...request,
    popKid: pop.popKid,
    ...(pop.extraParameters ? { extraParameters: { ...(base.extraParameters ?? {}), ...pop.extraParameters } } : {}),
    ...(pop.extraQueryParameters ? { extraQueryParameters: { ...(base.extraQueryParameters ?? {}), ...pop.extraQueryParameters } } : {}),
  };
}
