/**
 * One scoped logger interface for every process. Sinks live in shared/node/log-file.ts (Node)
 * and electron/ (main). Every record passes the redactor before any sink sees it.
 */
import { redactText, redactValue } from './redact.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

export interface LogRecord {
  time: string;
  level: LogLevel;
  scope: string;
  msg: string;
  data?: unknown;
}

export type LogSink = (record: LogRecord) => void;

export interface Logger {
  debug(msg: string, data?: unknown): void;
  info(msg: string, data?: unknown): void;
  warn(msg: string, data?: unknown): void;
  error(msg: string, data?: unknown): void;
  child(scope: string): Logger;
}

export function createLogger(sink: LogSink, options: { scope?: string; level?: LogLevel; now?: () => Date } = {}): Logger {
  const min = LOG_LEVELS.indexOf(options.level ?? 'info');
  const now = options.now ?? (() => new Date());
  const make = (scope: string): Logger => {
    const emit = (level: LogLevel, msg: string, data?: unknown): void => {
      if (LOG_LEVELS.indexOf(level) < min) return;
      const record: LogRecord = { time: now().toISOString(), level, scope, msg: redactText(msg) };
      if (data !== undefined) record.data = redactValue(data);
      try {
        sink(record);
      } catch {
        // A failing sink must never take the process down.
      }
    };
    return {
      debug: (m, d) => emit('debug', m, d),
      info: (m, d) => emit('info', m, d),
      warn: (m, d) => emit('warn', m, d),
      error: (m, d) => emit('error', m, d),
      child: (s) => make(scope ? `${scope}.${s}` : s),
    };
  };
  return make(options.scope ?? '');
}

/** A logger that drops everything (for callers that did not pass one). */
export const silentLogger: Logger = createLogger(() => undefined, { level: 'error' });
