/**
 * The `get-token` flag table and parser, compatible with Azure kubelogin v0.2.x
 * (pkg/internal/token/options.go: names, shorthands, defaults). Pure: no node:* imports, so the
 * kubeconfig converter and the window can reuse it to read exec stanzas.
 *
 * Parsing follows pflag's rules, which kubelogin uses: `--flag value`, `--flag=value`,
 * `-l value`, `-lvalue`, `-l=value`; boolean flags take no separate value (`--legacy` or
 * `--legacy=false`); `--` ends flags. Environment overrides are NOT applied here: see
 * get-token-options.ts (kubelogin applies them after flags).
 */

export type FlagKind = 'string' | 'bool' | 'duration';

/** Keys of the parsed get-token options (camelCase of kubelogin's long flag, as TokenRequest). */
export type GetTokenFlagKey =
  | 'login'
  | 'serverId'
  | 'clientId'
  | 'tenantId'
  | 'clientSecret'
  | 'clientCertificate'
  | 'clientCertificatePassword'
  | 'username'
  | 'password'
  | 'environment'
  | 'authorityHost'
  | 'redirectUrl'
  | 'loginHint'
  | 'timeout'
  | 'disableInstanceDiscovery'
  | 'identityResourceId'
  | 'federatedTokenFile'
  | 'popEnabled'
  | 'popClaims'
  | 'legacy'
  | 'useAzurermEnvVars'
  | 'disableEnvironmentOverride'
  | 'cacheDir'
  | 'verbosity';

export interface FlagDef {
  key: GetTokenFlagKey;
  /** Long name without dashes. */
  name: string;
  short?: string;
  /** Other accepted long names (deprecated spellings). */
  aliases?: string[];
  kind: FlagKind;
  /** Value is a secret: never echo it in messages or logs. */
  secret?: boolean;
  /** Environment variables that may supply it (documentation; precedence lives in get-token-options.ts). */
  env?: string[];
  /** Accepted for compatibility and ignored (kubelogin's klog flags). */
  ignored?: boolean;
  help: string;
}

export const GET_TOKEN_FLAGS: readonly FlagDef[] = [
  { key: 'login', name: 'login', short: 'l', kind: 'string', env: ['AAD_LOGIN_METHOD'], help: 'Login method: devicecode (default), interactive, spn, ropc, msi, azurecli, azd, workloadidentity, azurepipelines.' },
  { key: 'serverId', name: 'server-id', kind: 'string', help: 'Entra application ID of the cluster (the token audience).' },
  { key: 'clientId', name: 'client-id', kind: 'string', env: ['AAD_SERVICE_PRINCIPAL_CLIENT_ID', 'AZURE_CLIENT_ID', 'ARM_CLIENT_ID'], help: 'Entra client application ID.' },
  { key: 'tenantId', name: 'tenant-id', short: 't', kind: 'string', env: ['AZURE_TENANT_ID', 'ARM_TENANT_ID'], help: 'Entra tenant ID.' },
  { key: 'clientSecret', name: 'client-secret', kind: 'string', secret: true, env: ['AAD_SERVICE_PRINCIPAL_CLIENT_SECRET', 'AZURE_CLIENT_SECRET', 'ARM_CLIENT_SECRET'], help: 'Client secret (spn). Prefer the environment variable over the flag.' },
  { key: 'clientCertificate', name: 'client-certificate', kind: 'string', env: ['AAD_SERVICE_PRINCIPAL_CLIENT_CERTIFICATE', 'AZURE_CLIENT_CERTIFICATE_PATH', 'ARM_CLIENT_CERTIFICATE_PATH'], help: 'Path to the client certificate, PFX or PEM (spn).' },
  { key: 'clientCertificatePassword', name: 'client-certificate-password', kind: 'string', secret: true, env: ['AAD_SERVICE_PRINCIPAL_CLIENT_CERTIFICATE_PASSWORD', 'AZURE_CLIENT_CERTIFICATE_PASSWORD', 'ARM_CLIENT_CERTIFICATE_PASSWORD'], help: 'Password of the client certificate (spn).' },
  { key: 'username', name: 'username', kind: 'string', env: ['AAD_USER_PRINCIPAL_NAME', 'AZURE_USERNAME'], help: 'User name (ropc).' },
  { key: 'password', name: 'password', kind: 'string', secret: true, env: ['AAD_USER_PRINCIPAL_PASSWORD', 'AZURE_PASSWORD'], help: 'Password (ropc). Prefer the environment variable over the flag.' },
  { key: 'environment', name: 'environment', short: 'e', kind: 'string', help: 'Azure cloud: AzurePublicCloud (default), AzureUSGovernmentCloud, AzureChinaCloud.' },
  { key: 'authorityHost', name: 'authority-host', kind: 'string', env: ['AZURE_AUTHORITY_HOST'], help: "Authority host, an absolute URL ending in '/' (e.g. https://login.microsoftonline.com/)." },
  { key: 'redirectUrl', name: 'redirect-url', kind: 'string', help: 'Redirect URL for interactive login.' },
  { key: 'loginHint', name: 'login-hint', kind: 'string', help: 'Account to pre-fill in interactive sign-in.' },
  { key: 'timeout', name: 'timeout', kind: 'duration', env: ['AZURE_CLI_TIMEOUT'], help: 'Timeout, a Go duration such as 60s or 2m (default 60s).' },
  { key: 'disableInstanceDiscovery', name: 'disable-instance-discovery', kind: 'bool', help: 'Skip instance discovery (identity providers without discovery metadata, e.g. ADFS).' },
  { key: 'identityResourceId', name: 'identity-resource-id', kind: 'string', help: 'Managed identity resource ID (msi).' },
  { key: 'federatedTokenFile', name: 'federated-token-file', kind: 'string', env: ['AZURE_FEDERATED_TOKEN_FILE'], help: 'Federated token file (workloadidentity).' },
  { key: 'popEnabled', name: 'pop-enabled', kind: 'bool', help: 'Request a proof-of-possession (PoP) token; needs --pop-claims.' },
  { key: 'popClaims', name: 'pop-claims', kind: 'string', help: 'PoP claims as key=value,key2=value2; must include u=<ARM ID of the cluster>.' },
  { key: 'legacy', name: 'legacy', kind: 'bool', help: "Get a token with the 'spn:' prefix in the audience (legacy AKS clusters)." },
  { key: 'useAzurermEnvVars', name: 'use-azurerm-env-vars', kind: 'bool', help: 'Read ARM_CLIENT_ID, ARM_CLIENT_SECRET, ARM_CLIENT_CERTIFICATE_PATH, ARM_CLIENT_CERTIFICATE_PASSWORD, ARM_TENANT_ID (Terraform names).' },
  { key: 'disableEnvironmentOverride', name: 'disable-environment-override', kind: 'bool', help: 'Ignore all environment variable overrides.' },
  { key: 'cacheDir', name: 'cache-dir', aliases: ['token-cache-dir'], kind: 'string', env: ['KUBECACHEDIR'], help: 'Cache directory (--token-cache-dir is the deprecated spelling).' },
  { key: 'verbosity', name: 'v', short: 'v', kind: 'string', ignored: true, help: 'Log verbosity (accepted for kubelogin compatibility; use KUBETRAY_LOG_LEVEL).' },
];

const BY_LONG = new Map<string, FlagDef>();
const BY_SHORT = new Map<string, FlagDef>();
for (const def of GET_TOKEN_FLAGS) {
  BY_LONG.set(def.name, def);
  for (const alias of def.aliases ?? []) BY_LONG.set(alias, def);
  if (def.short) BY_SHORT.set(def.short, def);
}

export function findFlag(name: string): FlagDef | undefined {
  return name.length === 1 ? (BY_SHORT.get(name) ?? BY_LONG.get(name)) : BY_LONG.get(name);
}

export type FlagValue = string | boolean | number;

export interface ParsedGetTokenArgs {
  /** Values of the flags given on the command line (durations in ms). Only flags that were set. */
  values: Partial<Record<GetTokenFlagKey, FlagValue>>;
  /** Long names of the flags that were set, in order, as written (e.g. 'token-cache-dir'). */
  seen: string[];
  /** `--help` / `-h` was given. */
  help: boolean;
  /** Arguments that are not flags (kubelogin takes none). */
  positional: string[];
  /** Problems, one message each; empty when the command line parsed. */
  errors: string[];
}

/** Go's time.ParseDuration subset kubelogin users write: 60s, 1m30s, 500ms, 1h, 1.5m. Returns ms. */
export function parseGoDuration(text: string): number | undefined {
  const s = text.trim();
  if (s === '0') return 0;
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/y;
  const unitMs: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  let i = 0;
  let total = 0;
  if (s === '') return undefined;
  while (i < s.length) {
    re.lastIndex = i;
    const m = re.exec(s);
    if (!m) return undefined;
    total += Number(m[1]) * (unitMs[m[2] ?? ''] ?? NaN);
    i = re.lastIndex;
  }
  return Number.isFinite(total) ? Math.round(total) : undefined;
}

function parseBool(text: string): boolean | undefined {
  // strconv.ParseBool, which pflag uses.
  if (['1', 't', 'T', 'true', 'TRUE', 'True'].includes(text)) return true;
  if (['0', 'f', 'F', 'false', 'FALSE', 'False'].includes(text)) return false;
  return undefined;
}

function describe(def: FlagDef): string {
  return def.short ? `-${def.short}, --${def.name}` : `--${def.name}`;
}

/** Parses `get-token` arguments (the part after `get-token`). Never throws. */
export function parseGetTokenArgs(argv: readonly string[]): ParsedGetTokenArgs {
  const out: ParsedGetTokenArgs = { values: {}, seen: [], help: false, positional: [], errors: [] };
  const set = (def: FlagDef, written: string, raw: string | undefined): void => {
    out.seen.push(written);
    if (def.kind === 'bool') {
      const v = raw === undefined ? true : parseBool(raw);
      if (v === undefined) out.errors.push(`invalid value for ${describe(def)}: expected true or false.`);
      else out.values[def.key] = v;
      return;
    }
    if (raw === undefined) {
      out.errors.push(`flag needs an argument: ${describe(def)}.`);
      return;
    }
    if (def.kind === 'duration') {
      const ms = parseGoDuration(raw);
      if (ms === undefined) out.errors.push(`invalid value "${raw}" for --${def.name}: use a duration such as 60s, 2m or 1m30s.`);
      else out.values[def.key] = ms;
      return;
    }
    out.values[def.key] = raw;
  };

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--') {
      out.positional.push(...argv.slice(i + 1));
      break;
    }
    if (arg === '--help' || arg === '-h') {
      out.help = true;
      continue;
    }
    let def: FlagDef | undefined;
    let written: string;
    let inline: string | undefined;
    if (arg.startsWith('--') && arg.length > 2) {
      const eq = arg.indexOf('=');
      written = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
      inline = eq >= 0 ? arg.slice(eq + 1) : undefined;
      def = BY_LONG.get(written);
      if (!def) {
        out.errors.push(`unknown flag: --${written}. Run 'kubetray get-token --help' for the list.`);
        continue;
      }
    } else if (arg.startsWith('-') && arg.length > 1) {
      written = arg.slice(1, 2);
      def = BY_SHORT.get(written);
      if (!def) {
        out.errors.push(`unknown shorthand flag: '${written}' in ${arg}. Run 'kubetray get-token --help' for the list.`);
        continue;
      }
      const rest = arg.slice(2);
      inline = rest === '' ? undefined : rest.startsWith('=') ? rest.slice(1) : rest;
      written = def.name;
    } else {
      out.positional.push(arg);
      continue;
    }
    if (inline === undefined && def.kind !== 'bool') {
      // pflag takes the next argument as the value, whatever it looks like.
      if (i + 1 < argv.length) inline = argv[++i];
    }
    set(def, written, inline);
  }
  if (out.positional.length > 0) out.errors.push(`unexpected argument(s): ${out.positional.join(' ')}. get-token takes only flags.`);
  return out;
}

/** Renders parsed values back to kubelogin-style args (for conversion); secrets are kept as given. */
export function formatGetTokenArgs(values: Partial<Record<GetTokenFlagKey, FlagValue>>): string[] {
  const args: string[] = [];
  for (const def of GET_TOKEN_FLAGS) {
    const v = values[def.key];
    if (v === undefined || def.ignored) continue;
    if (def.kind === 'bool') {
      if (v === true) args.push(`--${def.name}`);
      else if (v === false) args.push(`--${def.name}=false`);
    } else if (def.kind === 'duration') {
      args.push(`--${def.name}`, `${Math.round(Number(v) / 1000)}s`);
    } else {
      args.push(`--${def.name}`, String(v));
    }
  }
  return args;
}

/** Help text for `kubetray get-token --help`. */
export function getTokenHelp(): string {
  const lines = ['Usage: kubetray get-token [flags]', '', 'Prints one ExecCredential for kubectl. Flags and environment variables match Azure kubelogin get-token.', '', 'Flags:'];
  for (const def of GET_TOKEN_FLAGS) {
    const value = def.kind === 'bool' ? '' : def.kind === 'duration' ? ' duration' : ' string';
    const names = (def.short && def.short !== def.name ? `-${def.short}, ` : '    ') + `--${def.name}${value}`;
    const env = def.env && def.env.length > 0 ? ` [env: ${def.env.join(', ')}]` : '';
    lines.push(`  ${names.padEnd(42)} ${def.help}${env}`);
  }
  lines.push(
    '',
    'Environment variables are applied after flags (a set variable wins, even when empty);',
    '--disable-environment-override turns them off.',
    '',
    'KubeTray: the token comes from the KubeTray tray (started if installed and not running) or',
    "`kubetray serve`; without either, the sign-in runs here. KUBETRAY_BROKER=off always signs in",
    'here; KUBETRAY_BROKER=only never does. Exit codes: 0 ok, 2 usage, 3 sign-in needed or',
    'cancelled, 4 sign-in refused, 5 broker unreachable, 6 timeout, 7 network, 8 local cache, 1 other.',
  );
  return lines.join('\n') + '\n';
}
