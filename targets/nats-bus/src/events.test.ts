/** The contract's rules per fire-and-forget subject, over a real nats-server (core delivery, one commit per event). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CHAT_RETENTION_SECONDS } from './schema.js';
import { Subjects } from './subjects.js';
import { rig, rows } from './test-helpers.js';
import type { Rig } from './test-helpers.js';

/** A rig whose clock the test sets. */
async function clocked(t: Parameters<typeof rig>[0]): Promise<Rig & { setNow(s: number): void; settle(n: number): Promise<void> }> {
  let now = 1_700_000_000;
  const r = await rig(t, { clock: () => now });
  let expected = 0;
  return {
    ...r,
    setNow: (s) => (now = s),
    async settle(n) {
      await r.bus.flush();
      expected += n;
      await r.commits.waitSettled(expected);
    },
  };
}

test('user.joined / user.left: insert, new session, session time credited, left without a session does nothing', { timeout: 20_000 }, async (t) => {
  const r = await clocked(t);
  const user = (u: string) => rows(r.service, 'SELECT * FROM user_stats WHERE username = ?', u)[0];
  r.setNow(1000);
  await r.bus.userJoined('alice');
  await r.settle(1);
  assert.deepEqual(user('alice'), { username: 'alice', first_seen: 1000, last_seen: 1000, total_chat_lines: 0, total_time_connected: 0, current_session_start: 1000 });
  r.setNow(1060);
  await r.bus.userLeft('alice');
  await r.settle(1);
  assert.deepEqual(user('alice'), { username: 'alice', first_seen: 1000, last_seen: 1060, total_chat_lines: 0, total_time_connected: 60, current_session_start: null });
  r.setNow(1100);
  await r.bus.userLeft('alice'); // no open session: unchanged, last_seen too
  await r.bus.userLeft('nobody');
  await r.settle(2);
  assert.equal(user('alice')?.last_seen, 1060);
  assert.equal(user('nobody'), undefined);
  // The clock is read when the service handles an event: settle before moving it.
  r.setNow(1200);
  await r.bus.userJoined('alice');
  await r.settle(1);
  r.setNow(1300);
  await r.bus.userJoined('alice'); // an open session is restarted, its time discarded (as the original)
  await r.settle(1);
  r.setNow(1310);
  await r.bus.userLeft('alice');
  await r.settle(1);
  assert.deepEqual(user('alice'), { username: 'alice', first_seen: 1000, last_seen: 1310, total_chat_lines: 0, total_time_connected: 70, current_session_start: null });
  // Empty usernames are ignored.
  await r.bus.publishRaw(Subjects.userJoined, '{"username":""}');
  await r.bus.publishRaw(Subjects.userJoined, '{}');
  await r.bus.publishRaw(Subjects.userLeft, '{"username":""}');
  await r.settle(3);
  assert.equal(rows(r.service, 'SELECT * FROM user_stats').length, 1);
  assert.equal(r.commits.all('ignored').length, 3);
});

test('message.log: lines counted for known users only, "server" (any case) not kept, rows older than 150 h deleted', { timeout: 20_000 }, async (t) => {
  const r = await clocked(t);
  const t0 = 2_000_000;
  r.setNow(t0);
  await r.bus.userJoined('bob');
  await r.bus.logMessage('bob', 'hello');
  await r.bus.logMessage('stranger', 'hi'); // kept in recent_chat, no user_stats row created
  await r.bus.logMessage('SeRvEr', 'restarting');
  await r.bus.logMessage('bob', ''); // ignored: needs both fields
  await r.bus.publishRaw(Subjects.messageLog, '{"message":"no user"}');
  await r.settle(6);
  assert.equal(rows(r.service, 'SELECT total_chat_lines FROM user_stats WHERE username = ?', 'bob')[0]?.total_chat_lines, 1);
  assert.equal(rows(r.service, 'SELECT * FROM user_stats WHERE username = ?', 'stranger').length, 0);
  assert.deepEqual(rows(r.service, 'SELECT timestamp, username, message FROM recent_chat ORDER BY id'), [
    { timestamp: t0, username: 'bob', message: 'hello' },
    { timestamp: t0, username: 'stranger', message: 'hi' },
  ]);
  // Exactly 150 h later both rows stay (strictly older goes); one second more and they go.
  r.setNow(t0 + CHAT_RETENTION_SECONDS);
  await r.bus.logMessage('bob', 'at the edge');
  await r.settle(1);
  assert.equal(rows(r.service, 'SELECT * FROM recent_chat').length, 3);
  r.setNow(t0 + CHAT_RETENTION_SECONDS + 1);
  await r.bus.logMessage('bob', 'later');
  await r.settle(1);
  assert.deepEqual(rows(r.service, 'SELECT message FROM recent_chat ORDER BY id').map((x) => x.message), ['at the edge', 'later']);
});

test('stats.user_count: absent counts are 0, an explicit null stores no row', { timeout: 20_000 }, async (t) => {
  const r = await clocked(t);
  r.setNow(5000);
  await r.bus.userCount(4, 9);
  await r.bus.publishRaw(Subjects.userCount, '{}');
  await r.bus.publishRaw(Subjects.userCount, '{"chat_count":3}');
  await r.bus.publishRaw(Subjects.userCount, '{"chat_count":null,"connected_count":2}');
  await r.bus.publishRaw(Subjects.userCount, '{"chat_count":1,"connected_count":null}');
  await r.settle(5);
  assert.deepEqual(rows(r.service, 'SELECT timestamp, chat_users, connected_users FROM user_count_history ORDER BY id'), [
    { timestamp: 5000, chat_users: 4, connected_users: 9 },
    { timestamp: 5000, chat_users: 0, connected_users: 0 },
    { timestamp: 5000, chat_users: 3, connected_users: 0 },
  ]);
});

test('stats.high_water: written only on a new maximum; absent/null connected skips that peak; null chat drops it all', { timeout: 20_000 }, async (t) => {
  const r = await clocked(t);
  const stats = () => rows(r.service, 'SELECT max_users, max_users_timestamp, max_connected, max_connected_timestamp FROM channel_stats WHERE id = 1')[0];
  r.setNow(100);
  await r.bus.highWater(5, 10);
  await r.settle(1);
  assert.deepEqual(stats(), { max_users: 5, max_users_timestamp: 100, max_connected: 10, max_connected_timestamp: 100 });
  r.setNow(200);
  await r.bus.highWater(5, 10); // not greater: nothing
  await r.bus.highWater(3, 12); // connected only
  await r.settle(2);
  assert.deepEqual(stats(), { max_users: 5, max_users_timestamp: 100, max_connected: 12, max_connected_timestamp: 200 });
  r.setNow(300);
  await r.bus.highWater(7); // connected_count absent: chat peak only
  await r.bus.publishRaw(Subjects.highWater, '{"chat_count":6,"connected_count":null}');
  await r.settle(2);
  assert.deepEqual(stats(), { max_users: 7, max_users_timestamp: 300, max_connected: 12, max_connected_timestamp: 200 });
  r.setNow(400);
  await r.bus.publishRaw(Subjects.highWater, '{"chat_count":null,"connected_count":50}'); // dropped, the connected peak too
  await r.bus.publishRaw(Subjects.highWater, '{"chat_count":"9","connected_count":50}');
  await r.bus.publishRaw(Subjects.highWater, '{"connected_count":40}'); // chat absent = 0
  await r.settle(3);
  assert.deepEqual(stats(), { max_users: 7, max_users_timestamp: 300, max_connected: 40, max_connected_timestamp: 400 });
  assert.equal(r.commits.all('ignored').length, 2);
});

test('status.update: whitelisted keys applied, unknown keys ignored, last_updated only when something applied', { timeout: 20_000 }, async (t) => {
  const r = await clocked(t);
  const status = () => rows(r.service, 'SELECT * FROM current_status WHERE id = 1')[0] as Record<string, unknown>;
  r.setNow(7000);
  await r.bus.statusUpdate({ bot_name: 'Rosey', bot_rank: 3.5, bot_afk: false, channel_name: 'ch', current_chat_users: 4, current_connected_users: 6, bot_start_time: 6000, bot_connected: true, mood: 'happy' });
  await r.settle(1);
  assert.deepEqual(
    { ...status() },
    { id: 1, bot_name: 'Rosey', bot_rank: 3.5, bot_afk: 0, channel_name: 'ch', current_chat_users: 4, current_connected_users: 6, playlist_items: 0, current_media_title: null, current_media_duration: null, bot_start_time: 6000, bot_connected: 1, last_updated: 7000 },
  );
  r.setNow(8000);
  await r.bus.statusUpdate({ mood: 'sad', colour: 'blue' }); // only unknown keys: nothing, last_updated kept
  await r.bus.publishRaw(Subjects.statusUpdate, '{"status_data":{}}');
  await r.bus.publishRaw(Subjects.statusUpdate, '{}');
  await r.bus.publishRaw(Subjects.statusUpdate, '{"status_data":["bot_name"]}');
  await r.bus.publishRaw(Subjects.statusUpdate, '{"status_data":"Rosey"}');
  await r.bus.publishRaw(Subjects.statusUpdate, '{"status_data":{"bot_name":{"nested":1}}}');
  await r.settle(6);
  assert.equal(status().last_updated, 7000);
  assert.equal(status().bot_name, 'Rosey');
  r.setNow(9000);
  await r.bus.statusUpdate({ playlist_items: 12, current_media_title: 'Song', current_media_duration: 240 });
  await r.settle(1);
  assert.equal(status().last_updated, 9000);
  assert.equal(status().current_media_title, 'Song');
  assert.equal(status().bot_name, 'Rosey');
});

test('messages.outbound.mark_sent: sets sent and sent_timestamp (again on a sent row); no id, null id: ignored', { timeout: 20_000 }, async (t) => {
  const r = await clocked(t);
  r.service.store.db.prepare("INSERT INTO outbound_messages (timestamp, message) VALUES (10, 'a'), (11, 'b')").run();
  r.setNow(500);
  await r.bus.markSent(1);
  await r.bus.publishRaw(Subjects.markSent, '{}');
  await r.bus.publishRaw(Subjects.markSent, '{"message_id":null}');
  await r.bus.markSent(99); // no such row: nothing
  await r.settle(4);
  const sent = () => rows(r.service, 'SELECT id, sent, sent_timestamp FROM outbound_messages ORDER BY id');
  assert.deepEqual(sent(), [{ id: 1, sent: 1, sent_timestamp: 500 }, { id: 2, sent: 0, sent_timestamp: null }]);
  r.setNow(600);
  await r.bus.markSent(1);
  await r.settle(1);
  assert.equal(sent()[0]?.sent_timestamp, 600);
  assert.deepEqual(r.issues.filter((i) => i.subject === Subjects.markSent).map((i) => i.message), ['missing message_id', 'missing message_id']);
});
