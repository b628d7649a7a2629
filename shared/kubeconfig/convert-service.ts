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
import { GET_TOKEN_FLAGS } from '../cli/get-token-flags.js';
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

const SECRET_FLAG_DEFS = GET_TOKEN_FLAGS.filter((d) => d.secret === true);
const SECRET_ARG_FLAGS: ReadonlySet<string> = new Set(SECRET_FLAG_DEFS.map((d) => `--${d.name}`));
/** Exec `env` entries get-token reads a secret from (AAD_SERVICE_PRINCIPAL_CLIENT_SECRET, ...). */
const SECRET_ENV_NAMES: ReadonlySet<string> = new Set(SECRET_FLAG_DEFS.flatMap((d) => d.env ?? []));
const MASK = '********';
const FLAG_ALT = [...SECRET_ARG_FLAGS].join('|');
const ENV_ALT = [...SECRET_ENV_NAMES].join('|');
/** `- --client-secret` (the value is the next item), plain or quoted. */
const FLAG_ITEM = new RegExp(`^\\s*-\\s+(['"]?)(${FLAG_ALT})\\1\\s*$`);
/** `- --client-secret=value`, plain or quoted. */
const FLAG_EQ_ITEM = new RegExp(`^(\\s*-\\s+)(['"]?)(${FLAG_ALT})=.*$`);
/** Flow style on one line: `[get-token, --client-secret, value]` or `--client-secret=value`. */
const FLOW_FLAG = new RegExp(`(['"]?)(${FLAG_ALT})\\1(\\s*,\\s*)("[^"]*"|'[^']*'|[^,\\]\\s]+)`, 'g');
const FLOW_FLAG_EQ = new RegExp(`(${FLAG_ALT})=("[^"]*"|'[^']*'|[^,\\]"'\\s]*)`, 'g');
/** `name: AAD_SERVICE_PRINCIPAL_CLIENT_SECRET` in an exec env item (block style). */
const ENV_NAME = new RegExp(`^\\s*(-\\s+)?name:\\s*(['"]?)(${ENV_ALT})\\2\\s*$`);
const ENV_FLOW = new RegExp(`\\bname:\\s*(['"]?)(${ENV_ALT})\\1\\s*[,}]`);
const VALUE_LINE = /^(\s*(?:-\s+)?value:\s*)(\S.*)$/;
/**
 * Kubeconfig keys whose value is a credential: the legacy azure (and oidc) auth-provider's
 * tokens, which a conversion removes (so the diff shows them), and a static token, password or
 * private key of a neighbouring user that a diff's context lines may show.
 */
const SECRET_KEY = /^(\s*(?:-\s+)?(['"]?)(?:access-token|refresh-token|id-token|client-secret|token|password|client-key-data)\2:[ \t]*)(\S.*)$/;

const indentOf = (line: string): number => /^\s*/.exec(line)?.[0].length ?? 0;

/** Masks the `value:` of the list item (block style) that line `i` belongs to. */
function maskEnvItemValue(lines: string[], i: number): void {
  // The item starts at the nearest line at or above i that opens it with "- ".
  let start = i;
  while (start >= 0 && !/^\s*-\s/.test(lines[start] ?? '')) start--;
  if (start < 0) return;
  const dash = indentOf(lines[start] ?? '');
  for (let j = start; j < lines.length; j++) {
    const line = lines[j] ?? '';
    if (j > start && (line.trim() === '' || indentOf(line) <= dash)) break;
    const eol = line.endsWith('\r') ? '\r' : '';
    const m = VALUE_LINE.exec(eol ? line.slice(0, -1) : line);
    if (m) lines[j] = `${m[1]}'${MASK}'${eol}`;
  }
}

/**
 * Masks secret values in kubeconfig text shown to a person (the --dry-run diff): the values of
 * --client-secret, --client-certificate-password and --password in exec args (`- --flag` then
 * `- value`, `- --flag=value`, one-line flow lists), the values of exec `env` entries that
 * carry one (AAD_SERVICE_PRINCIPAL_CLIENT_SECRET, AZURE_PASSWORD, ...), and credential keys
 * (the azure auth-provider's access-token and refresh-token, token, password, client-key-data).
 */
export function maskSecretArgs(text: string): string {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const eol = line.endsWith('\r') ? '\r' : '';
    const body = eol ? line.slice(0, -1) : line;
    const key = SECRET_KEY.exec(body);
    if (key) {
      lines[i] = `${key[1]}'${MASK}'${eol}`;
      continue;
    }
    if (FLAG_ITEM.test(body)) {
      const next = /^(\s*-\s+)(.*?)(\r?)$/.exec(lines[i + 1] ?? '');
      if (next && i + 1 < lines.length) lines[i + 1] = `${next[1]}'${MASK}'${next[3]}`;
      continue;
    }
    const eq = FLAG_EQ_ITEM.exec(body);
    if (eq) {
      lines[i] = `${eq[1]}'${eq[3]}=${MASK}'${eol}`;
      continue;
    }
    if (ENV_NAME.test(body)) {
      maskEnvItemValue(lines, i);
      continue;
    }
    let masked = body.replace(FLOW_FLAG, (_m, q: string, flag: string, sep: string) => `${q}${flag}${q}${sep}'${MASK}'`).replace(FLOW_FLAG_EQ, `$1=${MASK}`);
    if (ENV_FLOW.test(masked)) masked = masked.replace(/(\bvalue:\s*)("[^"]*"|'[^']*'|[^,}\s]+)/, `$1'${MASK}'`);
    if (masked !== body) lines[i] = masked + eol;
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
