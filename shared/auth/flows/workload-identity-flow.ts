/**
 * `-l workloadidentity`: a federated credential exchanged for an access token with the
 * client-credentials grant (RFC 7523 client assertion), through msal-node's
 * ConfidentialClientApplication.
 *
 * Inputs, with kubelogin's names (options.go UpdateFromEnv, applied by the CLI parser):
 *   --client-id / AZURE_CLIENT_ID, --tenant-id / AZURE_TENANT_ID,
 *   --federated-token-file / AZURE_FEDERATED_TOKEN_FILE, --authority-host / AZURE_AUTHORITY_HOST.
 * When the caller runs in GitHub Actions (ACTIONS_ID_TOKEN_REQUEST_URL and
 * ACTIONS_ID_TOKEN_REQUEST_TOKEN both set) the assertion comes from GitHub's OIDC endpoint
 * instead of a file, as in kubelogin's provider switch.
 */
import type * as https from 'node:https';
import { ConfidentialClientApplication } from '@azure/msal-node';
import { AppError } from '../../core/app-error.js';
import type { TokenRequest } from '../../core/token-request.js';
import { msalAuthFor, msalSystem, scopeForServerId, type MsalHooks } from '../clouds-msal.js';
import type { PopKey } from '../pop/pop-key.js';
import { withPopFields } from '../pop/pop-msal.js';
import type { CliToken } from './azure-cli-output.js';
import { federatedTokenFileAssertion, githubActionsAssertion, type AssertionSource } from './workload-identity-assertion.js';
import { callerEnvOf } from './workload-identity-env.js';

export interface AssertionFlowOptions {
  hooks?: MsalHooks;
  /** Present when --pop-enabled: the access token is bound to this key. */
  popKey?: PopKey;
  /** Trust for the CI OIDC endpoints (tests). */
  agent?: https.Agent;
  signal?: AbortSignal;
}

export interface MethodToken extends CliToken {
  tokenType: 'Bearer' | 'pop';
}

function required(value: string | undefined, message: string): string {
  if (!value || value.trim() === '') throw new AppError('config/invalid', message, { detail: { method: 'workloadidentity' } });
  return value.trim();
}

/** Which assertion source kubelogin would pick for this caller. */
export function workloadIdentitySource(request: TokenRequest, options: AssertionFlowOptions = {}): { kind: 'github-actions' | 'token-file'; assertion: AssertionSource } {
  const env = callerEnvOf(request);
  const url = env.ACTIONS_ID_TOKEN_REQUEST_URL;
  const token = env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
  if (url && token) {
    return { kind: 'github-actions', assertion: githubActionsAssertion(url, token, { ...(options.agent ? { agent: options.agent } : {}), ...(options.signal ? { signal: options.signal } : {}) }) };
  }
  const file = required(
    request.federatedTokenFile,
    'Workload identity needs a federated token file: set AZURE_FEDERATED_TOKEN_FILE (the AKS workload identity webhook does this) or pass --federated-token-file.',
  );
  return { kind: 'token-file', assertion: federatedTokenFileAssertion(file) };
}

/** Client-credentials grant with a client assertion; shared by workload identity and Azure Pipelines. */
export async function acquireWithAssertion(
  input: { request: TokenRequest; clientId: string; tenantId: string; assertion: AssertionSource },
  options: AssertionFlowOptions = {},
): Promise<MethodToken> {
  const { request } = input;
  const auth = msalAuthFor({
    environment: request.environment,
    authorityHost: request.authorityHost,
    disableInstanceDiscovery: request.disableInstanceDiscovery,
    tenantId: input.tenantId,
  });
  const app = new ConfidentialClientApplication({
    auth: {
      clientId: input.clientId,
      authority: auth.authority,
      knownAuthorities: auth.knownAuthorities,
      clientAssertion: () => input.assertion(),
    },
    ...(options.hooks?.cachePlugin ? { cache: { cachePlugin: options.hooks.cachePlugin } } : {}),
    system: msalSystem(options.hooks),
  });
  const result = await app.acquireTokenByClientCredential(withPopFields({ scopes: [scopeForServerId(request.serverId)] }, options.popKey, 'client-credentials'));
  if (!result?.accessToken || !result.expiresOn) throw new AppError('auth/failed', 'Entra ID answered without an access token: try again; if it persists, check the app registration.');
  return {
    accessToken: result.accessToken,
    expiresOn: result.expiresOn.getTime(),
    tokenType: options.popKey ? 'pop' : 'Bearer',
    account: { username: input.clientId, homeAccountId: `${input.clientId}.${input.tenantId}`, tenantId: input.tenantId },
  };
}

export async function acquireWorkloadIdentityToken(request: TokenRequest, options: AssertionFlowOptions = {}): Promise<MethodToken> {
  const clientId = required(request.clientId, 'Workload identity needs a client id: set AZURE_CLIENT_ID (the AKS webhook does this) or pass --client-id.');
  const tenantId = required(request.tenantId, 'Workload identity needs a tenant id: set AZURE_TENANT_ID or pass --tenant-id.');
  const { assertion } = workloadIdentitySource(request, options);
  return acquireWithAssertion({ request, clientId, tenantId, assertion }, options);
}
