/**
 * The heart of `convert-kubeconfig`: one kubeconfig user in, the rewritten user out, with the
 * exact `get-token` args Azure kubelogin v0.2.x writes (pkg/internal/converter/convert.go,
 * Convert + getArgValues), case by case:
 *
 *   get-token --login <L> --server-id <S> [--cache-dir <D>] <login-specific args>
 *
 * Values come from the convert command line first (only flags that were given), else from the
 * old exec args (or the legacy azure auth-provider config), exactly as kubelogin picks them.
 * Differences, all deliberate:
 * - old args are read with the real get-token parser, so `--tenant-id=x`, `-t x`, `-e x` count;
 * - existing exec `env` entries, `provideClusterInfo` and unknown exec fields are kept;
 * - the command is `kubetray` (or --exec-command) and kubelogin's own install hint is replaced;
 * - --authority-host, --disable-instance-discovery and --timeout are kept (kubelogin drops them).
 */
import { AppError } from '../core/app-error.js';
import { GET_TOKEN_FLAGS, type GetTokenFlagKey } from '../cli/get-token-flags.js';
import type { GetTokenOptions } from '../cli/get-token-options.js';
import { isYamlMap, scalarText, type YamlMap, type YamlValue } from './kubeconfig-yaml.js';
import { authProviderOf, execArgs, execOf, isLegacyAzureAuthProvider } from './user-auth.js';
import { parseGetTokenArgs } from '../cli/get-token-flags.js';

export const EXEC_API_V1BETA1 = 'client.authentication.k8s.io/v1beta1';
export const EXEC_API_V1 = 'client.authentication.k8s.io/v1';

export const KUBETRAY_INSTALL_HINT = `
kubetray is not installed; it is required to sign in to this Entra ID enabled cluster.

Install KubeTray (its installer puts kubetray on PATH; from a source checkout: npm install -g .),
or convert again with --exec-command <absolute path to kubetray>.
`;

export interface ConvertSettings {
  /** Defaults + convert flags + environment, as kubelogin's TokenOptions after UpdateFromEnv. */
  options: GetTokenOptions;
  /** get-token flags given on the convert command line (kubelogin's `o.isSet`). */
  given: ReadonlySet<GetTokenFlagKey>;
  /** --azure-config-dir: AZURE_CONFIG_DIR for azurecli users. */
  azureConfigDir: string;
  execCommand: string;
  execApiVersion: string;
}

export interface ConvertedUser {
  user: YamlMap;
  /** Old login (from the old args; kubelogin's default devicecode) and new login. */
  fromLogin: string;
  toLogin: string;
  /** Flags of the old stanza that the new one does not carry (names only). */
  dropped: string[];
  /** Convert flags given that this login does not write (flag names, e.g. --timeout). */
  ignored: string[];
  /** Secret-carrying flags written into the args (names only). */
  secretFlags: string[];
}

interface OldValues {
  serverId: string;
  clientId: string;
  tenantId: string;
  environment: string;
  cacheDir: string;
  popClaims: string;
  redirectUrl: string;
  loginHint: string;
  legacy: boolean;
  popEnabled: boolean;
  authorityHost: string;
  disableInstanceDiscovery: boolean;
  timeoutMs?: number;
  login: string;
  flagsPresent: string[];
}

function readOld(user: YamlMap): OldValues {
  const provider = authProviderOf(user);
  if (provider && provider.name === 'azure') {
    const c = provider.config;
    const s = (k: string): string => scalarText(c[k]) ?? '';
    const mode = s('config-mode');
    // What the old stanza said, named as the get-token flags it maps to (for the summary).
    const present: Array<[string, boolean]> = [
      ['server-id', s('apiserver-id') !== ''],
      ['client-id', s('client-id') !== ''],
      ['tenant-id', s('tenant-id') !== ''],
      ['environment', s('environment') !== ''],
      ['legacy', mode === '' || mode === '0'],
    ];
    return {
      serverId: s('apiserver-id'),
      clientId: s('client-id'),
      tenantId: s('tenant-id'),
      environment: s('environment'),
      cacheDir: '',
      popClaims: '',
      redirectUrl: '',
      loginHint: '',
      // config-mode "" or "0" is the legacy (spn:-prefixed audience) token: kubelogin adds --legacy.
      legacy: mode === '' || mode === '0',
      popEnabled: false,
      authorityHost: '',
      disableInstanceDiscovery: false,
      login: 'devicecode',
      flagsPresent: present.filter(([, has]) => has).map(([name]) => name),
    };
  }
  const args = execArgs(user);
  const parsed = parseGetTokenArgs(args[0] === 'get-token' ? args.slice(1) : args);
  const v = parsed.values;
  const s = (k: GetTokenFlagKey): string => (typeof v[k] === 'string' ? (v[k] as string) : '');
  return {
    serverId: s('serverId'),
    clientId: s('clientId'),
    tenantId: s('tenantId'),
    environment: s('environment'),
    cacheDir: s('cacheDir'),
    popClaims: s('popClaims'),
    redirectUrl: s('redirectUrl'),
    loginHint: s('loginHint'),
    legacy: v.legacy === true,
    popEnabled: v.popEnabled === true,
    authorityHost: s('authorityHost'),
    disableInstanceDiscovery: v.disableInstanceDiscovery === true,
    ...(typeof v.timeout === 'number' ? { timeoutMs: v.timeout } : {}),
    login: s('login') || 'devicecode',
    flagsPresent: [...new Set(parsed.seen.map((n) => (n === 'token-cache-dir' ? 'cache-dir' : n)))],
  };
}

function required(name: string, value: string, userName: string): string {
  if (value === '') {
    throw new AppError('kubeconfig/invalid', `${name} is required (user "${userName}"): pass ${name} to convert-kubeconfig, or fix that user's args.`, {
      detail: { user: userName, flag: name },
    });
  }
  return value;
}

/** kubelogin validatePoPClaims: both or neither. Flags alone were checked earlier, so the old args are at fault. */
function popArgs(enabled: boolean, claims: string, userName: string): string[] {
  if (enabled && claims === '') {
    throw new AppError('kubeconfig/invalid', `--pop-claims is required when specifying --pop-enabled (user "${userName}"): pass --pop-claims "u=<ARM ID of the cluster>".`, { detail: { user: userName } });
  }
  if (claims !== '' && !enabled) {
    throw new AppError('kubeconfig/invalid', `--pop-enabled is required when specifying --pop-claims (user "${userName}"): pass --pop-enabled too.`, { detail: { user: userName } });
  }
  return enabled ? ['--pop-enabled', '--pop-claims', claims] : [];
}

const KUBELOGIN_HINT_MARK = 'kubelogin is not installed';

/** Logins that talk to an Entra authority themselves (not through az, azd or a managed identity). */
const ENTRA_LOGINS: ReadonlySet<string> = new Set(['devicecode', 'interactive', 'spn', 'ropc', 'workloadidentity', 'azurepipelines']);

function formatGoDuration(ms: number): string {
  if (ms % 60_000 === 0 && ms >= 60_000) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

/** Rewrites one convertible user. Throws AppError with kubelogin's message for missing values. */
export function convertUser(userName: string, user: YamlMap, s: ConvertSettings): ConvertedUser {
  const o = s.options;
  const given = (k: GetTokenFlagKey): boolean => s.given.has(k);
  const old = readOld(user);
  const legacyProvider = isLegacyAzureAuthProvider(user);
  const pick = (k: GetTokenFlagKey, optionValue: string, oldValue: string): string => (given(k) ? optionValue : oldValue);

  const serverId = pick('serverId', o.serverId, old.serverId);
  const clientId = pick('clientId', o.clientId, old.clientId);
  const tenantId = pick('tenantId', o.tenantId, old.tenantId);
  const environment = pick('environment', o.environment, old.environment);
  const cacheDir = pick('cacheDir', o.cacheDir, old.cacheDir);
  const popClaims = pick('popClaims', o.popClaims, legacyProvider ? '' : old.popClaims);
  const redirectUrl = pick('redirectUrl', o.redirectUrl, old.redirectUrl);
  const loginHint = pick('loginHint', o.loginHint, old.loginHint);
  const legacy = given('legacy') && o.legacy ? true : old.legacy;
  const popEnabled = given('popEnabled') ? o.popEnabled : old.popEnabled;

  const login = o.login;
  const args: string[] = ['get-token', '--login', login];
  args.push('--server-id', required('--server-id', serverId, userName));
  if (cacheDir !== '') args.push('--cache-dir', cacheDir);
  const env: YamlMap[] = [];
  const used = new Set<GetTokenFlagKey>(['login', 'serverId', 'cacheDir']);
  const ifGiven = (k: GetTokenFlagKey, flag: string, value: string): void => {
    used.add(k);
    if (given(k)) args.push(flag, value);
  };
  const userFlow = (): void => {
    args.push('--client-id', required('--client-id', clientId, userName));
    args.push('--tenant-id', required('--tenant-id', tenantId, userName));
    if (environment !== '') args.push('--environment', environment);
    used.add('clientId').add('tenantId').add('environment');
  };
  switch (login) {
    case 'azd':
      ifGiven('tenantId', '--tenant-id', o.tenantId);
      break;
    case 'azurecli':
      if (s.azureConfigDir !== '') env.push({ name: 'AZURE_CONFIG_DIR', value: s.azureConfigDir });
      // The tenant of the old args is dropped on purpose: an Azure CLI signed in with a managed
      // identity cannot pick a tenant (kubelogin issue #123); only an explicit --tenant-id is kept.
      ifGiven('tenantId', '--tenant-id', o.tenantId);
      break;
    case 'devicecode':
      userFlow();
      if (legacy) args.push('--legacy');
      used.add('legacy');
      break;
    case 'interactive':
      userFlow();
      args.push(...popArgs(popEnabled, popClaims, userName));
      if (redirectUrl !== '') args.push('--redirect-url', redirectUrl);
      if (loginHint !== '') args.push('--login-hint', loginHint);
      used.add('popEnabled').add('popClaims').add('redirectUrl').add('loginHint');
      break;
    case 'spn':
      userFlow();
      ifGiven('clientSecret', '--client-secret', o.clientSecret);
      ifGiven('clientCertificate', '--client-certificate', o.clientCertificate);
      ifGiven('clientCertificatePassword', '--client-certificate-password', o.clientCertificatePassword);
      if (legacy) args.push('--legacy');
      args.push(...popArgs(popEnabled, popClaims, userName));
      if (given('disableEnvironmentOverride')) args.push('--disable-environment-override');
      used.add('legacy').add('popEnabled').add('popClaims').add('disableEnvironmentOverride');
      break;
    case 'msi':
      used.add('clientId').add('identityResourceId');
      if (given('clientId')) args.push('--client-id', o.clientId);
      else if (given('identityResourceId')) args.push('--identity-resource-id', o.identityResourceId);
      break;
    case 'ropc':
      userFlow();
      ifGiven('username', '--username', o.username);
      ifGiven('password', '--password', o.password);
      if (legacy) args.push('--legacy');
      used.add('legacy');
      break;
    case 'workloadidentity':
      ifGiven('clientId', '--client-id', o.clientId);
      ifGiven('tenantId', '--tenant-id', o.tenantId);
      ifGiven('authorityHost', '--authority-host', o.authorityHost);
      ifGiven('federatedTokenFile', '--federated-token-file', o.federatedTokenFile);
      break;
    case 'azurepipelines':
      // Not in kubelogin v0.2.x's converter: like workload identity, only what was given.
      ifGiven('clientId', '--client-id', o.clientId);
      ifGiven('tenantId', '--tenant-id', o.tenantId);
      ifGiven('authorityHost', '--authority-host', o.authorityHost);
      break;
    default:
      throw new AppError('cli/invalid-flag', `'${login}' is not a supported login method: use one of devicecode, interactive, spn, ropc, msi, azurecli, azd, workloadidentity, azurepipelines.`);
  }

  // Beyond kubelogin v0.2.x, which silently drops these (none is in its convert table): a
  // custom authority (sovereign/ADFS/Azure Stack), instance discovery off, and a timeout are
  // kept, from the flags or the old args, after kubelogin's own args.
  if (ENTRA_LOGINS.has(login)) {
    const authorityHost = pick('authorityHost', o.authorityHost, old.authorityHost);
    if (authorityHost !== '' && !args.includes('--authority-host')) args.push('--authority-host', authorityHost);
    if (given('disableInstanceDiscovery') ? o.disableInstanceDiscovery : old.disableInstanceDiscovery) args.push('--disable-instance-discovery');
    used.add('authorityHost').add('disableInstanceDiscovery');
  }
  const timeoutMs = given('timeout') ? o.timeoutMs : old.timeoutMs;
  if (timeoutMs !== undefined) args.push('--timeout', formatGoDuration(timeoutMs));
  used.add('timeout');

  const oldExec = execOf(user);
  const exec: YamlMap = {};
  // Keep the old stanza's keys (and their order); then set ours.
  if (oldExec) for (const [k, v] of Object.entries(oldExec)) exec[k] = v;
  exec.apiVersion = s.execApiVersion;
  exec.args = args;
  exec.command = s.execCommand;
  const oldEnv = Array.isArray(oldExec?.env) ? (oldExec.env as YamlValue[]) : [];
  const keptEnv = oldEnv.filter((e) => !(env.length > 0 && isYamlMap(e) && scalarText(e.name) === 'AZURE_CONFIG_DIR'));
  const newEnv = [...keptEnv, ...env];
  if (newEnv.length > 0) exec.env = newEnv;
  else if ('env' in exec && exec.env !== null) delete exec.env;
  const oldHint = scalarText(oldExec?.installHint) ?? '';
  exec.installHint = oldHint !== '' && !oldHint.includes(KUBELOGIN_HINT_MARK) ? oldHint : KUBETRAY_INSTALL_HINT;
  // client-go defaults interactiveMode to IfAvailable; the v1 API requires it to be written.
  if (typeof exec.interactiveMode !== 'string' || exec.interactiveMode === '') exec.interactiveMode = 'IfAvailable';

  const out: YamlMap = {};
  for (const [k, v] of Object.entries(user)) if (k !== 'auth-provider' && k !== 'exec') out[k] = v;
  out.exec = exec;

  const written = new Set(args.filter((a) => a.startsWith('--')).map((a) => a.slice(2)));
  const dropped = old.flagsPresent.filter((f) => !written.has(f) && f !== 'v');
  const ignored = [...s.given].filter((k) => !used.has(k) && k !== 'verbosity').map((k) => '--' + (GET_TOKEN_FLAGS.find((d) => d.key === k)?.name ?? k));
  const secretFlags = ['--client-secret', '--client-certificate-password', '--password'].filter((f) => args.includes(f));
  return { user: out, fromLogin: legacyProvider ? 'azure auth-provider' : old.login, toLogin: login, dropped, ignored, secretFlags };
}
