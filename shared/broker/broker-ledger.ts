/**
 * What the window shows: the ledger of serves (who got which token from where) and the sessions
 * (one per session key) with their state. Bounded in memory; no token material, ever.
 */
import type { BrokerEvent, LedgerEntry, SessionSummary } from '../core/broker.js';

export class BrokerLedger {
  private readonly entries: LedgerEntry[] = [];
  private readonly sessionMap = new Map<string, SessionSummary>();
  private readonly listeners = new Set<(event: BrokerEvent) => void>();

  constructor(private readonly max = 500) {}

  on(listener: (event: BrokerEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: BrokerEvent): void {
    for (const l of [...this.listeners]) {
      try {
        l(event);
      } catch {
        // A listener's failure is its own problem.
      }
    }
  }

  record(entry: LedgerEntry): void {
    this.entries.push(entry);
    if (this.entries.length > this.max) this.entries.splice(0, this.entries.length - this.max);
    this.emit({ type: 'ledger', entry });
  }

  ledger(): LedgerEntry[] {
    return this.entries.map((e) => ({ ...e }));
  }

  session(key: string): SessionSummary | undefined {
    return this.sessionMap.get(key);
  }

  /** Merges `patch` into the session (creating it) and tells listeners when something changed. */
  updateSession(key: string, base: Omit<SessionSummary, 'state'>, patch: Partial<SessionSummary>): void {
    const before = this.sessionMap.get(key);
    const next: SessionSummary = { ...(before ?? { ...base, state: 'needs-sign-in' }), ...patch, key };
    if (patch.state && patch.state !== 'error') delete next.error;
    this.sessionMap.set(key, next);
    if (JSON.stringify(before) !== JSON.stringify(next)) this.emit({ type: 'sessions-changed' });
  }

  removeSession(key?: string): void {
    if (key === undefined) this.sessionMap.clear();
    else this.sessionMap.delete(key);
    this.emit({ type: 'sessions-changed' });
  }

  sessions(): SessionSummary[] {
    return [...this.sessionMap.values()].map((s) => ({ ...s }));
  }
}
