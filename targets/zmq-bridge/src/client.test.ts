import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createClient } from './client.js';
import { encodeMessage, FORMATS } from './codec.js';
import { createDirectServer } from './direct.js';
import { ErrorCode, BridgeError } from './errors.js';
import { createHandler } from './handler.js';
import { eventually, fakeRouter, LOOPBACK_ANY } from './test-helpers.js';

const handle = createHandler({ serverId: 'server_fake' });

test('requests in every format, many in flight at once, all matched to their replies', async (t) => {
  const server = await createDirectServer({ endpoint: LOOPBACK_ANY });
  t.after(() => server.close());
  const client = createClient({ endpoint: server.endpoint, maxInFlight: 8, timeoutMs: 5000 });
  t.after(() => client.close());

  for (const format of FORMATS) {
    const r = await client.compute('dot', [1, 2, 3], [4, 5, 6], { format });
    assert.equal(r.reply.result, 32);
    assert.equal(r.format, format);
    assert.equal(r.retries, 0);
  }
  const jobs = Array.from({ length: 40 }, (_, i) => client.compute('sum', new Float32Array(i + 1).fill(1)));
  const results = await Promise.all(jobs);
  results.forEach((r, i) => assert.equal(r.reply.result, i + 1, `request ${i} got its own reply`));
  const hb = await client.heartbeat();
  assert.equal(hb.reply.status, 'heartbeat_ack');
  assert.equal(hb.reply.correlation_id, hb.correlationId);
  const c = client.counters();
  assert.equal(c.ok, 44);
  assert.equal(c.sent, 44);
  assert.equal(c.retried, 0);
  assert.equal(c.inFlight, 0);
});

test('a server that drops requests: the client resends on a fresh socket until answered', async (t) => {
  const identities = new Set<string>();
  let seen = 0;
  const { endpoint } = await fakeRouter(t, async ([id, empty, ...body], router) => {
    identities.add((id as Buffer).toString('hex'));
    if (++seen <= 2) return; // drop the first two attempts
    await router.send([id as Buffer, empty as Buffer, ...handle(body)]);
  });
  const client = createClient({ endpoint, timeoutMs: 500, retries: 3 });
  t.after(() => client.close());

  const r = await client.compute('sum', [1, 2]);
  assert.equal(r.reply.result, 3);
  assert.equal(r.retries, 2);
  assert.equal(identities.size, 3, 'each attempt on a new socket (lpclient closes and reopens)');
  const c = client.counters();
  assert.deepEqual([c.sent, c.retried, c.ok, c.abandoned], [3, 2, 1, 0]);
});

test('a server that never answers: abandoned after `retries` sends with a coded error', async (t) => {
  let seen = 0;
  const { endpoint } = await fakeRouter(t, () => {
    seen++;
  });
  const client = createClient({ endpoint, timeoutMs: 150, retries: 3 });
  t.after(() => client.close());

  await assert.rejects(client.compute('sum', [1]), (e: unknown) => {
    assert.ok(e instanceof BridgeError);
    assert.equal(e.code, ErrorCode.Abandoned);
    assert.match(e.message, /after 3 attempts/);
    return true;
  });
  assert.equal(seen, 3, 'each request sent at most `retries` times');
  const c = client.counters();
  assert.deepEqual([c.sent, c.retried, c.ok, c.abandoned, c.inFlight], [3, 2, 0, 1, 0]);
  // The client stays usable after an abandon.
  await assert.rejects(client.compute('sum', [1]), { code: ErrorCode.Abandoned });
});

test('stale and duplicate replies are discarded and counted', async (t) => {
  const { endpoint } = await fakeRouter(t, async ([id, empty, ...body], router) => {
    const wrong = encodeMessage({ status: 'success', result: -1, correlation_id: 'someone_else' }, 'json');
    await router.send([id as Buffer, empty as Buffer, ...wrong]);
    const reply = handle(body);
    await router.send([id as Buffer, empty as Buffer, ...reply]);
    await router.send([id as Buffer, empty as Buffer, ...reply]); // duplicate
  });
  const client = createClient({ endpoint, timeoutMs: 2000 });
  t.after(() => client.close());

  const r = await client.compute('sum', [2, 3]);
  assert.equal(r.reply.result, 5);
  await eventually(() => client.counters().staleDiscarded === 2, 3000, 'two stale replies');
  const r2 = await client.compute('sum', [4]);
  assert.equal(r2.reply.result, 4, 'a duplicate of the previous reply is not taken for the next request');
  assert.equal(client.counters().ok, 2);
});

test('an error reply is delivered (not retried) and keeps the correlation id', async (t) => {
  const server = await createDirectServer({ endpoint: LOOPBACK_ANY });
  t.after(() => server.close());
  const client = createClient({ endpoint: server.endpoint });
  t.after(() => client.close());
  const r = await client.request({ schema_version: 9, matrix: [[1]], model: { name: 'm', version: '1' } });
  assert.equal(r.reply.status, 'error');
  assert.equal(r.reply.message, 'Unsupported schema version: 9');
  assert.equal(r.reply.correlation_id, r.correlationId);
  assert.equal(r.retries, 0);
});

test('close() rejects what is in flight with WB_ERR_ZMQ_CLOSED', async (t) => {
  const { endpoint } = await fakeRouter(t, () => undefined);
  const client = createClient({ endpoint, timeoutMs: 5000, maxInFlight: 1 });
  const a = client.compute('sum', [1]);
  const b = client.compute('sum', [2]);
  client.close();
  await assert.rejects(a, { code: ErrorCode.Closed });
  await assert.rejects(b, { code: ErrorCode.Closed });
});

test("sockets 'shared': many in flight over one DEALER, each matched to its own reply", async (t) => {
  const identities = new Set<string>();
  const { endpoint } = await fakeRouter(t, async ([id, empty, ...body], router) => {
    identities.add((id as Buffer).toString('hex'));
    await router.send([id as Buffer, empty as Buffer, ...handle(body)]);
  });
  const client = createClient({ endpoint, sockets: 'shared', maxInFlight: 16, timeoutMs: 5000 });
  t.after(() => client.close());
  const results = await Promise.all(Array.from({ length: 50 }, (_, i) => client.compute('sum', new Float32Array(i + 1).fill(2))));
  results.forEach((r, i) => assert.equal(r.reply.result, 2 * (i + 1), `request ${i} got its own reply`));
  assert.equal(identities.size, 1, 'one connection for all first attempts');
  const c = client.counters();
  assert.deepEqual([c.sent, c.ok, c.retried, c.inFlight], [50, 50, 0, 0]);
});

test("sockets 'shared': a timed-out request is resent on a new socket; the late reply on the shared one is discarded", async (t) => {
  const identities: string[] = [];
  let seen = 0;
  const { endpoint } = await fakeRouter(t, async ([id, empty, ...body], router) => {
    identities.push((id as Buffer).toString('hex'));
    const reply = handle(body);
    if (++seen === 1) {
      // Answer the first attempt only after the client gave up on it.
      setTimeout(() => void router.send([id as Buffer, empty as Buffer, ...reply]).catch(() => undefined), 600);
      return;
    }
    await router.send([id as Buffer, empty as Buffer, ...reply]);
  });
  const client = createClient({ endpoint, sockets: 'shared', timeoutMs: 300, retries: 3 });
  t.after(() => client.close());
  const r = await client.compute('sum', [1, 2]);
  assert.equal(r.reply.result, 3);
  assert.equal(r.retries, 1);
  assert.equal(new Set(identities).size, 2, 'the resend went out on a socket of its own');
  await eventually(() => client.counters().staleDiscarded === 1, 3000, 'the late reply to discard');
  const c = client.counters();
  assert.deepEqual([c.sent, c.retried, c.ok, c.abandoned, c.inFlight], [2, 1, 1, 0, 0]);
  assert.equal((await client.compute('sum', [5])).reply.result, 5, 'the shared socket still serves');
});

test("sockets 'shared': abandoned after `retries` sends; close() rejects what waits", async (t) => {
  let seen = 0;
  const { endpoint } = await fakeRouter(t, () => {
    seen++;
  });
  const client = createClient({ endpoint, sockets: 'shared', timeoutMs: 150, retries: 2, maxInFlight: 1 });
  await assert.rejects(client.compute('sum', [1]), { code: ErrorCode.Abandoned });
  assert.equal(seen, 2);
  assert.deepEqual([client.counters().abandoned, client.counters().inFlight], [1, 0]);
  const a = client.compute('sum', [1]);
  const b = client.compute('sum', [2]);
  client.close();
  await assert.rejects(a, { code: ErrorCode.Closed });
  await assert.rejects(b, { code: ErrorCode.Closed });
  assert.throws(() => createClient({ endpoint, sockets: 'many' as 'shared' }), { code: ErrorCode.BadOption });
});

test("sockets 'shared': requests that gave up while no server was there are not delivered when one appears", async (t) => {
  // A port nobody listens on yet: find one, then bind a ROUTER there only after the client gave up.
  const probe = await fakeRouter(t, () => undefined);
  const endpoint = probe.endpoint;
  probe.router.close();
  const client = createClient({ endpoint, sockets: 'shared', timeoutMs: 100, retries: 1, maxInFlight: 8 });
  t.after(() => client.close());
  const results = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => client.compute('sum', [i])));
  assert.ok(results.every((r) => r.status === 'rejected'), 'all abandoned');
  let received = 0;
  await fakeRouter(t, () => {
    received++;
  }, endpoint);
  await new Promise((r) => setTimeout(r, 800));
  assert.ok(received <= 1, `at most the one send already handed to ZeroMQ arrives late (got ${received})`);
});

for (const sockets of ['per-request', 'shared'] as const) {
  test(`sockets '${sockets}': an echo of the request is no reply: counted as malformed, resent, then abandoned`, async (t) => {
    let seen = 0;
    const { endpoint } = await fakeRouter(t, async (frames, router) => {
      seen++;
      await router.send(frames); // every frame back as it came: [id, "", request…]
    });
    const client = createClient({ endpoint, sockets, timeoutMs: 200, retries: 2 });
    t.after(() => client.close());
    for (const format of ['json', 'msgpack', 'raw'] as const) {
      await assert.rejects(client.compute('sum', [1, 2], undefined, { format }), { code: ErrorCode.Abandoned });
    }
    await assert.rejects(client.heartbeat(), { code: ErrorCode.Abandoned });
    assert.equal(seen, 8, 'each request sent `retries` times');
    const c = client.counters();
    assert.deepEqual([c.ok, c.abandoned, c.malformedDiscarded, c.retried], [0, 4, 8, 4]);
  });
}

test('an echo followed by the real reply: the reply is taken, the echo counted as malformed', async (t) => {
  const { endpoint } = await fakeRouter(t, async ([id, empty, ...body], router) => {
    await router.send([id as Buffer, empty as Buffer, ...body]);
    await router.send([id as Buffer, empty as Buffer, ...handle(body)]);
  });
  const client = createClient({ endpoint, timeoutMs: 3000, retries: 1 });
  t.after(() => client.close());
  const r = await client.compute('sum', [2, 3]);
  assert.deepEqual([r.reply.status, r.reply.result, r.retries], ['success', 5, 0]);
  assert.equal((await client.heartbeat()).reply.status, 'heartbeat_ack');
  assert.deepEqual([client.counters().ok, client.counters().malformedDiscarded], [2, 2]);
});
