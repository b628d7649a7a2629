/**
 * App Service / Functions managed identity endpoint (api-version 2019-08-01): GET
 * <IDENTITY_ENDPOINT>?api-version=2019-08-01&resource=<r>[&client_id|object_id|mi_res_id] with
 * header `X-IDENTITY-HEADER: <IDENTITY_HEADER>`.
 */
import { sendJson, type Router } from '../http/http-kit.js';
import type { ManagedIdentityRegistry } from './managed-identities.js';
import type { MintRecorder } from './imds-routes.js';

export const APP_SERVICE_PATH = '/msi/token';

export function registerAppServiceRoutes(router: Router, registry: ManagedIdentityRegistry, mint: MintRecorder, identityHeader: string): void {
  router.add('GET', /^\/msi\/token\/?$/, ({ req, res, url }) => {
    const q = url.searchParams;
    if (req.headers['x-identity-header'] !== identityHeader) {
      return sendJson(res, 401, { statusCode: 401, message: 'Unauthorized: the X-IDENTITY-HEADER is missing or wrong.', correlationId: '' });
    }
    if (q.get('api-version') !== '2019-08-01') return sendJson(res, 400, { statusCode: 400, message: 'Unsupported api-version; use 2019-08-01.' });
    const resource = q.get('resource');
    if (!resource) return sendJson(res, 400, { statusCode: 400, message: 'resource is required' });
    const mi = registry.find(q, 'mi_res_id');
    if (!mi) return sendJson(res, 400, { statusCode: 400, message: 'No managed identity matches the request.' });
    const { token, expiresOn } = registry.mint(mi, resource, mint.lifetimeSeconds, mint.record);
    mint.count('app-service');
    sendJson(res, 200, { access_token: token, expires_on: String(expiresOn), resource, token_type: 'Bearer', client_id: mi.clientId });
  });
}
