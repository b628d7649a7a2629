/**
 * The one error type that crosses every boundary (pipe, IPC, CLI exit).
 * Branch on `code`, never on `message`. Messages are for people: they say what to do next and
 * never contain token material (see redact.ts).
 */
export type AppErrorCode =
  // sign-in and tokens
  | 'auth/interaction-required'
  | 'auth/ca-blocked'
  | 'auth/cancelled'
  | 'auth/timeout'
  | 'auth/invalid-client'
  | 'auth/invalid-grant'
  | 'auth/refresh-revoked'
  | 'auth/device-code-blocked'
  | 'auth/unsupported-method'
  | 'auth/network'
  | 'auth/server-error'
  | 'auth/failed'
  // cli and input
  | 'cli/usage'
  | 'cli/invalid-flag'
  | 'cli/unsupported-exec-api-version'
  | 'config/invalid'
  // local state
  | 'cache/corrupt'
  | 'cache/locked'
  | 'cache/io'
  | 'secret/unavailable'
  // pipe
  | 'pipe/unavailable'
  | 'pipe/unauthenticated'
  | 'pipe/bad-request'
  | 'pipe/too-large'
  | 'pipe/version-mismatch'
  | 'pipe/closed'
  // kubeconfig
  | 'kubeconfig/not-found'
  | 'kubeconfig/parse'
  | 'kubeconfig/invalid'
  | 'kubeconfig/context-not-found'
  | 'kubeconfig/write'
  // desktop window <-> main (DESKTOP)
  | 'ipc/bad-request'
  | 'ipc/untrusted-sender'
  // anything else: a bug
  | 'internal';

export interface AppErrorJson {
  code: AppErrorCode;
  message: string;
  /** Extra machine-readable detail safe to show (an AADSTS number, a hint); never secrets. */
  detail?: Record<string, string | number | boolean>;
}

export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly detail: Record<string, string | number | boolean> | undefined;

  constructor(
    code: AppErrorCode,
    message: string,
    options: { cause?: unknown; detail?: Record<string, string | number | boolean> } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.detail = options.detail;
  }

  toJSON(): AppErrorJson {
    return this.detail === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, detail: this.detail };
  }

  static fromJSON(json: AppErrorJson): AppError {
    return new AppError(json.code, json.message, json.detail ? { detail: json.detail } : {});
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}

/** Wraps anything thrown into an AppError without copying a foreign message blindly. */
export function toAppError(value: unknown, fallback: AppErrorCode = 'internal'): AppError {
  if (value instanceof AppError) return value;
  const message = value instanceof Error ? value.message : String(value);
  return new AppError(fallback, message, { cause: value });
}

export type Result<T, E = AppErrorJson> = { ok: true; value: T } | { ok: false; error: E };

export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value });
export const err = <E>(error: E): Result<never, E> => ({ ok: false, error });
