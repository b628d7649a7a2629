/**
 * Conversion as a service, for the CLI and the window ("convert this cluster" in one click):
 * read the kubeconfig files kubectl would read, plan, then either describe (dry run) or write
 * every changed file atomically with a backup. Returns what happened; never a secret value
 * (diffs are masked). Throws AppError (kubeconfig/*, cli/*) with nothing written on refusal.
 *
 * Backup policy: one backup per file, `<file>.kubetray-backup` next to it, with the file's mode,
 * replaced (atomically) on every write, so it always holds the version just before the last
 * conversion. `--no-backup` skips it. Several files are each written atomically, one after the
 * other; a failure part-way leaves the earlier files converted (each with its backup) and the
 * rest untouched.
 */
import { AppError } from '../core/app-error.js';
import { BACKUP_SUFFIX, writeFileAtomicSync } from './atomic-write.js';
import type { ConvertCommandOptions } from './convert-options.js';
import { planConversion, type UserChange } from './convert-plan.js';
import { readKubeconfigs, resolveKubeconfigPaths } from './kubeconfig-files.js';
import { unifiedDiff } from './unified-diff.js';

export interface ConvertedFile {
  file: string;
  /** Unified diff from the old text to the new, secret values masked. */
  diff: string;
  written: boolean;
  /** Only the converted users' lines changed; false: the whole file was re-serialised (comments lost). */
  keptFormatting: boolean;
  backup?: string;
}

export type UserOutcome = Omit<UserChange, 'user'>;

export interface ConvertOutcome {
  /** Every convertible user looked at, changed or not. */
  users: UserOutcome[];
  /** Files that needed a change (written unless dry run). */
  files: ConvertedFile[];
}

export interface ConvertEnvironment {
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  /** The kubeconfig files to use (e.g. the window's list); default: --kubeconfig, KUBECONFIG, ~/.kube/config. */
  files?: readonly string[];
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

export function convertKubeconfigs(options: ConvertCommandOptions, where: ConvertEnvironment): ConvertOutcome {
  const paths = where.files && !options.kubeconfig ? { files: [...where.files] } : resolveKubeconfigPaths({ explicit: options.kubeconfig, env: where.env, cwd: where.cwd });
  const read = readKubeconfigs(paths.files);
  const first = read.failed[0];
  if (first) throw first.error;
  if (read.loaded.length === 0) {
    throw new AppError('kubeconfig/not-found', `No kubeconfig found (looked at ${paths.files.join(', ')}): pass --kubeconfig <file>, set KUBECONFIG, or run 'az aks get-credentials' first.`, {
      detail: { files: paths.files.join(',') },
    });
  }
  const plan = planConversion(read.loaded, options.settings, options.context);
  const files: ConvertedFile[] = [];
  for (const f of plan.files) {
    const diff = unifiedDiff(maskSecretArgs(f.before), maskSecretArgs(f.after), f.file, `${f.file} (converted)`);
    if (options.dryRun) {
      files.push({ file: f.file, diff, written: false, keptFormatting: f.spliced });
      continue;
    }
    const backup = options.backup ? f.file + BACKUP_SUFFIX : undefined;
    writeFileAtomicSync(f.file, f.after, {
      expectedCurrent: f.before,
      ...(backup ? { backupPath: backup } : {}),
      ...(where.beforeRename ? { beforeRename: where.beforeRename } : {}),
    });
    files.push(backup ? { file: f.file, diff, written: true, keptFormatting: f.spliced, backup } : { file: f.file, diff, written: true, keptFormatting: f.spliced });
  }
  const users = plan.users.map((u) => {
    const { user: _user, ...rest } = u;
    return rest;
  });
  return { users, files };
}
