/**
 * DatabaseService: subscribes to the contract's subjects and keeps the SQLite database. `core` delivery
 * subscribes to the 7 event subjects as the original does (what is published while it is down is lost);
 * `jetstream` consumes them from a durable stream instead. The 2 request subjects are core in both.
 */
import type { Msg, NatsConnection, Subscription } from '@nats-io/nats-core';
import type { JsMsg } from '@nats-io/jetstream';
import { createCommitPublisher } from './commit-signal.js';
import { COMMIT_MODES, createCommitter } from './committer.js';
import type { CommitMode, CommitterStats, Outcome, PendingEvent } from './committer.js';
import { classifyWriteError, openDatabase } from './db.js';
import { decodeBody } from './decode.js';
import { BusError, BusErrorCode } from './errors.js';
import { parseEvent } from './events.js';
import { startBusConsumer } from './jetstream.js';
import type { BusConsumer, JetStreamOptions } from './jetstream.js';
import { parseQuery, runQuery } from './queries.js';
import { replyError, replyRows } from './replies.js';
import { createStore } from './store.js';
import type { Store } from './store.js';
import { DEFAULT_COMMIT_SUBJECT, EVENT_ID_HEADER, EVENT_SUBJECTS, REQUEST_SUBJECTS, isEventSubject } from './subjects.js';
import type { EventSubject, RequestSubject } from './subjects.js';

export type DeliveryMode = 'core' | 'jetstream';
export const DELIVERY_MODES: readonly DeliveryMode[] = ['core', 'jetstream'];

/** Something the original would log: an ignored event, a failed write, a request it could not answer. */
export interface BusIssue {
  code: BusErrorCode;
  subject: string;
  id?: string | undefined;
  message: string;
}

export interface DatabaseServiceOptions {
  /** A connected nats.js v3 client; the service never closes it. */
  nc: NatsConnection;
  dbPath: string;
  delivery?: DeliveryMode;
  commit?: CommitMode;
  /** group commit: most events a transaction, longest wait after the first (ms). Defaults 256 and 2. */
  maxBatch?: number;
  maxDelayMs?: number;
  /** Subject of the commit signal; null publishes none. Default `wirebench.bus.committed`. */
  commitSubject?: string | null;
  busyTimeoutMs?: number;
  readonly?: boolean;
  jetstream?: JetStreamOptions;
  onIssue?: (issue: BusIssue) => void;
  /** Unix seconds; tests move time. */
  clock?: () => number;
}

export interface ServiceStats extends CommitterStats {
  requests: number;
  requestErrors: number;
  noReply: number;
  signalsLost: number;
  /** Events received and not yet committed (group commit). */
  waiting: number;
}

export interface DatabaseService {
  readonly delivery: DeliveryMode;
  readonly commit: CommitMode;
  readonly running: boolean;
  readonly store: Store;
  /** Subscribes (9 subscriptions in core mode; 2 plus the durable consumer in jetstream mode). A second start only warns. */
  start(): Promise<void>;
  /** Drains the subscriptions, commits what is waiting, stops consuming. Keeps SQLite and NATS open (as the original). */
  stop(): Promise<void>;
  /** stop(), then closes SQLite. */
  close(): Promise<void>;
  stats(): ServiceStats;
}

function oneOf<T extends string>(name: string, value: T | undefined, allowed: readonly T[], dflt: T): T {
  const v = value ?? dflt;
  if (!allowed.includes(v)) throw new BusError(BusErrorCode.BadOption, `${name} must be one of ${allowed.join(', ')}, got '${String(v)}'`, `use ${allowed.join(' or ')}`);
  return v;
}

export function createDatabaseService(opts: DatabaseServiceOptions): DatabaseService {
  const delivery = oneOf('delivery', opts.delivery, DELIVERY_MODES, 'core');
  const commit = oneOf('commit', opts.commit, COMMIT_MODES, 'each');
  const { nc } = opts;
  const clock = opts.clock ?? (() => Math.floor(Date.now() / 1000));
  const issue = (i: BusIssue) => opts.onIssue?.(i);
  const db = openDatabase(opts.dbPath, { busyTimeoutMs: opts.busyTimeoutMs, readonly: opts.readonly });
  const store = createStore(db);
  const commitSubject = opts.commitSubject === undefined ? DEFAULT_COMMIT_SUBJECT : opts.commitSubject;
  const signal = commitSubject === null ? null : createCommitPublisher(nc, commitSubject);
  const counts = { requests: 0, requestErrors: 0, noReply: 0 };
  // Only for issue reports (weak: an entry goes with its event).
  const subjectOf = new WeakMap<PendingEvent, string>();
  const committer = createCommitter({
    store,
    mode: commit,
    maxBatch: opts.maxBatch,
    maxDelayMs: opts.maxDelayMs,
    retryTransient: delivery === 'jetstream',
    clock,
    onReport: signal ? (r) => signal.publish(r) : undefined,
    onIgnored: (e) => issue({ code: BusErrorCode.BadPayload, subject: subjectOf.get(e) ?? '', id: e.id, message: e.reason ?? 'ignored' }),
    onFailure: (f, n) => issue({ code: f.code, subject: '', message: `${n} event(s) not stored: ${f.error.message}` }),
  });
  let subs: Subscription[] = [];
  let consumer: BusConsumer | null = null;
  let running = false;
  let closed = false;

  function eventOf(subject: EventSubject, data: Uint8Array, id: string | undefined, key: string | undefined, settle: (o: Outcome) => void): PendingEvent {
    const decoded = decodeBody(data);
    const parsed = decoded.ok ? parseEvent(subject, decoded.value) : decoded;
    const event: PendingEvent = parsed.ok ? { id, key, op: parsed.op, settle } : { id, key, op: null, reason: parsed.reason, settle };
    subjectOf.set(event, subject);
    return event;
  }

  const jsRetryMs = opts.jetstream?.retryDelayMs ?? 250;
  const idOf = (h: { get(k: string): string } | undefined) => h?.get(EVENT_ID_HEADER) || undefined;
  const noSettle = () => {};

  function onCoreEvent(subject: EventSubject, msg: Msg): void {
    committer.submit(eventOf(subject, msg.data, idOf(msg.headers), undefined, noSettle));
  }

  function onJsEvent(m: JsMsg): void {
    if (!isEventSubject(m.subject)) {
      m.term(`not a rosey.db event subject: ${m.subject}`);
      return;
    }
    const id = idOf(m.headers);
    // Without a publisher id the stream sequence still makes a redelivery recognisable.
    const key = id ?? `js:${m.info.stream}:${m.seq}`;
    committer.submit(eventOf(m.subject, m.data, id, key, (o) => {
      if (o === 'retry') m.nak(jsRetryMs);
      else if (o === 'failed') m.term('not stored');
      else m.ack();
    }));
  }

  function onRequest(subject: RequestSubject, msg: Msg): void {
    counts.requests++;
    if (!msg.reply) {
      counts.noReply++;
      issue({ code: BusErrorCode.BadPayload, subject, message: 'request without a reply subject: not answered' });
      return;
    }
    const fail = (code: 400 | 500 | 503, message: string, busCode: BusErrorCode) => {
      counts.requestErrors++;
      issue({ code: busCode, subject, message });
      replyError(msg, code, message);
    };
    const decoded = decodeBody(msg.data);
    if (!decoded.ok) return fail(400, decoded.reason, BusErrorCode.BadPayload);
    const parsed = parseQuery(subject, decoded.value);
    if (!parsed.ok) return fail(400, parsed.reason, BusErrorCode.BadPayload);
    // A group commit still waiting would make this answer older than what the bot already sent.
    committer.flush();
    let rows: unknown[];
    try {
      rows = runQuery(store, parsed.op, clock());
    } catch (err) {
      const f = classifyWriteError(err);
      return fail(f.code === BusErrorCode.DbLocked ? 503 : 500, f.error.message, f.code);
    }
    replyRows(msg, rows);
  }

  function subscribe(subject: string, handle: (msg: Msg) => void): void {
    subs.push(nc.subscribe(subject, {
      callback: (err, msg) => {
        if (err) issue({ code: BusErrorCode.NatsConnect, subject, message: err.message });
        else handle(msg);
      },
    }));
  }

  async function stop(): Promise<void> {
    if (!running && subs.length === 0 && consumer === null) return;
    const current = subs;
    subs = [];
    running = false;
    for (const sub of current) {
      try {
        await sub.drain();
      } catch (err) {
        issue({ code: BusErrorCode.NatsConnect, subject: sub.getSubject(), message: `unsubscribe failed: ${(err as Error).message}` });
      }
    }
    const c = consumer;
    consumer = null;
    try {
      await c?.stop();
    } catch (err) {
      issue({ code: BusErrorCode.NatsConnect, subject: '', message: `consumer stop failed: ${(err as Error).message}` });
    }
    committer.flush();
  }

  return {
    delivery,
    commit,
    get running() {
      return running;
    },
    store,
    async start() {
      if (closed) throw new BusError(BusErrorCode.Closed, 'the service is closed', 'create a new one');
      if (running) {
        issue({ code: BusErrorCode.BadOption, subject: '', message: 'DatabaseService already running' });
        return;
      }
      try {
        if (delivery === 'core') for (const s of EVENT_SUBJECTS) subscribe(s, (m) => onCoreEvent(s, m));
        for (const s of REQUEST_SUBJECTS) subscribe(s, (m) => onRequest(s, m));
        if (delivery === 'jetstream') consumer = await startBusConsumer(nc, opts.jetstream ?? {}, onJsEvent);
        await nc.flush();
        running = true;
      } catch (err) {
        await stop();
        throw err instanceof BusError ? err : new BusError(BusErrorCode.NatsConnect, `cannot subscribe (${(err as Error).message})`, delivery === 'jetstream' ? 'is nats-server running with JetStream (-js)?' : 'is the NATS connection open?', err);
      }
    },
    stop,
    async close() {
      await stop();
      if (!closed) db.close();
      closed = true;
    },
    stats: () => ({ ...committer.stats(), ...counts, signalsLost: signal?.lost ?? 0, waiting: committer.waiting }),
  };
}
