/**
 * Single-flight: concurrent calls with the same key share one running promise. The entry is
 * dropped as soon as the work settles, so the next call after that starts fresh work.
 */
export class SingleFlight<V> {
  private readonly running = new Map<string, Promise<V>>();

  run(key: string, work: () => Promise<V>): Promise<V> {
    const existing = this.running.get(key);
    if (existing) return existing;
    const pending = (async () => work())();
    this.running.set(key, pending);
    const drop = (): void => {
      if (this.running.get(key) === pending) this.running.delete(key);
    };
    pending.then(drop, drop);
    return pending;
  }

  has(key: string): boolean {
    return this.running.has(key);
  }

  get size(): number {
    return this.running.size;
  }

  /** Resolves when nothing is running (used by close()). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running.values()]);
  }
}
