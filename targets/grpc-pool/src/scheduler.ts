import { PoolError, PoolErrorCode } from './errors.js';
import type { AffinityMode } from './pool-options.js';
import type { Slot } from './slot.js';

interface Waiter {
  /** strict_queue: only this slot will do. */
  pinned: Slot | undefined;
  sessionId: string | undefined;
  resolve(slot: Slot): void;
  reject(e: PoolError): void;
  timer: NodeJS.Timeout | undefined;
}

export interface Checkout {
  slot: Slot;
  gen: number;
}

function poolErr(code: PoolErrorCode, reason: string, message: string, hint: string): PoolError {
  return new PoolError(code, message, hint, { reason });
}

/**
 * Hands free workers to callers: FIFO queue of at most maxQueue (full → pool_saturated, waiting
 * longer than the queue timeout → queue_timeout) and session affinity (hint, strict_queue,
 * strict_fail_fast) with a TTL per session → worker entry.
 */
export class Scheduler {
  private readonly queue: Waiter[] = [];
  private readonly affinity = new Map<string, { slot: Slot; gen: number; expires: number }>();
  private closedError: PoolError | undefined;

  constructor(
    private readonly slots: readonly Slot[],
    private readonly o: { maxQueue: number; affinity: AffinityMode; affinityTtlMs: number },
  ) {}

  get queueDepth(): number {
    return this.queue.length;
  }

  checkout(sessionId: string | undefined, queueTimeoutMs: number, mode: AffinityMode = this.o.affinity): Promise<Checkout> {
    if (this.closedError) return Promise.reject(this.closedError);
    const preferred = this.preferred(sessionId);
    let pinned: Slot | undefined;
    if (preferred) {
      const { slot, gen } = preferred;
      const tainted = slot.gen !== gen || !(slot.state === 'ready');
      if (slot.available && !tainted) return Promise.resolve(this.take(slot, sessionId));
      if (mode !== 'hint') {
        if (tainted) return Promise.reject(poolErr(PoolErrorCode.SessionWorkerUnavailable, 'session_worker_unavailable', `the worker of session ${sessionId} (${slot.id}) is gone or restarting`, 'start a new session, or use affinity hint'));
        if (mode === 'strict_fail_fast') return Promise.reject(poolErr(PoolErrorCode.WorkerBusy, 'worker_busy', `the worker of session ${sessionId} (${slot.id}) is busy`, 'retry later, or use strict_queue / hint affinity'));
        pinned = slot;
      }
    }
    if (!pinned) {
      const free = this.slots.find((s) => s.available);
      if (free) return Promise.resolve(this.take(free, sessionId));
    }
    if (this.queue.length >= this.o.maxQueue) {
      return Promise.reject(poolErr(PoolErrorCode.Saturated, 'pool_saturated', `no worker is free and the queue holds its maximum of ${this.o.maxQueue} requests`, 'send fewer requests at once, add workers, or raise maxQueue'));
    }
    return new Promise<Checkout>((resolve, reject) => {
      const w: Waiter = { pinned, sessionId, timer: undefined, reject, resolve: (slot) => resolve(this.take(slot, sessionId)) };
      if (Number.isFinite(queueTimeoutMs)) {
        w.timer = setTimeout(() => {
          this.remove(w);
          reject(poolErr(PoolErrorCode.QueueTimeout, 'queue_timeout', `waited ${Math.round(queueTimeoutMs)} ms in the queue for a free worker`, 'add workers, lower the load, or raise queueTimeoutMs'));
        }, Math.max(0, queueTimeoutMs));
      }
      this.queue.push(w);
    });
  }

  /** A call is done with the worker it checked out. */
  release(c: Checkout): void {
    if (c.slot.gen === c.gen && c.slot.busy > 0) c.slot.busy--;
    this.offer(c.slot);
  }

  /** Gives a free slot to the first waiter that can take it. */
  offer(slot: Slot): void {
    if (!slot.available) return;
    const i = this.queue.findIndex((w) => w.pinned === undefined || w.pinned === slot);
    if (i < 0) return;
    const [w] = this.queue.splice(i, 1);
    if (w!.timer) clearTimeout(w!.timer);
    w!.resolve(slot);
  }

  /** The slot's worker is gone: strict_queue waiters for it fail (session_worker_unavailable). */
  slotLost(slot: Slot): void {
    for (const w of [...this.queue]) {
      if (w.pinned !== slot) continue;
      this.remove(w);
      w.reject(poolErr(PoolErrorCode.SessionWorkerUnavailable, 'session_worker_unavailable', `the worker of session ${w.sessionId} (${slot.id}) went away while the request waited for it`, 'start a new session, or use affinity hint'));
    }
  }

  close(err: PoolError): void {
    this.closedError = err;
    for (const w of this.queue.splice(0)) {
      if (w.timer) clearTimeout(w.timer);
      w.reject(err);
    }
  }

  private preferred(sessionId: string | undefined): { slot: Slot; gen: number } | undefined {
    if (!sessionId) return undefined;
    const e = this.affinity.get(sessionId);
    if (!e) return undefined;
    if (e.expires <= Date.now()) {
      this.affinity.delete(sessionId);
      return undefined;
    }
    return e;
  }

  private take(slot: Slot, sessionId: string | undefined): Checkout {
    slot.busy++;
    slot.requests++;
    if (sessionId) this.affinity.set(sessionId, { slot, gen: slot.gen, expires: Date.now() + this.o.affinityTtlMs });
    return { slot, gen: slot.gen };
  }

  private remove(w: Waiter): void {
    const i = this.queue.indexOf(w);
    if (i >= 0) this.queue.splice(i, 1);
    if (w.timer) clearTimeout(w.timer);
  }
}
