/**
 * What a caller asks the broker for. Field names follow Azure kubelogin's get-token flags
 * (camelCase of the long flag), so the CLI parser, the pipe protocol and the window all speak
 * the same shape. Pure: no node:*.
 */
export const LOGIN_METHODS = [
  'devicecode',
  'interactive',
  'spn',
  'ropc',
  'msi',
  'azurecli',
  'azd',
  'workloadidentity',
  'azurepipelines',
] as const;
export type LoginMethod = (typeof LOGIN_METHODS)[number];

export function isLoginMethod(value: string): value is LoginMethod {
  return (LOGIN_METHODS as readonly string[]).includes(value);
}

export interface TokenRequest {
  login: LoginMethod;
  /** --server-id: the cluster's Entra application; scope is `<serverId>/.default`. */
  serverId: string;
  clientId?: string;
  tenantId?: string;
  /** --environment: AzurePublicCloud, AzureUSGovernmentCloud, AzureChinaCloud (and aliases). */
  environment?: string;
  /** --authority-host: absolute URL ending in '/', e.g. https://login.microsoftonline.com/ */
  authorityHost?: string;
  disableInstanceDiscovery?: boolean;
  loginHint?: string;
  domainHint?: string;
  /** Interactive only: OIDC prompt (e.g. 'select_account' to switch account, 'login' to re-enter). */
  prompt?: 'login' | 'select_account' | 'consent' | 'none';
  redirectUrl?: string;
  legacy?: boolean;
  popEnabled?: boolean;
  popClaims?: string;
  /** --identity-resource-id (msi). */
  identityResourceId?: string;
  /** --federated-token-file / AZURE_FEDERATED_TOKEN_FILE (workloadidentity). */
  federatedTokenFile?: string;
  /** --cache-dir / KUBECACHEDIR. */
  cacheDir?: string;
  /** --timeout in ms (kubelogin default 60 s); does not count the person's own sign-in time. */
  timeoutMs?: number;
  /** Secrets. Carried in-process or over the authenticated pipe only; never logged. */
  clientSecret?: string;
  clientCertificate?: string;
  clientCertificatePassword?: string;
  username?: string;
  password?: string;
  /** azurecli/azd: subscription and AZURE_CONFIG_DIR. */
  azureConfigDir?: string;
  /**
   * azurepipelines: the service connection id (kubelogin: AZURESUBSCRIPTION_SERVICE_CONNECTION_ID,
   * which — unlike other variables — does not override a flag).
   */
  azurePipelinesServiceConnectionId?: string;
  /**
   * Environment variables of the CALLER that its login method reads at acquisition time
   * (SYSTEM_ACCESSTOKEN, SYSTEM_OIDCREQUESTURI, ACTIONS_ID_TOKEN_REQUEST_URL/_TOKEN, ...), so the
   * tray acts on the caller's CI context rather than its own. Only the names listed in
   * shared/auth/flows/workload-identity-env.ts are sent. Holds secrets: never logged, never part of a
   * cache key. Absent in-process: the flows then read process.env.
   */
  callerEnv?: Record<string, string>;
}

/** Fields that may never appear in logs, cache keys or UI. */
export const SECRET_REQUEST_FIELDS = ['clientSecret', 'clientCertificatePassword', 'password', 'callerEnv'] as const;

/** Who asked: shown in the audit ledger. */
export interface CallerInfo {
  pid: number;
  ppid?: number;
  /** The parent's command line (e.g. `kubectl get pods`), best effort, truncated. */
  parentCommand?: string;
}

export interface IssuedToken {
  /** The access token, or the signed PoP JWS for PoP requests. */
  token: string;
  /** Epoch milliseconds. */
  expiresOn: number;
  account?: AccountSummary;
  source: 'cache' | 'refresh' | 'sign-in';
}

export interface AccountSummary {
  username: string;
  homeAccountId: string;
  tenantId: string;
}

/** Progress the broker reports to whoever waits; the exec client prints it on stderr. */
export type SignInProgress =
  | { kind: 'device-code'; message: string; userCode: string; verificationUri: string; expiresOn: number }
  | { kind: 'browser'; message: string }
  | { kind: 'waiting'; message: string }
  | { kind: 'info'; message: string };
