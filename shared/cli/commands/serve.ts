/**
 * `kubetray serve`: the headless broker in the foreground (no tray: SSH hosts, dev containers,
 * tests). Pipe server + broker + a log file in $KUBETRAY_HOME/logs. SIGINT/SIGTERM close the
 * pipe (socket removed) and the broker, then the process exits 0.
 */
import { createLogger } from '../../core/log.js';
import { fileSink } from '../../node/log-file.js';
import { resolvePaths } from '../../node/paths.js';
import { startPipeServer } from '../../pipe/pipe-server.js';
import type { CliIo } from '../cli-io.js';
import { EXIT, exitCodeFor } from '../exit-codes.js';
import { createHeadlessBroker } from '../headless-broker.js';
import { createTerminalSignInWindow } from '../terminal-sign-in-window.js';
import { kubetrayVersion } from '../version.js';
import { toAppError } from '../../core/app-error.js';

export const SERVE_HELP = `Usage: kubetray serve [--log-level debug|info|warn|error]

Runs the KubeTray broker in the foreground without the tray: kubectl calls on this machine
(same user, same KUBETRAY_HOME) get their tokens from it. Ctrl-C stops it.
Device codes and sign-in addresses are shown to the waiting kubectl, and on this terminal.
`;

export interface ServeHandle {
  /** Resolves once serving stopped. */
  stopped: Promise<void>;
  stop(): Promise<void>;
}

export async function runServe(argv: string[], io: CliIo): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stderr(SERVE_HELP);
    return EXIT.OK;
  }
  let level = (io.env.KUBETRAY_LOG_LEVEL ?? 'info') as 'debug' | 'info' | 'warn' | 'error';
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    const v = a.startsWith('--log-level=') ? a.slice('--log-level='.length) : a === '--log-level' ? argv[++i] : undefined;
    if (v === undefined) {
      io.stderr(`kubetray serve: unknown argument ${a}\n${SERVE_HELP}`);
      return EXIT.USAGE;
    }
    if (!['debug', 'info', 'warn', 'error'].includes(v)) {
      io.stderr('kubetray serve: --log-level must be debug, info, warn or error.\n');
      return EXIT.USAGE;
    }
    level = v as typeof level;
  }
  const paths = resolvePaths(io.env);
  const log = createLogger(fileSink(`${paths.logsDir}/serve.log`), { scope: 'serve', level });
  let broker;
  let server;
  try {
    broker = await createHeadlessBroker({ paths, log, env: io.env, signInWindow: createTerminalSignInWindow(io.stderr, io.env) });
    server = await startPipeServer({ broker, paths, log, host: 'serve', appVersion: kubetrayVersion() });
  } catch (error) {
    const e = toAppError(error);
    io.stderr(`kubetray serve: ${e.message}\n`);
    await broker?.close();
    return exitCodeFor(e.code);
  }
  io.stderr(`kubetray serve: listening on ${server.endpoint.path} (pid ${process.pid}); Ctrl-C to stop.\n`);
  log.info('serving', { pid: process.pid, version: kubetrayVersion() });

  const b = broker;
  const s = server;
  await new Promise<void>((resolve) => {
    const stop = (signal: string): void => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      log.info('stopping', { signal });
      void Promise.allSettled([s.close(), b.close()]).then(() => resolve());
    };
    const onInt = (): void => stop('SIGINT');
    const onTerm = (): void => stop('SIGTERM');
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
  });
  io.stderr('kubetray serve: stopped.\n');
  return EXIT.OK;
}
