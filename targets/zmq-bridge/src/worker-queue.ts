/**
 * The broker's workers and their free credits, least recently used first (ppqueue.c's list).
 *
 * ppqueue holds each idle worker once. Here a worker may hold several *credits*: every READY it
 * sends adds one, every request handed to it takes one, every reply to a request it holds gives
 * one back. The queue holds each worker with a free credit once, in LRU order; a worker handed a
 * request goes to the tail if it still has credits, so load spreads as it would over k workers.
 * A zguide worker sends READY once per connection, so it holds one credit and the order is exactly
 * ppqueue's. A worker that sends READY k times (our `capacity` option) gets up to k requests at
 * once, which lets ZeroMQ batch them instead of paying a wake-up per request per hop.
 */
export interface WorkerEntry {
  identity: Buffer;
  expiresAt: number;
  /** Requests it may still be given. */
  credits: number;
  /** Requests handed to it and not yet answered. */
  inFlight: number;
}

/** Bounds what a misbehaving peer can claim by repeating READY. */
export const MAX_CREDITS = 1024;

interface Slot {
  key: string;
  entry: WorkerEntry;
}

export class WorkerQueue {
  private readonly workers = new Map<string, WorkerEntry>();
  // Each worker with a free credit once, least recently used first. Slots of an expired or
  // re-registered worker stay behind and are skipped on pop (their entry is no longer current).
  private slots: Slot[] = [];
  private head = 0;
  private free = 0;

  /** Free credits over all workers: requests that can be dispatched now. */
  get size(): number {
    return this.free;
  }

  /** Workers holding at least one free credit (ppqueue's idle list). */
  get idleWorkers(): number {
    let n = 0;
    for (const w of this.workers.values()) if (w.credits > 0) n++;
    return n;
  }

  get(identity: Buffer): WorkerEntry | undefined {
    return this.workers.get(identity.toString('hex'));
  }

  /** READY (or a first sign of life from an unknown worker): one more credit, at the tail. */
  ready(identity: Buffer, expiresAt: number): void {
    const key = identity.toString('hex');
    let entry = this.workers.get(key);
    if (!entry) {
      entry = { identity, expiresAt, credits: 0, inFlight: 0 };
      this.workers.set(key, entry);
    }
    entry.expiresAt = expiresAt;
    this.give(key, entry);
  }

  /** A reply: the request's credit comes back (the worker rejoins at the tail if it had none). False for a worker we do not hold. */
  replied(identity: Buffer, expiresAt: number): boolean {
    const key = identity.toString('hex');
    const entry = this.workers.get(key);
    if (!entry) return false;
    entry.expiresAt = expiresAt;
    // A reply to nothing we handed it (a duplicate, or one from before it was re-learnt) is
    // forwarded by the broker but earns no credit: credits must never exceed what it said READY for.
    if (entry.inFlight === 0) return true;
    entry.inFlight--;
    this.give(key, entry);
    return true;
  }

  /** A heartbeat: alive, not newly ready, so its places are kept. False for a worker we do not hold. */
  refresh(identity: Buffer, expiresAt: number): boolean {
    const entry = this.workers.get(identity.toString('hex'));
    if (entry) entry.expiresAt = expiresAt;
    return entry !== undefined;
  }

  /** The least recently used worker with a free credit; it now has one more request in flight. */
  pop(): WorkerEntry | undefined {
    while (this.head < this.slots.length) {
      const slot = this.slots[this.head] as Slot;
      this.head++;
      if (this.workers.get(slot.key) !== slot.entry || slot.entry.credits === 0) continue;
      slot.entry.credits--;
      slot.entry.inFlight++;
      this.free--;
      if (slot.entry.credits > 0) this.slots.push(slot); // still has room: back of the line
      this.compact();
      return slot.entry;
    }
    this.compact();
    return undefined;
  }

  /**
   * Drop workers not heard from by their expiry, idle or busy; returns how many. RFC 6: a peer is
   * dead when it has sent nothing for liveness × interval; a worker heartbeats while it works, so a
   * busy one that goes silent is dead, and one holding all its credits would otherwise stay forever.
   * A late reply from an expired worker re-registers it with one credit.
   */
  purge(now: number): number {
    let n = 0;
    for (const [key, w] of this.workers) {
      if (w.expiresAt <= now) {
        this.free -= w.credits;
        this.workers.delete(key);
        n++;
      }
    }
    return n;
  }

  /** Every worker held, idle or busy, each once: RFC 6 has the queue heartbeat them all, apart from requests. */
  identities(): Buffer[] {
    const out: Buffer[] = [];
    for (const w of this.workers.values()) out.push(w.identity);
    return out;
  }

  private give(key: string, entry: WorkerEntry): void {
    if (entry.credits + entry.inFlight >= MAX_CREDITS) return;
    entry.credits++;
    this.free++;
    if (entry.credits === 1) this.slots.push({ key, entry }); // it was not in line
  }

  // Popped slots are dropped in bulk so the array does not grow without bound.
  private compact(): void {
    if (this.head > 1024 && this.head * 2 > this.slots.length) {
      this.slots = this.slots.slice(this.head);
      this.head = 0;
    }
  }
}
