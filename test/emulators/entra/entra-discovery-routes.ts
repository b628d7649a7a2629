/**
 * Discovery endpoints msal-node reads before any token call: OIDC metadata (v2 and v1), instance
 * discovery (only asked for authorities msal does not know; `knownAuthorities` skips it), the
 * tenant JWKS, and the built-in external OIDC issuer for federated credentials.
 */
import { sendJson, type Router } from '../http/http-kit.js';
import type { JsonObject, JsonWebKeyRsa, SigningKey } from '../jose/jose.js';
import { resolveTenant, type EntraState } from './entra-state.js';
import { issuerFor } from './entra-tokens.js';

const TENANT = '(?<tenant>[A-Za-z0-9._-]+)';

/** JWKS of one tenant, or of every tenant for common/organizations or no tenant. */
export function jwksOf(state: EntraState, seg?: string): { keys: JsonWebKeyRsa[] } {
  if (!seg || resolveTenant(state, seg).multi) return { keys: state.dir.tenants.map((t) => t.signingKey.jwk) };
  return { keys: [resolveTenant(state, seg).tenant.signingKey.jwk] };
}

export function registerDiscoveryRoutes(router: Router, state: EntraState, port: number, external: { issuer: string; key: SigningKey }): void {
  const origin = state.origin;
  const externalIssuer = external.issuer;
  const externalKey = external.key;
  const metadata = (seg: string, version: '1.0' | '2.0'): JsonObject => {
    const { tenant, multi } = resolveTenant(state, seg);
    // Entra resolves a domain to the tenant GUID in endpoints; common/organizations stay as is.
    const pathTenant = multi ? seg.toLowerCase() : tenant.id;
    const v = version === '2.0' ? 'v2.0/' : '';
    return {
      issuer: multi ? `${origin}/{tenantid}/${version === '2.0' ? 'v2.0' : ''}` : issuerFor(origin, tenant.id, version),
      authorization_endpoint: `${origin}/${pathTenant}/oauth2/${v}authorize`,
      token_endpoint: `${origin}/${pathTenant}/oauth2/${v}token`,
      device_authorization_endpoint: `${origin}/${pathTenant}/oauth2/${v}devicecode`,
      end_session_endpoint: `${origin}/${pathTenant}/oauth2/${v}logout`,
      jwks_uri: `${origin}/${pathTenant}/discovery/${v}keys`,
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
      response_modes_supported: ['query', 'fragment', 'form_post'],
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      code_challenge_methods_supported: ['S256', 'plain'],
      claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'nonce', 'name', 'oid', 'tid', 'preferred_username', 'acrs'],
      request_uri_parameter_supported: false,
      tenant_region_scope: 'EU',
      cloud_instance_name: '127.0.0.1',
      cloud_graph_host_name: 'graph.windows.net',
      msgraph_host: 'graph.microsoft.com',
      rbac_url: 'https://pas.windows.net',
      http_logout_supported: true,
      frontchannel_logout_supported: true,
    };
  };
  router.add('GET', new RegExp(`^/${TENANT}/v2\\.0/\\.well-known/openid-configuration$`), ({ res, params }) => sendJson(res, 200, metadata(params.tenant!, '2.0')));
  router.add('GET', new RegExp(`^/${TENANT}/\\.well-known/openid-configuration$`), ({ res, params }) => sendJson(res, 200, metadata(params.tenant!, '1.0')));
  // Instance discovery (msal asks only for authorities it does not know; knownAuthorities skips it).
  router.add('GET', new RegExp(`^/${TENANT}/discovery/instance$`), ({ res, url }) => {
    const host = `127.0.0.1:${port}`;
    const authz = url.searchParams.get('authorization_endpoint') ?? `${origin}/common/oauth2/v2.0/authorize`;
    const tenantSeg = new URL(authz).pathname.split('/')[1] ?? 'common';
    sendJson(res, 200, {
      tenant_discovery_endpoint: `${origin}/${tenantSeg}/v2.0/.well-known/openid-configuration`,
      'api-version': '1.1',
      metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host, `localhost:${port}`] }],
    });
  });
  router.add('GET', new RegExp(`^/${TENANT}/discovery/(v2\\.0/)?keys$`), ({ res, params }) => sendJson(res, 200, jwksOf(state, params.tenant)));
  // The built-in external issuer for federated credentials (stands in for an AKS OIDC issuer).
  router.add('GET', /^\/_external\/\.well-known\/openid-configuration$/, ({ res }) =>
    sendJson(res, 200, { issuer: externalIssuer, jwks_uri: `${externalIssuer}/keys`, id_token_signing_alg_values_supported: ['RS256'], response_types_supported: ['id_token'], subject_types_supported: ['public'] }),
  );
  router.add('GET', /^\/_external\/keys$/, ({ res }) => sendJson(res, 200, { keys: [externalKey.jwk] }));
}
