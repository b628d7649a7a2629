/**
 * `kubetray get-token`: the exec credential plugin. Prints exactly one ExecCredential line on
 * stdout; everything for people goes to stderr.
 *
 * Where the token comes from (KUBETRAY_BROKER=auto, the default):
 *   1. the broker over the pipe (tray or `kubetray serve`);
 *   2. no broker: start the installed tray (run/app.json) and wait up to 15 s, then ask again;
 *   3. still none: do the sign-in in this process with the same broker code and cache.
 * KUBETRAY_BROKER=off skips 1-2; KUBETRAY_BROKER=only never runs in-process. Managed identity
 * (msi) always runs in-process: it is this machine's identity, not the tray's.
 *
 * HOT PATH: with a broker answering, this module and its static imports are all that loads
 * (node:net/fs/crypto/path/os builtins, the pure flag and protocol modules). Keep it so.
 */
import * as path from 'node:path';
import { toAppError, type AppErrorJson, type Result } from '../../core/app-error.js';
import type { CallerInfo, IssuedToken, SignInProgress, TokenRequest } from '../../core/token-request.js';
import { pickCallerEnv } from '../../auth/flows/workload-identity-env.js';
import { resolvePaths, type KubeTrayPaths } from '../../node/paths.js';
import { requestToken } from '../../pipe/pipe-client.js';
import { readCallerInfo } from '../caller-info.js';
import type { CliIo } from '../cli-io.js';
import { formatExecCredential, parseExecInfo } from '../exec-credential.js';
import { EXIT, exitCodeFor } from '../exit-codes.js';
import { getTokenHelp, parseGetTokenArgs } from '../get-token-flags.js';
import { resolveGetTokenOptions, toTokenRequest, validateGetTokenOptions, type GetTokenOptions } from '../get-token-options.js';
import { createProgressPrinter } from '../progress-printer.js';

/** Once a person is signing in, the client waits this long past --timeout. */
export const SIGN_IN_ALLOWANCE_MS = 15 * 60_000;
/** Grace past --timeout so the broker's own timeout error (clearer) arrives first. */
const CLIENT_GRACE_MS = 5_000;

export type BrokerMode = 'auto' | 'off' | 'only';

export interface InProcessCall {
  request: TokenRequest;
  interactive: boolean;
  caller: CallerInfo;
  paths: KubeTrayPaths;
  env: CliIo['env'];
  onProgress: (p: SignInProgress) => void;
  signal: AbortSignal;
}

export interface GetTokenDeps {
  paths?: KubeTrayPaths;
  /** Replaces the in-process broker (tests). */
  inProcess?: (call: InProcessCall) => Promise<IssuedToken>;
  /** Replaces the tray launcher (tests). */
  launchTray?: (paths: KubeTrayPaths, say: (t: string) => void) => Promise<'no-tray' | 'started' | 'did-not-start'>;
}

function brokerMode(env: CliIo['env'], login: string): BrokerMode {
  if (login === 'msi') return 'off';
  const v = (env.KUBETRAY_BROKER ?? '').trim().toLowerCase();
  return v === 'off' || v === 'only' ? v : 'auto';
}

function absolutize(o: GetTokenOptions, cwd: string): void {
  // The broker runs elsewhere (other cwd): send absolute paths.
  for (const key of ['clientCertificate', 'federatedTokenFile', 'cacheDir'] as const) {
    if (o[key] !== '' && !path.isAbsolute(o[key])) o[key] = path.resolve(cwd, o[key]);
  }
}

export async function runGetToken(argv: string[], io: CliIo, deps: GetTokenDeps = {}): Promise<number> {
  const parsed = parseGetTokenArgs(argv);
  if (parsed.help) {
    io.stderr(getTokenHelp());
    return EXIT.OK;
  }
  if (parsed.errors.length > 0) {
    io.stderr(parsed.errors.map((e) => `kubetray get-token: ${e}\n`).join(''));
    return EXIT.USAGE;
  }
  if (parsed.seen.includes('token-cache-dir')) io.stderr('kubetray: --token-cache-dir is deprecated: use --cache-dir.\n');
  const options = resolveGetTokenOptions(parsed, io.env);
  const problems = validateGetTokenOptions(options);
  if (problems.length > 0) {
    io.stderr(problems.map((p) => `kubetray get-token: ${p}\n`).join(''));
    return EXIT.USAGE;
  }
  const exec = parseExecInfo(io.env.KUBERNETES_EXEC_INFO);
  if (!exec.ok) {
    io.stderr(`kubetray: ${exec.message}\n`);
    return EXIT.USAGE;
  }
  absolutize(options, io.cwd);
  const request = toTokenRequest(options);
  const callerEnv = pickCallerEnv(request.login, io.env, { disableEnvironmentOverride: options.disableEnvironmentOverride });
  if (callerEnv && Object.keys(callerEnv).length > 0) request.callerEnv = callerEnv;
  if ((request.login === 'azurecli' || request.login === 'azd') && io.env.AZURE_CONFIG_DIR) request.azureConfigDir = io.env.AZURE_CONFIG_DIR;

  const paths = deps.paths ?? resolvePaths(io.env);
  const caller = readCallerInfo();
  const interactive = exec.info.interactive;
  const printProgress = createProgressPrinter(io.stderr);

  // Deadline: --timeout (+grace), extended once a person is signing in.
  const abort = new AbortController();
  let timedOut = false;
  let timer = setTimeout(() => ((timedOut = true), abort.abort()), options.timeoutMs + CLIENT_GRACE_MS);
  const onProgress = (p: SignInProgress): void => {
    if (p.kind === 'device-code' || p.kind === 'browser' || p.kind === 'waiting') {
      clearTimeout(timer);
      timer = setTimeout(() => ((timedOut = true), abort.abort()), Math.max(options.timeoutMs, SIGN_IN_ALLOWANCE_MS));
    }
    printProgress(p);
  };

  try {
    const result = await obtain({ request, interactive, caller, paths, io, deps, onProgress, signal: abort.signal, mode: brokerMode(io.env, request.login) });
    if (!result.ok) return report(result.error, { io, interactive, serverId: request.serverId, timedOut, timeoutMs: options.timeoutMs });
    io.stdout(formatExecCredential(exec.info.apiVersion, result.value.token, result.value.expiresOn));
    return EXIT.OK;
  } finally {
    clearTimeout(timer);
  }
}

interface ObtainArgs {
  request: TokenRequest;
  interactive: boolean;
  caller: CallerInfo;
  paths: KubeTrayPaths;
  io: CliIo;
  deps: GetTokenDeps;
  onProgress: (p: SignInProgress) => void;
  signal: AbortSignal;
  mode: BrokerMode;
}

async function obtain(a: ObtainArgs): Promise<Result<IssuedToken, AppErrorJson>> {
  if (a.mode !== 'off') {
    const ask = (): Promise<Result<IssuedToken, AppErrorJson>> =>
      requestToken({ paths: a.paths, request: a.request, caller: a.caller, interactive: a.interactive, onProgress: a.onProgress, signal: a.signal });
    let result = await ask();
    if (!result.ok && result.error.code === 'pipe/unavailable' && result.error.detail?.reason === 'untrusted-endpoint') {
      a.io.stderr(`kubetray: ${result.error.message}\nkubetray: signing in here instead.\n`);
    } else if (!result.ok && result.error.code === 'pipe/unavailable') {
      const launch = a.deps.launchTray ?? (async (p: KubeTrayPaths, say: (t: string) => void) => (await import('../tray-launcher.js')).launchTrayAndWait(p, { say, signal: a.signal, env: a.io.env }));
      const outcome = await launch(a.paths, a.io.stderr);
      if (outcome === 'started') result = await ask();
      else if (outcome === 'did-not-start') a.io.stderr('kubetray: KubeTray did not start in time; signing in here instead.\n');
    } else if (!result.ok && result.error.code === 'pipe/version-mismatch') {
      a.io.stderr(`kubetray: ${result.error.message}\nkubetray: signing in here instead.\n`);
    }
    const fallBack = !result.ok && (result.error.code === 'pipe/unavailable' || result.error.code === 'pipe/version-mismatch');
    if (!fallBack || a.mode === 'only') return result;
  }
  try {
    const run = a.deps.inProcess ?? (async (call: InProcessCall) => (await import('../in-process.js')).getTokenInProcess(call));
    const token = await run({ request: a.request, interactive: a.interactive, caller: a.caller, paths: a.paths, env: a.io.env, onProgress: a.onProgress, signal: a.signal });
    return { ok: true, value: token };
  } catch (error) {
    return { ok: false, error: toAppError(error, 'auth/failed').toJSON() };
  }
}

function report(
  error: AppErrorJson,
  ctx: { io: CliIo; interactive: boolean; serverId: string; timedOut: boolean; timeoutMs: number },
): number {
  if (ctx.timedOut) {
    const waited = ctx.timeoutMs < 1000 ? `${ctx.timeoutMs} ms` : `${Math.round(ctx.timeoutMs / 1000)} s`;
    ctx.io.stderr(`kubetray: no token after ${waited}: raise --timeout, or check KubeTray (kubetray status).\n`);
    return EXIT.TIMEOUT;
  }
  // azurecli / azd: the sign-in belongs to that CLI and their message names the command to run.
  const cliOwnsSignIn = error.detail?.method === 'azurecli' || error.detail?.method === 'azd';
  if (error.code === 'auth/interaction-required' && !ctx.interactive && !cliOwnsSignIn) {
    ctx.io.stderr(
      `kubetray: signing in to ${ctx.serverId} needs you, but kubectl runs this command without a terminal (interactive: false).\n` +
        'kubetray: sign in from the KubeTray window (tray icon), or run the same kubectl command once in a terminal, then try again.\n',
    );
    return EXIT.SIGN_IN_REQUIRED;
  }
  // Error path only, so the redactor stays off the hot path (require: no ESM loader).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { redactText } = require('../../core/redact.js') as typeof import('../../core/redact.js');
  ctx.io.stderr(`kubetray: ${redactText(error.message)}\n`);
  return exitCodeFor(error.code);
}
