import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { Dealer, Request } from 'zeromq';
import { createBroker } from './broker.js';
import { createClient } from './client.js';
import { decodeMessage, encodeMessage } from './codec.js';
import { HEARTBEAT_FRAME, PPP_HEARTBEAT, READY_FRAME, isCommand, splitEnvelope } from './ppp.js';
import { eventually, LOOPBACK_ANY } from './test-helpers.js';
import { createWorker } from './worker.js';
import type { TestContext } from 'node:test';

async function broker(t: TestContext, heartbeatIntervalMs: number, liveness = 3) {
  const b = await createBroker({ frontend: LOOPBACK_ANY, backend: LOOPBACK_ANY, heartbeatIntervalMs, liveness });
  t.after(() => b.close());
  return b;
}

/**
 * A hand-driven RFC 6 worker: says READY `ready` times, answers {worker: name} once it holds `hold`
 * requests (1: at once), counts heartbeats, may heartbeat itself.
 */
function fakeWorker(t: TestContext, endpoint: string, name: string, opts: { heartbeatMs?: number; ready?: number; hold?: number } = {}) {
  const sock = new Dealer({ linger: 0 });
  sock.connect(endpoint);
  const state = { heartbeats: 0, served: 0, maxHeld: 0 };
  t.after(() => sock.close());
  const timer = opts.heartbeatMs ? setInterval(() => void sock.send([HEARTBEAT_FRAME]).catch(() => undefined), opts.heartbeatMs) : null;
  t.after(() => timer && clearInterval(timer));
  void (async () => {
    const held: { envelope: Buffer[]; body: Buffer[] }[] = [];
    try {
      for (let i = 0; i < (opts.ready ?? 1); i++) await sock.send([READY_FRAME]);
      for await (const frames of sock) {
        if (isCommand(frames, PPP_HEARTBEAT)) {
          state.heartbeats++;
          continue;
        }
        const split = splitEnvelope(frames);
        if (!split) continue;
        held.push(split);
        state.maxHeld = Math.max(state.maxHeld, held.length);
        if (held.length < (opts.hold ?? 1)) continue;
        for (const r of held.splice(0)) {
          const req = decodeMessage(r.body).value as { correlation_id: string };
          state.served++;
          await sock.send([...r.envelope, ...encodeMessage({ status: 'success', worker: name, correlation_id: req.correlation_id }, 'json')]);
        }
      }
    } catch {
      // closed
    }
  })();
  return state;
}

test('work goes to workers in least-recently-ready order', async (t) => {
  const b = await broker(t, 1000);
  for (const [i, name] of ['A', 'B', 'C'].entries()) {
    fakeWorker(t, b.backend, name);
    await eventually(() => b.stats().workersIdle === i + 1, 3000, `worker ${name} queued`);
  }
  const client = createClient({ endpoint: b.frontend, timeoutMs: 2000 });
  t.after(() => client.close());
  const order: unknown[] = [];
  for (let i = 0; i < 5; i++) order.push((await client.request({ op: 'sum', data: [1] })).reply.worker);
  assert.deepEqual(order, ['A', 'B', 'C', 'A', 'B']);
  assert.equal(b.stats().requestsForwarded, 5);
  assert.equal(b.stats().repliesForwarded, 5);
});

test('a worker that said READY three times is given three requests at once', async (t) => {
  const b = await broker(t, 1000);
  const w = fakeWorker(t, b.backend, 'A', { ready: 3, hold: 3 });
  await eventually(() => b.stats().freeCredits === 3, 3000, 'three credits');
  assert.equal(b.stats().workersIdle, 1);
  const client = createClient({ endpoint: b.frontend, timeoutMs: 3000, retries: 1 });
  t.after(() => client.close());
  // The worker answers only once it holds three: with one credit these would all time out.
  const replies = await Promise.all([1, 2, 3].map((x) => client.request({ op: 'sum', data: [x] })));
  assert.deepEqual(replies.map((r) => r.retries), [0, 0, 0]);
  assert.equal(w.maxHeld, 3);
  await eventually(() => b.stats().freeCredits === 3, 3000, 'the replies gave the credits back');
});

test('a worker that said READY once never holds two requests (zguide ppworker)', async (t) => {
  const b = await broker(t, 1000);
  const w = fakeWorker(t, b.backend, 'A');
  await eventually(() => b.stats().freeCredits === 1, 3000, 'one credit');
  const client = createClient({ endpoint: b.frontend, timeoutMs: 3000, retries: 1 });
  t.after(() => client.close());
  await Promise.all([1, 2, 3, 4].map((x) => client.request({ op: 'sum', data: [x] })));
  assert.equal(w.served, 4);
  assert.equal(w.maxHeld, 1);
});

test('idle workers get heartbeats; a silent one expires, a heartbeating one stays', async (t) => {
  // Expiry 1 s against heartbeats every 100 ms: room for a busy machine.
  const b = await broker(t, 200, 5);
  const silent = fakeWorker(t, b.backend, 'silent');
  const alive = fakeWorker(t, b.backend, 'alive', { heartbeatMs: 100 });
  await eventually(() => b.stats().workersIdle === 2, 3000, 'both queued');
  await eventually(() => b.stats().workersExpired === 1, 3000, 'the silent worker to expire');
  assert.ok(silent.heartbeats >= 1, 'the silent worker was heartbeated while it was idle');
  const before = alive.heartbeats;
  await sleep(500);
  assert.equal(b.stats().workersIdle, 1, 'the heartbeating worker is still queued');
  assert.equal(b.stats().workersExpired, 1);
  assert.ok(alive.heartbeats > before, 'and still gets heartbeats');
  const client = createClient({ endpoint: b.frontend, timeoutMs: 2000 });
  t.after(() => client.close());
  assert.equal((await client.request({ op: 'sum', data: [] })).reply.worker, 'alive');
});

test('requests wait while no worker is idle, then are served', async (t) => {
  const b = await broker(t, 100);
  const client = createClient({ endpoint: b.frontend, timeoutMs: 5000, retries: 1 });
  t.after(() => client.close());
  const pending = client.compute('sum', [1, 2, 3]);
  await sleep(300);
  assert.equal(b.stats().requestsForwarded, 0);
  const worker = createWorker({ endpoint: b.backend, heartbeatIntervalMs: 100 });
  t.after(() => worker.close());
  const r = await pending;
  assert.equal(r.reply.result, 6);
  assert.equal(r.retries, 0);
});

test('garbage on either side is dropped and counted; the broker keeps serving', async (t) => {
  const b = await broker(t, 100);
  const stranger = new Dealer({ linger: 0 });
  stranger.connect(b.backend);
  t.after(() => stranger.close());
  await stranger.send(['hello', 'there']);
  await stranger.send([Buffer.from([0x07])]);
  const noDelimiter = new Dealer({ linger: 0 });
  noDelimiter.connect(b.frontend);
  t.after(() => noDelimiter.close());
  const worker = createWorker({ endpoint: b.backend, heartbeatIntervalMs: 100 });
  t.after(() => worker.close());
  await eventually(() => b.stats().workersIdle === 1, 3000, 'worker queued');
  await noDelimiter.send(['no', 'delimiter']);
  await eventually(() => b.stats().garbageDropped === 3, 3000, 'three garbage messages counted');
  assert.equal(b.stats().workersIdle, 1, 'the stranger did not become a worker');

  // Wire compatibility with zguide clients: a plain REQ socket.
  const req = new Request({ linger: 0, receiveTimeout: 3000 });
  req.connect(b.frontend);
  t.after(() => req.close());
  await req.send(encodeMessage({ correlation_id: 'r1', payload: { op: 'mean', data: [2, 4] } }, 'json'));
  const reply = decodeMessage(await req.receive()).value as Record<string, unknown>;
  assert.equal(reply.result, 3);
  assert.equal(reply.correlation_id, 'r1');
});
