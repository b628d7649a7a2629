/**
 * A TokenBroker wired to the local Entra ID emulator for integration tests: temp cache dir,
 * key-file SecretBox, the emulator CA, a log file the test can grep for token material.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createLogger, type Logger } from '../../shared/core/log.js';
import type { SignInWindow } from '../../shared/core/ports.js';
import type { TokenRequest } from '../../shared/core/token-request.js';
import { fileSink } from '../../shared/node/log-file.js';
import { createKeyFileSecretBox } from '../../shared/cache/file-secret-box.js';
import { createTokenBroker, type TokenBroker, type TokenBrokerOptions } from '../../shared/broker/token-broker.js';
import type { EntraEmulator } from '../emulators/entra/entra-emulator.js';
import { AKS_CLIENT_ID, AKS_SERVER_ID } from '../emulators/entra/entra-directory.js';

export interface BrokerHarness {
  broker: TokenBroker;
  dir: string;
  cacheDir: string;
  logFile: string;
  log: Logger;
  /** A new broker over the same cache dir (as after a restart). */
  restart(overrides?: Partial<TokenBrokerOptions>): Promise<TokenBroker>;
  dispose(): Promise<void>;
}

/** A SignInWindow that must never be used (non-interactive tests). */
export const noWindow: SignInWindow = {
  open: async () => {
    throw new Error('test: no sign-in window expected here');
  },
};

export function makeTempDir(prefix = 'kubetray-broker-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function createBrokerHarness(entra: EntraEmulator, overrides: Partial<TokenBrokerOptions> = {}, dir = makeTempDir()): BrokerHarness {
  const cacheDir = path.join(dir, 'cache');
  const logFile = path.join(dir, 'logs', 'broker.log');
  const log = createLogger(fileSink(logFile), { scope: 'test', level: 'debug' });
  const make = (more: Partial<TokenBrokerOptions> = {}): TokenBroker =>
    createTokenBroker({
      cacheDir,
      secretBox: createKeyFileSecretBox(path.join(cacheDir, 'cache.key'), log),
      signInWindow: noWindow,
      log,
      caPem: entra.caPem,
      env: {},
      ...overrides,
      ...more,
    });
  const brokers: TokenBroker[] = [make()];
  return {
    broker: brokers[0]!,
    dir,
    cacheDir,
    logFile,
    log,
    async restart(more) {
      await brokers[brokers.length - 1]!.close();
      const next = make(more);
      brokers.push(next);
      return next;
    },
    async dispose() {
      for (const b of brokers) await b.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function userRequest(entra: EntraEmulator, more: Partial<TokenRequest> = {}): TokenRequest {
  return {
    login: 'devicecode',
    serverId: AKS_SERVER_ID,
    clientId: AKS_CLIENT_ID,
    tenantId: entra.defaultTenantId,
    authorityHost: entra.authorityHost,
    ...more,
  };
}

/** Approves every device code the emulator hands out as `username` (returns the unsubscribe). */
export function autoApproveDeviceCodes(entra: EntraEmulator, username: string): () => void {
  return entra.onDeviceCode((issued) => entra.approveDeviceCode(issued.userCode, username));
}
