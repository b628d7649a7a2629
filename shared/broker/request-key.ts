/**
 * Keys the broker files tokens under. Pure string building; secrets never enter a key (flows
 * contribute fingerprints, see credentialFingerprint).
 *
 * - sessionKey: one identity at one authority: for user flows (authority, tenant, client, account
 *   hint), for app/external flows (login, authority, tenant, client, flow key parts). Sign-ins are
 *   shared per sessionKey; the window lists sessions; signOut(key) takes one.
 * - tokenKey: sessionKey + scope + token type (Bearer or PoP): the in-memory cache and the
 *   single-flight for acquisitions.
 *
 * kubelogin pins one account per cache dir; keying by tenant and login hint lets many tenants
 * and accounts coexist, and a request for another tenant or hint never gets this one's token.
 */
import type { TokenRequest } from '../core/token-request.js';
import type { FlowAuthority, FlowKind } from '../auth/flows/sign-in-flow.js';

export interface RequestKeys {
  sessionKey: string;
  tokenKey: string;
}

const SEP = ' | ';

function clean(part: string | undefined): string {
  return (part ?? '').trim().replace(/\s+/g, ' ').replace(/\|/g, '%7C');
}

export function buildRequestKeys(input: {
  request: TokenRequest;
  kind: FlowKind;
  authority: FlowAuthority;
  clientId: string;
  scope: string;
  keyParts?: string[];
}): RequestKeys {
  const { request, kind, authority, clientId, scope } = input;
  const tenant = authority.tenant.toLowerCase();
  const base =
    kind === 'user'
      ? ['user', authority.authorityHost.toLowerCase(), tenant, clientId.toLowerCase(), clean(request.loginHint).toLowerCase()]
      : [kind, request.login, authority.authorityHost.toLowerCase(), tenant, clientId.toLowerCase(), ...(input.keyParts ?? []).map(clean)];
  // --legacy tokens (v1, resource=) are different tokens: never share a key with v2 ones.
  if (request.legacy) base.push('legacy');
  const sessionKey = base.join(SEP);
  const tokenKey = [sessionKey, clean(scope), request.popEnabled ? 'pop' : 'bearer'].join(SEP);
  return { sessionKey, tokenKey };
}
