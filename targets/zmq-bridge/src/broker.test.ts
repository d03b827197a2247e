import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { Dealer, Proxy, Request, Router } from 'zeromq';
import { createBroker } from './broker.js';
import { createClient } from './client.js';
import { decodeMessage, encodeMessage } from './codec.js';
import { HEARTBEAT_FRAME, PPP_HEARTBEAT, READY_FRAME, isCommand, splitEnvelope } from './ppp.js';
import { SendQueue } from './send-queue.js';
import { eventually, LOOPBACK_ANY } from './test-helpers.js';
import { createHandler } from './handler.js';
import { createWorker } from './worker.js';
import type { TestContext } from 'node:test';

async function broker(t: TestContext, heartbeatIntervalMs: number, liveness = 3) {
  const b = await createBroker({ frontend: LOOPBACK_ANY, backend: LOOPBACK_ANY, heartbeatIntervalMs, liveness });
  t.after(() => b.close());
  return b;
}

/**
 * A hand-driven RFC 6 worker: says READY `ready` times, answers {worker: name} once it holds `hold`
 * requests (1: at once) and `replyAfterMs` more have passed, counts heartbeats (and those that came
 * while it held a request), may heartbeat itself.
 */
function fakeWorker(
  t: TestContext,
  endpoint: string,
  name: string,
  opts: { heartbeatMs?: number; ready?: number; hold?: number; replyAfterMs?: number } = {},
) {
  const sock = new Dealer({ linger: 0 });
  sock.connect(endpoint);
  const out = new SendQueue(sock); // the timer and the replies both send
  const state = { heartbeats: 0, heartbeatsWhileBusy: 0, served: 0, maxHeld: 0, held: 0 };
  t.after(() => sock.close());
  const timer = opts.heartbeatMs ? setInterval(() => void out.send([HEARTBEAT_FRAME]).catch(() => undefined), opts.heartbeatMs) : null;
  t.after(() => timer && clearInterval(timer));
  void (async () => {
    const held: { envelope: Buffer[]; body: Buffer[] }[] = [];
    try {
      for (let i = 0; i < (opts.ready ?? 1); i++) await out.send([READY_FRAME]);
      for await (const frames of sock) {
        if (isCommand(frames, PPP_HEARTBEAT)) {
          state.heartbeats++;
          if (state.held > 0) state.heartbeatsWhileBusy++;
          continue;
        }
        const split = splitEnvelope(frames);
        if (!split) continue;
        held.push(split);
        state.held++;
        state.maxHeld = Math.max(state.maxHeld, held.length);
        if (held.length < (opts.hold ?? 1)) continue;
        const batch = held.splice(0);
        if (opts.replyAfterMs) {
          // Answer later, reading (heartbeats) meanwhile: the loop must not wait here.
          void sleep(opts.replyAfterMs).then(() => answer(batch));
          continue;
        }
        await answer(batch);
      }
    } catch {
      // closed
    }
  })();
  async function answer(batch: { envelope: Buffer[]; body: Buffer[] }[]): Promise<void> {
    try {
      for (const r of batch) {
        const req = decodeMessage(r.body).value as { correlation_id: string };
        state.served++;
        state.held--;
        await out.send([...r.envelope, ...encodeMessage({ status: 'success', worker: name, correlation_id: req.correlation_id }, 'json')]);
      }
    } catch {
      // closed
    }
  }
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

test('RFC 6: a worker holding a request is heartbeated and kept while it heartbeats, however long the request', async (t) => {
  // Expiry 500 ms (100 ms × 5); the request is held three times that.
  const b = await broker(t, 100, 5);
  const w = fakeWorker(t, b.backend, 'A', { heartbeatMs: 100, replyAfterMs: 1500 });
  await eventually(() => b.stats().workersIdle === 1, 3000, 'worker queued');
  const client = createClient({ endpoint: b.frontend, timeoutMs: 5000, retries: 1 });
  t.after(() => client.close());
  const r = await client.request({ op: 'sum', data: [1] });
  assert.equal(r.reply.worker, 'A');
  assert.ok(w.heartbeatsWhileBusy >= 3, `the broker heartbeated the busy worker (${w.heartbeatsWhileBusy} while it held the request)`);
  assert.equal(b.stats().workersExpired, 0, 'a busy worker that heartbeats is not expired');
  assert.deepEqual([b.stats().workersIdle, b.stats().freeCredits], [1, 1], 'its credit came back with the reply');
});

test('RFC 6: a busy worker that goes silent expires after liveness × interval; its late reply still reaches the client', async (t) => {
  const b = await broker(t, 100, 3);
  const w = fakeWorker(t, b.backend, 'A', { replyAfterMs: 1200 }); // never heartbeats
  await eventually(() => b.stats().workersIdle === 1, 3000, 'worker queued');
  const client = createClient({ endpoint: b.frontend, timeoutMs: 5000, retries: 1 });
  t.after(() => client.close());
  const pending = client.request({ op: 'sum', data: [1] });
  await eventually(() => b.stats().workersExpired === 1, 3000, 'the silent busy worker to expire');
  assert.ok(w.held === 1, 'it expired while holding the request');
  assert.equal((await pending).reply.worker, 'A');
  await eventually(() => b.stats().workersIdle === 1, 3000, 'the reply re-lists it');
});

test('RFC 6 end to end: a request that takes longer than liveness × interval is answered, no reconnect, nothing lost', async (t) => {
  const b = await broker(t, 100, 5);
  const serve = createHandler({ serverId: 'slow' });
  const worker = createWorker({
    endpoint: b.backend,
    heartbeatIntervalMs: 100,
    liveness: 5,
    reconnectInitialMs: 100,
    capacity: 2, // both requests held at once, each for the whole 1.5 s
    handler: async (body) => {
      await sleep(1500); // three times the 500 ms liveness, working asynchronously
      return serve(body);
    },
  });
  t.after(() => worker.close());
  await eventually(() => b.stats().workersIdle === 1, 3000, 'worker queued');
  const client = createClient({ endpoint: b.frontend, timeoutMs: 4000, retries: 1 });
  t.after(() => client.close());
  const replies = await Promise.all([client.compute('sum', [1, 2]), client.compute('sum', [3, 4])]);
  assert.deepEqual(replies.map((r) => [r.reply.result, r.reply.server_id, r.retries]), [[3, 'slow', 0], [7, 'slow', 0]]);
  assert.equal(worker.stats().reconnects, 0, 'the worker never took the broker for dead');
  assert.equal(worker.stats().requests, 2);
  assert.deepEqual([b.stats().workersExpired, b.stats().requestsForwarded, b.stats().repliesForwarded], [0, 2, 2]);
  assert.equal(b.stats().freeCredits, 2, 'both credits came back');
  assert.deepEqual([client.counters().ok, client.counters().abandoned, client.counters().retried], [2, 0, 0]);
});

/** A ROUTER–DEALER proxy (zmq_proxy in a thread) in front of `endpoint`: each message through it gains an address frame. */
async function proxyTo(t: TestContext, endpoint: string): Promise<string> {
  const proxy = new Proxy(new Router({ linger: 0 }), new Dealer({ linger: 0 }));
  await proxy.frontEnd.bind(LOOPBACK_ANY);
  proxy.backEnd.connect(endpoint);
  const running = proxy.run();
  t.after(async () => {
    proxy.terminate();
    await running;
  });
  return proxy.frontEnd.lastEndpoint as string;
}

test('clients behind ROUTER–DEALER proxies (address stacks of two and three frames) get their replies', async (t) => {
  const b = await broker(t, 100);
  const worker = createWorker({ endpoint: b.backend, heartbeatIntervalMs: 100, serverId: 'W' });
  t.after(() => worker.close());
  await eventually(() => b.stats().workersIdle === 1, 3000, 'worker queued');
  const oneHop = await proxyTo(t, b.frontend);
  const twoHops = await proxyTo(t, oneHop);

  // A plain REQ socket, as a zguide client behind a proxy would be.
  const req = new Request({ linger: 0, receiveTimeout: 3000 });
  req.connect(oneHop);
  t.after(() => req.close());
  await req.send(encodeMessage({ correlation_id: 'p1', payload: { op: 'sum', data: [1, 2] } }, 'json'));
  const viaReq = decodeMessage(await req.receive()).value as Record<string, unknown>;
  assert.deepEqual([viaReq.result, viaReq.correlation_id, viaReq.server_id], [3, 'p1', 'W']);

  // The Lazy Pirate client (DEALER) through one and through two proxies.
  for (const endpoint of [oneHop, twoHops]) {
    const client = createClient({ endpoint, timeoutMs: 3000, retries: 1 });
    t.after(() => client.close());
    const r = await client.compute('dot', [1, 2, 3], [4, 5, 6], { format: 'raw' });
    assert.deepEqual([r.reply.result, r.retries], [32, 0]);
  }
  assert.deepEqual([b.stats().requestsForwarded, b.stats().repliesForwarded, b.stats().garbageDropped], [3, 3, 0]);
});
