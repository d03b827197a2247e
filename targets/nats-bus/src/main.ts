/**
 * Runs the DatabaseService: `node --import tsx src/main.ts --nats-url nats://127.0.0.1:4222 --db-path bot.db
 * [--mode core|jetstream] [--commit each|group]`. Prints `READY nats-bus <mode> <commit>` once subscribed;
 * SIGTERM/SIGINT drain the subscriptions, commit what is waiting, close SQLite and NATS, exit 0.
 */
import { connect } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/nats-core';
import { parseBusArgs } from './cli.js';
import { BusError, BusErrorCode, describeError } from './errors.js';
import { createDatabaseService } from './service.js';

async function main(): Promise<void> {
  const cfg = parseBusArgs(process.argv.slice(2));
  let nc: NatsConnection;
  try {
    nc = await connect({ servers: cfg.natsUrl, maxReconnectAttempts: -1, reconnectTimeWait: 250, timeout: 5000, name: 'nats-bus' });
  } catch (err) {
    throw new BusError(BusErrorCode.NatsConnect, `cannot connect to ${cfg.natsUrl} (${(err as Error).message})`, 'start nats-server (with -js for --mode jetstream) or fix --nats-url', err);
  }
  const service = createDatabaseService({
    nc,
    dbPath: cfg.dbPath,
    delivery: cfg.mode,
    commit: cfg.commit,
    maxBatch: cfg.maxBatch,
    maxDelayMs: cfg.maxDelayMs,
    commitSubject: cfg.commitSubject,
    busyTimeoutMs: cfg.busyTimeoutMs,
    jetstream: { ackWaitMs: cfg.ackWaitMs },
    onIssue: cfg.log ? (i) => process.stderr.write(`nats-bus: ${i.code} ${i.subject}${i.id ? ` [${i.id}]` : ''}: ${i.message}\n`) : undefined,
  });
  let closing: Promise<void> | null = null;
  const shutdown = () => {
    closing ??= (async () => {
      let code = 0;
      try {
        await service.close();
        await nc.drain();
      } catch (err) {
        process.stderr.write(`nats-bus: shutdown: ${describeError(err)}\n`);
        code = 1;
      }
      process.exit(code);
    })();
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
  await service.start();
  process.stdout.write(`READY nats-bus ${cfg.mode} ${cfg.commit}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`nats-bus failed to start: ${describeError(err)}\n`);
  process.exit(1);
});
