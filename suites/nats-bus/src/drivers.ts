/**
 * The generator side (the bot): nats.js publishers and requesters. An event operation publishes
 * with an id and ends when the commit signal reports that id stored — publish → handler → SQLite
 * commit, not the publish() call (a buffer append) the original test timed. Requests end with a
 * validated reply.
 */
import { jetstream, type JetStreamClient } from '@nats-io/jetstream';
import { headers, type NatsConnection, type Subscription } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import { OK, errorOutcome, type Driver, type Outcome } from '@wirebench/kit';
import { createBotBus, createDirectStore, decodeCommitReport, DEFAULT_COMMIT_SUBJECT, EVENT_ID_HEADER, openDatabase, type BotBus, type Db, type DirectStore } from '@wirebench/nats-bus';
import { CommitWatch, type Settled } from './commit-watch.js';
import { mixedEvent, chatBody, type EventKind } from './events.js';
import { checkEcho, checkOutbound, checkRecentChat } from './replies.js';
import { FLOOR } from './subjects.js';
import { QUERY_LIMIT, SEEDED_OUTBOUND, type Delivery } from './targets.js';

export interface EventDriverOptions {
  url: string;
  delivery: Delivery;
  /**
   * `bus`: the DatabaseService's subjects and commit signal; `floor`: the bare echo's, one ack per
   * event; `floor-group`: the bare echo's batched acks (group commit's rule, see floors/ack-batcher.ts).
   */
  via: 'bus' | 'floor' | 'floor-group';
  /** `chat` only (message.log), or the mixed rotation of chat/user/status/media/stats. */
  events?: 'chat' | 'mixed';
  /** Chat message size in bytes. */
  messageBytes?: number;
  /** Waits longer than the kit's per-op timeout are forgotten (ms). */
  forgetAfterMs?: number;
  clients?: number;
  /**
   * The service's database: an event whose signal did not come in `forgetAfterMs` is looked up in
   * its `wb_event_ids` (read-only) — stored (the signal was missed, e.g. across a server restart)
   * counts ok, not stored counts lost. Without it, such an event ends as a timeout.
   */
  dbPath?: string;
}

interface EventClient {
  nc: NatsConnection;
  prefix: string;
  bus: BotBus;
  js: JetStreamClient | null;
  watch: CommitWatch;
  sub: Subscription;
  /** Ids reported stored a second time (a double store) and not yet handed to an outcome. */
  doubleStores: number;
  stored: Set<string>;
  db: Db | null;
  /** The id look-up, prepared once (the faults scenario polls it every 50 ms per late event). */
  lookup: ReturnType<Db['prepare']> | null;
}

/** How late a commit signal may be before the database is asked, and how often then (ms). */
const DB_POLL_AFTER_MS = 500;
const DB_POLL_MS = 50;

async function connectClient(url: string, name: string): Promise<NatsConnection> {
  return connect({ servers: url, maxReconnectAttempts: -1, reconnectTimeWait: 250, name });
}

const outcomeOf = (s: Settled | 'timeout', bytes: number, duplicates: number): Outcome => {
  const extra = duplicates ? { duplicates } : {};
  if (s === 'timeout') return { status: 'timeout', ...extra };
  if (s.kind === 'stored') return { status: 'ok', bytes, ...extra };
  // Stored before: the first copy's signal was missed and a re-send (JetStream retry) was recognised — stored once, as it should be.
  if (s.kind === 'duplicate') return { status: 'ok', bytes, ...extra };
  return { ...errorOutcome(s.kind === 'ignored' ? 'event_ignored' : 'event_failed'), ...extra };
};

export function eventDriver(o: EventDriverOptions): Driver<EventClient> {
  const ackSubject = o.via === 'bus' ? DEFAULT_COMMIT_SUBJECT : o.via === 'floor-group' ? FLOOR.ackGroup : FLOOR.ack;
  const forgetAfter = o.forgetAfterMs ?? 4500; // under the kit's default 5 s timeout
  const size = o.messageBytes ?? 64;
  return {
    clients: o.clients ?? 1,
    async open(ctx) {
      const nc = await connectClient(o.url, `gen-${o.via}-${ctx.workerIndex}-${ctx.clientIndex}`);
      const watch = new CommitWatch();
      // Ids unique across runs, workers and clients, so a client can tell its own ids in the reports all clients see.
      const prefix = `g${process.pid}w${ctx.workerIndex}c${ctx.clientIndex}t${Date.now().toString(36)}`;
      const c: EventClient = { nc, prefix, bus: createBotBus(nc, { delivery: o.delivery, idPrefix: prefix, publishDeadlineMs: forgetAfter }), js: o.via !== 'bus' && o.delivery === 'jetstream' ? jetstream(nc) : null, watch, sub: null as unknown as Subscription, doubleStores: 0, stored: new Set(), db: null, lookup: null };
      c.sub = nc.subscribe(ackSubject, {
        callback: (_err, m) => {
          // The floors acknowledge in the signal's own shape: both arms decode the same report.
          const report = decodeCommitReport(m.data);
          // Every client sees every report: only ids this client published are its own.
          for (const id of report.ids) {
            if (!id.startsWith(`${c.prefix}-`)) continue;
            if (c.stored.has(id)) c.doubleStores++;
            else c.stored.add(id);
          }
          watch.onReport(report);
        },
      });
      await nc.flush(); // the subscription is at the server before the first publish
      return c;
    },
    async perform(c, op) {
      const id = c.bus.nextId();
      const wait = c.watch.wait(id);
      let bytes: number;
      try {
        bytes = await publish(c, o, id, op.seq, size);
      } catch (err) {
        c.watch.forget(id);
        const code = (err as { code?: unknown }).code;
        return errorOutcome(typeof code === 'string' ? code : 'publish');
      }
      let timer: NodeJS.Timeout | undefined;
      let poller: NodeJS.Timeout | undefined;
      const settled = await Promise.race([
        wait,
        new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), forgetAfter))),
        // A commit signal is core NATS: one the service sent while this client was reconnecting
        // (a nats-server restart) is gone. Without a look in the database the op waited out
        // forgetAfter (20 s in the faults scenario) and recovery read as 20 s for an event stored
        // in milliseconds. Looked up every DB_POLL_MS once it is DB_POLL_AFTER_MS late: such an
        // op's latency is then at most DB_POLL_MS above its commit, and on time ones never poll.
        ...(o.dbPath ? [new Promise<Settled>((r) => {
          const dbPath = o.dbPath as string;
          const look = (): void => {
            if (storedInDb(c, dbPath, id)) r({ kind: 'stored' });
            else poller = setTimeout(look, DB_POLL_MS);
          };
          poller = setTimeout(look, DB_POLL_AFTER_MS);
        })] : []),
      ]);
      clearTimeout(timer);
      clearTimeout(poller);
      c.watch.forget(id); // settled by the database: a signal that comes later is no one's
      const dup = c.doubleStores;
      c.doubleStores = 0;
      if (settled === 'timeout') {
        c.watch.forget(id);
        if (o.dbPath) return storedInDb(c, o.dbPath, id) ? { status: 'ok', bytes, ...(dup ? { duplicates: dup } : {}) } : { status: 'lost', ...(dup ? { duplicates: dup } : {}) };
      }
      return outcomeOf(settled, bytes, dup);
    },
    async close(c) {
      c.db?.close();
      c.sub.unsubscribe();
      await c.nc.drain().catch(() => {});
    },
  };
}

function storedInDb(c: EventClient, dbPath: string, id: string): boolean {
  if (!c.lookup) {
    c.db = openDatabase(dbPath, { readonly: true });
    c.lookup = c.db.prepare('SELECT 1 FROM wb_event_ids WHERE id = ?');
  }
  return c.lookup.get(id) !== undefined;
}

/** Publishes one event with `id`; returns its payload bytes. */
async function publish(c: EventClient, o: EventDriverOptions, id: string, seq: number, size: number): Promise<number> {
  if (o.via !== 'bus') {
    // The bus's chat body, id header and publish call (core: nc.publish; jetstream: publish and wait for the PubAck).
    const body = JSON.stringify(chatBody(seq, size));
    if (c.js) {
      await c.js.publish(FLOOR.js, body, { msgID: id, timeout: 2000 });
    } else {
      const h = headers();
      h.set(EVENT_ID_HEADER, id);
      c.nc.publish(o.via === 'floor-group' ? FLOOR.pubGroup : FLOOR.pub, body, { headers: h });
    }
    return Buffer.byteLength(body);
  }
  const kind: EventKind = o.events === 'mixed' ? mixedEvent(seq) : 'chat';
  return sendEvent(c.bus, kind, id, seq, size);
}

/** One event of `kind` through the bus's typed methods; returns its payload bytes. */
export async function sendEvent(bus: Pick<BotBus, 'logMessage' | 'userJoined' | 'userLeft' | 'statusUpdate' | 'userCount'>, kind: EventKind, id: string, seq: number, size: number): Promise<number> {
  switch (kind) {
    case 'chat': {
      const b = chatBody(seq, size);
      await bus.logMessage(b.username, b.message, { id });
      return Buffer.byteLength(JSON.stringify(b));
    }
    case 'user': {
      const name = `user${seq % 50}`;
      await (seq % 2 ? bus.userLeft(name, { id }) : bus.userJoined(name, { id }));
      return Buffer.byteLength(JSON.stringify({ username: name }));
    }
    case 'status': {
      const s = { bot_name: 'rosey', bot_rank: 3, bot_afk: 0, channel_name: 'bench', current_chat_users: seq % 40, current_connected_users: seq % 60, bot_start_time: 1_700_000_000, bot_connected: 1 };
      await bus.statusUpdate(s, { id });
      return Buffer.byteLength(JSON.stringify({ status_data: s }));
    }
    case 'media': {
      const s = { current_media_title: `track ${seq % 500}`, current_media_duration: 180 + (seq % 120), playlist_items: seq % 30 };
      await bus.statusUpdate(s, { id });
      return Buffer.byteLength(JSON.stringify({ status_data: s }));
    }
    case 'stats': {
      await bus.userCount(seq % 40, seq % 60, { id });
      return Buffer.byteLength(JSON.stringify({ chat_count: seq % 40, connected_count: seq % 60 }));
    }
  }
}

export type QueryKind = 'outbound' | 'recent' | 'echo';

interface QueryClient {
  nc: NatsConnection;
  bus: BotBus;
  echoBody: Uint8Array;
}

/** Request/reply: `outbound.get` / `recent_chat.get` (limit 20) on the service, or the bare echo; every reply validated. */
export function requestDriver(o: { url: string; query: QueryKind; timeoutMs?: number }): Driver<QueryClient> {
  return {
    async open(ctx) {
      const nc = await connectClient(o.url, `gen-req-${ctx.workerIndex}`);
      // The echo's body is the size of the service's outbound request, so the floor moves the same request bytes.
      return { nc, bus: createBotBus(nc, { requestTimeoutMs: o.timeoutMs ?? 5000 }), echoBody: new TextEncoder().encode(JSON.stringify({ limit: QUERY_LIMIT, max_retries: 3 })) };
    },
    async perform(c) {
      try {
        if (o.query === 'echo') {
          const m = await c.nc.request(FLOOR.req, c.echoBody, { timeout: o.timeoutMs ?? 5000 });
          const bad = checkEcho(m.data, c.echoBody);
          return bad ? errorOutcome(bad) : { status: 'ok', bytes: c.echoBody.byteLength * 2 };
        }
        const body = o.query === 'outbound' ? JSON.stringify({ limit: QUERY_LIMIT, max_retries: 3 }) : JSON.stringify({ limit: QUERY_LIMIT });
        const subject = o.query === 'outbound' ? 'rosey.db.messages.outbound.get' : 'rosey.db.stats.recent_chat.get';
        const r = await c.bus.requestRaw(subject, body);
        const bad = o.query === 'outbound' ? checkOutbound(r, QUERY_LIMIT, SEEDED_OUTBOUND) : checkRecentChat(r, QUERY_LIMIT);
        return bad ? errorOutcome(bad) : { status: 'ok', bytes: Buffer.byteLength(body) + Buffer.byteLength(r.body) };
      } catch (err) {
        const code = (err as { code?: unknown }).code;
        return errorOutcome(typeof code === 'string' ? code : 'request');
      }
    },
    async close(c) {
      await c.nc.drain().catch(() => {});
    },
  };
}

/**
 * The bot as deployed: chat events published fire-and-forget (core), ids `<prefix>-1`, `-2`… in
 * order, nothing subscribed — an op ends when publish() returns, so the generator's CPU per event
 * is the bot's own, without the benchmark's wait for the commit signal. Whether every event was
 * stored is checked after the load (storedRun), outside the measured CPU.
 */
export function publishDriver(o: { url: string; prefix: string; messageBytes?: number }): Driver<BotBus> {
  const size = o.messageBytes ?? 64;
  return {
    async open(ctx) {
      return createBotBus(await connectClient(o.url, `gen-publish-${ctx.workerIndex}`), { idPrefix: o.prefix });
    },
    async perform(bus, op) {
      const b = chatBody(op.seq, size);
      try {
        await bus.logMessage(b.username, b.message);
      } catch (err) {
        const code = (err as { code?: unknown }).code;
        return errorOutcome(typeof code === 'string' ? code : 'publish');
      }
      return OK;
    },
    async close(bus) {
      await bus.nc.drain().catch(() => {});
    },
  };
}

/**
 * What a publish-only run left in the service's database: ids `<prefix>-<n>` stored, and the highest
 * n. One client numbers its events 1, 2, 3… so `top - stored` events went missing in between (a
 * lost tail would not show: the caller also holds `stored` against the events it counted sent).
 */
export function storedRun(db: Db, prefix: string): { stored: number; top: number } {
  const row = db.prepare('SELECT count(*) AS stored, coalesce(max(CAST(substr(id, ?) AS INTEGER)), 0) AS top FROM wb_event_ids WHERE id >= ? AND id < ?').get(prefix.length + 2, `${prefix}-`, `${prefix}.`) as { stored: number; top: number };
  return row;
}

/** The v1 baseline: the same events written in the generator's own process (createDirectStore), no NATS. */
export function directDriver(o: { dbPath: string; commit: 'each' | 'group'; messageBytes?: number }): Driver<DirectStore> {
  const size = o.messageBytes ?? 64;
  let n = 0;
  return {
    open: () => createDirectStore(o.dbPath, { commit: o.commit }),
    async perform(store, op) {
      const b = chatBody(op.seq, size);
      await store.logMessage(b.username, b.message, { id: `direct-${process.pid}-${++n}` });
      return { status: 'ok', bytes: Buffer.byteLength(JSON.stringify(b)) } as Outcome;
    },
    close: (store) => store.close(),
  };
}

/** Does nothing and succeeds: the generator's own CPU per operation at a load, the floor under the other drivers' figures. */
export function idleDriver(): Driver<null> {
  return {
    open: () => null,
    perform: async () => OK,
    close: () => {},
  };
}

export { OK };
