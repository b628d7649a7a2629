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
import { AppError, toAppError } from '../core/app-error.js';
import { BACKUP_SUFFIX, writeFileAtomicSync } from './atomic-write.js';
import { convertHelp, parseConvertArgs } from './convert-options.js';
import { planConversion, type ConversionPlan } from './convert-plan.js';
import { readKubeconfigs, resolveKubeconfigPaths } from './kubeconfig-files.js';
import { unifiedDiff } from './unified-diff.js';

export interface ConvertRunHooks {
  /** Test hook passed to the atomic writer. */
  beforeRename?: (tempPath: string) => void;
}

const SECRET_ARG_FLAGS = new Set(['--client-secret', '--client-certificate-password', '--password']);

/** Masks the values of secret flags in YAML list lines (`- --client-secret` then `- value`). */
export function maskSecretArgs(text: string): string {
  const lines = text.split('\n');
  for (let i = 0; i + 1 < lines.length; i++) {
    const m = /^(\s*-\s+)'?(--[a-z-]+)'?\s*$/.exec(lines[i] ?? '');
    if (m && SECRET_ARG_FLAGS.has(m[2] ?? '')) {
      const next = /^(\s*-\s+)/.exec(lines[i + 1] ?? '');
      if (next) lines[i + 1] = `${next[1]}'********'`;
    }
  }
  return lines.join('\n');
}

function summarise(plan: ConversionPlan, io: CliIo, dryRun: boolean): void {
  const verb = dryRun ? 'would convert' : 'converted';
  for (const u of plan.users) {
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
    const paths = resolveKubeconfigPaths({ explicit: options.kubeconfig, env: io.env, cwd: io.cwd });
    const read = readKubeconfigs(paths.files);
    const first = read.failed[0];
    if (first) throw first.error;
    if (read.loaded.length === 0) {
      throw new AppError('kubeconfig/not-found', `No kubeconfig found (looked at ${paths.files.join(', ')}): pass --kubeconfig <file>, set KUBECONFIG, or run 'az aks get-credentials' first.`, {
        detail: { files: paths.files.join(',') },
      });
    }
    const plan = planConversion(read.loaded, options.settings, options.context);
    summarise(plan, io, options.dryRun);
    if (plan.files.length === 0) {
      io.stderr(plan.users.length === 0 ? 'Nothing to convert: no user runs kubelogin or uses the azure auth-provider.\n' : 'Nothing to change: every file is already up to date.\n');
      return EXIT.OK;
    }
    for (const f of plan.files) {
      if (options.dryRun) {
        io.stdout(unifiedDiff(maskSecretArgs(f.before), maskSecretArgs(f.after), `${f.file}`, `${f.file} (converted)`));
        continue;
      }
      writeFileAtomicSync(f.file, f.after, {
        expectedCurrent: f.before,
        ...(options.backup ? { backupPath: f.file + BACKUP_SUFFIX } : {}),
        ...(hooks.beforeRename ? { beforeRename: hooks.beforeRename } : {}),
      });
      io.stderr(`wrote ${f.file}${options.backup ? ` (previous version: ${f.file}${BACKUP_SUFFIX}; YAML comments are not kept, the backup has them)` : ''}.\n`);
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
