/**
 * Starts the installed tray app when no broker answers, and waits (bounded) for its pipe.
 * Loaded only on that slow path.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { pingBroker, type ClientPaths } from '../pipe/pipe-client.js';
import { resolvePipeEndpoint } from '../pipe/pipe-endpoint.js';
import { readTrayAppInfo } from '../pipe/tray-app-info.js';

export const TRAY_START_TIMEOUT_MS = 15_000;

export type LaunchOutcome = 'no-tray' | 'started' | 'did-not-start';

export async function launchTrayAndWait(
  paths: ClientPaths,
  options: { timeoutMs?: number; say?: (text: string) => void; signal?: AbortSignal } = {},
): Promise<LaunchOutcome> {
  const app = readTrayAppInfo(paths.runDir);
  if (!app) return 'no-tray';
  options.say?.('kubetray: starting KubeTray…\n');
  try {
    const child = spawn(app.executable, app.args ?? [], {
      detached: true,
      stdio: 'ignore',
      env: { ...process.env, ...(app.env ?? {}) },
      windowsHide: true,
    });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    return 'did-not-start';
  }
  const deadline = Date.now() + (options.timeoutMs ?? TRAY_START_TIMEOUT_MS);
  const endpoint = resolvePipeEndpoint(paths);
  while (Date.now() < deadline && !options.signal?.aborted) {
    if (await pingBroker({ paths, endpoint, connectTimeoutMs: 500 })) return 'started';
    await waitForChange(endpoint.dir ?? paths.runDir, Math.min(250, Math.max(0, deadline - Date.now())));
  }
  return 'did-not-start';
}

/** Resolves when something changes in `dir` (the socket appears) or after `ms`. */
function waitForChange(dir: string, ms: number): Promise<void> {
  return new Promise((resolve) => {
    let watcher: fs.FSWatcher | undefined;
    const finish = (): void => {
      clearTimeout(timer);
      watcher?.close();
      resolve();
    };
    const timer = setTimeout(finish, ms);
    try {
      watcher = fs.watch(dir, finish);
      watcher.on('error', finish);
    } catch {
      // dir not there yet: the timer covers it
    }
  });
}
