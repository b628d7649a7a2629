/**
 * GitHub Actions OIDC token request: GET $ACTIONS_ID_TOKEN_REQUEST_URL&audience=<aud> with
 * `Authorization: bearer $ACTIONS_ID_TOKEN_REQUEST_TOKEN` -> {"value": "<jwt>"}. The request URL
 * GitHub hands out already carries `?api-version=2.0`, so clients append `&audience=`.
 */
import { sendJson, type Router } from '../http/http-kit.js';
import { hasBearer, type OidcIssuer } from './oidc-issuer.js';

export const GITHUB_TOKEN_PATH = '/_github/token';

export interface GithubOidcConfig {
  issuer: OidcIssuer;
  requestToken: string;
  subject: string;
  count(source: string): void;
  record(token: string): void;
}

export function registerGithubOidcRoutes(router: Router, config: GithubOidcConfig): void {
  router.add('GET', /^\/_github\/token$/, ({ req, res, url }) => {
    if (!hasBearer(req.headers.authorization, config.requestToken)) return sendJson(res, 401, { message: 'Bad credentials' });
    const audience = url.searchParams.get('audience') ?? 'api://AzureADTokenExchange';
    const token = config.issuer.mint({
      sub: config.subject,
      aud: audience,
      repository: 'kubetray/kubetray',
      ref: 'refs/heads/main',
      job_workflow_ref: 'kubetray/kubetray/.github/workflows/ci.yml@refs/heads/main',
      runner_environment: 'github-hosted',
    });
    config.record(token);
    config.count('github');
    sendJson(res, 200, { count: 1, value: token });
  });
  router.add('GET', /^\/_github\/\.well-known\/openid-configuration$/, ({ res }) =>
    sendJson(res, 200, { issuer: config.issuer.issuer, jwks_uri: `${config.issuer.issuer}/.well-known/jwks`, subject_types_supported: ['public', 'pairwise'], response_types_supported: ['id_token'], id_token_signing_alg_values_supported: ['RS256'] }),
  );
  router.add('GET', /^\/_github\/\.well-known\/jwks$/, ({ res }) => sendJson(res, 200, config.issuer.jwks()));
}
