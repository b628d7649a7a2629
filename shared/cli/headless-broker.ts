/**
 * The broker outside the tray: `kubetray serve` and in-process get-token both build it here, so
 * they share one cache dir and one SecretBox (a key file next to the cache; the tray uses the
 * OS keychain through Electron instead). KUBETRAY_CA_FILE is honoured by the broker's network
 * client (env passed through).
 */
import * as path from 'node:path';
import type { TokenBrokerApi } from '../core/broker.js';
import type { Logger } from '../core/log.js';
import type { SignInWindow } from '../core/ports.js';
import type { KubeTrayPaths } from '../node/paths.js';

export const CACHE_KEY_FILE = 'cache.key';

export interface HeadlessBrokerOptions {
  paths: KubeTrayPaths;
  log: Logger;
  env: NodeJS.ProcessEnv;
  signInWindow: SignInWindow;
}

export async function createHeadlessBroker(options: HeadlessBrokerOptions): Promise<TokenBrokerApi> {
  const [{ createTokenBroker }, { createKeyFileSecretBox, plainSecretBox }] = await Promise.all([
    import('../broker/token-broker.js'),
    import('../cache/file-secret-box.js'),
  ]);
  // KUBETRAY_CACHE_ENCRYPTION=none: explicit opt-out for throwaway containers.
  const secretBox =
    options.env.KUBETRAY_CACHE_ENCRYPTION === 'none'
      ? plainSecretBox
      : createKeyFileSecretBox(path.join(options.paths.cacheDir, CACHE_KEY_FILE), options.log.child('cache'));
  const caFile = options.env.KUBETRAY_CA_FILE;
  return createTokenBroker({
    cacheDir: options.paths.cacheDir,
    secretBox,
    signInWindow: options.signInWindow,
    log: options.log,
    env: options.env,
    ...(caFile ? { caFile } : {}),
  });
}
