/**
 * fake-broker: a TokenBrokerApi stand-in for pipe tests that do not need real sign-ins (the
 * end-to-end suite uses the real broker against the Entra emulator). It issues opaque test
 * tokens, can hold requests until released, and records what it was asked.
 */
import type { BrokerEvent, LedgerEntry, SessionSummary, TokenBrokerApi, TokenCallContext } from '../../shared/core/broker.js';
import type { IssuedToken, TokenRequest } from '../../shared/core/token-request.js';
import { AppError } from '../../shared/core/app-error.js';

export interface FakeBroker extends TokenBrokerApi {
  calls: Array<{ request: TokenRequest; context: TokenCallContext }>;
  signOuts: Array<string | undefined>;
  /** When set, getToken waits for this promise (to hold requests open). */
  gate?: Promise<void>;
  /** When set, getToken throws this. */
  failWith?: AppError;
}

export function createFakeBroker(): FakeBroker {
  let n = 0;
  const broker: FakeBroker = {
    calls: [],
    signOuts: [],
    async getToken(request, context): Promise<IssuedToken> {
      broker.calls.push({ request, context });
      context.onProgress?.({ kind: 'info', message: 'fake-broker: working' });
      if (broker.gate) await broker.gate;
      if (broker.failWith) throw broker.failWith;
      if (!context.interactive && request.login === 'devicecode' && request.loginHint === 'needs-sign-in') {
        throw new AppError('auth/interaction-required', 'Sign-in required.');
      }
      n += 1;
      return { token: `fake-token-${n}-${request.serverId}`, expiresOn: Date.UTC(2030, 0, 1, 0, 0, 0, 500), source: 'cache' };
    },
    sessions: (): SessionSummary[] => [{ key: 'k1', login: 'devicecode', serverId: 's', state: 'signed-in' }],
    ledger: (): LedgerEntry[] => [],
    async signOut(key?: string): Promise<void> {
      broker.signOuts.push(key);
    },
    on: (_l: (e: BrokerEvent) => void) => () => undefined,
    async close(): Promise<void> {},
  };
  return broker;
}
