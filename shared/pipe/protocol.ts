/**
 * The KubeTray pipe protocol: messages between `kubetray` clients and the broker (tray or
 * `kubetray serve`). Pure: no node:* imports, hand-written validators, no schema library.
 *
 * Wire format: newline-delimited JSON, one JSON object per line, UTF-8, each line at most
 * MAX_FRAME_BYTES. One request per connection; the server answers with zero or more `progress`
 * frames and exactly one `result` frame, then ends the connection.
 *
 * Every request carries `v` (PROTOCOL_VERSION) and proves knowledge of the per-install secret,
 * either by carrying it (`secret`; Unix, where the 0700 socket directory already proves the
 * server) or, after a `hello`/`challenge` exchange, as `proof` = HMAC-SHA256(secret, "client\n" +
 * server nonce) — the handshake lets the client check the SERVER first (its `proof` over the
 * client's nonce), so a squatter on a Windows named pipe learns neither the secret nor the
 * request. A request with an unknown version gets a `result` with `pipe/version-mismatch` that
 * says which side to update.
 */
import type { AppErrorCode, AppErrorJson, Result } from '../core/app-error.js';
import type { SessionSummary } from '../core/broker.js';
import { isLoginMethod, type CallerInfo, type IssuedToken, type SignInProgress, type TokenRequest } from '../core/token-request.js';

export const PROTOCOL_VERSION = 1;
/** Largest frame either side accepts (a TokenRequest with a PEM certificate path is tiny). */
export const MAX_FRAME_BYTES = 256 * 1024;
/** A connection must deliver its request within this time, or it is closed (half-open peers). */
export const REQUEST_READ_TIMEOUT_MS = 10_000;

export type RequestType = 'get-token' | 'status' | 'sign-out' | 'remove-tokens' | 'ping';

interface Envelope {
  v: number;
  /** The secret itself, or `proof` after a handshake (exactly one of them). */
  secret?: string;
  proof?: string;
  /** Client-chosen id echoed in every answer frame (for logs). */
  id?: string;
}

export interface GetTokenRequest extends Envelope {
  type: 'get-token';
  request: TokenRequest;
  caller?: CallerInfo;
  /** KUBERNETES_EXEC_INFO.spec.interactive (true when kubectl did not say). */
  interactive: boolean;
}
export interface StatusRequest extends Envelope {
  type: 'status';
}
export interface SignOutRequest extends Envelope {
  type: 'sign-out';
  key?: string;
}
export interface RemoveTokensRequest extends Envelope {
  type: 'remove-tokens';
  key?: string;
}
export interface PingRequest extends Envelope {
  type: 'ping';
}
/** Opens the handshake: the server answers with a ChallengeFrame. */
export interface HelloRequest {
  v: number;
  type: 'hello';
  /** 32 random bytes, hex. */
  nonce: string;
}
export interface ChallengeFrame {
  v: number;
  type: 'challenge';
  /** HMAC-SHA256(secret, "server\n" + client nonce), hex. */
  proof: string;
  /** 32 random bytes, hex: the client's request proves HMAC-SHA256(secret, "client\n" + this). */
  nonce: string;
}
export const HANDSHAKE_SERVER_LABEL = 'server\n';
export const HANDSHAKE_CLIENT_LABEL = 'client\n';

export type PipeRequest = GetTokenRequest | StatusRequest | SignOutRequest | RemoveTokensRequest | PingRequest;

export interface StatusInfo {
  protocolVersion: number;
  appVersion: string;
  pid: number;
  /** 'tray' or 'serve'. */
  host: string;
  startedAt: number;
  sessions: SessionSummary[];
}

export interface PongInfo {
  protocolVersion: number;
  pid: number;
}

/** What each request type answers with. */
export interface ResultValues {
  'get-token': IssuedToken;
  status: StatusInfo;
  'sign-out': { signedOut: true };
  'remove-tokens': { removed: true };
  ping: PongInfo;
}

export interface ProgressFrame {
  v: number;
  id?: string;
  type: 'progress';
  progress: SignInProgress;
}
export interface ResultFrame<T = unknown> {
  v: number;
  id?: string;
  type: 'result';
  result: Result<T, AppErrorJson>;
}
export type ServerFrame = ProgressFrame | ResultFrame | ChallengeFrame;

// ---------------------------------------------------------------------------------------------
// Validation. Each returns a Result with a human message; nothing throws.

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStr = (v: unknown, max = 4096): v is string => typeof v === 'string' && v.length <= max;
const optStr = (o: Json, k: string, max = 4096): boolean => o[k] === undefined || isStr(o[k], max);
const optBool = (o: Json, k: string): boolean => o[k] === undefined || typeof o[k] === 'boolean';
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

function bad(message: string, code: AppErrorCode = 'pipe/bad-request'): Result<never, AppErrorJson> {
  return { ok: false, error: { code, message } };
}

const TOKEN_REQUEST_STRINGS = [
  'clientId', 'tenantId', 'environment', 'authorityHost', 'loginHint', 'domainHint', 'redirectUrl', 'popClaims',
  'identityResourceId', 'federatedTokenFile', 'cacheDir', 'clientSecret', 'clientCertificate',
  'clientCertificatePassword', 'username', 'password', 'azureConfigDir', 'azurePipelinesServiceConnectionId',
] as const;
const TOKEN_REQUEST_BOOLS = ['disableInstanceDiscovery', 'legacy', 'popEnabled'] as const;
const TOKEN_REQUEST_KEYS = new Set<string>(['login', 'serverId', 'timeoutMs', 'callerEnv', ...TOKEN_REQUEST_STRINGS, ...TOKEN_REQUEST_BOOLS]);
const MAX_CALLER_ENV = 32;

function isStringMap(v: unknown): v is Record<string, string> {
  if (!isObj(v)) return false;
  const entries = Object.entries(v);
  return entries.length <= MAX_CALLER_ENV && entries.every(([k, val]) => /^[A-Za-z_][A-Za-z0-9_]{0,127}$/.test(k) && isStr(val, 16_384));
}

export function validateTokenRequest(v: unknown): Result<TokenRequest, AppErrorJson> {
  if (!isObj(v)) return bad('request must be an object');
  if (!isStr(v.login) || !isLoginMethod(v.login)) return bad('request.login is not a supported login method');
  if (!isStr(v.serverId) || v.serverId === '') return bad('request.serverId is required');
  for (const k of TOKEN_REQUEST_STRINGS) if (!optStr(v, k)) return bad(`request.${k} must be a string`);
  for (const k of TOKEN_REQUEST_BOOLS) if (!optBool(v, k)) return bad(`request.${k} must be a boolean`);
  if (v.timeoutMs !== undefined && !(isInt(v.timeoutMs) && v.timeoutMs > 0)) return bad('request.timeoutMs must be a positive integer');
  if (v.callerEnv !== undefined && !isStringMap(v.callerEnv)) return bad(`request.callerEnv must map at most ${MAX_CALLER_ENV} variable names to strings`);
  // Unknown keys are dropped, not passed on: the broker sees only what the contract names.
  const out: Json = {};
  for (const [k, val] of Object.entries(v)) if (TOKEN_REQUEST_KEYS.has(k) && val !== undefined) out[k] = val;
  return { ok: true, value: out as unknown as TokenRequest };
}

export function validateCallerInfo(v: unknown): Result<CallerInfo, AppErrorJson> {
  if (!isObj(v)) return bad('caller must be an object');
  if (!isInt(v.pid)) return bad('caller.pid must be a non-negative integer');
  if (v.ppid !== undefined && !isInt(v.ppid)) return bad('caller.ppid must be a non-negative integer');
  if (!optStr(v, 'parentCommand', 4096)) return bad('caller.parentCommand must be a string');
  const out: CallerInfo = { pid: v.pid };
  if (v.ppid !== undefined) out.ppid = v.ppid as number;
  if (v.parentCommand !== undefined) out.parentCommand = v.parentCommand as string;
  return { ok: true, value: out };
}

/**
 * Validates a decoded request frame. Checks the version before anything else, so an old or new
 * client always learns which side to update. Does not check the secret (the server does, in
 * constant time).
 */
const HEX_NONCE = /^[0-9a-f]{32,128}$/;

/** Validates the first frame of a handshake. */
export function validateHello(v: unknown): Result<HelloRequest, AppErrorJson> {
  if (!isObj(v) || v.type !== 'hello') return bad('expected a hello frame');
  if (v.v !== PROTOCOL_VERSION) return bad(versionMismatchMessage(v.v), 'pipe/version-mismatch');
  if (!isStr(v.nonce, 128) || !HEX_NONCE.test(v.nonce)) return bad('hello.nonce must be 32 to 128 hex digits');
  return { ok: true, value: { v: PROTOCOL_VERSION, type: 'hello', nonce: v.nonce } };
}

export function validateRequest(v: unknown): Result<PipeRequest, AppErrorJson> {
  if (!isObj(v)) return bad('a request must be a JSON object');
  if (v.v !== PROTOCOL_VERSION) {
    return bad(versionMismatchMessage(v.v), 'pipe/version-mismatch');
  }
  const hasSecret = isStr(v.secret, 256);
  const hasProof = isStr(v.proof, 128);
  if (hasSecret === hasProof) return bad('the request must carry either the secret or a proof of it', 'pipe/unauthenticated');
  if (!optStr(v, 'id', 128)) return bad('id must be a short string');
  const base: Envelope = hasSecret ? { v: PROTOCOL_VERSION, secret: v.secret as string } : { v: PROTOCOL_VERSION, proof: v.proof as string };
  if (v.id !== undefined) base.id = v.id as string;
  switch (v.type) {
    case 'get-token': {
      const req = validateTokenRequest(v.request);
      if (!req.ok) return req;
      if (typeof v.interactive !== 'boolean') return bad('interactive must be a boolean');
      const msg: GetTokenRequest = { ...base, type: 'get-token', request: req.value, interactive: v.interactive };
      if (v.caller !== undefined) {
        const caller = validateCallerInfo(v.caller);
        if (!caller.ok) return caller;
        msg.caller = caller.value;
      }
      return { ok: true, value: msg };
    }
    case 'status':
    case 'ping':
      return { ok: true, value: { ...base, type: v.type } };
    case 'sign-out':
    case 'remove-tokens':
      if (!optStr(v, 'key', 1024)) return bad('key must be a string');
      return { ok: true, value: v.key === undefined ? { ...base, type: v.type } : { ...base, type: v.type, key: v.key as string } };
    default:
      return bad(`unknown request type ${describeJson(v.type)}: update kubetray and KubeTray to the same version`);
  }
}

/**
 * A short, safe rendering of a value from the wire for an error message. Never String(v): a JSON
 * object such as {"toString":1} makes String() throw, which would escape the validator.
 */
function describeJson(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v).slice(0, 40);
  if (typeof v === 'number' || typeof v === 'boolean' || v === null || v === undefined) return String(v);
  return Array.isArray(v) ? 'an array' : 'an object';
}

export function versionMismatchMessage(clientVersion: unknown): string {
  const theirs = typeof clientVersion === 'number' ? clientVersion : 'none';
  const side = typeof clientVersion === 'number' && clientVersion > PROTOCOL_VERSION ? 'please update KubeTray (the tray app or `kubetray serve`)' : 'please update the kubetray command';
  return `KubeTray speaks pipe protocol ${PROTOCOL_VERSION} but the client sent ${theirs}: ${side} so both are the same version.`;
}

function isAppErrorJson(v: unknown): v is AppErrorJson {
  return isObj(v) && isStr(v.code, 64) && isStr(v.message, 16_384) && (v.detail === undefined || isObj(v.detail));
}

function isProgress(v: unknown): v is SignInProgress {
  if (!isObj(v) || !isStr(v.message, 8192)) return false;
  switch (v.kind) {
    case 'device-code':
      return isStr(v.userCode, 256) && isStr(v.verificationUri, 2048) && typeof v.expiresOn === 'number';
    case 'browser':
    case 'waiting':
    case 'info':
      return true;
    default:
      return false;
  }
}

/** Validates a frame from the server (the client trusts nothing either). */
export function validateServerFrame(v: unknown): Result<ServerFrame, AppErrorJson> {
  if (!isObj(v)) return bad('the broker sent something that is not a JSON object');
  if (v.v !== PROTOCOL_VERSION) {
    return bad(`the broker speaks pipe protocol ${describeJson(v.v)}, this kubetray speaks ${PROTOCOL_VERSION}: update both to the same version`, 'pipe/version-mismatch');
  }
  if (v.type === 'progress') {
    if (!isProgress(v.progress)) return bad('the broker sent a malformed progress frame');
    return { ok: true, value: v as unknown as ProgressFrame };
  }
  if (v.type === 'challenge') {
    if (!isStr(v.proof, 128) || !isStr(v.nonce, 128) || !HEX_NONCE.test(v.nonce)) return bad('the broker sent a malformed challenge');
    return { ok: true, value: v as unknown as ChallengeFrame };
  }
  if (v.type === 'result') {
    const r = v.result;
    if (!isObj(r) || typeof r.ok !== 'boolean') return bad('the broker sent a malformed result');
    if (r.ok === false && !isAppErrorJson(r.error)) return bad('the broker sent a malformed error');
    return { ok: true, value: v as unknown as ResultFrame };
  }
  return bad('the broker sent an unknown frame type');
}

export function isIssuedToken(v: unknown): v is IssuedToken {
  return isObj(v) && isStr(v.token, 64 * 1024) && v.token !== '' && typeof v.expiresOn === 'number' && isStr(v.source, 16);
}

/** Encodes one frame (JSON.stringify escapes newlines inside strings, so one line per frame). */
export function encodeFrame(frame: object): string {
  return JSON.stringify(frame) + '\n';
}
