/**
 * `jetstream` delivery: a work-queue stream over the 7 event subjects and one durable pull consumer
 * with explicit acks. A message is acknowledged only after its SQLite commit; a database-wide failure
 * is nak'd and comes back later; nothing is lost while the service is down or restarts.
 */
import { AckPolicy, DeliverPolicy, DiscardPolicy, jetstream, jetstreamManager, RetentionPolicy, StorageType } from '@nats-io/jetstream';
import type { ConsumerMessages, JetStreamManager, JsMsg, StreamConfig } from '@nats-io/jetstream';
import { nanos } from '@nats-io/nats-core';
import type { NatsConnection } from '@nats-io/nats-core';
import { DEFAULT_DURABLE, DEFAULT_STREAM, EVENT_SUBJECTS } from './subjects.js';

export interface JetStreamOptions {
  /** Stream name. Default ROSEY_DB. */
  stream?: string;
  /** Durable consumer name. Default rosey-db-service. */
  durable?: string;
  /** A delivered message not acknowledged this long is delivered again (e.g. after a kill -9). Default 5000. */
  ackWaitMs?: number;
  /** Most messages delivered and not yet acknowledged. Default 1024. */
  maxAckPending?: number;
  /** A message whose write failed on a database-wide condition comes back after this long. Default 250. */
  retryDelayMs?: number;
  /** Publishes with the same Nats-Msg-Id within this window are stored once by the stream. Default 120000. */
  duplicateWindowMs?: number;
}

export type ResolvedJetStreamOptions = Required<JetStreamOptions>;

export function resolveJetStreamOptions(o: JetStreamOptions = {}): ResolvedJetStreamOptions {
  return {
    stream: o.stream ?? DEFAULT_STREAM,
    durable: o.durable ?? DEFAULT_DURABLE,
    ackWaitMs: o.ackWaitMs ?? 5000,
    maxAckPending: o.maxAckPending ?? 1024,
    retryDelayMs: o.retryDelayMs ?? 250,
    duplicateWindowMs: o.duplicateWindowMs ?? 120_000,
  };
}

/**
 * Creates the stream, or updates it to these subjects. Only the 7 event subjects: a stream over all of
 * `rosey.db.>` would also store the 2 request subjects and answer every request with its PubAck.
 */
export async function ensureBusStream(nc: NatsConnection, opts: JetStreamOptions = {}): Promise<JetStreamManager> {
  const o = resolveJetStreamOptions(opts);
  const jsm = await jetstreamManager(nc);
  const config: Partial<StreamConfig> & { name: string } = {
    name: o.stream,
    subjects: [...EVENT_SUBJECTS],
    storage: StorageType.File,
    retention: RetentionPolicy.Workqueue,
    discard: DiscardPolicy.Old,
    duplicate_window: nanos(o.duplicateWindowMs),
  };
  const exists = await jsm.streams.info(o.stream).then(() => true, () => false);
  if (exists) await jsm.streams.update(o.stream, config);
  else await jsm.streams.add(config);
  return jsm;
}

async function ensureConsumer(jsm: JetStreamManager, o: ResolvedJetStreamOptions): Promise<void> {
  const exists = await jsm.consumers.info(o.stream, o.durable).then(() => true, () => false);
  const limits = { ack_wait: nanos(o.ackWaitMs), max_ack_pending: o.maxAckPending, max_deliver: -1 };
  if (exists) await jsm.consumers.update(o.stream, o.durable, limits);
  else await jsm.consumers.add(o.stream, { durable_name: o.durable, ack_policy: AckPolicy.Explicit, deliver_policy: DeliverPolicy.All, ...limits });
}

export interface BusConsumer {
  /** Stops pulling; messages delivered but not yet handled come back after ack_wait. */
  stop(): Promise<void>;
}

/** Consumes the durable, handing each message to `onMessage` (which must ack, nak or term it). */
export async function startBusConsumer(nc: NatsConnection, opts: JetStreamOptions, onMessage: (m: JsMsg) => void): Promise<BusConsumer> {
  const o = resolveJetStreamOptions(opts);
  const jsm = await ensureBusStream(nc, o);
  await ensureConsumer(jsm, o);
  const consumer = await jetstream(nc).consumers.get(o.stream, o.durable);
  const messages: ConsumerMessages = await consumer.consume({ max_messages: Math.min(o.maxAckPending, 512), callback: onMessage });
  return {
    async stop() {
      await messages.close();
    },
  };
}
