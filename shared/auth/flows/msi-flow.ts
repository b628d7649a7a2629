/**
 * `-l msi`: managed identity through msal-node's ManagedIdentityApplication, which detects the
 * source from the environment: App Service / Functions (IDENTITY_ENDPOINT + IDENTITY_HEADER),
 * Azure Arc (IDENTITY_ENDPOINT + IMDS_ENDPOINT), Cloud Shell (MSI_ENDPOINT), Service Fabric
 * (+ IDENTITY_SERVER_THUMBPRINT), Machine Learning (MSI_ENDPOINT + MSI_SECRET), else IMDS
 * (169.254.169.254, or AZURE_POD_IDENTITY_AUTHORITY_HOST).
 * User-assigned identities: --client-id first, else --identity-resource-id (kubelogin's order).
 *
 * msal-node keeps the detected source and its token cache in static fields, i.e. per process:
 * the environment must be set before the first call, and one process serves one MI source.
 */
import { ManagedIdentityApplication } from '@azure/msal-node';
import { AppError } from '../../core/app-error.js';
import type { TokenRequest } from '../../core/token-request.js';
import { msalSystem, type MsalHooks } from '../clouds-msal.js';
import type { MethodToken } from './workload-identity-flow.js';

export type MsiIdentity = { kind: 'system' } | { kind: 'client-id'; id: string } | { kind: 'resource-id'; id: string };

export function msiIdentity(request: Pick<TokenRequest, 'clientId' | 'identityResourceId'>): MsiIdentity {
  if (request.clientId) return { kind: 'client-id', id: request.clientId };
  if (request.identityResourceId) return { kind: 'resource-id', id: request.identityResourceId };
  return { kind: 'system' };
}

/** MSI takes a v1-style resource: the server id without '/.default'. */
export function msiResource(serverId: string): string {
  return serverId.trim().replace(/\/\.default$/, '');
}

export interface MsiOptions {
  hooks?: MsalHooks;
  /** Tests: no retries against an emulator that answers errors on purpose. */
  disableInternalRetries?: boolean;
}

export async function acquireMsiToken(request: TokenRequest, options: MsiOptions = {}): Promise<MethodToken> {
  const id = msiIdentity(request);
  const app = new ManagedIdentityApplication({
    ...(id.kind === 'client-id' ? { managedIdentityIdParams: { userAssignedClientId: id.id } } : {}),
    ...(id.kind === 'resource-id' ? { managedIdentityIdParams: { userAssignedResourceId: id.id } } : {}),
    system: { ...msalSystem(options.hooks), ...(options.disableInternalRetries ? { disableInternalRetries: true } : {}) },
  });
  let result;
  try {
    result = await app.acquireToken({ resource: msiResource(request.serverId) });
  } catch (e) {
    throw msiError(e, app.getManagedIdentitySource());
  }
  if (!result?.accessToken || !result.expiresOn) throw new AppError('auth/failed', 'The managed identity endpoint answered without an access token: try again.');
  const tenantId = result.tenantId || request.tenantId || '';
  const who = id.kind === 'system' ? 'system-assigned' : id.id;
  return {
    accessToken: result.accessToken,
    expiresOn: result.expiresOn.getTime(),
    tokenType: 'Bearer',
    account: { username: `managed identity (${who})`, homeAccountId: `msi.${who}`, tenantId },
  };
}

function msiError(e: unknown, source: string): AppError {
  const err = e as { errorCode?: string; errorMessage?: string; message?: string };
  const code = err.errorCode ?? '';
  const message = (err.errorMessage ?? err.message ?? '').slice(0, 300);
  if (/network|unreachable|ECONNREFUSED|ETIMEDOUT|fetch failed|timed out/i.test(`${code} ${message}`)) {
    return new AppError(
      'auth/network',
      `No managed identity endpoint answered (${source}): -l msi works only on Azure compute (VM, VMSS, App Service, Functions, Arc, AKS node). Elsewhere use -l azurecli, -l spn or -l workloadidentity.`,
      { cause: e, detail: { method: 'msi', source } },
    );
  }
  if (/identity not found|not found|400|invalid_request|user.assigned/i.test(`${code} ${message}`)) {
    return new AppError(
      'auth/invalid-client',
      `The managed identity (${source}) refused the request: ${message || code}. Check --client-id / --identity-resource-id names an identity assigned to this resource.`,
      { cause: e, detail: { method: 'msi', source } },
    );
  }
  return new AppError('auth/failed', `Managed identity (${source}) failed: ${message || code || 'unknown error'}.`, { cause: e, detail: { method: 'msi', source } });
}
