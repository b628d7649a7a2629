/**
 * What the exec client knows of who called it, for the audit ledger: our pid, the parent's pid
 * and, on Linux, the parent's command line from /proc (cheap: one small read). Best effort.
 * Secret-looking flag values in the parent's command line (`kubectl --token=…`) are masked
 * here, before the line leaves this process.
 */
import * as fs from 'node:fs';
import type { CallerInfo } from '../core/token-request.js';

const MAX_COMMAND = 512;
const SECRET_FLAG = /^--?(token|password|client-secret|client-certificate-password|secret|auth-token|bearer-token)$/i;
const SECRET_FLAG_WITH_VALUE = /^(--?(?:token|password|client-secret|client-certificate-password|secret|auth-token|bearer-token))=.*/i;

/** Joins argv into one line with the values of secret flags replaced by ***. */
export function describeCommand(argv: readonly string[]): string {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const inline = SECRET_FLAG_WITH_VALUE.exec(arg);
    if (inline) {
      out.push(`${inline[1]}=***`);
    } else if (SECRET_FLAG.test(arg) && i + 1 < argv.length) {
      out.push(arg, '***');
      i++;
    } else {
      out.push(arg);
    }
  }
  const line = out.join(' ');
  return line.length > MAX_COMMAND ? line.slice(0, MAX_COMMAND) + '…' : line;
}

export function readCallerInfo(): CallerInfo {
  const info: CallerInfo = { pid: process.pid, ppid: process.ppid };
  if (process.platform === 'linux') {
    try {
      const argv = fs.readFileSync(`/proc/${process.ppid}/cmdline`, 'utf8').split('\0').filter((s) => s !== '');
      if (argv.length > 0) info.parentCommand = describeCommand(argv);
    } catch {
      // parent gone or /proc hidden: skip
    }
  }
  return info;
}
