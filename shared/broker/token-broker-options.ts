/** Options of createTokenBroker (shared/broker/token-broker.ts). */
import type { Logger } from '../core/log.js';
import type { Clock, SecretBox, SignInWindow } from '../core/ports.js';
import type { FlowRegistry, PopBinder } from '../auth/flows/sign-in-flow.js';
import type { FileLockOptions } from '../cache/file-lock.js';

export interface TokenBrokerOptions {
  /** Where the MSAL cache files live (0700; files 0600). */
  cacheDir: string;
  secretBox: SecretBox;
  signInWindow: SignInWindow;
  log?: Logger;
  clock?: Clock;
  /** Extra trusted CA certificates (PEM) for Entra ID / proxies. */
  caPem?: string | string[];
  /** Extra CA file; default `KUBETRAY_CA_FILE` from env. */
  caFile?: string;
  env?: NodeJS.ProcessEnv;
  /** Per HTTP request, default 30 s. */
  networkTimeoutMs?: number;
  /** Refresh this long before expiry (default 10 min; never less than minValidityMs). */
  refreshAheadMs?: number;
  /** Serve from memory only while more than this is left (default 5 min). */
  minValidityMs?: number;
  /** Do not schedule a background refresh sooner than this after storing (default 1 s). */
  minRefreshDelayMs?: number;
  /** After a failed background refresh, wait this long before trying again (default 60 s). */
  refreshRetryMs?: number;
  /** Default timeout for network work when the request has no timeoutMs (default 60 s). */
  defaultTimeoutMs?: number;
  flows?: FlowRegistry;
  popBinder?: PopBinder;
  ledgerSize?: number;
  lock?: FileLockOptions;
}
