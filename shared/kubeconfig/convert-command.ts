/**
 * `kubetray convert-kubeconfig`: kubelogin's convert-kubeconfig, made safe to run on a real
 * ~/.kube/config (see convert-plan.ts for what changes and atomic-write.ts for how files are
 * written). stdout carries only the --dry-run diff; people read stderr.
 *
 * Exit codes (shared/cli/exit-codes.ts): 0 done (or nothing to do); 2 bad flags; 9 kubeconfig
 * missing, unreadable, invalid, lacking a required value, or not writable (nothing written);
 * 1 a bug.
 */
import type { CliCommand, CliIo } from '../cli/cli-io.js';
import { EXIT, exitCodeFor } from '../cli/exit-codes.js';
import { toAppError } from '../core/app-error.js';
import { convertHelp, parseConvertArgs } from './convert-options.js';
import { convertKubeconfigs, type ConvertOutcome } from './convert-service.js';

export interface ConvertRunHooks {
  /** Test hook passed to the atomic writer. */
  beforeRename?: (tempPath: string) => void;
}

function summarise(outcome: ConvertOutcome, io: CliIo, dryRun: boolean): void {
  const verb = dryRun ? 'would convert' : 'converted';
  for (const u of outcome.users) {
    const where = `user "${u.name}" (${u.file})`;
    if (!u.changed) {
      io.stderr(`${where}: already up to date.\n`);
      continue;
    }
    io.stderr(`${where}: ${verb} ${u.fromLogin} -> kubetray --login ${u.toLogin}.\n`);
    if (u.fromLogin !== u.toLogin && u.fromLogin !== 'azure auth-provider') {
      io.stderr(`  note: the login method changes from ${u.fromLogin} to ${u.toLogin}; pass -l ${u.fromLogin} to keep it.\n`);
    }
    if (u.dropped.length > 0) {
      const why = u.toLogin === 'azurecli' && u.dropped.includes('tenant-id') ? ' (azurecli takes the tenant from `az login`; pass --tenant-id to keep one)' : '';
      io.stderr(`  dropped (not used by --login ${u.toLogin}, as kubelogin does): ${u.dropped.map((f) => '--' + f).join(', ')}${why}.\n`);
    }
    if (u.ignored.length > 0) io.stderr(`  not written for --login ${u.toLogin}: ${u.ignored.join(', ')}.\n`);
    if (u.secretFlags.length > 0) {
      io.stderr(`  WARNING: ${u.secretFlags.join(', ')} will be stored in plain text in ${u.file}; prefer the environment variables (e.g. AAD_SERVICE_PRINCIPAL_CLIENT_SECRET, AZURE_PASSWORD).\n`);
    }
  }
}

export async function runConvert(argv: string[], io: CliIo, hooks: ConvertRunHooks = {}): Promise<number> {
  let options;
  try {
    options = parseConvertArgs(argv, io.env);
  } catch (error) {
    const e = toAppError(error, 'cli/usage');
    io.stderr(`kubetray convert-kubeconfig: ${e.message}\n`);
    return EXIT.USAGE;
  }
  if (options.help) {
    io.stdout(convertHelp());
    return EXIT.OK;
  }
  try {
    const outcome = convertKubeconfigs(options, { env: io.env, cwd: io.cwd, ...(hooks.beforeRename ? { beforeRename: hooks.beforeRename } : {}) });
    summarise(outcome, io, options.dryRun);
    if (outcome.files.length === 0) {
      io.stderr(outcome.users.length === 0 ? 'Nothing to convert: no user runs kubelogin or uses the azure auth-provider.\n' : 'Nothing to change: every file is already up to date.\n');
      return EXIT.OK;
    }
    for (const f of outcome.files) {
      if (!f.written) io.stdout(f.diff);
      else {
        const backup = f.backup ? ` (previous version: ${f.backup})` : '';
        const note = f.keptFormatting ? '' : ` The file had to be rewritten whole: its YAML comments are gone${f.backup ? ', the backup has them' : ''}.`;
        io.stderr(`wrote ${f.file}${backup}.${note}\n`);
      }
    }
    if (options.dryRun) io.stderr('Dry run: nothing was written (secret values in the diff are masked).\n');
    return EXIT.OK;
  } catch (error) {
    const e = toAppError(error, 'internal');
    io.stderr(`kubetray convert-kubeconfig: ${e.message}\n`);
    return exitCodeFor(e.code);
  }
}

/** The `kubetray convert-kubeconfig` command (lazy-imported by shared/cli/main.ts). */
export const runConvertKubeconfig: CliCommand = (argv, io) => runConvert(argv, io);
