/**
 * PipeServer: serves the TokenBroker to local `kubetray` clients over a Unix socket / named pipe.
 * Runs in `kubetray serve` and in Electron's main process, so it installs no process-wide
 * handlers and changes no process state (umask, signals, cwd).
 *
 * Per connection: one request (see protocol.ts), a read deadline for half-open peers, a frame
 * cap, and a constant-time secret check. Anything bad closes only that connection with an
 * error frame; the broker's errors travel as AppErrorJson with token material redacted.
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import { AppError } from '../core/app-error.js';
import type { TokenBrokerApi } from '../core/broker.js';
import { silentLogger, type Logger } from '../core/log.js';
import { handleConnection } from './pipe-connection.js';
import { ensureEndpointDir, resolvePipeEndpoint, type EndpointInput, type PipeEndpoint } from './pipe-endpoint.js';
import { ensurePipeSecret } from './pipe-secret-store.js';
import { MAX_FRAME_BYTES, PROTOCOL_VERSION, REQUEST_READ_TIMEOUT_MS } from './protocol.js';

export interface PipeServerOptions {
  broker: TokenBrokerApi;
  paths: EndpointInput & { secretFile: string };
  log?: Logger;
  /** Shown by `kubetray status`: 'tray' or 'serve'. */
  host?: string;
  appVersion?: string;
  /** Overrides the endpoint (tests). */
  endpoint?: PipeEndpoint;
  /** Deadline for a connection to deliver its request. */
  requestReadTimeoutMs?: number;
  maxFrameBytes?: number;
  /**
   * The tray sets this: its own window is where people sign in, so a caller without a terminal
   * (Lens, an IDE, kubectl with stdin redirected) may still trigger a sign-in there. Headless
   * `kubetray serve` leaves it off and honours KUBERNETES_EXEC_INFO.spec.interactive == false.
   */
  signInWithoutTerminal?: boolean;
  /** remove-tokens hook (default: broker.signOut(key)). */
  removeTokens?: (key?: string) => Promise<void>;
}

export interface PipeServer {
  readonly endpoint: PipeEndpoint;
  /** Open connections right now. */
  connectionCount(): number;
  /** Stops listening, drops every connection, removes the socket file. Idempotent. */
  close(): Promise<void>;
}

export async function startPipeServer(options: PipeServerOptions): Promise<PipeServer> {
  const log = (options.log ?? silentLogger).child('pipe');
  const endpoint = options.endpoint ?? resolvePipeEndpoint(options.paths);
  ensureEndpointDir(endpoint);
  const secret = ensurePipeSecret(options.paths.secretFile);
  const startedAt = Date.now();
  const sockets = new Set<net.Socket>();
  const maxFrame = options.maxFrameBytes ?? MAX_FRAME_BYTES;
  const readTimeout = options.requestReadTimeoutMs ?? REQUEST_READ_TIMEOUT_MS;

  const server = net.createServer({ allowHalfOpen: false, pauseOnConnect: false }, (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    handleConnection(socket, {
      options,
      log,
      secret,
      maxFrame,
      readTimeout,
      status: () => ({
        protocolVersion: PROTOCOL_VERSION,
        appVersion: options.appVersion ?? 'unknown',
        pid: process.pid,
        host: options.host ?? 'serve',
        startedAt,
        sessions: options.broker.sessions(),
      }),
    });
  });
  server.maxConnections = 1024;
  server.on('error', (error) => log.error('pipe server error', { error }));

  await listen(server, endpoint, log);
  let inode: number | undefined;
  if (endpoint.dir) {
    fs.chmodSync(endpoint.path, 0o600);
    inode = fs.statSync(endpoint.path).ino;
  }
  log.info('listening', { endpoint: endpoint.path });

  let closing: Promise<void> | undefined;
  return {
    endpoint,
    connectionCount: () => sockets.size,
    close(): Promise<void> {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
        // Remove the socket only if it is still the one we created (a newer server may own the path).
        if (endpoint.dir && inode !== undefined) {
          try {
            if (fs.statSync(endpoint.path).ino === inode) fs.unlinkSync(endpoint.path);
          } catch {
            // already gone
          }
        }
        log.info('closed');
      });
      return closing;
    },
  };
}

async function listen(server: net.Server, endpoint: PipeEndpoint, log: Logger): Promise<void> {
  const attempt = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const onError = (e: Error): void => {
        server.off('listening', onListening);
        reject(e);
      };
      const onListening = (): void => {
        server.off('error', onError);
        resolve();
      };
      server.once('error', onError);
      server.once('listening', onListening);
      server.listen(endpoint.path);
    });
  try {
    await attempt();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || !endpoint.dir) {
      throw new AppError('pipe/unavailable', `Cannot listen on ${endpoint.path}: ${(error as Error).message}. Is another KubeTray running?`, { cause: error });
    }
    if (await isAlive(endpoint.path)) {
      throw new AppError('pipe/unavailable', `Another KubeTray broker is already serving ${endpoint.path}: quit it first, or use it.`, { detail: { reason: 'already-running' } });
    }
    // A stale socket file from a broker that died: connect failed, so nobody owns it.
    log.warn('removing stale socket', { endpoint: endpoint.path });
    fs.rmSync(endpoint.path, { force: true });
    await attempt();
  }
}

function isAlive(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(socketPath);
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}
