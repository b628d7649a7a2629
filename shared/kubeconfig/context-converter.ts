/**
 * "Convert" in the window: rewrite one context's user to run `kubetray get-token`, in the file
 * that defines it, with the same safety as the CLI (atomic write, backup, nothing else touched).
 * Unlike `convert-kubeconfig` without -l (kubelogin's default devicecode), the window keeps the
 * user's current login method; a legacy azure auth-provider becomes devicecode (keeping --legacy).
 */
import type { ContextSummary } from '../contract/kubeconfig-model.js';
import { parseConvertArgs } from './convert-options.js';
import { convertKubeconfigs, type ConvertOutcome } from './convert-service.js';

export interface ContextConverterOptions {
  /** The files the window's model was read from (same merge, same source files). */
  files: () => readonly string[];
  env?: Readonly<Record<string, string | undefined>>;
  cwd?: string;
  /** Command to write (default `kubetray`, found on PATH). */
  execCommand?: string;
}

export interface ContextConversion {
  changed: boolean;
  message: string;
  outcome: ConvertOutcome;
}

export function createContextConverter(options: ContextConverterOptions): (context: ContextSummary) => Promise<ContextConversion> {
  return async (context) => {
    const env = options.env ?? process.env;
    const login = context.auth.kind === 'azure-exec' ? context.auth.login : 'devicecode';
    const argv = ['--context', context.name, '--login', login];
    if (options.execCommand) argv.push('--exec-command', options.execCommand);
    // Environment overrides (AAD_LOGIN_METHOD, AZURE_TENANT_ID, ...) belong to a shell session,
    // not to the tray's: the window converts exactly what the file says.
    const parsed = parseConvertArgs(argv, {});
    const outcome = convertKubeconfigs(parsed, { env, cwd: options.cwd ?? process.cwd(), files: options.files() });
    const user = outcome.users[0];
    const file = outcome.files[0];
    if (!user || !file) return { changed: false, message: `Context "${context.name}" is already up to date.`, outcome };
    const backup = file.backup ? ` The previous file is kept as ${file.backup}.` : '';
    const secret = user.secretFlags.length > 0 ? ` Note: ${user.secretFlags.join(', ')} is stored in plain text in that file.` : '';
    // As the CLI says: flags of the old stanza that the new one does not carry (e.g. a
    // --client-secret, which only an explicit flag writes), so a broken sign-in is not a surprise.
    const dropped = user.dropped.length > 0 ? ` Not carried over (as kubelogin's convert does): ${user.dropped.map((f) => '--' + f).join(', ')}.` : '';
    return {
      changed: true,
      message: `Context "${context.name}" now signs in with KubeTray (--login ${user.toLogin}); user "${user.name}" in ${file.file} was updated.${backup}${dropped}${secret}`,
      outcome,
    };
  };
}
