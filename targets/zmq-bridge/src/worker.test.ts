import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeMessage, encodeMessage } from './codec.js';
import { ErrorCode } from './errors.js';
import { HEARTBEAT_FRAME, PPP_HEARTBEAT, PPP_READY, isCommand } from './ppp.js';
import { eventually, fakeRouter } from './test-helpers.js';
import { createWorker } from './worker.js';

interface Seen {
  identity: string;
  kind: 'ready' | 'heartbeat' | 'reply';
  frames: Buffer[];
}

test('READY first, then a heartbeat every interval while the broker answers', async (t) => {
  const seen: Seen[] = [];
  const { endpoint } = await fakeRouter(t, async ([id, ...rest], router) => {
    const kind = isCommand(rest, PPP_READY) ? 'ready' : isCommand(rest, PPP_HEARTBEAT) ? 'heartbeat' : 'reply';
    seen.push({ identity: (id as Buffer).toString('hex'), kind, frames: rest });
    if (kind !== 'reply') await router.send([id as Buffer, HEARTBEAT_FRAME]); // keep the worker's liveness up
  });
  const worker = createWorker({ endpoint, heartbeatIntervalMs: 100, liveness: 10, reconnectInitialMs: 100 });
  t.after(() => worker.close());
  await worker.registered;
  await eventually(() => seen.filter((s) => s.kind === 'heartbeat').length >= 4, 5000, 'four heartbeats');
  assert.equal(seen[0]?.kind, 'ready', 'READY is the first message');
  assert.equal(seen.filter((s) => s.kind === 'ready').length, 1);
  assert.equal(new Set(seen.map((s) => s.identity)).size, 1, 'one connection, no reconnects');
  assert.equal(worker.stats().reconnects, 0);
  assert.ok(worker.stats().heartbeatsReceived >= 3);
});

test('capacity k: READY k times before anything else; a bad capacity is refused', async (t) => {
  const seen: string[] = [];
  const { endpoint } = await fakeRouter(t, async ([id, ...rest], router) => {
    seen.push(isCommand(rest, PPP_READY) ? 'ready' : isCommand(rest, PPP_HEARTBEAT) ? 'heartbeat' : 'other');
    await router.send([id as Buffer, HEARTBEAT_FRAME]);
  });
  const worker = createWorker({ endpoint, heartbeatIntervalMs: 100, liveness: 10, capacity: 4 });
  t.after(() => worker.close());
  await eventually(() => seen.includes('heartbeat'), 5000, 'a heartbeat after the READYs');
  assert.deepEqual(seen.slice(0, 5), ['ready', 'ready', 'ready', 'ready', 'heartbeat']);
  for (const capacity of [0, 1.5, 2000]) {
    assert.throws(() => createWorker({ endpoint, capacity }), (e: { code?: string }) => e.code === ErrorCode.BadOption);
  }
});

test('a silent broker is declared dead; the worker reconnects with backoff and says READY again', async (t) => {
  const readies: string[] = [];
  const { endpoint } = await fakeRouter(t, ([id, ...rest]) => {
    if (isCommand(rest, PPP_READY)) readies.push((id as Buffer).toString('hex'));
  });
  const worker = createWorker({ endpoint, heartbeatIntervalMs: 100, liveness: 3, reconnectInitialMs: 100, reconnectMaxMs: 400 });
  t.after(() => worker.close());
  await eventually(() => readies.length >= 3, 8000, 'READY after two reconnects');
  assert.equal(new Set(readies).size, readies.length, 'each READY from a new socket');
  const s = worker.stats();
  assert.ok(s.reconnects >= 2);
  assert.equal(s.nextBackoffMs, Math.min(100 * 2 ** s.reconnects, 400), 'backoff doubles up to the max');
});

test('serves requests with their envelope, errors for malformed bodies, counts invalid frames', async (t) => {
  let workerId: Buffer | undefined;
  const replies: Buffer[][] = [];
  const { endpoint, router } = await fakeRouter(t, async ([id, ...rest], r) => {
    if (isCommand(rest, PPP_READY) || isCommand(rest, PPP_HEARTBEAT)) {
      workerId = id;
      await r.send([id as Buffer, HEARTBEAT_FRAME]);
      return;
    }
    replies.push(rest);
  });
  const worker = createWorker({ endpoint, heartbeatIntervalMs: 100 });
  t.after(() => worker.close());
  await worker.registered;
  const wid = workerId as Buffer;
  const client = Buffer.from('client-1');
  const ask = (body: Buffer[]) => router.send([wid, client, Buffer.alloc(0), ...body]);

  await router.send([wid, Buffer.from('not a ppp command')]);
  await ask([Buffer.from('\x01{"payload": oops')]);
  await ask([Buffer.from([0x09, 0x01])]);
  const raw = encodeMessage({ correlation_id: 'v1', payload: { op: 'sum', data: Float32Array.from([1, 2, 3]) } }, 'raw');
  await ask([raw[0] as Buffer, (raw[1] as Buffer).subarray(0, 6)]);
  await ask(raw);
  await eventually(() => replies.length === 4, 5000, 'four replies');

  const bodies = replies.map((frames) => {
    assert.equal(frames[0]?.toString(), 'client-1', 'envelope returned');
    assert.equal(frames[1]?.length, 0);
    return decodeMessage(frames.slice(2)).value as Record<string, unknown>;
  });
  assert.deepEqual(bodies.map((b) => b.code ?? b.status), [ErrorCode.BadJson, ErrorCode.UnknownFormat, ErrorCode.TruncatedVector, 'success']);
  assert.equal(bodies[2]?.correlation_id, 'v1');
  assert.equal(bodies[3]?.result, 6);
  assert.equal(worker.stats().invalid, 1);
  assert.equal(worker.stats().requests, 4);
});

test('a custom handler may answer later: the worker heartbeats meanwhile; a rejection gets an error reply', async (t) => {
  let workerId: Buffer | undefined;
  let heartbeatsWhileWaiting = 0;
  let waiting = false;
  const replies: Buffer[][] = [];
  const { endpoint, router } = await fakeRouter(t, async ([id, ...rest], r) => {
    if (isCommand(rest, PPP_READY) || isCommand(rest, PPP_HEARTBEAT)) {
      workerId = id;
      if (waiting && isCommand(rest, PPP_HEARTBEAT)) heartbeatsWhileWaiting++;
      await r.send([id as Buffer, HEARTBEAT_FRAME]); // an RFC 6 queue heartbeats busy workers too
      return;
    }
    replies.push(rest);
  });
  const worker = createWorker({
    endpoint,
    heartbeatIntervalMs: 50,
    liveness: 20,
    handler: async (body) => {
      const text = body[0]?.toString() ?? '';
      await new Promise((resolve) => setTimeout(resolve, 400));
      if (text === 'fail') throw new Error('handler failed');
      return [Buffer.from(`done ${text}`)];
    },
  });
  t.after(() => worker.close());
  await worker.registered;
  const wid = workerId as Buffer;
  waiting = true;
  await router.send([wid, Buffer.from('c1'), Buffer.alloc(0), Buffer.from('slow')]);
  await router.send([wid, Buffer.from('c2'), Buffer.alloc(0), Buffer.from('fail')]);
  await eventually(() => replies.length === 2, 5000, 'two replies');
  waiting = false;
  assert.deepEqual(replies[0]?.map(String), ['c1', '', 'done slow']);
  assert.deepEqual(replies[1]?.slice(0, 2).map(String), ['c2', '']);
  const err = decodeMessage(replies[1]?.slice(2) ?? []).value as Record<string, unknown>;
  assert.deepEqual([err.status, err.code, err.message], ['error', ErrorCode.Internal, 'handler failed']);
  assert.ok(heartbeatsWhileWaiting >= 2, `heartbeats while the handler worked (${heartbeatsWhileWaiting})`);
  assert.equal(worker.stats().requests, 2);
  assert.equal(worker.stats().reconnects, 0);
});
