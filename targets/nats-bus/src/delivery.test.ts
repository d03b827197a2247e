/**
 * Delivery modes with real processes: jetstream loses nothing and stores nothing twice across a service
 * kill -9 and a nats-server restart; core loses exactly what is published while the service is down.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import type { TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { createBotBus } from './bot-bus.js';
import { eventually, natsClient, natsServer, rig, rows, startMain, tempDir } from './test-helpers.js';
import type { MainProcess } from './test-helpers.js';

/** Chat messages in the database, read from outside the service (as a reader next to it would). */
function chatMessages(t: TestContext, dbPath: string): () => string[] {
  let db: Database.Database | null = null;
  t.after(() => db?.close());
  return () => {
    db ??= new Database(dbPath);
    return (db.prepare('SELECT message FROM recent_chat ORDER BY id').all() as { message: string }[]).map((r) => r.message);
  };
}

test('jetstream: every event stored exactly once across a service kill -9 and a nats-server restart mid-publish', { timeout: 60_000 }, async (t) => {
  const server = await natsServer(t, { jetstream: true });
  const dbPath = join(tempDir(t), 'bot.db');
  const args = ['--nats-url', server.url, '--db-path', dbPath, '--mode', 'jetstream', '--commit', 'group', '--ack-wait-ms', '1000'];
  let service: MainProcess = await startMain(t, args);
  assert.equal(service.ready, 'READY nats-bus jetstream group');
  const nc = await natsClient(t, server.url);
  const bus = createBotBus(nc, { delivery: 'jetstream', idPrefix: 'z', publishTimeoutMs: 500, publishDeadlineMs: 40_000 });
  const stored = chatMessages(t, dbPath);

  const N = 600;
  let serviceBack: Promise<void> = Promise.resolve();
  let serverRestart: Promise<void> = Promise.resolve();
  for (let i = 0; i < N; i++) {
    if (i === 150) {
      // A crash, not a shutdown: whatever it held unacknowledged comes back after ack_wait.
      service.child.kill('SIGKILL');
      serviceBack = service.exited.then(async () => {
        service = await startMain(t, args);
      });
    }
    if (i === 400) {
      await serviceBack;
      serverRestart = server.restart();
    }
    await bus.logMessage('u', `m${i}`, { id: `z-${i}` });
    if (i % 4 === 0) await sleep(1);
  }
  await serverRestart;
  await serviceBack;
  await eventually(() => stored().length >= N, 30_000, `${N} stored rows (have ${stored().length})`);
  await sleep(1200); // one more ack_wait: a late redelivery would show up as a second row
  const messages = stored();
  assert.equal(messages.length, N, 'nothing stored twice');
  assert.equal(new Set(messages).size, N);
  assert.deepEqual([...messages].sort(), Array.from({ length: N }, (_, i) => `m${i}`).sort(), 'nothing lost');
  service.child.kill('SIGTERM');
  assert.equal(await service.exited, 0);
});

test('core: what is published while the service is down is lost, and only that (counted)', { timeout: 30_000 }, async (t) => {
  const r = await rig(t, { delivery: 'core', commit: 'each', bus: { idPrefix: 'c' } });
  const published: string[] = [];
  const publish = async (phase: string, n: number) => {
    for (let i = 0; i < n; i++) published.push((await r.bus.logMessage('u', `${phase}-${i}`)).id as string);
    await r.bus.flush();
  };
  await publish('up1', 50);
  await r.commits.waitSettled(50);
  await r.service.stop(); // down: no subscriber on the event subjects
  await publish('down', 30);
  await r.service.start();
  await publish('up2', 50);
  await r.commits.waitSettled(100);
  const messages = rows<{ message: string }>(r.service, 'SELECT message FROM recent_chat ORDER BY id').map((x) => x.message);
  const lost = published.filter((id) => !r.commits.stored().includes(id));
  assert.equal(lost.length, 30);
  assert.equal(published.length - messages.length, 30);
  assert.equal(messages.filter((m) => m.startsWith('down-')).length, 0);
  assert.equal(new Set(messages).size, 100);
});

test('jetstream (in-process, commit each): events published while the service is stopped are stored after start', { timeout: 30_000 }, async (t) => {
  const r = await rig(t, { delivery: 'jetstream', commit: 'each', jetstream: { ackWaitMs: 1000 } });
  await r.bus.logMessage('u', 'before');
  await r.commits.waitSettled(1);
  await r.service.stop();
  for (let i = 0; i < 20; i++) await r.bus.logMessage('u', `while-down-${i}`);
  assert.equal(rows(r.service, 'SELECT * FROM recent_chat').length, 1);
  await r.service.start();
  await r.commits.waitSettled(21);
  assert.equal(rows(r.service, 'SELECT * FROM recent_chat').length, 21);
  assert.equal(r.commits.reports.length, 21, 'one commit per event');
});

test('jetstream: a re-sent id after the stream forgot it (duplicate window) is still stored once', { timeout: 30_000 }, async (t) => {
  const r = await rig(t, { delivery: 'jetstream', jetstream: { duplicateWindowMs: 200 } });
  const first = await r.bus.logMessage('u', 'one', { id: 'same' });
  const again = await r.bus.logMessage('u', 'one', { id: 'same' });
  assert.equal(again.duplicate, true, 'the stream itself drops it inside its window');
  await sleep(400);
  const late = await r.bus.logMessage('u', 'one', { id: 'same' });
  assert.equal(late.duplicate, false);
  assert.notEqual(late.seq, first.seq);
  await r.commits.waitSettled(2);
  assert.deepEqual(r.commits.all('duplicates'), ['same']);
  assert.equal(rows(r.service, 'SELECT * FROM recent_chat').length, 1);
});
