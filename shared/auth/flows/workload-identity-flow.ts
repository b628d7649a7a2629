/**
 * `-l workloadidentity`: a federated credential exchanged for an access token with the
 * client-credentials grant (RFC 7523 client assertion) through the broker's msal-node
 * ConfidentialClientApplication.
 *
 * Inputs, with kubelogin's names (options.go UpdateFromEnv, applied by the CLI parser):
 *   --client-id / AZURE_CLIENT_ID, --tenant-id / AZURE_TENANT_ID,
 *   --federated-token-file / AZURE_FEDERATED_TOKEN_FILE, --authority-host / AZURE_AUTHORITY_HOST.
 * When the caller runs in GitHub Actions (ACTIONS_ID_TOKEN_REQUEST_URL and
 * ACTIONS_ID_TOKEN_REQUEST_TOKEN both set, read from TokenRequest.callerEnv) the assertion comes
 * from GitHub's OIDC endpoint instead of a file, as in kubelogin's provider switch.
 * msal-node calls the assertion callback per token request, so a rotated token file is read
 * afresh every time the broker needs a new access token.
 */
import * as https from 'node:https';
import * as tls from 'node:tls';
import { AppError } from '../../core/app-error.js';
import type { TokenRequest } from '../../core/token-request.js';
import { credentialFingerprint } from '../credential-fingerprint.js';
import { POP_KIND_FOR } from '../pop/pop-msal.js';
import type { ClientCredential, FlowContext, FlowResult, SignInFlow } from './sign-in-flow.js';
import { toFlowResult } from './msal-result.js';
import { federatedTokenFileAssertion, githubActionsAssertion, type AssertionSource } from './workload-identity-assertion.js';
import { callerEnvOf } from './workload-identity-env.js';

function required(value: string | undefined, message: string, method: string): string {
  if (!value || value.trim() === '') throw new AppError('config/invalid', message, { detail: { method } });
  return value.trim();
}

/** An https.Agent trusting Node's roots plus the broker's extra CAs (test emulators). */
export function agentFor(caPem: string[]): https.Agent | undefined {
  return caPem.length > 0 ? new https.Agent({ ca: [...tls.rootCertificates, ...caPem] }) : undefined;
}

export interface WorkloadIdentitySource {
  kind: 'github-actions' | 'token-file';
  assertion: AssertionSource;
  /** Non-secret id of this credential (broker key part, app reuse). */
  credentialId: string;
}

/** Which assertion source kubelogin would pick for this caller. */
export function workloadIdentitySource(request: TokenRequest, agent?: https.Agent): WorkloadIdentitySource {
  const env = callerEnvOf(request);
  const url = env.ACTIONS_ID_TOKEN_REQUEST_URL;
  const token = env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
  if (url && token) {
    return { kind: 'github-actions', assertion: githubActionsAssertion(url, token, agent ? { agent } : {}), credentialId: credentialFingerprint('github-actions', url, token) };
  }
  const file = required(
    request.federatedTokenFile,
    'Workload identity needs a federated token file: set AZURE_FEDERATED_TOKEN_FILE (the AKS workload identity webhook does this) or pass --federated-token-file.',
    'workloadidentity',
  );
  return { kind: 'token-file', assertion: federatedTokenFileAssertion(file), credentialId: credentialFingerprint('token-file', file) };
}

/** Client-credentials grant with the given credential; shared by workload identity and Azure Pipelines. */
export async function acquireAppToken(ctx: FlowContext, clientId: string, credential: ClientCredential, credentialId: string): Promise<FlowResult> {
  const app = await ctx.env.apps.confidentialClient(ctx.authority, clientId, credential, credentialId);
  let req: { scopes: string[]; skipCache?: boolean; claims?: string; extraQueryParameters?: Record<string, string> } = {
    scopes: ctx.scopes,
    // A PoP access token is never read back from MSAL's cache, and a Bearer one there must never
    // be served for a PoP request: always go to the network for PoP (the broker caches it).
    ...(ctx.forceRefresh || ctx.pop ? { skipCache: true } : {}),
    ...(ctx.claims ? { claims: ctx.claims } : {}),
  };
  if (ctx.pop) req = ctx.pop.apply(req, POP_KIND_FOR.acquireTokenByClientCredential);
  const r = await app.acquireTokenByClientCredential(req);
  return toFlowResult(r, 'refresh', ctx);
}

function settings(request: TokenRequest): { clientId: string; tenantId: string } {
  return {
    clientId: required(request.clientId, 'Workload identity needs a client id: set AZURE_CLIENT_ID (the AKS webhook does this) or pass --client-id.', 'workloadidentity'),
    tenantId: required(request.tenantId, 'Workload identity needs a tenant id: set AZURE_TENANT_ID or pass --tenant-id.', 'workloadidentity'),
  };
}

export const signInFlow: SignInFlow = {
  login: 'workloadidentity',
  kind: 'app',
  validate(request) {
    settings(request);
    workloadIdentitySource(request);
  },
  keyParts(request) {
    return [workloadIdentitySource(request).credentialId];
  },
  async acquire(ctx) {
    const { clientId } = settings(ctx.request);
    const source = workloadIdentitySource(ctx.request, agentFor(ctx.env.caPem));
    return acquireAppToken(ctx, clientId, { kind: 'assertion', clientAssertion: () => source.assertion() }, source.credentialId);
  },
};
