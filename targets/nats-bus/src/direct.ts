/**
 * The direct baseline (v1): the same database calls in-process, no NATS and no JSON, behind the same
 * methods as the BotBus. Events run the service's validation and commit path; a promise settles once
 * its event is committed (or ignored).
 */
import { bindApi } from './api.js';
import type { EventOptions, EventReceipt, RoseyDbApi } from './api.js';
import { createCommitter } from './committer.js';
import type { CommitMode, CommitterStats, Outcome } from './committer.js';
import { openDatabase } from './db.js';
import type { WriteFailure } from './db.js';
import { BusError, BusErrorCode } from './errors.js';
import { parseEvent } from './events.js';
import { parseQuery, runQuery } from './queries.js';
import { createStore } from './store.js';
import type { Store } from './store.js';
import type { EventSubject, RequestSubject } from './subjects.js';

export interface DirectStoreOptions {
  commit?: CommitMode;
  maxBatch?: number;
  maxDelayMs?: number;
  busyTimeoutMs?: number;
  clock?: () => number;
}

export interface DirectStore extends RoseyDbApi {
  readonly store: Store;
  stats(): CommitterStats;
  close(): void;
}

export function createDirectStore(dbPath: string, opts: DirectStoreOptions = {}): DirectStore {
  const db = openDatabase(dbPath, { busyTimeoutMs: opts.busyTimeoutMs });
  const store = createStore(db);
  const clock = opts.clock ?? (() => Math.floor(Date.now() / 1000));
  let lastFailure: WriteFailure | null = null;
  const committer = createCommitter({
    store,
    mode: opts.commit ?? 'each',
    maxBatch: opts.maxBatch,
    maxDelayMs: opts.maxDelayMs,
    clock,
    onFailure: (f) => (lastFailure = f),
  });
  let closed = false;

  function event(subject: EventSubject, body: Record<string, unknown>, o: EventOptions = {}): Promise<EventReceipt> {
    if (closed) return Promise.reject(new BusError(BusErrorCode.Closed, 'the direct store is closed', 'create a new one'));
    const parsed = parseEvent(subject, body);
    return new Promise((resolve, reject) => {
      const settle = (outcome: Outcome) => {
        if (outcome === 'failed' || outcome === 'retry') reject(lastFailure?.error ?? new BusError(BusErrorCode.DbWrite, 'event not stored', 'see the database'));
        else resolve({ id: o.id });
      };
      committer.submit(parsed.ok ? { id: o.id, op: parsed.op, settle } : { id: o.id, op: null, reason: parsed.reason, settle });
    });
  }

  async function query<T>(subject: RequestSubject, body: Record<string, unknown>): Promise<T[]> {
    const parsed = parseQuery(subject, body);
    if (!parsed.ok) throw new BusError(BusErrorCode.BadPayload, parsed.reason, 'fix the request');
    committer.flush();
    return runQuery(store, parsed.op, clock()) as T[];
  }

  return {
    store,
    stats: () => committer.stats(),
    close() {
      if (closed) return;
      committer.flush();
      closed = true;
      db.close();
    },
    ...bindApi(event, query),
  };
}
