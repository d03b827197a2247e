/**
 * The broker's idle workers, oldest-ready first (ppqueue.c's list). Keyed by the hex of the
 * ROUTER identity; Map iteration order is insertion order, which is exactly the LRU order.
 */
export interface IdleWorker {
  identity: Buffer;
  expiresAt: number;
}

export class WorkerQueue {
  private readonly idle = new Map<string, IdleWorker>();

  get size(): number {
    return this.idle.size;
  }

  has(identity: Buffer): boolean {
    return this.idle.has(identity.toString('hex'));
  }

  /** READY or a reply: the worker (re)joins at the tail. */
  ready(identity: Buffer, expiresAt: number): void {
    const key = identity.toString('hex');
    this.idle.delete(key);
    this.idle.set(key, { identity, expiresAt });
  }

  /** A heartbeat from an idle worker: alive, but not newly ready, so its place is kept. */
  refresh(identity: Buffer, expiresAt: number): boolean {
    const w = this.idle.get(identity.toString('hex'));
    if (w) w.expiresAt = expiresAt;
    return w !== undefined;
  }

  /** The least recently ready worker, removed from the queue (it is busy now). */
  pop(): IdleWorker | undefined {
    for (const [key, w] of this.idle) {
      this.idle.delete(key);
      return w;
    }
    return undefined;
  }

  /** Drop expired workers; returns how many. Scans all since heartbeats refresh expiry in place. */
  purge(now: number): number {
    let n = 0;
    for (const [key, w] of this.idle) {
      if (w.expiresAt <= now) {
        this.idle.delete(key);
        n++;
      }
    }
    return n;
  }

  identities(): Buffer[] {
    return [...this.idle.values()].map((w) => w.identity);
  }
}
