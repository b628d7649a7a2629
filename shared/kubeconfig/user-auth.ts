/**
 * What credentials a kubeconfig user uses, without ever copying a secret out of it.
 * Shared by the cluster model (what the window shows) and the converter (what it rewrites).
 */
import type { ContextAuth, PublicTokenRequest } from '../contract/kubeconfig-model.js';
import { parseGetTokenArgs, type GetTokenFlagKey } from '../cli/get-token-flags.js';
import { defaultGetTokenOptions, resolveGetTokenOptions, type GetTokenOptions } from '../cli/get-token-options.js';
import { isYamlMap, scalarText, type YamlMap } from './kubeconfig-yaml.js';

/** kubelogin converts any exec whose command contains "kubelogin" (case-insensitive). */
export function isKubeloginCommand(command: string): boolean {
  return command.toLowerCase().includes('kubelogin');
}

/** Ours: the program's file name (any folder, any extension) contains "kubetray". */
export function isKubetrayCommand(command: string): boolean {
  const base = command.split(/[\\/]/).pop() ?? '';
  return base.toLowerCase().includes('kubetray');
}

export function execOf(user: YamlMap): YamlMap | undefined {
  return isYamlMap(user.exec) ? user.exec : undefined;
}

export function execCommand(user: YamlMap): string {
  const exec = execOf(user);
  return scalarText(exec?.command) ?? '';
}

export function execArgs(user: YamlMap): string[] {
  const args = execOf(user)?.args;
  return Array.isArray(args) ? args.map((a) => scalarText(a) ?? String(a)) : [];
}

export function authProviderOf(user: YamlMap): { name: string; config: YamlMap } | undefined {
  const ap = user['auth-provider'];
  const name = isYamlMap(ap) ? scalarText(ap.name) : undefined;
  if (!isYamlMap(ap) || name === undefined) return undefined;
  return { name, config: isYamlMap(ap.config) ? ap.config : {} };
}

export function isLegacyAzureAuthProvider(user: YamlMap): boolean {
  return authProviderOf(user)?.name === 'azure';
}

/** kubelogin's rule, extended to our own command so a second convert can retarget it. */
export function isConvertibleUser(user: YamlMap): boolean {
  const command = execCommand(user);
  return isLegacyAzureAuthProvider(user) || (command !== '' && (isKubeloginCommand(command) || isKubetrayCommand(command)));
}

const PUBLIC_KEYS: ReadonlyArray<[GetTokenFlagKey, keyof PublicTokenRequest]> = [
  ['serverId', 'serverId'],
  ['clientId', 'clientId'],
  ['tenantId', 'tenantId'],
  ['environment', 'environment'],
  ['authorityHost', 'authorityHost'],
  ['disableInstanceDiscovery', 'disableInstanceDiscovery'],
  ['loginHint', 'loginHint'],
  ['redirectUrl', 'redirectUrl'],
  ['legacy', 'legacy'],
  ['popEnabled', 'popEnabled'],
  ['popClaims', 'popClaims'],
  ['identityResourceId', 'identityResourceId'],
  ['federatedTokenFile', 'federatedTokenFile'],
  ['cacheDir', 'cacheDir'],
  ['timeout', 'timeoutMs'],
  ['clientCertificate', 'clientCertificate'],
  ['username', 'username'],
];

export interface ParsedExecArgs {
  login: string;
  request: PublicTokenRequest;
  /** A client secret, certificate password or password is in the args or the exec env. */
  secretInArgs: boolean;
  errors: string[];
}

/** The exec stanza's `env` entries as a map (get-token sees them on top of kubectl's own env). */
export function execEnv(user: YamlMap): Record<string, string> {
  const env = execOf(user)?.env;
  const out: Record<string, string> = {};
  if (!Array.isArray(env)) return out;
  for (const e of env) {
    if (!isYamlMap(e)) continue;
    const name = scalarText(e.name);
    const value = scalarText(e.value);
    if (name !== undefined) out[name] = value ?? '';
  }
  return out;
}

const OPTION_OF: Partial<Record<GetTokenFlagKey, keyof GetTokenOptions>> = { timeout: 'timeoutMs' };
const SECRET_ENV = ['AAD_SERVICE_PRINCIPAL_CLIENT_SECRET', 'AZURE_CLIENT_SECRET', 'ARM_CLIENT_SECRET', 'AAD_SERVICE_PRINCIPAL_CLIENT_CERTIFICATE_PASSWORD', 'AZURE_CLIENT_CERTIFICATE_PASSWORD', 'ARM_CLIENT_CERTIFICATE_PASSWORD', 'AAD_USER_PRINCIPAL_PASSWORD', 'AZURE_PASSWORD'];

/** A parser message without the argument values it quotes (see parseExecArgs). */
function withoutValues(message: string, argv: readonly string[], positional: readonly string[]): string {
  if (positional.length > 0 && message === `unexpected argument(s): ${positional.join(' ')}. get-token takes only flags.`) {
    return `unexpected argument(s) (${positional.length}, not shown): get-token takes only flags.`;
  }
  for (const arg of argv) {
    if (!/^-[^-]/.test(arg)) continue;
    const quoted = `unknown shorthand flag: '${arg.slice(1, 2)}' in ${arg}.`;
    if (message.startsWith(quoted)) return `unknown shorthand flag: '-${arg.slice(1, 2)}'.${message.slice(quoted.length)}`;
  }
  return message;
}

/**
 * Reads `get-token ...` args with the get-token parser and applies the stanza's own env entries
 * the way get-token will (after flags, unless --disable-environment-override), so the request
 * is what kubectl's get-token would ask for. The process environment of whoever reads the model
 * is NOT applied: it is not kubectl's. Secrets are only flagged as present.
 */
export function parseExecArgs(args: readonly string[], env: Readonly<Record<string, string>> = {}): ParsedExecArgs {
  const rest = args[0] === 'get-token' ? args.slice(1) : args;
  const parsed = parseGetTokenArgs(rest);
  const v = parsed.values;
  const defaults = defaultGetTokenOptions({});
  const options = resolveGetTokenOptions(parsed, env);
  const request: Record<string, unknown> = {};
  for (const [from, to] of PUBLIC_KEYS) {
    const key = OPTION_OF[from] ?? (from as keyof GetTokenOptions);
    // Only what the args or the env set: defaults are the broker's business.
    if (v[from] !== undefined || options[key] !== defaults[key]) request[to] = options[key];
  }
  const login = options.login;
  request.login = login;
  const secretInArgs =
    v.clientSecret !== undefined || v.clientCertificatePassword !== undefined || v.password !== undefined || (!options.disableEnvironmentOverride && SECRET_ENV.some((n) => env[n] !== undefined && env[n] !== ''));
  // Error messages from the parser quote flag names and, for durations, the value. Two quote
  // what they could not place, which may be a secret after a misspelt flag (`--client_secret
  // S3cr3t`, `-sS3cr3t`): those are rewritten without it, as the window shows these messages.
  const errors = (args[0] === 'get-token' ? parsed.errors : ['the first argument is not get-token', ...parsed.errors]).map((e) => withoutValues(e, rest, parsed.positional));
  return { login, request: request as PublicTokenRequest, secretInArgs, errors };
}

/** Classifies a user's credentials. `user` undefined: the context names a user that is missing. */
export function describeUserAuth(user: YamlMap | undefined): ContextAuth {
  if (!user) return { kind: 'none' };
  const exec = execOf(user);
  if (exec) {
    const command = scalarText(exec.command) ?? '';
    const apiVersion = scalarText(exec.apiVersion);
    const tool = isKubetrayCommand(command) ? 'kubetray' : isKubeloginCommand(command) ? 'kubelogin' : undefined;
    if (!tool) return apiVersion ? { kind: 'exec', command, apiVersion } : { kind: 'exec', command };
    const parsed = parseExecArgs(execArgs(user), execEnv(user));
    const r = parsed.request;
    const auth: ContextAuth = { kind: 'azure-exec', tool, command, login: parsed.login, request: r, secretInArgs: parsed.secretInArgs };
    if (apiVersion) auth.apiVersion = apiVersion;
    if (r.tenantId) auth.tenantId = r.tenantId;
    if (r.clientId) auth.clientId = r.clientId;
    if (r.serverId) auth.serverId = r.serverId;
    if (r.environment) auth.environment = r.environment;
    if (r.popEnabled) auth.popEnabled = true;
    if (r.popClaims) auth.popClaims = r.popClaims;
    if (parsed.errors.length > 0) auth.argErrors = parsed.errors;
    return auth;
  }
  const provider = authProviderOf(user);
  if (provider) {
    const c = provider.config;
    const s = (k: string): string | undefined => {
      const v = scalarText(c[k]);
      return v === '' ? undefined : v;
    };
    if (provider.name === 'azure') {
      const auth: ContextAuth = { kind: 'auth-provider-azure' };
      const fields: Array<[keyof typeof auth, string]> = [['tenantId', 'tenant-id'], ['clientId', 'client-id'], ['serverId', 'apiserver-id'], ['environment', 'environment'], ['configMode', 'config-mode']];
      for (const [to, from] of fields) {
        const value = s(from);
        if (value !== undefined) (auth as unknown as Record<string, unknown>)[to] = value;
      }
      return auth;
    }
    if (provider.name === 'oidc') {
      const auth: ContextAuth = { kind: 'auth-provider-oidc' };
      const issuer = s('idp-issuer-url');
      const clientId = s('client-id');
      if (issuer) auth.issuerUrl = issuer;
      if (clientId) auth.clientId = clientId;
      return auth;
    }
    return { kind: 'auth-provider', name: provider.name };
  }
  const text = (k: string): string | undefined => scalarText(user[k]);
  if (text('client-certificate-data')) return { kind: 'client-certificate', source: 'data' };
  const certFile = text('client-certificate');
  if (certFile) return { kind: 'client-certificate', source: 'file', file: certFile };
  if (text('token')) return { kind: 'token', source: 'inline' };
  const tokenFile = text('tokenFile');
  if (tokenFile) return { kind: 'token', source: 'file', file: tokenFile };
  const username = text('username');
  if (username !== undefined || text('password') !== undefined) return username !== undefined ? { kind: 'basic', username } : { kind: 'basic' };
  return { kind: 'none' };
}
