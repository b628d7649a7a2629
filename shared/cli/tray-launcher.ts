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

/** Variables of one kubectl call that must not live on in the long-running tray. */
const CALL_ONLY = /^(KUBERNETES_EXEC_INFO|AAD_.*|ARM_CLIENT_.*|AZURE_(CLIENT_SECRET|CLIENT_CERTIFICATE_PASSWORD|PASSWORD|USERNAME|FEDERATED_TOKEN_FILE)|SYSTEM_ACCESSTOKEN|ACTIONS_ID_TOKEN_REQUEST_TOKEN)$/;
const SECRET_LOOKING = /(SECRET|PASSWORD|PASSWD|ACCESSTOKEN|_TOKEN$|_TOKEN_|CREDENTIAL)/i;

/** The environment the tray is started with: ours, minus this call's inputs and secrets. */
export function trayLaunchEnv(env: NodeJS.ProcessEnv, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined || CALL_ONLY.test(k) || SECRET_LOOKING.test(k)) continue;
    out[k] = v;
  }
  return { ...out, ...extra };
}

export async function launchTrayAndWait(
  paths: ClientPaths,
  options: { timeoutMs?: number; say?: (text: string) => void; signal?: AbortSignal; env?: NodeJS.ProcessEnv } = {},
): Promise<LaunchOutcome> {
  const app = readTrayAppInfo(paths.runDir);
  if (!app) return 'no-tray';
  options.say?.('kubetray: starting KubeTray…\n');
  try {
    const child = spawn(app.executable, app.args ?? [], {
      detached: true,
      stdio: 'ignore',
      env: trayLaunchEnv(options.env ?? process.env, app.env),
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
