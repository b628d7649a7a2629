/**
 * Caller environment variables the CI login methods read at acquisition time. The exec client
 * copies exactly these (when set) into TokenRequest.callerEnv, so a tray or `kubetray serve`
 * acting for a CI job uses the job's credentials, not its own environment. They are secrets
 * (SYSTEM_ACCESSTOKEN, ACTIONS_ID_TOKEN_REQUEST_TOKEN): never logged, never in cache keys.
 */
import type { LoginMethod, TokenRequest } from '../../core/token-request.js';

export const CALLER_ENV_NAMES: Readonly<Partial<Record<LoginMethod, readonly string[]>>> = {
  // GitHub Actions OIDC (kubelogin: used for workloadidentity when both are set).
  workloadidentity: ['ACTIONS_ID_TOKEN_REQUEST_URL', 'ACTIONS_ID_TOKEN_REQUEST_TOKEN'],
  // Azure Pipelines OIDC (azidentity AzurePipelinesCredential; AZURESUBSCRIPTION_* are set by the
  // AzureCLI@2 / AzurePowerShell@5 tasks for the task's service connection).
  azurepipelines: [
    'SYSTEM_ACCESSTOKEN',
    'SYSTEM_OIDCREQUESTURI',
    'AZURESUBSCRIPTION_CLIENT_ID',
    'AZURESUBSCRIPTION_TENANT_ID',
    'AZURESUBSCRIPTION_SERVICE_CONNECTION_ID',
  ],
};

/**
 * Variables that kubelogin treats as overrides of flags (options.go UpdateFromEnv), and which
 * --disable-environment-override therefore turns off. SYSTEM_* and ACTIONS_* are not: azidentity
 * and kubelogin's GitHub credential read them directly.
 */
export const OVERRIDE_ENV_NAMES: ReadonlySet<string> = new Set(['AZURESUBSCRIPTION_CLIENT_ID', 'AZURESUBSCRIPTION_TENANT_ID', 'AZURESUBSCRIPTION_SERVICE_CONNECTION_ID']);

/** The subset of `env` that `login` reads; undefined when the method reads none. */
export function pickCallerEnv(
  login: LoginMethod,
  env: Readonly<Record<string, string | undefined>>,
  options: { disableEnvironmentOverride?: boolean } = {},
): Record<string, string> | undefined {
  const names = CALLER_ENV_NAMES[login];
  if (!names) return undefined;
  const out: Record<string, string> = {};
  for (const name of names) {
    if (options.disableEnvironmentOverride && OVERRIDE_ENV_NAMES.has(name)) continue;
    const v = env[name];
    if (v !== undefined) out[name] = v;
  }
  return out;
}

/** Where a flow reads the caller's variables: what the caller sent, else (in-process) our own. */
export function callerEnvOf(request: Pick<TokenRequest, 'callerEnv'>, fallback: NodeJS.ProcessEnv = process.env): Readonly<Record<string, string | undefined>> {
  return request.callerEnv ?? fallback;
}
