/** Commit modes, the commit signal, event ids stored once, and the direct baseline against the service. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import type { RoseyDbApi } from './api.js';
import { createBotBus } from './bot-bus.js';
import { createDirectStore } from './direct.js';
import type { Store } from './store.js';
import { eventually, natsClient, rig, rows, tempDir, watchCommits } from './test-helpers.js';

test('commit each: one transaction and one signal per event, ids in publish order', { timeout: 20_000 }, async (t) => {
  const r = await rig(t, { commit: 'each' });
  const ids: string[] = [];
  for (let i = 0; i < 20; i++) ids.push((await r.bus.logMessage('u', `m${i}`)).id as string);
  await r.bus.flush();
  await r.commits.waitSettled(20);
  assert.equal(r.commits.reports.length, 20);
  assert.ok(r.commits.reports.every((x) => x.count === 1 && x.ids.length === 1));
  assert.deepEqual(r.commits.stored(), ids);
  assert.equal(r.service.stats().commits, 20);
  assert.equal(rows(r.service, 'SELECT * FROM recent_chat').length, 20);
});

test('commit group: one transaction per batch, closed by count; a query commits what waits first', { timeout: 20_000 }, async (t) => {
  const r = await rig(t, { commit: 'group', maxBatch: 50, maxDelayMs: 60_000 });
  const ids: string[] = [];
  for (let i = 0; i < 210; i++) ids.push((await r.bus.userCount(i, i)).id as string);
  await r.bus.flush();
  await r.commits.waitSettled(200);
  assert.deepEqual(r.commits.reports.map((x) => x.count), [50, 50, 50, 50]);
  assert.equal(rows(r.service, 'SELECT * FROM user_count_history').length, 200);
  // 10 wait for a 50th event or 60 s; the query sees them (read your writes) because it commits them first.
  r.service.store.db.prepare("INSERT INTO outbound_messages (timestamp, message) VALUES (1, 'x')").run();
  await r.bus.markSent(1);
  assert.deepEqual(await r.bus.getOutbound(), []);
  await r.commits.waitSettled(211);
  assert.equal(r.commits.reports.at(-1)?.count, 11);
  assert.deepEqual(r.commits.stored(), [...ids, r.commits.stored().at(-1)]);
  assert.equal(r.service.stats().commits, 5);
});

test('commit group: a batch that does not fill is committed within maxDelayMs; stop() commits what waits', { timeout: 20_000 }, async (t) => {
  const r = await rig(t, { commit: 'group', maxBatch: 1000, maxDelayMs: 20 });
  await r.bus.userJoined('a');
  await r.bus.userJoined('b');
  await r.bus.flush();
  await r.commits.waitSettled(2);
  await r.service.stop();
  const slow = await rig(t, { server: r.server, commit: 'group', maxBatch: 1000, maxDelayMs: 60_000, commitSubject: 'slow.committed' });
  await slow.bus.userJoined('c');
  await eventually(() => slow.service.stats().waiting === 1);
  await slow.service.stop();
  assert.deepEqual(rows(slow.service, 'SELECT username FROM user_stats'), [{ username: 'c' }]);
});

test('commit signal: ignored and duplicate ids are reported apart; an id is stored once; no signal when disabled', { timeout: 20_000 }, async (t) => {
  const r = await rig(t);
  await r.bus.logMessage('u', 'once', { id: 'fixed-1' });
  await r.bus.logMessage('u', 'once again', { id: 'fixed-1' });
  await r.bus.userJoined('', { id: 'bad-1' });
  // The original bot's payloads exactly: no id header.
  await createBotBus(r.nc, { ids: false }).userJoined('old-bot');
  await r.bus.flush();
  await r.commits.waitSettled(4);
  assert.deepEqual(r.commits.all('duplicates'), ['fixed-1']);
  assert.deepEqual(r.commits.all('ignored'), ['bad-1']);
  assert.deepEqual(r.commits.stored(), ['fixed-1']); // the event without an id is counted, not listed
  assert.equal(r.commits.settled(), 4);
  assert.deepEqual(rows(r.service, 'SELECT message FROM recent_chat'), [{ message: 'once' }]);
  assert.deepEqual(rows(r.service, 'SELECT username FROM user_stats'), [{ username: 'old-bot' }]);

  const quiet = await rig(t, { commitSubject: null });
  const nc = await natsClient(t, quiet.server.url);
  const log = await watchCommits(nc);
  await quiet.bus.userJoined('x');
  await quiet.bus.flush();
  await eventually(() => quiet.service.stats().stored === 1);
  await nc.flush();
  assert.equal(log.reports.length, 0);
});

/** One scenario through any RoseyDbApi. */
async function scenario(api: RoseyDbApi): Promise<void> {
  await api.userJoined('alice');
  await api.userJoined('bob');
  await api.logMessage('alice', 'hi');
  await api.logMessage('server', 'notice');
  await api.userCount(2, 3);
  await api.highWater(2, 3);
  await api.statusUpdate({ bot_name: 'Rosey', bot_connected: true, unknown: 1 });
  await api.markSent(1);
  await api.userLeft('bob');
  await api.userJoined('');
}

function snapshot(store: Store): Record<string, unknown[]> {
  const tables = ['user_stats', 'recent_chat', 'user_count_history', 'channel_stats', 'current_status', 'outbound_messages'];
  return Object.fromEntries(tables.map((name) => [name, store.db.prepare(`SELECT * FROM ${name} ORDER BY 1`).all()]));
}

test('direct store: the same methods give the same tables as the service over NATS, in both commit modes', { timeout: 20_000 }, async (t) => {
  const clock = () => 1_234_567;
  const seed = (s: Store) => s.db.prepare("INSERT INTO outbound_messages (timestamp, message) VALUES (1, 'queued')").run();
  const r = await rig(t, { clock });
  seed(r.service.store);
  await scenario(r.bus);
  await r.bus.flush();
  await r.commits.waitSettled(10);
  const overNats = snapshot(r.service.store);
  for (const commit of ['each', 'group'] as const) {
    const direct = createDirectStore(join(tempDir(t), 'direct.db'), { commit, clock });
    t.after(() => direct.close());
    seed(direct.store);
    // Each event's promise settles at its commit: all awaited, nothing waits.
    await scenario(direct);
    assert.deepEqual(snapshot(direct.store), overNats, commit);
    assert.deepEqual(await direct.getRecentChat(), [{ timestamp: 1_234_567, username: 'alice', message: 'hi' }]);
    assert.deepEqual(direct.stats().ignored, 1);
  }
});
