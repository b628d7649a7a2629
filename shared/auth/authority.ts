/**
 * A TokenRequest's authority for msal-node. The cloud table and the `--authority-host` rules live
 * in clouds.ts (one function, `resolveAuthority`, extended there for sovereign clouds); this file
 * only adds what the broker needs on top: the tenant, the scope and the default client.
 */
import type { TokenRequest } from '../core/token-request.js';
import { resolveAuthority } from './clouds.js';
import type { FlowAuthority } from './flows/sign-in-flow.js';

export function resolveFlowAuthority(request: Pick<TokenRequest, 'environment' | 'authorityHost' | 'disableInstanceDiscovery' | 'tenantId'>): FlowAuthority {
  const settings = resolveAuthority({
    environment: request.environment,
    authorityHost: request.authorityHost,
    disableInstanceDiscovery: request.disableInstanceDiscovery,
    tenantId: request.tenantId,
  });
  const tenant = settings.authority.slice(settings.authorityHost.length);
  return { authorityHost: settings.authorityHost, authority: settings.authority, tenant, knownAuthorities: settings.knownAuthorities };
}

/** kubelogin's rule: server id without a trailing '/' plus '/.default', unless already there. */
export function scopeForServerId(serverId: string): string {
  const trimmed = serverId.trim();
  if (trimmed.endsWith('/.default')) return trimmed;
  return `${trimmed.replace(/\/+$/, '')}/.default`;
}

/** The host[:port] of an authority host URL, as msal-node keys its cache ("environment"). */
export function authorityEnvironment(authorityHost: string): string {
  return new URL(authorityHost).host;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isTenantGuid(tenant: string): boolean {
  return GUID.test(tenant);
}
