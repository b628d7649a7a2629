/**
 * `-l azurepipelines`: an Azure DevOps service connection that uses workload identity
 * federation. The job's OIDC token (workload-identity-assertion.ts) is exchanged with the
 * client-credentials grant, as azidentity's AzurePipelinesCredential does for kubelogin.
 *
 * kubelogin reads AZURESUBSCRIPTION_CLIENT_ID, AZURESUBSCRIPTION_TENANT_ID and
 * AZURESUBSCRIPTION_SERVICE_CONNECTION_ID (set by the AzureCLI@2 / AzurePowerShell@5 tasks) only
 * when the flag is empty — flags win here, unlike kubelogin's other variables. SYSTEM_ACCESSTOKEN
 * and SYSTEM_OIDCREQUESTURI are read from the caller's environment (TokenRequest.callerEnv).
 */
import { AppError } from '../../core/app-error.js';
import type { TokenRequest } from '../../core/token-request.js';
import { resolveFlowAuthority } from '../authority.js';
import { credentialFingerprint } from '../credential-fingerprint.js';
import type { SignInFlow } from './sign-in-flow.js';
import { azurePipelinesAssertion } from './workload-identity-assertion.js';
import { callerEnvOf } from './workload-identity-env.js';
import { acquireAppToken, agentFor } from './workload-identity-flow.js';

export interface AzurePipelinesSettings {
  clientId: string;
  tenantId: string;
  serviceConnectionId: string;
  systemAccessToken: string;
  oidcRequestUri: string;
}

function need(value: string | undefined, message: string): string {
  if (!value || value.trim() === '') throw new AppError('config/invalid', message, { detail: { method: 'azurepipelines' } });
  return value.trim();
}

export function resolveAzurePipelines(request: TokenRequest): AzurePipelinesSettings {
  const env = callerEnvOf(request);
  return {
    clientId: need(request.clientId || env.AZURESUBSCRIPTION_CLIENT_ID, "Azure Pipelines login needs the service connection's client id: pass --client-id or run in an AzureCLI@2 task (AZURESUBSCRIPTION_CLIENT_ID)."),
    tenantId: need(request.tenantId || env.AZURESUBSCRIPTION_TENANT_ID, 'Azure Pipelines login needs the tenant id: pass --tenant-id or run in an AzureCLI@2 task (AZURESUBSCRIPTION_TENANT_ID).'),
    serviceConnectionId: need(
      request.azurePipelinesServiceConnectionId || env.AZURESUBSCRIPTION_SERVICE_CONNECTION_ID,
      'Azure Pipelines login needs the service connection id: set AZURESUBSCRIPTION_SERVICE_CONNECTION_ID (AzureCLI@2 sets it) to the id of a workload-identity service connection.',
    ),
    systemAccessToken: need(env.SYSTEM_ACCESSTOKEN, 'SYSTEM_ACCESSTOKEN environment variable not set: map it into the step with `env: SYSTEM_ACCESSTOKEN: $(System.AccessToken)`.'),
    oidcRequestUri: need(env.SYSTEM_OIDCREQUESTURI, 'SYSTEM_OIDCREQUESTURI environment variable not set: -l azurepipelines works only inside an Azure Pipelines job.'),
  };
}

function credentialIdOf(s: AzurePipelinesSettings): string {
  return credentialFingerprint('azure-pipelines', s.oidcRequestUri, s.serviceConnectionId, s.systemAccessToken);
}

export const signInFlow: SignInFlow = {
  login: 'azurepipelines',
  kind: 'app',
  validate(request) {
    resolveAzurePipelines(request);
  },
  keyParts(request) {
    const s = resolveAzurePipelines(request);
    return [`client:${s.clientId.toLowerCase()}`, `tenant:${s.tenantId.toLowerCase()}`, credentialIdOf(s)];
  },
  async acquire(ctx) {
    const s = resolveAzurePipelines(ctx.request);
    const agent = agentFor(ctx.env.caPem);
    const assertion = azurePipelinesAssertion(s.oidcRequestUri, s.serviceConnectionId, s.systemAccessToken, agent ? { agent } : {});
    // The tenant may come from AZURESUBSCRIPTION_TENANT_ID rather than --tenant-id: the broker's
    // authority (built from the request) then says `organizations`, which client credentials refuse.
    const authority = ctx.request.tenantId ? ctx.authority : resolveFlowAuthority({ ...ctx.request, tenantId: s.tenantId });
    return acquireAppToken({ ...ctx, authority }, s.clientId, { kind: 'assertion', clientAssertion: () => assertion() }, credentialIdOf(s));
  },
};
