import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { createBotBus } from './bot-bus.js';
import { parseBusArgs } from './cli.js';
import { natsClient, natsServer, runMainToExit, startMain, tempDir, watchCommits } from './test-helpers.js';

test('main.ts: READY once subscribed; SIGTERM drains, commits the waiting group and exits 0', { timeout: 30_000 }, async (t) => {
  const server = await natsServer(t, { jetstream: false });
  const dbPath = join(tempDir(t), 'bot.db');
  const main = await startMain(t, ['--nats-url', server.url, '--db-path', dbPath, '--commit', 'group', '--max-batch', '1000', '--max-delay-ms', '60000']);
  assert.equal(main.ready, 'READY nats-bus core group');
  const nc = await natsClient(t, server.url);
  const commits = await watchCommits(nc);
  const bus = createBotBus(nc);
  // Subscribed at READY: a request is answered at once.
  assert.deepEqual(await bus.getOutbound(), []);
  for (let i = 0; i < 25; i++) await bus.logMessage('u', `m${i}`);
  await bus.flush();
  main.child.kill('SIGTERM');
  assert.equal(await main.exited, 0);
  await commits.waitSettled(25);
  const db = new Database(dbPath, { readonly: true });
  t.after(() => db.close());
  assert.equal((db.prepare('SELECT count(*) AS n FROM recent_chat').get() as { n: number }).n, 25);
  assert.equal(main.stderr(), '');
});

test('main.ts: no NATS, or no JetStream, ends with one coded line and exit 1 (bad flags: parseBusArgs below)', { timeout: 30_000 }, async (t) => {
  const dbPath = join(tempDir(t), 'bot.db');
  const server = await natsServer(t, { jetstream: false });
  const noJs = await runMainToExit(['--nats-url', server.url, '--db-path', dbPath, '--mode', 'jetstream']);
  assert.equal(noJs.code, 1);
  assert.match(noJs.stderr, /WB_ERR_NATS_CONNECT: .*-js/);
  assert.equal(noJs.stderr.trim().split('\n').length, 1);

  await server.stop();
  const noNats = await runMainToExit(['--nats-url', server.url, '--db-path', dbPath]);
  assert.equal(noNats.code, 1);
  assert.match(noNats.stderr, /WB_ERR_NATS_CONNECT: cannot connect to nats:\/\/127\.0\.0\.1:\d+/);
});

test('parseBusArgs: defaults, environment, flags win', () => {
  const d = parseBusArgs([], {});
  assert.deepEqual(d, { natsUrl: 'nats://localhost:4222', dbPath: 'bot_data.db', mode: 'core', commit: 'each', maxBatch: undefined, maxDelayMs: undefined, commitSubject: 'wirebench.bus.committed', busyTimeoutMs: undefined, ackWaitMs: undefined, log: false });
  const e = parseBusArgs(['--commit', 'each'], { WB_BUS_MODE: 'jetstream', WB_BUS_COMMIT: 'group', WB_BUS_COMMIT_SUBJECT: 'none', NATS_URL: 'nats://h:1' });
  assert.equal(e.mode, 'jetstream');
  assert.equal(e.commit, 'each');
  assert.equal(e.commitSubject, null);
  assert.equal(e.natsUrl, 'nats://h:1');
  assert.throws(() => parseBusArgs(['--max-batch=-1'], {}), { code: 'WB_ERR_BUS_BAD_OPTION' });
  assert.throws(() => parseBusArgs(['--nope'], {}), { code: 'WB_ERR_BUS_BAD_OPTION' });
});
