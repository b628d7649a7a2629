/**
 * One pipe connection: read one request (after an optional handshake), check the secret in
 * constant time, dispatch it to the broker, stream progress, answer once, close. Every failure
 * closes only this connection, with an error frame whose text is redacted.
 */
import type * as net from 'node:net';
import { toAppError, type AppErrorJson, type Result } from '../core/app-error.js';
import type { Logger } from '../core/log.js';
import { redactText } from '../core/redact.js';
import { createLineDecoder } from './line-decoder.js';
import { pipeSecretsEqual } from './pipe-secret-store.js';
import { handshakeProof, newNonce, proofsEqual } from './pipe-handshake.js';
import type { PipeServerOptions } from './pipe-server.js';
import {
  encodeFrame,
  HANDSHAKE_CLIENT_LABEL,
  HANDSHAKE_SERVER_LABEL,
  PROTOCOL_VERSION,
  validateHello,
  validateRequest,
  type ChallengeFrame,
  type GetTokenRequest,
  type PipeRequest,
  type ProgressFrame,
  type ResultFrame,
  type StatusInfo,
} from './protocol.js';

export interface ConnectionContext {
  options: PipeServerOptions;
  log: Logger;
  secret: string;
  maxFrame: number;
  readTimeout: number;
  status: () => StatusInfo;
}

export function handleConnection(socket: net.Socket, ctx: ConnectionContext): void {
  let handled = false;
  let finished = false;
  let serverNonce: string | undefined;
  const abort = new AbortController();
  socket.on('error', () => undefined); // a peer vanishing mid-write is normal; 'close' follows
  socket.on('close', () => abort.abort());

  const send = (frame: ProgressFrame | ResultFrame): void => {
    if (finished || socket.destroyed || !socket.writable) return;
    socket.write(encodeFrame(frame));
  };
  const finish = (id: string | undefined, result: Result<unknown, AppErrorJson>): void => {
    if (finished) return;
    // Errors may quote a server or a flow: nothing token-shaped leaves through them.
    const safe: Result<unknown, AppErrorJson> = result.ok ? result : { ok: false, error: redactErrorJson(result.error) };
    const frame: ResultFrame = { v: PROTOCOL_VERSION, type: 'result', result: safe };
    if (id !== undefined) frame.id = id;
    if (!socket.destroyed && socket.writable) {
      socket.end(encodeFrame(frame));
      // Don't wait for a peer that never reads: drop it once our side is flushed or shortly after.
      socket.setTimeout(2_000, () => socket.destroy());
    }
    finished = true;
  };
  const fail = (id: string | undefined, error: AppErrorJson): void => finish(id, { ok: false, error });

  socket.setTimeout(ctx.readTimeout, () => {
    if (handled) return;
    ctx.log.warn('connection sent no request in time; closing it');
    fail(undefined, { code: 'pipe/bad-request', message: `No request within ${Math.round(ctx.readTimeout / 1000)} s: connection closed.` });
    socket.destroy();
  });

  const onLine = (line: string): void => {
    if (handled) return; // one request per connection; extra lines are ignored
    let decoded: unknown;
    try {
      decoded = JSON.parse(line);
    } catch {
      handled = true;
      ctx.log.warn('connection sent a frame that is not JSON; closing it');
      fail(undefined, { code: 'pipe/bad-request', message: 'The request is not valid JSON: use a kubetray client of the same version.' });
      return;
    }
    if (serverNonce === undefined && (decoded as { type?: unknown } | null)?.type === 'hello') {
      // Handshake: prove we know the secret before the client sends anything that matters.
      const hello = validateHello(decoded);
      if (!hello.ok) {
        handled = true;
        fail(undefined, hello.error);
        return;
      }
      serverNonce = newNonce();
      const challenge: ChallengeFrame = { v: PROTOCOL_VERSION, type: 'challenge', proof: handshakeProof(ctx.secret, HANDSHAKE_SERVER_LABEL, hello.value.nonce), nonce: serverNonce };
      socket.write(encodeFrame(challenge));
      return;
    }
    handled = true;
    socket.setTimeout(0);
    const valid = validateRequest(decoded);
    const id = typeof (decoded as { id?: unknown })?.id === 'string' ? ((decoded as { id: string }).id).slice(0, 128) : undefined;
    if (!valid.ok) {
      ctx.log.warn('rejected request', { code: valid.error.code });
      fail(id, valid.error);
      return;
    }
    const authentic =
      valid.value.secret !== undefined
        ? pipeSecretsEqual(ctx.secret, valid.value.secret)
        : serverNonce !== undefined && proofsEqual(handshakeProof(ctx.secret, HANDSHAKE_CLIENT_LABEL, serverNonce), valid.value.proof ?? '');
    if (!authentic) {
      ctx.log.warn('rejected request with a wrong pipe secret');
      fail(id, { code: 'pipe/unauthenticated', message: 'The pipe secret does not match this KubeTray: make sure the client uses the same KUBETRAY_HOME as the broker.' });
      return;
    }
    void dispatch(valid.value, ctx, abort.signal, send).then(
      (result) => finish(id, result),
      (error) => fail(id, toAppError(error).toJSON()),
    );
  };

  const decoder = createLineDecoder(
    ctx.maxFrame,
    (line) => {
      // A throw here would surface from the socket's 'data' event as an uncaught exception and
      // take the whole broker down (before the secret is even checked): close only this connection.
      try {
        onLine(line);
      } catch (error) {
        handled = true;
        socket.setTimeout(0);
        ctx.log.error('unexpected error while reading a request; closing that connection', { error });
        fail(undefined, { code: 'internal', message: 'KubeTray could not read this request: check its log, then try again.' });
      }
    },
    () => {
      ctx.log.warn('connection sent an oversized frame; closing it');
      handled = true;
      socket.setTimeout(0);
      fail(undefined, { code: 'pipe/too-large', message: `The request exceeds ${ctx.maxFrame} bytes: connection closed.` });
      // Stop buffering whatever else the peer sends.
      socket.removeAllListeners('data');
      socket.resume();
    },
  );
  socket.on('data', (chunk: Buffer) => void decoder.push(chunk));
}

function redactErrorJson(error: AppErrorJson): AppErrorJson {
  const out: AppErrorJson = { code: error.code, message: redactText(error.message) };
  if (error.detail) {
    out.detail = Object.fromEntries(Object.entries(error.detail).map(([k, v]) => [k, typeof v === 'string' ? redactText(v) : v]));
  }
  return out;
}

async function dispatch(
  req: PipeRequest,
  ctx: ConnectionContext,
  signal: AbortSignal,
  send: (frame: ProgressFrame) => void,
): Promise<Result<unknown, AppErrorJson>> {
  const { broker } = ctx.options;
  switch (req.type) {
    case 'ping':
      return { ok: true, value: { protocolVersion: PROTOCOL_VERSION, pid: process.pid } };
    case 'status':
      return { ok: true, value: ctx.status() };
    case 'sign-out':
      await broker.signOut(req.key);
      ctx.log.info('signed out', { key: req.key ?? 'all' });
      return { ok: true, value: { signedOut: true } };
    case 'remove-tokens':
      await (ctx.options.removeTokens ?? ((key?: string) => broker.signOut(key)))(req.key);
      ctx.log.info('removed tokens', { key: req.key ?? 'all' });
      return { ok: true, value: { removed: true } };
    case 'get-token':
      return getToken(req, ctx, signal, send);
  }
}

async function getToken(
  req: GetTokenRequest,
  ctx: ConnectionContext,
  signal: AbortSignal,
  send: (frame: ProgressFrame) => void,
): Promise<Result<unknown, AppErrorJson>> {
  const interactive = req.interactive || ctx.options.signInWithoutTerminal === true;
  const about = { id: req.id, login: req.request.login, serverId: req.request.serverId, tenantId: req.request.tenantId, callerPid: req.caller?.pid, interactive };
  try {
    const token = await ctx.options.broker.getToken(req.request, {
      interactive,
      signal,
      ...(req.caller ? { caller: req.caller } : {}),
      onProgress: (progress) => {
        const frame: ProgressFrame = { v: PROTOCOL_VERSION, type: 'progress', progress };
        if (req.id !== undefined) frame.id = req.id;
        send(frame);
      },
    });
    ctx.log.info('served token', { ...about, source: token.source });
    return { ok: true, value: token };
  } catch (error) {
    const appError = toAppError(error, 'auth/failed');
    ctx.log.warn('token request failed', { ...about, code: appError.code, message: appError.message });
    return { ok: false, error: appError.toJSON() };
  }
}
