/**
 * From parsed get-token flags + environment to a validated TokenRequest, with Azure kubelogin
 * v0.2.x precedence (pkg/internal/token/options.go, UpdateFromEnv):
 *
 *   1. defaults (login devicecode, environment AzurePublicCloud, timeout 60s, cache dir from
 *      KUBECACHEDIR when set and non-empty);
 *   2. flags;
 *   3. environment variables, applied AFTER flags: a variable that is set wins over the flag,
 *      even when it is empty; later variables in each list win over earlier ones. Skipped
 *      entirely with --disable-environment-override.
 *
 * Login method names are case-sensitive, as in kubelogin. Pure: no node:* imports.
 */
import { isLoginMethod, LOGIN_METHODS, type TokenRequest } from '../core/token-request.js';
import { parseGoDuration, type GetTokenFlagKey, type FlagValue, type ParsedGetTokenArgs } from './get-token-flags.js';

export type EnvLike = Readonly<Record<string, string | undefined>>;

export interface GetTokenOptions {
  login: string;
  serverId: string;
  clientId: string;
  tenantId: string;
  clientSecret: string;
  clientCertificate: string;
  clientCertificatePassword: string;
  username: string;
  password: string;
  environment: string;
  authorityHost: string;
  redirectUrl: string;
  loginHint: string;
  timeoutMs: number;
  disableInstanceDiscovery: boolean;
  identityResourceId: string;
  federatedTokenFile: string;
  popEnabled: boolean;
  popClaims: string;
  legacy: boolean;
  useAzurermEnvVars: boolean;
  disableEnvironmentOverride: boolean;
  /** '' = not given (the broker's own cache dir is used). */
  cacheDir: string;
}

export const DEFAULT_TIMEOUT_MS = 60_000;
/**
 * Longest --timeout / AZURE_CLI_TIMEOUT honoured: 24 days. Node's timers hold at most 2^31-1 ms
 * (~24.8 days) and fire after 1 ms above that, which would turn `--timeout 720h` into an
 * immediate timeout; the client also adds a few seconds of grace on top.
 */
export const MAX_TIMEOUT_MS = 24 * 24 * 3_600_000;
export const DEFAULT_ENVIRONMENT = 'AzurePublicCloud';

type StringKey = { [K in keyof GetTokenOptions]: GetTokenOptions[K] extends string ? K : never }[keyof GetTokenOptions];

/** Env overrides in kubelogin's order: within a row, later variables win. */
const AZURE_SP_ENV: Array<[StringKey, string[]]> = [
  ['clientId', ['AAD_SERVICE_PRINCIPAL_CLIENT_ID', 'AZURE_CLIENT_ID']],
  ['clientSecret', ['AAD_SERVICE_PRINCIPAL_CLIENT_SECRET', 'AZURE_CLIENT_SECRET']],
  ['clientCertificate', ['AAD_SERVICE_PRINCIPAL_CLIENT_CERTIFICATE', 'AZURE_CLIENT_CERTIFICATE_PATH']],
  ['clientCertificatePassword', ['AAD_SERVICE_PRINCIPAL_CLIENT_CERTIFICATE_PASSWORD', 'AZURE_CLIENT_CERTIFICATE_PASSWORD']],
  ['tenantId', ['AZURE_TENANT_ID']],
];
/** --use-azurerm-env-vars replaces the row above with Terraform's names. */
const TERRAFORM_ENV: Array<[StringKey, string[]]> = [
  ['clientId', ['ARM_CLIENT_ID']],
  ['clientSecret', ['ARM_CLIENT_SECRET']],
  ['clientCertificate', ['ARM_CLIENT_CERTIFICATE_PATH']],
  ['clientCertificatePassword', ['ARM_CLIENT_CERTIFICATE_PASSWORD']],
  ['tenantId', ['ARM_TENANT_ID']],
];
const USER_ENV: Array<[StringKey, string[]]> = [
  ['username', ['AAD_USER_PRINCIPAL_NAME', 'AZURE_USERNAME']],
  ['password', ['AAD_USER_PRINCIPAL_PASSWORD', 'AZURE_PASSWORD']],
  ['login', ['AAD_LOGIN_METHOD']],
];
/** Applied only when the (final) login is workloadidentity. */
const WORKLOAD_ENV: Array<[StringKey, string[]]> = [
  ['clientId', ['AZURE_CLIENT_ID']],
  ['federatedTokenFile', ['AZURE_FEDERATED_TOKEN_FILE']],
  ['authorityHost', ['AZURE_AUTHORITY_HOST']],
];

export function defaultGetTokenOptions(env: EnvLike = {}): GetTokenOptions {
  return {
    login: 'devicecode',
    serverId: '',
    clientId: '',
    tenantId: '',
    clientSecret: '',
    clientCertificate: '',
    clientCertificatePassword: '',
    username: '',
    password: '',
    environment: DEFAULT_ENVIRONMENT,
    authorityHost: '',
    redirectUrl: '',
    loginHint: '',
    timeoutMs: DEFAULT_TIMEOUT_MS,
    disableInstanceDiscovery: false,
    identityResourceId: '',
    federatedTokenFile: '',
    popEnabled: false,
    popClaims: '',
    legacy: false,
    useAzurermEnvVars: false,
    disableEnvironmentOverride: false,
    cacheDir: env.KUBECACHEDIR ? env.KUBECACHEDIR : '',
  };
}

function applyFlags(options: GetTokenOptions, values: Partial<Record<GetTokenFlagKey, FlagValue>>): void {
  const target = options as unknown as Record<string, FlagValue>;
  for (const [key, value] of Object.entries(values) as Array<[GetTokenFlagKey, FlagValue]>) {
    if (key === 'verbosity') continue;
    if (key === 'timeout') options.timeoutMs = Number(value);
    else target[key] = value;
  }
}

function applyEnvRows(options: GetTokenOptions, env: EnvLike, rows: Array<[StringKey, string[]]>): void {
  for (const [key, names] of rows) {
    for (const name of names) {
      const v = env[name];
      if (v !== undefined) options[key] = v;
    }
  }
}

/** Step 3 above. Mutates and returns `options`. */
export function applyEnvOverrides(options: GetTokenOptions, env: EnvLike): GetTokenOptions {
  if (options.disableEnvironmentOverride) return options;
  applyEnvRows(options, env, options.useAzurermEnvVars ? TERRAFORM_ENV : AZURE_SP_ENV);
  applyEnvRows(options, env, USER_ENV);
  if (options.login === 'workloadidentity') applyEnvRows(options, env, WORKLOAD_ENV);
  const timeout = env.AZURE_CLI_TIMEOUT;
  if (timeout !== undefined) {
    // kubelogin ignores an unparsable AZURE_CLI_TIMEOUT (time.ParseDuration error) and keeps the flag.
    const ms = parseGoDuration(timeout);
    if (ms !== undefined) options.timeoutMs = ms;
  }
  return options;
}

/** Defaults, then flags, then env: the options kubelogin would run with. */
export function resolveGetTokenOptions(parsed: Pick<ParsedGetTokenArgs, 'values'>, env: EnvLike): GetTokenOptions {
  const options = defaultGetTokenOptions(env);
  applyFlags(options, parsed.values);
  applyEnvOverrides(options, env);
  if (options.timeoutMs > MAX_TIMEOUT_MS) options.timeoutMs = MAX_TIMEOUT_MS;
  return options;
}

/** PoP claims `u=<arm id>,k=v` (kubelogin parsePoPClaims). Returns a message on failure. */
export function parsePopClaims(text: string): { claims: Record<string, string> } | { error: string } {
  if (text.trim() === '') return { error: 'no PoP claims given: pass --pop-claims "u=<ARM ID of the cluster>".' };
  const claims: Record<string, string> = {};
  for (const part of text.split(',')) {
    const [k, v] = part.split('=');
    const key = (k ?? '').trim();
    const val = (v ?? '').trim();
    if (key === '' || val === '') return { error: 'PoP claims must look like key=value,key2=value2 (no empty keys or values): fix --pop-claims.' };
    claims[key] = val;
  }
  if (!claims.u) return { error: 'PoP claims need the u claim: pass --pop-claims "u=<ARM ID of the cluster>".' };
  return { claims };
}

/** kubelogin's Validate(), plus server-id; messages say what to do next. Returns all problems. */
export function validateGetTokenOptions(o: GetTokenOptions): string[] {
  const problems: string[] = [];
  if (!isLoginMethod(o.login)) {
    problems.push(`'${o.login}' is not a supported login method (names are case-sensitive). Use one of: ${LOGIN_METHODS.join(', ')}.`);
  }
  if (o.serverId.trim() === '') problems.push('--server-id is required: pass the Entra application ID of the cluster (AKS: 6dae42f8-4368-4678-94ff-3960e28e3630).');
  if (o.authorityHost !== '') {
    let url: URL | undefined;
    try {
      url = new URL(o.authorityHost);
    } catch {
      url = undefined;
    }
    if (!url || !url.host || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
      problems.push(`authority host "${o.authorityHost}" is not valid: --authority-host must be an absolute URL such as https://login.microsoftonline.com/.`);
    } else if (!o.authorityHost.endsWith('/')) {
      problems.push(`authority host "${o.authorityHost}" should have a trailing slash: use "${o.authorityHost}/".`);
    }
  }
  if (o.popEnabled && o.popClaims === '') {
    problems.push('--pop-enabled needs --pop-claims with the PoP claims as a comma-separated string, e.g. --pop-claims "u=<ARM ID of the cluster>".');
  }
  if (o.popClaims !== '' && !o.popEnabled) {
    problems.push('--pop-claims needs --pop-enabled: pass both flags to get a PoP token.');
  }
  if (o.popEnabled && o.popClaims !== '') {
    const parsed = parsePopClaims(o.popClaims);
    if ('error' in parsed) problems.push(parsed.error);
  }
  if (!(o.timeoutMs > 0)) problems.push('--timeout must be greater than 0, e.g. --timeout 60s.');
  return problems;
}

/** Maps resolved options to the broker's request. Empty strings become absent fields. */
export function toTokenRequest(o: GetTokenOptions): TokenRequest {
  if (!isLoginMethod(o.login)) throw new TypeError(`unsupported login ${o.login}`);
  const req: TokenRequest = { login: o.login, serverId: o.serverId, timeoutMs: o.timeoutMs };
  const strings: Array<[keyof TokenRequest, string]> = [
    ['clientId', o.clientId],
    ['tenantId', o.tenantId],
    ['environment', o.environment],
    ['authorityHost', o.authorityHost],
    ['redirectUrl', o.redirectUrl],
    ['loginHint', o.loginHint],
    ['identityResourceId', o.identityResourceId],
    ['federatedTokenFile', o.federatedTokenFile],
    ['popClaims', o.popEnabled ? o.popClaims : ''],
    ['cacheDir', o.cacheDir],
    ['clientSecret', o.clientSecret],
    ['clientCertificate', o.clientCertificate],
    ['clientCertificatePassword', o.clientCertificatePassword],
    ['username', o.username],
    ['password', o.password],
  ];
  const target = req as unknown as Record<string, unknown>;
  for (const [key, value] of strings) if (value !== '') target[key] = value;
  if (o.disableInstanceDiscovery) req.disableInstanceDiscovery = true;
  if (o.legacy) req.legacy = true;
  if (o.popEnabled) req.popEnabled = true;
  return req;
}
