/**
 * Runs a developer CLI (`az`, `azd`) that prints a token, without a shell: arguments go to the
 * program as an argv array, so a server id or tenant can never be interpreted by a shell.
 * On Windows both CLIs are `.cmd` launchers, which Node refuses to spawn without a shell since
 * CVE-2024-27980; there we go through `cmd.exe /d /c` with arguments validated to a safe
 * alphabet first (validateCliArgument), which is the only input that reaches it.
 *
 * stdout carries the token: it is returned to the caller and never logged or quoted in errors.
 */
import { spawn } from 'node:child_process';
import { AppError } from '../../core/app-error.js';
import { redactText } from '../../core/redact.js';

export interface ToolRun {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export interface ToolOptions {
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Shown in errors ("Azure CLI", "Azure Developer CLI"). */
  displayName: string;
  /** What to tell the person when the program is missing. */
  installHint: string;
}

const SAFE_ARGUMENT = /^[A-Za-z0-9][A-Za-z0-9._:/@=-]*$/; // never a leading '-': no option smuggling

/** Server ids, tenants and scopes are GUIDs, domains or URIs; anything else is refused. */
export function validateCliArgument(name: string, value: string): string {
  if (!SAFE_ARGUMENT.test(value)) {
    throw new AppError('cli/invalid-flag', `--${name} "${value}" contains characters that are not allowed: give a GUID, domain name or URI.`, {
      detail: { flag: name },
    });
  }
  return value;
}

export function runTool(program: string, args: string[], options: ToolOptions): Promise<ToolRun> {
  const windows = process.platform === 'win32';
  const command = windows ? options.env.ComSpec || 'cmd.exe' : program;
  const argv = windows ? ['/d', '/c', program, ...args] : args;
  return new Promise<ToolRun>((resolve, reject) => {
    let settled = false;
    // Its own process group on Unix: `az` is a shell launcher around Python, so a timeout must
    // kill the whole group, not just the launcher, or the Python process lingers.
    const child = spawn(command, argv, {
      env: options.env,
      shell: false,
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
      detached: !windows,
    });
    const killAll = (): void => {
      try {
        if (!windows && child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
        else child.kill('SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    };
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    const finish = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      fn();
    };
    const timer = setTimeout(() => {
      killAll();
      finish(() =>
        reject(
          new AppError('auth/timeout', `${options.displayName} did not answer within ${Math.round(options.timeoutMs / 1000)} s: check it works on its own, or raise --timeout.`),
        ),
      );
    }, options.timeoutMs);
    timer.unref();
    const onAbort = (): void => {
      killAll();
      finish(() => reject(new AppError('auth/cancelled', `${options.displayName} call was cancelled.`)));
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    child.on('error', (e: NodeJS.ErrnoException) => {
      finish(() =>
        reject(
          e.code === 'ENOENT'
            ? new AppError('auth/unsupported-method', `${options.displayName} (\`${program}\`) was not found on PATH. ${options.installHint}`, { cause: e })
            : new AppError('auth/failed', `${options.displayName} could not be started: ${e.message}`, { cause: e }),
        ),
      );
    });
    child.on('close', (code) => {
      finish(() =>
        resolve({
          stdout: Buffer.concat(out).toString('utf8'),
          stderr: redactText(Buffer.concat(err).toString('utf8')),
          exitCode: code ?? 1,
        }),
      );
    });
  });
}

/** First meaningful line of a CLI's stderr, for error messages (already redacted). */
export function firstErrorLine(stderr: string): string {
  const lines = stderr
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !/^WARNING:/i.test(l));
  return (lines.find((l) => /^ERROR:/i.test(l)) ?? lines[0] ?? '').replace(/^ERROR:\s*/i, '').slice(0, 400);
}
