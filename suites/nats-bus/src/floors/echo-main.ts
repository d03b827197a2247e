/**
 * The bare floors: what NATS alone costs, with no database. Every ack is the commit signal's own
 * shape (encodeCommitReport), so the generator decodes the same report in the floor arm as in the
 * bus arm. `wb.floor.pub` events are acknowledged one report per event on `wb.floor.ack` (the
 * service's publish → commit signal with commit `each`, minus SQLite and the bus's decoding);
 * `wb.floor.group` events in batches under group commit's rule (--max-batch, --max-delay-ms: the
 * suite passes the service's own) on `wb.floor.group-ack`; `wb.floor.req` requests are answered
 * with their own body. With --jetstream, events on `wb.floor.js` go through a work-queue stream
 * and a durable pull consumer like the service's (file storage, explicit ack) and are
 * acknowledged on `wb.floor.ack` after their ack.
 *
 *   node echo-main.ts --nats-url nats://127.0.0.1:4222 [--max-batch 256 --max-delay-ms 2] [--jetstream]   → READY floor-echo <core|jetstream>
 */
import { parseArgs } from 'node:util';
import { AckPolicy, DeliverPolicy, RetentionPolicy, StorageType, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { nanos } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import { encodeCommitReport } from '@wirebench/nats-bus';
import { FLOOR } from '../subjects.js';
import { createAckBatcher } from './ack-batcher.js';

const { values } = parseArgs({ options: { 'nats-url': { type: 'string' }, jetstream: { type: 'boolean' }, 'max-batch': { type: 'string' }, 'max-delay-ms': { type: 'string' } } });
const url = values['nats-url'] ?? 'nats://127.0.0.1:4222';

const nc = await connect({ servers: url, maxReconnectAttempts: -1, reconnectTimeWait: 250, name: 'floor-echo' });
const report = (ids: string[]): string => encodeCommitReport({ ids, count: ids.length, ignored: [], duplicates: [], failed: [] });
const ack = (id: string | undefined): void => {
  if (id !== undefined) nc.publish(FLOOR.ack, report([id]));
};
const batcher = createAckBatcher({ maxBatch: Number(values['max-batch'] ?? 256), maxDelayMs: Number(values['max-delay-ms'] ?? 2), send: (ids) => nc.publish(FLOOR.ackGroup, report(ids)) });

nc.subscribe(FLOOR.pub, { callback: (_err, m) => ack(m.headers?.get('Nats-Msg-Id')) });
nc.subscribe(FLOOR.pubGroup, {
  callback: (_err, m) => {
    const id = m.headers?.get('Nats-Msg-Id');
    if (id) batcher.add(id);
  },
});
nc.subscribe(FLOOR.req, { callback: (_err, m) => void m.respond(m.data) });

if (values.jetstream) {
  const jsm = await jetstreamManager(nc);
  // The service's stream settings (targets/nats-bus jetstream.ts), on the floor's own subject.
  const config = { name: FLOOR.stream, subjects: [FLOOR.js], storage: StorageType.File, retention: RetentionPolicy.Workqueue, duplicate_window: nanos(120_000) };
  if (await jsm.streams.info(FLOOR.stream).then(() => true, () => false)) await jsm.streams.update(FLOOR.stream, config);
  else await jsm.streams.add(config);
  if (!(await jsm.consumers.info(FLOOR.stream, FLOOR.durable).then(() => true, () => false))) {
    await jsm.consumers.add(FLOOR.stream, { durable_name: FLOOR.durable, ack_policy: AckPolicy.Explicit, deliver_policy: DeliverPolicy.All, ack_wait: nanos(5000), max_ack_pending: 1024 });
  }
  const consumer = await jetstream(nc).consumers.get(FLOOR.stream, FLOOR.durable);
  await consumer.consume({
    max_messages: 512,
    callback: (m) => {
      m.ack();
      ack(m.headers?.get('Nats-Msg-Id'));
    },
  });
}

await nc.flush();
const shutdown = (): void => {
  batcher.flush();
  void nc.drain().finally(() => process.exit(0));
};
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);
process.stdout.write(`READY floor-echo ${values.jetstream ? 'jetstream' : 'core'}\n`);
