/**
 * Client assertions for federated credentials. msal-node calls an async `clientAssertion`
 * callback for every token request it sends (after its cache check), so each source below is
 * read afresh per acquisition — right for Kubernetes' projected service-account token, which the
 * kubelet rotates in place (AZURE_FEDERATED_TOKEN_FILE), and for CI OIDC tokens, which expire in
 * minutes.
 */
import * as fs from 'node:fs/promises';
import type * as https from 'node:https';
import { AppError } from '../../core/app-error.js';
import { describeFailure, requestJson } from './workload-identity-http.js';

export type AssertionSource = () => Promise<string>;

/** AZURE_FEDERATED_TOKEN_FILE / --federated-token-file. */
export function federatedTokenFileAssertion(file: string): AssertionSource {
  return async () => {
    let text: string;
    try {
      text = await fs.readFile(file, 'utf8');
    } catch (e) {
      throw new AppError(
        'config/invalid',
        `Cannot read the federated token file ${file} (${(e as NodeJS.ErrnoException).code ?? 'error'}): check AZURE_FEDERATED_TOKEN_FILE or --federated-token-file, and that the service account token is projected into the pod.`,
        { cause: e },
      );
    }
    const token = text.trim();
    if (token === '') throw new AppError('config/invalid', `The federated token file ${file} is empty: wait for the kubelet to write it, or check the volume projection.`);
    return token;
  };
}

/** The audience Entra ID expects in federated tokens (workload identity federation docs). */
export const AZURE_AD_TOKEN_EXCHANGE_AUDIENCE = 'api://AzureADTokenExchange';

/**
 * GitHub Actions: GET $ACTIONS_ID_TOKEN_REQUEST_URL&audience=api://AzureADTokenExchange with
 * `Authorization: bearer $ACTIONS_ID_TOKEN_REQUEST_TOKEN` -> {"value": <JWT>}
 * (docs.github.com, "About security hardening with OpenID Connect"; the job needs
 * `permissions: id-token: write`).
 */
export function githubActionsAssertion(requestUrl: string, requestToken: string, options: { agent?: https.Agent; signal?: AbortSignal } = {}): AssertionSource {
  return async () => {
    let url: URL;
    try {
      url = new URL(requestUrl);
    } catch {
      throw new AppError('config/invalid', 'ACTIONS_ID_TOKEN_REQUEST_URL is not a URL: run inside a GitHub Actions job with `permissions: id-token: write`.');
    }
    url.searchParams.set('audience', AZURE_AD_TOKEN_EXCHANGE_AUDIENCE);
    const res = await requestJson({
      method: 'GET',
      url,
      headers: { Authorization: `bearer ${requestToken}`, 'Content-Type': 'application/json', Accept: 'application/json; api-version=2.0' },
      what: 'GitHub Actions OIDC endpoint',
      ...options,
    });
    const value = (res.body as { value?: unknown } | undefined)?.value;
    if (res.status !== 200 || typeof value !== 'string' || value === '') {
      throw new AppError(
        'auth/failed',
        `GitHub Actions did not issue an ID token (${describeFailure(res.status, res.body)}): give the job \`permissions: id-token: write\`.`,
      );
    }
    return value;
  };
}

/**
 * Azure Pipelines: POST $SYSTEM_OIDCREQUESTURI?api-version=7.1&serviceConnectionId=<id> with
 * `Authorization: Bearer $SYSTEM_ACCESSTOKEN` -> {"oidcToken": <JWT>} (the request azidentity's
 * AzurePipelinesCredential makes; X-TFS-FedAuthRedirect: Suppress turns a sign-in redirect into a
 * plain 401/403).
 */
export function azurePipelinesAssertion(
  oidcRequestUri: string,
  serviceConnectionId: string,
  systemAccessToken: string,
  options: { agent?: https.Agent; signal?: AbortSignal } = {},
): AssertionSource {
  return async () => {
    let url: URL;
    try {
      url = new URL(oidcRequestUri);
    } catch {
      throw new AppError('config/invalid', 'SYSTEM_OIDCREQUESTURI is not a URL: run inside an Azure Pipelines job.');
    }
    url.searchParams.set('api-version', '7.1');
    url.searchParams.set('serviceConnectionId', serviceConnectionId);
    const res = await requestJson({
      method: 'POST',
      url,
      headers: { Authorization: `Bearer ${systemAccessToken}`, 'Content-Type': 'application/json', 'X-TFS-FedAuthRedirect': 'Suppress' },
      body: '',
      what: 'Azure Pipelines OIDC endpoint',
      ...options,
    });
    const token = (res.body as { oidcToken?: unknown } | undefined)?.oidcToken;
    if (res.status !== 200 || typeof token !== 'string' || token === '') {
      const hint =
        res.status === 401 || res.status === 403
          ? 'map SYSTEM_ACCESSTOKEN into the step (env: SYSTEM_ACCESSTOKEN: $(System.AccessToken)) and allow the pipeline to use the service connection'
          : 'check the service connection id (AZURESUBSCRIPTION_SERVICE_CONNECTION_ID) and that it uses workload identity federation';
      throw new AppError('auth/failed', `Azure Pipelines did not issue an OIDC token (${describeFailure(res.status, res.body)}): ${hint}.`);
    }
    return token;
  };
}
