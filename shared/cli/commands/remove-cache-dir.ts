/**
 * `kubetray remove-cache-dir` (and its older name `remove-tokens`): forget every token KubeTray
 * holds for this user.
 *
 * 1. A running broker (tray or `kubetray serve`) is asked over the pipe to drop everything it
 *    holds in memory and in its cache (`remove-tokens` request): otherwise it would keep serving
 *    tokens from memory and write its cache back.
 * 2. The cache directory is deleted: MSAL caches (refresh tokens included), PoP keys, account
 *    records, the cache key and lock files.
 *
 * Which directory: --cache-dir (or kubelogin's deprecated --token-cache-dir), else KUBECACHEDIR,
 * else KubeTray's own cache dir ($KUBETRAY_HOME/cache). kubelogin's remove-cache-dir ignores
 * KUBECACHEDIR (its default is always ~/.kube/cache/kubelogin/); KubeTray honours it, like
 * get-token does. Without an explicit flag, KubeTray's own cache dir is cleared as well, so
 * "remove" always means everything.
 *
 * Safety: the home directory, a filesystem root, KUBETRAY_HOME itself (it holds the pipe secret
 * and settings) and any ancestor of it are refused.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AppErrorJson, Result } from '../../core/app-error.js';
import { resolvePaths, type KubeTrayPaths } from '../../node/paths.js';
import type { CliIo } from '../cli-io.js';
import { EXIT } from '../exit-codes.js';

export interface RemoveDeps {
  paths?: KubeTrayPaths;
  /** Replaces the pipe call (tests of the file part only). */
  tellBroker?: (paths: KubeTrayPaths) => Promise<Result<unknown, AppErrorJson>>;
}

export interface RemoveArgs {
  cacheDir?: string;
  help: boolean;
  errors: string[];
  deprecatedFlag: boolean;
}

/** Flags: --cache-dir, --token-cache-dir (deprecated), kubelogin's ignored klog flags, -h. */
export function parseRemoveArgs(argv: string[]): RemoveArgs {
  const out: RemoveArgs = { help: false, errors: [], deprecatedFlag: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '-h' || arg === '--help') {
      out.help = true;
      continue;
    }
    // kubelogin's klog flags: accepted and ignored.
    if (/^--logtostderr(=.*)?$/.test(arg)) continue;
    if (arg === '-v' || arg === '--v') {
      i++;
      continue;
    }
    if (/^(-v=?|--v=)\d+$/.test(arg)) continue;
    const m = /^--(cache-dir|token-cache-dir)(?:=(.*))?$/.exec(arg);
    if (!m) {
      out.errors.push(`unknown flag ${arg.split('=')[0]}: use --cache-dir <dir>`);
      continue;
    }
    const name = m[1] as string;
    let value = m[2];
    if (value === undefined) {
      value = argv[i + 1];
      i++;
    }
    if (value === undefined || value === '') {
      out.errors.push(`--${name} needs a directory`);
      continue;
    }
    if (name === 'token-cache-dir') out.deprecatedFlag = true;
    out.cacheDir = value;
  }
  return out;
}

/** Directories that must never be deleted wholesale. */
export function refuseReason(dir: string, paths: KubeTrayPaths, env: NodeJS.ProcessEnv): string | undefined {
  const target = path.resolve(dir);
  const home = path.resolve(env.HOME || env.USERPROFILE || os.homedir());
  const trayHome = path.resolve(paths.home);
  if (target === path.parse(target).root) return 'it is a filesystem root';
  if (target === home) return 'it is your home directory';
  if (target === trayHome || trayHome.startsWith(target + path.sep)) return 'it holds KUBETRAY_HOME (settings and the pipe secret), not just tokens';
  return undefined;
}

async function defaultTellBroker(paths: KubeTrayPaths): Promise<Result<unknown, AppErrorJson>> {
  const { pipeCall } = await import('../../pipe/pipe-client.js');
  return pipeCall({ type: 'remove-tokens' }, { paths: { home: paths.home, runDir: paths.runDir, secretFile: paths.secretFile }, connectTimeoutMs: 3_000, replyTimeoutMs: 15_000 });
}

function removeDir(dir: string, io: CliIo): boolean {
  if (!fs.existsSync(dir)) {
    io.stderr(`kubetray: nothing cached in ${dir}\n`);
    return true;
  }
  try {
    fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
    io.stderr(`kubetray: removed ${dir}\n`);
    return true;
  } catch (e) {
    io.stderr(`kubetray: could not remove ${dir} (${(e as NodeJS.ErrnoException).code ?? 'error'}): check its permissions and remove it by hand.\n`);
    return false;
  }
}

const HELP = `Remove every cached token (refresh tokens, PoP keys, account records) and sign the running KubeTray out.

Usage:
  kubetray remove-cache-dir [--cache-dir <dir>]

Flags:
      --cache-dir string   directory to remove (default: $KUBECACHEDIR, else KubeTray's cache dir)
  -h, --help               help for remove-cache-dir
`;

export async function removeEverything(argv: string[], io: CliIo, deps: RemoveDeps, command: string): Promise<number> {
  const args = parseRemoveArgs(argv);
  if (args.help) {
    io.stderr(HELP.replace('remove-cache-dir [', `${command} [`));
    return EXIT.OK;
  }
  if (args.errors.length > 0) {
    io.stderr(args.errors.map((e) => `kubetray ${command}: ${e}\n`).join(''));
    return EXIT.USAGE;
  }
  if (args.deprecatedFlag) io.stderr('kubetray: --token-cache-dir is deprecated: use --cache-dir.\n');
  const paths = deps.paths ?? resolvePaths(io.env);
  const explicit = args.cacheDir ?? (io.env.KUBECACHEDIR ? io.env.KUBECACHEDIR : undefined);
  const dirs = [...new Set([explicit, args.cacheDir === undefined ? paths.cacheDir : undefined].filter((d): d is string => !!d).map((d) => path.resolve(io.cwd, d)))];
  for (const dir of dirs) {
    const why = refuseReason(dir, paths, io.env);
    if (why) {
      io.stderr(`kubetray ${command}: refusing to remove ${dir}: ${why}. Give the token cache directory itself with --cache-dir.\n`);
      return EXIT.USAGE;
    }
  }

  let code: number = EXIT.OK;
  const told = await (deps.tellBroker ?? defaultTellBroker)(paths);
  if (told.ok) io.stderr('kubetray: the running KubeTray dropped all its tokens\n');
  else if (told.error.code === 'pipe/unavailable' && told.error.detail?.reason === 'no-broker') {
    // Nobody running: the files are everything.
  } else {
    io.stderr(`kubetray: KubeTray is running but did not drop its tokens (${told.error.message}). Quit it (or stop \`kubetray serve\`) so it forgets them.\n`);
    code = EXIT.BROKER;
  }
  for (const dir of dirs) if (!removeDir(dir, io)) code = EXIT.LOCAL_STATE;
  return code;
}

export async function runRemoveCacheDir(argv: string[], io: CliIo, deps: RemoveDeps = {}): Promise<number> {
  return removeEverything(argv, io, deps, 'remove-cache-dir');
}
