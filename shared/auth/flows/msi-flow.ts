/**
 * `-l msi`: managed identity through msal-node's ManagedIdentityApplication, which detects the
 * source from the environment: App Service / Functions (IDENTITY_ENDPOINT + IDENTITY_HEADER),
 * Azure Arc (IDENTITY_ENDPOINT + IMDS_ENDPOINT), Cloud Shell (MSI_ENDPOINT), Service Fabric
 * (+ IDENTITY_SERVER_THUMBPRINT), Machine Learning (MSI_ENDPOINT + MSI_SECRET), else IMDS
 * (169.254.169.254, or AZURE_POD_IDENTITY_AUTHORITY_HOST).
 * User-assigned identities: --client-id first, else --identity-resource-id (kubelogin's order).
 *
 * msal-node keeps the detected source and its token cache in static fields, i.e. per process:
 * the environment is that of the process running the flow (the tray or `kubetray serve`, or the
 * exec client in-process), and must be set before the first call.
 * MSAL's own network client is used, not the broker's: IMDS and App Service speak plain http
 * on link-local / loopback addresses, which the broker's client refuses on purpose.
 */
import { ManagedIdentityApplication } from '@azure/msal-node';
import { AppError } from '../../core/app-error.js';
import type { TokenRequest } from '../../core/token-request.js';
import type { FlowResult, SignInFlow } from './sign-in-flow.js';

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

/** Test hook: no internal retries against an emulator that fails on purpose. */
export const msiSettings = { disableInternalRetries: process.env.KUBETRAY_TEST === '1' };

export async function acquireMsiToken(request: TokenRequest, forceRefresh = false): Promise<FlowResult> {
  const id = msiIdentity(request);
  const app = new ManagedIdentityApplication({
    ...(id.kind === 'client-id' ? { managedIdentityIdParams: { userAssignedClientId: id.id } } : {}),
    ...(id.kind === 'resource-id' ? { managedIdentityIdParams: { userAssignedResourceId: id.id } } : {}),
    system: { ...(msiSettings.disableInternalRetries ? { disableInternalRetries: true } : {}) },
  });
  let result;
  try {
    result = await app.acquireToken({ resource: msiResource(request.serverId), ...(forceRefresh ? { forceRefresh: true } : {}) });
  } catch (e) {
    throw msiError(e, app.getManagedIdentitySource());
  }
  if (!result?.accessToken || !result.expiresOn) throw new AppError('auth/failed', 'The managed identity endpoint answered without an access token: try again.');
  return {
    accessToken: result.accessToken,
    expiresOn: result.expiresOn.getTime(),
    ...(result.refreshOn ? { refreshOn: result.refreshOn.getTime() } : {}),
    tokenType: 'Bearer',
    source: result.fromCache ? 'cache' : 'refresh',
  };
}

function msiError(e: unknown, source: string): AppError {
  if (e instanceof AppError) return e;
  const err = e as { errorCode?: string; errorMessage?: string; message?: string };
  const code = err.errorCode ?? '';
  const message = (err.errorMessage ?? err.message ?? '').slice(0, 300);
  const text = `${code} ${message}`;
  if (/network|unreachable|ECONNREFUSED|ETIMEDOUT|EHOSTUNREACH|fetch failed|timed out|socket/i.test(text)) {
    return new AppError(
      'auth/network',
      `No managed identity endpoint answered (${source}): -l msi works only on Azure compute (VM, VMSS, App Service, Functions, Arc, AKS node). Elsewhere use -l azurecli, -l spn or -l workloadidentity.`,
      { cause: e, detail: { method: 'msi', source } },
    );
  }
  if (/not found|invalid_request|invalid_client|user.?assigned|identity/i.test(text)) {
    return new AppError(
      'auth/invalid-client',
      `The managed identity endpoint (${source}) refused the request: ${message || code}. Check that --client-id / --identity-resource-id names an identity assigned to this resource.`,
      { cause: e, detail: { method: 'msi', source } },
    );
  }
  return new AppError('auth/failed', `Managed identity (${source}) failed: ${message || code || 'unknown error'}.`, { cause: e, detail: { method: 'msi', source } });
}

export const signInFlow: SignInFlow = {
  login: 'msi',
  kind: 'external',
  keyParts(request) {
    const id = msiIdentity(request);
    return [id.kind === 'system' ? 'msi:system' : `msi:${id.kind}:${id.id.toLowerCase()}`];
  },
  acquire: (ctx) => acquireMsiToken(ctx.request, ctx.forceRefresh),
};
