/** The 2 request/reply subjects over a real nats-server: the queries' semantics and the error replies. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createBotBus } from './bot-bus.js';
import { BusError } from './errors.js';
import { Subjects } from './subjects.js';
import { eventually, rig, rows } from './test-helpers.js';

const NOW = 1_800_000_000;

test('outbound.get: unsent, under max_retries, back-off 2^retry_count minutes, oldest first, limit', { timeout: 20_000 }, async (t) => {
  const r = await rig(t, { clock: () => NOW });
  const insert = r.service.store.db.prepare('INSERT INTO outbound_messages (timestamp, message, sent, retry_count, last_error) VALUES (?, ?, ?, ?, ?)');
  insert.run(NOW - 1, 'fresh', 0, 0, null);
  insert.run(NOW - 119, 'retry1-early', 0, 1, 'e1');
  insert.run(NOW - 120, 'retry1-due', 0, 1, 'e1');
  insert.run(NOW - 240, 'retry2-due', 0, 2, 'e2');
  insert.run(NOW - 239, 'retry2-early', 0, 2, 'e2');
  insert.run(NOW - 10_000, 'retry3', 0, 3, 'e3');
  insert.run(NOW - 20_000, 'sent', 1, 0, null);
  insert.run(NOW + 50, 'future', 0, 0, null);
  const got = await r.bus.getOutbound();
  assert.deepEqual(got.map((x) => x.message), ['retry2-due', 'retry1-due', 'fresh', 'future']);
  assert.deepEqual(got[0], { id: 4, timestamp: NOW - 240, message: 'retry2-due', retry_count: 2, last_error: 'e2' });
  assert.deepEqual((await r.bus.getOutbound({ limit: 2 })).map((x) => x.message), ['retry2-due', 'retry1-due']);
  assert.deepEqual((await r.bus.getOutbound({ maxRetries: 4 })).map((x) => x.message), ['retry3', 'retry2-due', 'retry1-due', 'fresh', 'future']);
  // The bot's own request (limit 20, max_retries 3) and an empty object (defaults 50 and 3) agree here.
  const raw = await r.bus.requestRaw(Subjects.outboundGet, '{}');
  assert.equal(raw.error, undefined);
  assert.equal(JSON.parse(raw.body).length, 4);
});

test('recent_chat.get: newest `limit` rows, oldest first; same-second rows as the original orders them', { timeout: 20_000 }, async (t) => {
  const r = await rig(t, { clock: () => NOW });
  const insert = r.service.store.db.prepare('INSERT INTO recent_chat (timestamp, username, message) VALUES (?, ?, ?)');
  insert.run(100, 'u', 'a1');
  insert.run(100, 'u', 'a2');
  insert.run(99, 'u', 'z');
  insert.run(100, 'u', 'a3');
  insert.run(101, 'u', 'b1');
  const messages = async (limit?: number) => (await r.bus.getRecentChat(limit === undefined ? {} : { limit })).map((x) => x.message);
  assert.deepEqual(await messages(), ['z', 'a3', 'a2', 'a1', 'b1']);
  assert.deepEqual(await messages(3), ['a2', 'a1', 'b1']);
  // The same rows as the original's query (ORDER BY timestamp DESC, through its index, then reversed).
  const original = rows<{ message: string }>(r.service, 'SELECT message FROM recent_chat ORDER BY timestamp DESC LIMIT 3').map((x) => x.message).reverse();
  assert.deepEqual(original, ['a2', 'a1', 'b1']);
  const [first] = await r.bus.getRecentChat({ limit: 1 });
  assert.deepEqual(first, { timestamp: 101, username: 'u', message: 'b1' });
});

test('bad requests answer [] with Nats-Service-Error headers; a lenient bus reads them as [] like the bot, a strict one throws', { timeout: 20_000 }, async (t) => {
  const r = await rig(t);
  const cases: [string, string, RegExp][] = [
    [Subjects.outboundGet, '{not json', /invalid JSON/],
    [Subjects.outboundGet, '[1,2]', /not a JSON object/],
    [Subjects.outboundGet, '{"limit":"20"}', /limit must be an integer/],
    [Subjects.outboundGet, '{"max_retries":null}', /max_retries must be an integer/],
    [Subjects.recentChatGet, '{"limit":2.5}', /limit must be an integer/],
    [Subjects.recentChatGet, '', /invalid JSON/],
  ];
  for (const [subject, body, why] of cases) {
    const reply = await r.bus.requestRaw(subject, body);
    assert.equal(reply.body, '[]', body);
    assert.equal(reply.error?.code, 400, body);
    assert.match(reply.error?.description ?? '', why);
  }
  await assert.rejects(r.bus.getOutbound({ limit: 2.5 }), (err: unknown) => err instanceof BusError && err.code === 'WB_ERR_BUS_SERVICE_ERROR');
  const lenient = createBotBus(r.nc, { lenient: true });
  assert.deepEqual(await lenient.getOutbound({ limit: 2.5 }), []);
  assert.equal(r.service.stats().requestErrors, cases.length + 2);
});

test('a request without a reply subject is counted and not answered; the service keeps serving', { timeout: 20_000 }, async (t) => {
  const r = await rig(t);
  r.nc.publish(Subjects.outboundGet, '{"limit":20,"max_retries":3}');
  r.nc.publish(Subjects.recentChatGet, '{}');
  await eventually(() => r.service.stats().noReply === 2);
  assert.deepEqual(await r.bus.getRecentChat(), []);
});

test('no service listening: a requester is told "no responders" at once, with a coded error', { timeout: 20_000 }, async (t) => {
  const r = await rig(t);
  await r.service.stop();
  await assert.rejects(r.bus.getOutbound(), { code: 'WB_ERR_NATS_NO_RESPONDERS' });
  await r.service.start();
  assert.deepEqual(await r.bus.getOutbound(), []);
});
