/**
 * The TokenBroker contract shared by the tray, `kubetray serve`, the in-process client and the
 * window. Implemented in shared/broker/token-broker.ts.
 */
import type { AccountSummary, CallerInfo, IssuedToken, SignInProgress, TokenRequest } from './token-request.js';

export interface TokenCallContext {
  caller?: CallerInfo;
  /** false: fail fast with auth/interaction-required instead of starting a sign-in. */
  interactive: boolean;
  onProgress?: (progress: SignInProgress) => void;
  signal?: AbortSignal;
}

export interface LedgerEntry {
  time: number;
  key: string;
  login: string;
  serverId: string;
  account?: string;
  caller?: CallerInfo;
  source: IssuedToken['source'] | 'error';
  errorCode?: string;
}

export interface SessionSummary {
  key: string;
  login: string;
  tenantId?: string;
  clientId?: string;
  serverId: string;
  account?: AccountSummary;
  expiresOn?: number;
  state: 'signed-in' | 'signing-in' | 'needs-sign-in' | 'error';
  error?: string;
}

export type BrokerEvent =
  | { type: 'sessions-changed' }
  | { type: 'sign-in-needed'; key: string; login: string }
  | { type: 'ledger'; entry: LedgerEntry }
  /** A token was renewed in the background before it expired (no caller waited). */
  | { type: 'token-refreshed'; key: string; expiresOn: number };

export interface TokenBrokerApi {
  getToken(request: TokenRequest, context: TokenCallContext): Promise<IssuedToken>;
  sessions(): SessionSummary[];
  ledger(): LedgerEntry[];
  /** Forget tokens for one session key, or for everyone when key is omitted. */
  signOut(key?: string): Promise<void>;
  on(listener: (event: BrokerEvent) => void): () => void;
  close(): Promise<void>;
}
