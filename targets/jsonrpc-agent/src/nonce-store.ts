/**
 * Replay guard for `extensions.nonce`: an in-memory map nonce → expiry.
 *
 * Check-and-mark is atomic because it runs synchronously on the single JS thread (no await between
 * the lookup and the insert). Memory is bounded: every entry has the same TTL, so Map insertion
 * order is expiry order and expired entries are swept from the front in O(expired). When the map is
 * full of live nonces the oldest is evicted — a replay older than `maxEntries` newer nonces is then
 * accepted; that trade is documented in the README (the alternative, refusing new nonces, lets one
 * client lock everyone out for a whole TTL).
 */
export interface NonceStoreOptions {
  ttlSeconds?: number;
  maxEntries?: number;
}

export class NonceStore {
  readonly ttlMs: number;
  readonly maxEntries: number;
  private readonly entries = new Map<string, number>();

  constructor(opts: NonceStoreOptions = {}) {
    this.ttlMs = (opts.ttlSeconds ?? 600) * 1000;
    this.maxEntries = opts.maxEntries ?? 100_000;
  }

  get size(): number {
    return this.entries.size;
  }

  /** True when the nonce was already used (and still live); otherwise marks it and returns false. */
  checkAndMark(nonce: string, nowMs: number = Date.now()): boolean {
    this.sweep(nowMs);
    const expiry = this.entries.get(nonce);
    if (expiry !== undefined) {
      if (expiry >= nowMs) return true;
      this.entries.delete(nonce);
    }
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(nonce, nowMs + this.ttlMs);
    return false;
  }

  private sweep(nowMs: number): void {
    for (const [nonce, expiry] of this.entries) {
      if (expiry >= nowMs) return;
      this.entries.delete(nonce);
    }
  }

  clear(): void {
    this.entries.clear();
  }
}
