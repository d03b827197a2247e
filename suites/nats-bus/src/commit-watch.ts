/**
 * The commit-signal matcher: an event's operation ends when the service's commit report
 * (`wirebench.bus.committed`, or a floor's ack in the same shape) names its id. Waiters register BEFORE the
 * publish, so a report can never arrive for an id nobody waits for yet; a report naming an id
 * that has no waiter (anymore) is a second report for it — counted as a duplicate.
 */
import type { CommitReport } from '@wirebench/nats-bus';

/** How the signal settled one event id. */
export type Settled =
  | { kind: 'stored' }
  /** The service had stored this id before (a re-send or redelivery): stored once, not twice. */
  | { kind: 'duplicate' }
  | { kind: 'ignored' }
  | { kind: 'failed' };

export class CommitWatch {
  private readonly waiters = new Map<string, (s: Settled) => void>();
  /** Reports that named an id nobody waited for: a second commit of it, or a late one after a timeout. */
  unmatched = 0;
  /** Ids reported stored more than once while waited for (should stay 0: the service stores each id once). */
  reports = 0;

  /** Resolves when a report names `id`; the caller times out (the kit's per-op timeout) and calls forget(). */
  wait(id: string): Promise<Settled> {
    return new Promise((resolve) => this.waiters.set(id, resolve));
  }

  forget(id: string): void {
    this.waiters.delete(id);
  }

  get pending(): number {
    return this.waiters.size;
  }

  /** Settles every waiter the report names; returns how many it settled. */
  onReport(r: Pick<CommitReport, 'ids' | 'duplicates' | 'ignored' | 'failed'>): number {
    this.reports++;
    let settled = 0;
    const settle = (ids: readonly string[], s: Settled): void => {
      for (const id of ids) {
        const w = this.waiters.get(id);
        if (!w) {
          this.unmatched++;
          continue;
        }
        this.waiters.delete(id);
        w(s);
        settled++;
      }
    };
    settle(r.ids, { kind: 'stored' });
    settle(r.duplicates, { kind: 'duplicate' });
    settle(r.ignored, { kind: 'ignored' });
    settle(r.failed, { kind: 'failed' });
    return settled;
  }
}
