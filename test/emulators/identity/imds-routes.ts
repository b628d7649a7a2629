/**
 * Azure Instance Metadata Service token endpoint, as msal-node's Imds source calls it:
 * GET <AZURE_POD_IDENTITY_AUTHORITY_HOST>/metadata/identity/oauth2/token[/]?api-version=2018-02-01
 * &resource=<r>[&client_id|object_id|msi_res_id] with header `Metadata: true`. Plain HTTP, like
 * the real 169.254.169.254. (msal-node normalises the URL with a trailing slash.)
 */
import { sendJson, type Router } from '../http/http-kit.js';
import type { ManagedIdentityRegistry } from './managed-identities.js';

export interface MintRecorder {
  lifetimeSeconds: number;
  record(token: string): void;
  count(source: string): void;
}

export function registerImdsRoutes(router: Router, registry: ManagedIdentityRegistry, mint: MintRecorder): void {
  router.add('GET', /^\/metadata\/identity\/oauth2\/token\/?$/, ({ req, res, url }) => {
    const q = url.searchParams;
    // IMDS rejects calls without the header to stop SSRF through proxies.
    if (req.headers.metadata !== 'true') {
      return sendJson(res, 400, { error: 'invalid_request', error_description: 'Required metadata header not specified' });
    }
    if (!q.get('api-version')) return sendJson(res, 400, { error: 'invalid_request', error_description: 'Required query variable api-version is missing' });
    const resource = q.get('resource');
    if (!resource) return sendJson(res, 400, { error: 'invalid_request', error_description: 'Required query variable resource is missing' });
    const mi = registry.find(q, 'msi_res_id');
    if (!mi) return sendJson(res, 400, { error: 'invalid_request', error_description: 'Identity not found' });
    const { token, expiresOn } = registry.mint(mi, resource, mint.lifetimeSeconds, mint.record);
    mint.count('imds');
    sendJson(res, 200, {
      access_token: token,
      client_id: mi.clientId,
      expires_in: String(mint.lifetimeSeconds),
      expires_on: String(expiresOn),
      ext_expires_in: String(mint.lifetimeSeconds),
      not_before: String(expiresOn - mint.lifetimeSeconds),
      resource,
      token_type: 'Bearer',
    });
  });
}
