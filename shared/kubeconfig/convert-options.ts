/**
 * `kubetray convert-kubeconfig` command line: kubelogin's convert flags (--kubeconfig, --context,
 * --azure-config-dir, and every get-token flag) plus KubeTray's own (--dry-run, --exec-command,
 * --exec-api-version, --no-backup). get-token flags are parsed by the shared get-token parser;
 * the environment is applied after flags, as kubelogin's convert does (UpdateFromEnv).
 */
import { AppError } from '../core/app-error.js';
import { findFlag, parseGetTokenArgs, type GetTokenFlagKey } from '../cli/get-token-flags.js';
import { applyEnvOverrides, defaultGetTokenOptions, type EnvLike, type GetTokenOptions } from '../cli/get-token-options.js';
import { isLoginMethod, LOGIN_METHODS } from '../core/token-request.js';
import { EXEC_API_V1, EXEC_API_V1BETA1, type ConvertSettings } from './convert-user.js';

export interface ConvertCommandOptions {
  kubeconfig?: string;
  context?: string;
  dryRun: boolean;
  backup: boolean;
  help: boolean;
  settings: ConvertSettings;
}

type OwnFlag = 'kubeconfig' | 'context' | 'azure-config-dir' | 'exec-command' | 'exec-api-version' | 'dry-run' | 'no-backup';
const OWN_STRING: ReadonlySet<string> = new Set(['kubeconfig', 'context', 'azure-config-dir', 'exec-command', 'exec-api-version']);
const OWN_BOOL: ReadonlySet<string> = new Set(['dry-run', 'no-backup']);

export function convertHelp(): string {
  return [
    'Usage: kubetray convert-kubeconfig [flags]',
    '',
    'Rewrites kubeconfig users that run kubelogin (or use the removed azure auth-provider) to run',
    '`kubetray get-token` with the same settings, exactly as `kubelogin convert-kubeconfig` would.',
    '',
    'Flags:',
    '      --kubeconfig string        the kubeconfig file to convert (default: $KUBECONFIG, else ~/.kube/config)',
    '      --context string           convert only the user of this context',
    '  -l, --login string             login method to write (default devicecode)',
    '      --azure-config-dir string  AZURE_CONFIG_DIR to set for azurecli users',
    '      --dry-run                  print a unified diff and write nothing',
    '      --exec-command string      command to write (default kubetray; a name or an absolute path)',
    '      --exec-api-version string  v1beta1 (default) or v1',
    '      --no-backup                do not keep <file>.kubetray-backup',
    '  and every `kubetray get-token` flag (--server-id, --client-id, --tenant-id, --environment, ...).',
    '',
    'Every changed file is written atomically (temp file, fsync, rename) with its mode kept; the',
    'previous version is kept as <file>.kubetray-backup. Only the converted users\' lines change:',
    'comments and formatting elsewhere are kept (when the users list cannot be edited in place the',
    'file is rewritten whole and its comments are lost; the backup has them). A file that needs no',
    'change is not touched.',
    '',
  ].join('\n');
}

function normaliseApiVersion(value: string): string {
  if (value === 'v1' || value === EXEC_API_V1) return EXEC_API_V1;
  if (value === 'v1beta1' || value === EXEC_API_V1BETA1) return EXEC_API_V1BETA1;
  throw new AppError('cli/invalid-flag', `--exec-api-version "${value}" is not supported: use v1beta1 (the default) or v1.`);
}

/** Parses the argv after `convert-kubeconfig`. Throws AppError cli/usage or cli/invalid-flag. */
export function parseConvertArgs(argv: readonly string[], env: EnvLike): ConvertCommandOptions {
  const own: Partial<Record<OwnFlag, string>> = {};
  const ownBool = new Set<string>();
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (!arg.startsWith('--')) {
      // A get-token shorthand may take the next argument as its value (-l azurecli).
      rest.push(arg);
      const def = arg.length === 2 && arg.startsWith('-') ? findFlag(arg.slice(1)) : undefined;
      if (def && def.kind !== 'bool' && i + 1 < argv.length) rest.push(argv[++i] ?? '');
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
    if (OWN_STRING.has(name)) {
      const value = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined) throw new AppError('cli/usage', `flag needs an argument: --${name}.`);
      own[name as OwnFlag] = value;
      continue;
    }
    if (OWN_BOOL.has(name)) {
      if (eq < 0 || arg.slice(eq + 1) === 'true') ownBool.add(name);
      continue;
    }
    rest.push(arg);
    const def = findFlag(name);
    if (def && def.kind !== 'bool' && eq < 0 && i + 1 < argv.length) rest.push(argv[++i] ?? '');
  }
  const parsed = parseGetTokenArgs(rest);
  if (parsed.errors.length > 0) {
    const message = parsed.errors.join(' ').replace(/kubetray get-token --help/g, 'kubetray convert-kubeconfig --help').replace(/get-token takes only flags/g, 'convert-kubeconfig takes only flags');
    throw new AppError('cli/usage', message);
  }
  const options: GetTokenOptions = defaultGetTokenOptions(env);
  const target = options as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(parsed.values)) {
    if (key === 'verbosity') continue;
    if (key === 'timeout') options.timeoutMs = Number(value);
    else target[key] = value;
  }
  applyEnvOverrides(options, env);
  validate(options);
  const execCommand = own['exec-command'] ?? 'kubetray';
  if (execCommand.trim() === '') throw new AppError('cli/invalid-flag', '--exec-command must not be empty: give a command name such as kubetray or an absolute path.');
  const given = new Set(Object.keys(parsed.values) as GetTokenFlagKey[]);
  const result: ConvertCommandOptions = {
    dryRun: ownBool.has('dry-run'),
    backup: !ownBool.has('no-backup'),
    help: parsed.help,
    settings: {
      options,
      given,
      azureConfigDir: own['azure-config-dir'] ?? '',
      execCommand,
      execApiVersion: normaliseApiVersion(own['exec-api-version'] ?? 'v1beta1'),
    },
  };
  if (own.kubeconfig !== undefined && own.kubeconfig !== '') result.kubeconfig = own.kubeconfig;
  if (own.context !== undefined && own.context !== '') result.context = own.context;
  return result;
}

/** kubelogin's TokenOptions.Validate() as run by convert (server-id is checked per user). */
function validate(o: GetTokenOptions): void {
  if (!isLoginMethod(o.login)) {
    throw new AppError('cli/invalid-flag', `'${o.login}' is not a supported login method (names are case-sensitive): use one of ${LOGIN_METHODS.join(', ')}.`);
  }
  if (o.popEnabled && o.popClaims === '') throw new AppError('cli/invalid-flag', '--pop-claims is required when specifying --pop-enabled: pass --pop-claims "u=<ARM ID of the cluster>".');
  if (!o.popEnabled && o.popClaims !== '') throw new AppError('cli/invalid-flag', '--pop-enabled is required when specifying --pop-claims: pass --pop-enabled too.');
  if (o.authorityHost !== '') {
    let ok = false;
    try {
      const url = new URL(o.authorityHost);
      ok = url.host !== '' && o.authorityHost.endsWith('/');
    } catch {
      ok = false;
    }
    if (!ok) throw new AppError('cli/invalid-flag', `authority host "${o.authorityHost}" is not valid: --authority-host must be an absolute URL ending in '/', such as https://login.microsoftonline.com/.`);
  }
  if (!(o.timeoutMs > 0)) throw new AppError('cli/invalid-flag', '--timeout must be greater than 0, e.g. --timeout 60s.');
}
