/**
 * Process helpers for the pipe/CLI end-to-end suites: run the compiled `kubetray` bin as
 * `kubetray serve`, run kubectl (optionally under a pseudo-terminal via util-linux `script`, so
 * kubectl reports spec.interactive=true), and collect output. Event-based waits only.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The compiled bin, located relative to this file (test/support -> shared/cli). */
export const KUBETRAY_MAIN = path.resolve(__dirname, '../../shared/cli/main.js');

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function run(cmd: string, args: string[], options: { env: NodeJS.ProcessEnv; input?: string; timeoutMs?: number }): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: options.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}

/** kubectl, plain (stdin is a pipe: kubectl sends spec.interactive=false). */
export function kubectl(args: string[], env: NodeJS.ProcessEnv, timeoutMs?: number): Promise<RunResult> {
  return run('kubectl', args, { env, timeoutMs });
}

/** kubectl under a pseudo-terminal (spec.interactive=true); stdout and stderr arrive merged. */
export function kubectlInTerminal(args: string[], env: NodeJS.ProcessEnv, timeoutMs?: number): Promise<RunResult> {
  const quoted = ['kubectl', ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  return run('script', ['-qec', quoted, '/dev/null'], { env, timeoutMs });
}

export interface ServeProcess {
  child: ChildProcess;
  /** stderr so far. */
  output(): string;
  endpoint: string;
  /** SIGTERM and wait; resolves to the exit code. */
  stop(): Promise<number | null>;
}

/** Starts `kubetray serve` and resolves once it listens. */
export function startServe(env: NodeJS.ProcessEnv): Promise<ServeProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [KUBETRAY_MAIN, 'serve'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    let ready = false;
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    child.stderr!.on('data', (d) => {
      err += d;
      const m = /listening on (\S+)/.exec(err);
      if (m && !ready) {
        ready = true;
        resolve({
          child,
          endpoint: m[1]!,
          output: () => err,
          stop: async () => {
            if (child.exitCode === null) child.kill('SIGTERM');
            return exited;
          },
        });
      }
    });
    child.on('exit', (code) => {
      if (!ready) reject(new Error(`kubetray serve exited with ${code}: ${err}`));
    });
  });
}

/** Every file under dir, recursively (for log greps). */
export function filesUnder(dir: string): string[] {
  const out: string[] = [];
  if (!fs.existsSync(dir)) return out;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...filesUnder(p));
    else if (e.isFile()) out.push(p);
  }
  return out;
}
