/**
 * get-token without a broker process: the same broker code, in this process, for one request
 * (CI, SSH, containers, or when the tray does not come up). Loaded lazily: this pulls in MSAL.
 */
import type { IssuedToken } from '../core/token-request.js';
import { createLogger, silentLogger, type Logger } from '../core/log.js';
import type { InProcessCall } from './commands/get-token.js';
import { createTerminalSignInWindow } from './terminal-sign-in-window.js';
import { createHeadlessBroker } from './headless-broker.js';

async function fileLogger(call: InProcessCall): Promise<Logger> {
  try {
    const { fileSink } = await import('../node/log-file.js');
    const level = (call.env.KUBETRAY_LOG_LEVEL as 'debug' | 'info' | 'warn' | 'error' | undefined) ?? 'info';
    return createLogger(fileSink(`${call.paths.logsDir}/get-token.log`), { scope: 'get-token', level });
  } catch {
    return silentLogger;
  }
}

export async function getTokenInProcess(call: InProcessCall): Promise<IssuedToken> {
  const log = await fileLogger(call);
  const say = (text: string): void => call.onProgress({ kind: 'info', message: text.replace(/^kubetray: /, '').trimEnd() });
  // --cache-dir / KUBECACHEDIR choose the cache in-process, as in kubelogin (the tray keeps its own).
  const paths = call.request.cacheDir ? { ...call.paths, cacheDir: call.request.cacheDir } : call.paths;
  const broker = await createHeadlessBroker({ paths, log, env: call.env, signInWindow: createTerminalSignInWindow(say, call.env) });
  try {
    return await broker.getToken(call.request, {
      interactive: call.interactive,
      caller: call.caller,
      onProgress: call.onProgress,
      signal: call.signal,
    });
  } finally {
    await broker.close();
  }
}
