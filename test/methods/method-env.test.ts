/**
 * Method-specific environment (the parser's general precedence table is PIPE+CLI's):
 * which caller variables each login method forwards to a broker, and Azure Pipelines' rule that
 * AZURESUBSCRIPTION_* fill only empty flags (unlike kubelogin's other variables).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AppError } from '../../shared/core/app-error.js';
import type { TokenRequest } from '../../shared/core/token-request.js';
import { callerEnvOf, pickCallerEnv } from '../../shared/auth/flows/workload-identity-env.js';
import { resolveAzurePipelines } from '../../shared/auth/flows/azure-pipelines-flow.js';
import { workloadIdentitySource } from '../../shared/auth/flows/workload-identity-flow.js';
import { msiIdentity, msiResource } from '../../shared/auth/flows/msi-flow.js';

const CI_ENV = {
  ACTIONS_ID_TOKEN_REQUEST_URL: 'https://gh.example/token?api-version=2.0',
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'gh-secret',
  SYSTEM_ACCESSTOKEN: 'ado-secret',
  SYSTEM_OIDCREQUESTURI: 'https://dev.azure.com/org/_apis/oidc',
  AZURESUBSCRIPTION_CLIENT_ID: 'env-client',
  AZURESUBSCRIPTION_TENANT_ID: 'env-tenant',
  AZURESUBSCRIPTION_SERVICE_CONNECTION_ID: 'env-conn',
  AZURE_CLIENT_SECRET: 'never-forwarded',
  HOME: '/home/x',
};

test('pickCallerEnv forwards only what the method reads', () => {
  assert.deepEqual(pickCallerEnv('workloadidentity', CI_ENV), { ACTIONS_ID_TOKEN_REQUEST_URL: CI_ENV.ACTIONS_ID_TOKEN_REQUEST_URL, ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'gh-secret' });
  assert.deepEqual(Object.keys(pickCallerEnv('azurepipelines', CI_ENV) ?? {}).sort(), [
    'AZURESUBSCRIPTION_CLIENT_ID',
    'AZURESUBSCRIPTION_SERVICE_CONNECTION_ID',
    'AZURESUBSCRIPTION_TENANT_ID',
    'SYSTEM_ACCESSTOKEN',
    'SYSTEM_OIDCREQUESTURI',
  ]);
  for (const login of ['devicecode', 'interactive', 'spn', 'ropc', 'msi', 'azurecli', 'azd'] as const) assert.equal(pickCallerEnv(login, CI_ENV), undefined, login);
  // --disable-environment-override drops kubelogin's override variables, never the CI credentials.
  assert.deepEqual(Object.keys(pickCallerEnv('azurepipelines', CI_ENV, { disableEnvironmentOverride: true }) ?? {}).sort(), ['SYSTEM_ACCESSTOKEN', 'SYSTEM_OIDCREQUESTURI']);
  // An empty variable is still "set" (kubelogin's LookupEnv semantics).
  assert.deepEqual(pickCallerEnv('workloadidentity', { ACTIONS_ID_TOKEN_REQUEST_URL: '' }), { ACTIONS_ID_TOKEN_REQUEST_URL: '' });
  // What the caller sent wins over the process's own environment; absent -> process env.
  assert.deepEqual(callerEnvOf({ callerEnv: { A: '1' } }, { A: '2' }), { A: '1' });
  assert.deepEqual(callerEnvOf({}, { A: '2' }), { A: '2' });
});

const pipelines = (over: Partial<TokenRequest>, env: Record<string, string> = CI_ENV): TokenRequest => ({ login: 'azurepipelines', serverId: 's', callerEnv: env, ...over });

test('azurepipelines: flags win over AZURESUBSCRIPTION_*, which fill the gaps', () => {
  const fromEnv = resolveAzurePipelines(pipelines({}));
  assert.deepEqual([fromEnv.clientId, fromEnv.tenantId, fromEnv.serviceConnectionId], ['env-client', 'env-tenant', 'env-conn']);
  const fromFlags = resolveAzurePipelines(pipelines({ clientId: 'flag-client', tenantId: 'flag-tenant', azurePipelinesServiceConnectionId: 'flag-conn' }));
  assert.deepEqual([fromFlags.clientId, fromFlags.tenantId, fromFlags.serviceConnectionId], ['flag-client', 'flag-tenant', 'flag-conn']);
  const { SYSTEM_ACCESSTOKEN: _a, ...noToken } = CI_ENV;
  assert.throws(() => resolveAzurePipelines(pipelines({}, noToken)), (e: unknown) => e instanceof AppError && e.code === 'config/invalid' && /SYSTEM_ACCESSTOKEN environment variable not set/.test(e.message));
  const { SYSTEM_OIDCREQUESTURI: _b, ...noUri } = CI_ENV;
  assert.throws(() => resolveAzurePipelines(pipelines({}, noUri)), /SYSTEM_OIDCREQUESTURI/);
});

test('workloadidentity: GitHub Actions variables (both set) beat the token file, as in kubelogin', () => {
  const wi = (env: Record<string, string>, file?: string): TokenRequest => ({ login: 'workloadidentity', serverId: 's', callerEnv: env, ...(file ? { federatedTokenFile: file } : {}) });
  assert.equal(workloadIdentitySource(wi(CI_ENV, '/var/run/token')).kind, 'github-actions');
  assert.equal(workloadIdentitySource(wi({ ACTIONS_ID_TOKEN_REQUEST_URL: 'https://gh.example/t' }, '/var/run/token')).kind, 'token-file');
  assert.throws(() => workloadIdentitySource(wi({})), /AZURE_FEDERATED_TOKEN_FILE/);
  // Keys never carry the secrets.
  const id = workloadIdentitySource(wi(CI_ENV)).credentialId;
  assert.ok(!id.includes('gh-secret'));
});

test('msi: --client-id first, then --identity-resource-id, else system-assigned; v1 resource', () => {
  assert.deepEqual(msiIdentity({ clientId: 'c', identityResourceId: '/r' }), { kind: 'client-id', id: 'c' });
  assert.deepEqual(msiIdentity({ identityResourceId: '/r' }), { kind: 'resource-id', id: '/r' });
  assert.deepEqual(msiIdentity({}), { kind: 'system' });
  assert.equal(msiResource('6dae42f8-4368-4678-94ff-3960e28e3630/.default'), '6dae42f8-4368-4678-94ff-3960e28e3630');
});
