/**
 * Client side of the pipe: the `kubetray get-token` hot path. Imports only node:net/fs/crypto
 * and the protocol, never the broker or MSAL. Never throws: every outcome is a Result, and a
 * broker that is not there is `pipe/unavailable` with detail.reason 'no-broker' so the caller
 * can start the tray or fall back to in-process.
 */
import * as net from 'node:net';
import type { AppErrorJson, Result } from '../core/app-error.js';
import type { CallerInfo, IssuedToken, SignInProgress, TokenRequest } from '../core/token-request.js';
import { createLineDecoder } from './line-decoder.js';
import { resolvePipeEndpoint, untrustedEndpointReason, type EndpointInput, type PipeEndpoint } from './pipe-endpoint.js';
import { readPipeSecret } from './pipe-secret.js';
import {
  encodeFrame,
  HANDSHAKE_CLIENT_LABEL,
  HANDSHAKE_SERVER_LABEL,
  isIssuedToken,
  MAX_FRAME_BYTES,
  PROTOCOL_VERSION,
  validateServerFrame,
  type PipeRequest,
  type RequestType,
  type ResultValues,
} from './protocol.js';

export type ClientPaths = EndpointInput & { secretFile: string };

export interface PipeCallOptions {
  paths: ClientPaths;
  /** Overrides the endpoint derived from paths (tests). */
  endpoint?: PipeEndpoint;
  /** Overrides the secret read from paths.secretFile (tests). */
  secret?: string;
  onProgress?: (progress: SignInProgress) => void;
  signal?: AbortSignal;
  /** Gives up connecting after this long (a wedged broker must not hang kubectl). */
  connectTimeoutMs?: number;
  /**
   * Gives up when the broker accepted the connection but sent no result this long (status,
   * sign-out, remove: quick requests that must not hang on a wedged broker). get-token leaves it
   * unset: its wait includes a person signing in and is bounded by its own deadline.
   */
  replyTimeoutMs?: number;
  /**
   * Challenge-response before the request (protocol.ts): the server proves it knows the secret
   * first. Default on Windows, where anyone can create a named pipe of any name; on Unix the
   * 0700 socket directory already proves the server, and the handshake would cost a round trip
   * and node:crypto on every kubectl call.
   */
  handshake?: boolean;
}

type RequestBody<T extends RequestType> = Omit<Extract<PipeRequest, { type: T }>, 'v' | 'secret' | 'proof'>;

const unavailable = (message: string, reason: string): Result<never, AppErrorJson> => ({
  ok: false,
  error: { code: 'pipe/unavailable', message, detail: { reason } },
});

/** Sends one request and collects progress frames until the result frame. */
export function pipeCall<T extends RequestType>(body: RequestBody<T> & { type: T }, options: PipeCallOptions): Promise<Result<ResultValues[T], AppErrorJson>> {
  const secret = options.secret ?? readPipeSecret(options.paths.secretFile);
  if (secret === undefined) {
    return Promise.resolve(unavailable('No KubeTray broker has run for this KUBETRAY_HOME yet.', 'no-broker'));
  }
  const endpoint = options.endpoint ?? resolvePipeEndpoint(options.paths);
  const untrusted = untrustedEndpointReason(endpoint);
  if (untrusted !== undefined) {
    return Promise.resolve(unavailable(`Not talking to the broker socket: ${untrusted}. Remove that directory and start KubeTray again.`, 'untrusted-endpoint'));
  }
  const handshake = options.handshake ?? process.platform === 'win32';
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const hs = handshake ? (require('./pipe-handshake.js') as typeof import('./pipe-handshake.js')) : undefined;
  const clientNonce = hs?.newNonce();

  return new Promise((resolve) => {
    let settled = false;
    let connected = false;
    let challenged = false;
    let replyTimer: NodeJS.Timeout | undefined;
    const socket = net.connect(endpoint.path);
    const done = (result: Result<ResultValues[T], AppErrorJson>): void => {
      if (settled) return;
      settled = true;
      options.signal?.removeEventListener('abort', onAbort);
      if (replyTimer) clearTimeout(replyTimer);
      socket.destroy();
      resolve(result);
    };
    const onAbort = (): void => done({ ok: false, error: { code: 'auth/cancelled', message: 'Cancelled.' } });
    if (options.signal?.aborted) return onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });

    const connectTimer = setTimeout(() => {
      if (!connected) done(unavailable(`The KubeTray broker at ${endpoint.path} did not accept the connection in time.`, 'connect-timeout'));
    }, options.connectTimeoutMs ?? 3_000);
    connectTimer.unref();

    socket.on('connect', () => {
      connected = true;
      clearTimeout(connectTimer);
      if (options.replyTimeoutMs !== undefined) {
        replyTimer = setTimeout(() => done(unavailable(`The KubeTray broker at ${endpoint.path} did not answer in time: restart KubeTray (or 'kubetray serve').`, 'reply-timeout')), options.replyTimeoutMs);
        replyTimer.unref();
      }
      // Look again now that we are connected and before anything is sent: in a shared tmpdir the
      // directory may have been created (or opened up) by someone else after the first look.
      const nowUntrusted = untrustedEndpointReason(endpoint, true);
      if (nowUntrusted !== undefined) {
        return done(unavailable(`Not talking to the broker socket: ${nowUntrusted}. Remove that directory and start KubeTray again.`, 'untrusted-endpoint'));
      }
      socket.write(encodeFrame(hs && clientNonce ? { v: PROTOCOL_VERSION, type: 'hello', nonce: clientNonce } : { ...body, v: PROTOCOL_VERSION, secret }));
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(connectTimer);
      if (!connected) {
        done(unavailable(`No KubeTray broker is listening at ${endpoint.path} (${error.code ?? error.message}).`, 'no-broker'));
      } else {
        done({ ok: false, error: { code: 'pipe/closed', message: `The connection to KubeTray broke (${error.code ?? 'error'}): try again.` } });
      }
    });
    socket.on('close', () => {
      clearTimeout(connectTimer);
      done({ ok: false, error: { code: 'pipe/closed', message: 'KubeTray closed the connection without an answer: check its log, then try again.' } });
    });

    const decoder = createLineDecoder(
      MAX_FRAME_BYTES,
      (line) => {
        let decoded: unknown;
        try {
          decoded = JSON.parse(line);
        } catch {
          return done({ ok: false, error: { code: 'pipe/bad-request', message: 'KubeTray sent a frame that is not JSON: update kubetray and KubeTray to the same version.' } });
        }
        const frame = validateServerFrame(decoded);
        if (!frame.ok) return done(frame);
        if (frame.value.type === 'challenge') {
          if (!hs || !clientNonce || challenged) return done({ ok: false, error: { code: 'pipe/bad-request', message: 'KubeTray sent a challenge that was not asked for.' } });
          challenged = true;
          if (!hs.proofsEqual(hs.handshakeProof(secret, HANDSHAKE_SERVER_LABEL, clientNonce), frame.value.proof)) {
            return done(unavailable(`The program listening at ${endpoint.path} is not your KubeTray (it does not know the pipe secret): nothing was sent to it. Quit it and start KubeTray again.`, 'untrusted-endpoint'));
          }
          socket.write(encodeFrame({ ...body, v: PROTOCOL_VERSION, proof: hs.handshakeProof(secret, HANDSHAKE_CLIENT_LABEL, frame.value.nonce) }));
          return;
        }
        if (frame.value.type === 'progress') {
          try {
            options.onProgress?.(frame.value.progress);
          } catch {
            // a failing progress printer must not lose the token
          }
          return;
        }
        done(frame.value.result as Result<ResultValues[T], AppErrorJson>);
      },
      () => done({ ok: false, error: { code: 'pipe/too-large', message: 'KubeTray sent an oversized frame.' } }),
    );
    socket.on('data', (chunk: Buffer) => void decoder.push(chunk));
  });
}

export interface RequestTokenOptions extends Omit<PipeCallOptions, 'onProgress'> {
  request: TokenRequest;
  caller?: CallerInfo;
  interactive: boolean;
  onProgress?: (progress: SignInProgress) => void;
}

let requestCounter = 0;

/** Asks the broker for a token. */
export async function requestToken(options: RequestTokenOptions): Promise<Result<IssuedToken, AppErrorJson>> {
  // An id to find this call in the broker's log: pid and a per-process counter.
  const body: RequestBody<'get-token'> = { type: 'get-token', id: `${process.pid}.${++requestCounter}`, request: options.request, interactive: options.interactive };
  if (options.caller) body.caller = options.caller;
  const result = await pipeCall(body, options);
  if (result.ok && !isIssuedToken(result.value)) {
    return { ok: false, error: { code: 'pipe/bad-request', message: 'KubeTray answered without a token: update kubetray and KubeTray to the same version.' } };
  }
  return result;
}

/** True when a broker answers a ping. */
export async function pingBroker(options: PipeCallOptions): Promise<boolean> {
  return (await pipeCall({ type: 'ping' }, { ...options, connectTimeoutMs: options.connectTimeoutMs ?? 1_000 })).ok;
}
