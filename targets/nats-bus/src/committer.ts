/**
 * Commits events to SQLite: `each` — one transaction per event, as the original; `group` — one
 * transaction per batch, closed at `maxBatch` events or `maxDelayMs` after its first event.
 * An event with an id (or key) is stored at most once: its key is claimed in the same transaction.
 */
import { classifyWriteError } from './db.js';
import type { WriteFailure } from './db.js';
import type { EventOp } from './events.js';
import type { Store } from './store.js';

export type CommitMode = 'each' | 'group';
export const COMMIT_MODES: readonly CommitMode[] = ['each', 'group'];

/** stored: committed; duplicate: its key was committed before; ignored: the contract's rules drop it; failed: given up; retry: not stored, may succeed later. */
export type Outcome = 'stored' | 'duplicate' | 'ignored' | 'failed' | 'retry';

export interface PendingEvent {
  /** The publisher's event id, reported in the commit signal. */
  id?: string | undefined;
  /** What makes the event unique in the database; defaults to `id`. None: stored every time it arrives. */
  key?: string | undefined;
  /** The operation, or null when the event is ignored (then `reason` says why). */
  op: EventOp | null;
  reason?: string;
  settle(outcome: Outcome): void;
}

/** What one commit did (the commit signal's body, see commit-signal.ts). */
export interface CommitReport {
  ids: string[];
  count: number;
  ignored: string[];
  duplicates: string[];
  failed: string[];
}

export interface CommitterStats {
  events: number;
  stored: number;
  duplicates: number;
  ignored: number;
  failed: number;
  retried: number;
  commits: number;
}

export interface CommitterOptions {
  store: Store;
  mode: CommitMode;
  /** group: most events in one transaction. Default 256. */
  maxBatch?: number;
  /** group: longest wait after a batch's first event. 0 = after the current I/O callbacks. Default 2. */
  maxDelayMs?: number;
  /** Settle a database-wide failure (locked, read-only, I/O) as `retry` instead of `failed` (JetStream redelivers it). */
  retryTransient?: boolean;
  /** Event ids are remembered this long (seconds). Default 24 h. */
  eventIdRetentionS?: number;
  onReport?(report: CommitReport): void;
  onIgnored?(event: PendingEvent): void;
  onFailure?(failure: WriteFailure, events: number): void;
  /** Unix seconds; tests move time. */
  clock?: () => number;
}

export interface Committer {
  submit(event: PendingEvent): void;
  /** Commits what is waiting now (before a query, on stop). */
  flush(): void;
  readonly waiting: number;
  stats(): CommitterStats;
}

const PRUNE_EVERY_COMMITS = 1000;

export function createCommitter(opts: CommitterOptions): Committer {
  const { store, mode } = opts;
  const maxBatch = opts.maxBatch ?? 256;
  const maxDelayMs = opts.maxDelayMs ?? 2;
  const clock = opts.clock ?? (() => Math.floor(Date.now() / 1000));
  const retention = opts.eventIdRetentionS ?? 24 * 3600;
  const stats: CommitterStats = { events: 0, stored: 0, duplicates: 0, ignored: 0, failed: 0, retried: 0, commits: 0 };
  let queue: PendingEvent[] = [];
  let timer: NodeJS.Timeout | NodeJS.Immediate | null = null;

  const write = store.db.transaction((events: PendingEvent[], now: number) => {
    const outcomes: Outcome[] = [];
    for (const e of events) {
      const key = e.key ?? e.id;
      if (key !== undefined && !store.claimEventId(key, now)) {
        outcomes.push('duplicate');
        continue;
      }
      store.apply(e.op as EventOp, now);
      outcomes.push('stored');
    }
    return outcomes;
  });

  /** Runs the writes; a batch failing on one event's own fault is retried event by event, so one bad event costs only itself. */
  function commit(writes: PendingEvent[], now: number): Outcome[] {
    try {
      const outcomes = write.immediate(writes, now);
      stats.commits++;
      if (stats.commits % PRUNE_EVERY_COMMITS === 0) prune(now);
      return outcomes;
    } catch (err) {
      const failure = classifyWriteError(err);
      if (!failure.transient && writes.length > 1) return writes.flatMap((w) => commit([w], now));
      opts.onFailure?.(failure, writes.length);
      return writes.map(() => (failure.transient && opts.retryTransient ? 'retry' : 'failed'));
    }
  }

  function prune(now: number): void {
    try {
      store.pruneEventIds(now - retention);
    } catch {
      // Best effort: the next prune tries again.
    }
  }

  function commitBatch(batch: PendingEvent[]): void {
    const now = clock();
    const writes = batch.filter((e) => e.op !== null);
    const written = writes.length > 0 ? commit(writes, now) : [];
    const outcome = new Map<PendingEvent, Outcome>();
    writes.forEach((e, i) => outcome.set(e, written[i] ?? 'failed'));
    const report: CommitReport = { ids: [], count: 0, ignored: [], duplicates: [], failed: [] };
    for (const e of batch) {
      const o = outcome.get(e) ?? 'ignored';
      stats.events++;
      if (o === 'retry') {
        stats.retried++;
        continue;
      }
      report.count++;
      if (o === 'stored') stats.stored++;
      else if (o === 'duplicate') stats.duplicates++;
      else if (o === 'ignored') stats.ignored++;
      else stats.failed++;
      if (o === 'ignored') opts.onIgnored?.(e);
      if (e.id === undefined) continue;
      if (o === 'stored') report.ids.push(e.id);
      else if (o === 'duplicate') report.duplicates.push(e.id);
      else if (o === 'ignored') report.ignored.push(e.id);
      else report.failed.push(e.id);
    }
    if (report.count > 0) opts.onReport?.(report);
    for (const e of batch) e.settle(outcome.get(e) ?? 'ignored');
  }

  function flush(): void {
    if (timer !== null) {
      if (maxDelayMs === 0) clearImmediate(timer as NodeJS.Immediate);
      else clearTimeout(timer as NodeJS.Timeout);
      timer = null;
    }
    while (queue.length > 0) {
      const batch = queue.length > maxBatch ? queue.splice(0, maxBatch) : queue;
      if (batch === queue) queue = [];
      commitBatch(batch);
    }
  }

  return {
    submit(event) {
      if (mode === 'each') {
        commitBatch([event]);
        return;
      }
      queue.push(event);
      if (queue.length >= maxBatch) flush();
      else if (timer === null) timer = maxDelayMs === 0 ? setImmediate(flush) : setTimeout(flush, maxDelayMs);
    },
    flush,
    get waiting() {
      return queue.length;
    },
    stats: () => ({ ...stats }),
  };
}
