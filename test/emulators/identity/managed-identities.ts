/**
 * Managed identities known to the identity emulator and how a request names one: IMDS takes
 * client_id / object_id / msi_res_id, App Service 2019-08-01 takes client_id / object_id
 * (principal_id) / mi_res_id; no id = the system-assigned identity.
 */
import * as crypto from 'node:crypto';
import type { EntraEmulator } from '../entra/entra-emulator.js';
import type { EntraApp, EntraTenant } from '../entra/entra-directory.js';
import { mintAppAccessToken, resolveResource } from '../entra/entra-tokens.js';
import { nowSeconds } from '../jose/jose.js';

export interface ManagedIdentity {
  clientId: string;
  principalId: string;
  resourceId: string;
  systemAssigned: boolean;
  tenantId: string;
}

export interface ManagedIdentityInput {
  clientId?: string;
  principalId?: string;
  resourceId?: string;
  tenant?: string;
}

export class ManagedIdentityRegistry {
  readonly identities: ManagedIdentity[] = [];

  constructor(private readonly entra: EntraEmulator) {}

  add(input: ManagedIdentityInput & { systemAssigned?: boolean }): ManagedIdentity {
    const clientId = input.clientId ?? crypto.randomUUID();
    const principalId = input.principalId ?? crypto.randomUUID();
    const name = input.systemAssigned ? 'vm-kubetray' : `id-${clientId.slice(0, 8)}`;
    const resourceId =
      input.resourceId ??
      (input.systemAssigned
        ? `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-kubetray/providers/Microsoft.Compute/virtualMachines/${name}`
        : `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-kubetray/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${name}`);
    const tenant = this.tenant(input.tenant);
    this.entra.addApp({ appId: clientId, servicePrincipalId: principalId, displayName: name }, tenant.id);
    const mi: ManagedIdentity = { clientId, principalId, resourceId, systemAssigned: input.systemAssigned ?? false, tenantId: tenant.id };
    this.identities.push(mi);
    return mi;
  }

  private tenant(idOrDomain?: string): EntraTenant {
    const t = idOrDomain ? this.entra.directory.tenant(idOrDomain) : this.entra.directory.tenant(this.entra.defaultTenantId);
    if (!t) throw new Error(`Unknown tenant ${idOrDomain}`);
    return t;
  }

  /** Finds the identity a request names; undefined when none matches. */
  find(q: URLSearchParams, resourceIdParam: 'msi_res_id' | 'mi_res_id'): ManagedIdentity | undefined {
    const clientId = q.get('client_id') ?? q.get('clientid');
    const objectId = q.get('object_id') ?? q.get('principal_id');
    const resourceId = q.get(resourceIdParam);
    if (clientId) return this.identities.find((i) => i.clientId === clientId.toLowerCase());
    if (objectId) return this.identities.find((i) => i.principalId === objectId.toLowerCase());
    if (resourceId) return this.identities.find((i) => i.resourceId.toLowerCase() === resourceId.toLowerCase());
    return this.identities.find((i) => i.systemAssigned);
  }

  /**
   * Mints a v1 access token for the identity (managed identity endpoints speak `resource`, and
   * their tokens are v1: issuer `<origin>/<tid>/`, `appid`, `xms_mirid`).
   */
  mint(mi: ManagedIdentity, resource: string, lifetimeSeconds: number, record: (t: string) => void): { token: string; aud: string; expiresOn: number } {
    const tenant = this.tenant(mi.tenantId);
    const app = this.entra.directory.findApp(tenant, mi.clientId) as EntraApp;
    const bare = resource.replace(/\/\.default$/, '');
    const { aud } = resolveResource(this.entra.directory, tenant, bare, false);
    const token = mintAppAccessToken(
      { origin: this.entra.origin, lifetimeSeconds, record },
      { tenant, client: app, aud, version: '1.0', extra: { xms_mirid: mi.resourceId, xms_mitype: mi.systemAssigned ? 'system' : 'user' } },
    );
    return { token, aud, expiresOn: nowSeconds() + lifetimeSeconds };
  }
}
