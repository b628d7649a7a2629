/**
 * What the exec client knows of who called it, for the audit ledger: our pid, the parent's pid
 * and, on Linux, the parent's command line from /proc (cheap: one small read). Best effort.
 */
import * as fs from 'node:fs';
import type { CallerInfo } from '../core/token-request.js';

const MAX_COMMAND = 512;

export function readCallerInfo(): CallerInfo {
  const info: CallerInfo = { pid: process.pid, ppid: process.ppid };
  if (process.platform === 'linux') {
    try {
      const raw = fs.readFileSync(`/proc/${process.ppid}/cmdline`, 'utf8');
      const command = raw.split('\0').filter((s) => s !== '').join(' ');
      if (command !== '') info.parentCommand = command.length > MAX_COMMAND ? command.slice(0, MAX_COMMAND) + '…' : command;
    } catch {
      // parent gone or /proc hidden: skip
    }
  }
  return info;
}
