/**
 * Azure Pipelines OIDC token request, as azidentity's AzurePipelinesCredential (used by
 * kubelogin's azurepipelines login) calls it: POST
 * $SYSTEM_OIDCREQUESTURI?api-version=7.1&serviceConnectionId=<id> with
 * `Authorization: Bearer $SYSTEM_ACCESSTOKEN` -> {"oidcToken": "<jwt>"}.
 */
import { readBody, sendJson, type Router } from '../http/http-kit.js';
import { hasBearer, type OidcIssuer } from './oidc-issuer.js';

export const PIPELINES_OIDC_PATH = '/_pipelines/oidctoken';

export interface PipelinesOidcConfig {
  issuer: OidcIssuer;
  accessToken: string;
  /** Subject for a service connection id: sc://<org>/<project>/<connection name>. */
  subjectFor(serviceConnectionId: string): string;
  count(source: string): void;
  record(token: string): void;
}

export function registerPipelinesOidcRoutes(router: Router, config: PipelinesOidcConfig): void {
  router.add('POST', /^\/_pipelines\/oidctoken$/, async ({ req, res, url }) => {
    await readBody(req);
    if (!hasBearer(req.headers.authorization, config.accessToken)) {
      // Azure DevOps answers an unauthenticated call with a sign-in redirect page; 401 is enough here.
      return sendJson(res, 401, { message: 'TF400813: The user is not authorized to access this resource.' });
    }
    const connection = url.searchParams.get('serviceConnectionId');
    if (!connection) return sendJson(res, 400, { message: 'serviceConnectionId is required.' });
    const token = config.issuer.mint({ sub: config.subjectFor(connection), aud: 'api://AzureADTokenExchange' });
    config.record(token);
    config.count('pipelines');
    sendJson(res, 200, { oidcToken: token });
  });
}
