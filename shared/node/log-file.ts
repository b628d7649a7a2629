/**
 * File sink for the scoped logger: one JSON line per record, a file per process under
 * `$KUBETRAY_HOME/logs`. Records arrive already redacted (shared/core/log.ts).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createLogger, type LogLevel, type LogRecord, type Logger, type LogSink } from '../core/log.js';

export function fileSink(file: string): LogSink {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const fd = fs.openSync(file, 'a', 0o600);
  return (record: LogRecord) => {
    fs.writeSync(fd, JSON.stringify(record) + '\n');
  };
}

export function stderrSink(): LogSink {
  return (r: LogRecord) => {
    process.stderr.write(`${r.time} ${r.level.toUpperCase()} [${r.scope}] ${r.msg}${r.data === undefined ? '' : ' ' + JSON.stringify(r.data)}\n`);
  };
}

export function teeSink(...sinks: LogSink[]): LogSink {
  return (r) => {
    for (const s of sinks) s(r);
  };
}

/** A logger writing to `<logsDir>/<processName>.log`. */
export function createFileLogger(logsDir: string, processName: string, level: LogLevel = 'info'): Logger {
  const envLevel = process.env.KUBETRAY_LOG_LEVEL as LogLevel | undefined;
  return createLogger(fileSink(path.join(logsDir, `${processName}.log`)), { scope: processName, level: envLevel ?? level });
}
