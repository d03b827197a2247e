import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { isPoolError, PoolErrorCode } from './errors.js';
import type { ToolChunk } from './messages.js';
import { createPool } from './pool.js';
import { WORKER_ID_METADATA_KEY } from './pool-service.js';
import type { Pool } from './pool.js';
import { eventually } from './test-helpers.js';
import { createToolClient } from './tool-client.js';

// One pool of two real workers for every test here (tests run one after another).
let pool: Pool;
before(async () => {
  pool = await createPool({ size: 2, startup: 'concurrent', maxQueue: 2, heartbeat: { enabled: false } });
});
after(() => pool.close());

/** Both workers busy with `sleep ms`; resolves once both are checked out. */
async function fillPool(ms: number, sessionIds: [string?, string?] = []): Promise<Promise<unknown>[]> {
  const busy = sessionIds.length ? sessionIds.map((s) => pool.execute('sleep', { ms }, s ? { sessionId: s } : {})) : [pool.execute('sleep', { ms }), pool.execute('sleep', { ms })];
  await eventually(() => pool.stats().busy === 2, 10_000, 'both workers busy');
  return busy;
}

test('pool: tools run on the workers; sessions and tools reach the pool; streams go through', async () => {
  const r = await pool.execute('ping', { message: 'via pool' }, { sessionId: 'p1' });
  assert.equal(r.success, true);
  assert.equal((r.result as { message: string }).message, 'via pool');
  assert.match(r.workerId, /^worker_[12]$/);
  assert.equal(pool.sessions.get('p1')?.tools.has('ping'), true, 'InitializeSession and RegisterTools reached the pool');
  const fail = await pool.execute('nope');
  assert.equal(fail.success, false);
  assert.equal(fail.error?.type, 'ValueError');
  const ids: string[] = [];
  for await (const c of pool.executeStream('stream', { n: 2 })) ids.push((c as ToolChunk).chunk_id);
  assert.deepEqual(ids, ['stream-1', 'stream-2', 'stream-3']);
  assert.equal(pool.stats().inFlight, 0);
});

test('queue: FIFO while workers are busy; full → pool_saturated at once; too long → queue_timeout', async () => {
  const busy = await fillPool(800);
  const order: number[] = [];
  const q1 = pool.execute('ping', {}).then((r) => (order.push(1), r));
  const q2 = pool.execute('ping', {}).then((r) => (order.push(2), r));
  assert.equal(pool.stats().queueDepth, 2);
  await assert.rejects(pool.execute('ping', {}), (e: unknown) => isPoolError(e, PoolErrorCode.Saturated) && e.reason === 'pool_saturated');
  assert.equal((await q1).success && (await q2).success, true);
  assert.deepEqual(order, [1, 2]);
  await Promise.all(busy);

  const busy2 = await fillPool(600);
  await assert.rejects(pool.execute('ping', {}, { queueTimeoutMs: 100 }), (e: unknown) => isPoolError(e, PoolErrorCode.QueueTimeout) && e.reason === 'queue_timeout');
  await Promise.all(busy2);
  assert.equal(pool.stats().queueDepth, 0);
});

test('affinity: strict_fail_fast → worker_busy, strict_queue waits for the same worker, hint takes any free one', async () => {
  const first = await pool.execute('ping', {}, { sessionId: 'S' });
  const mine = first.workerId;
  const busy = pool.execute('sleep', { ms: 800 }, { sessionId: 'S' });
  await eventually(() => pool.workers().find((w) => w.id === mine)!.busy === 1, 10_000, 'the session worker busy');

  await assert.rejects(pool.execute('ping', {}, { sessionId: 'S', affinity: 'strict_fail_fast' }), (e: unknown) => isPoolError(e, PoolErrorCode.WorkerBusy) && e.reason === 'worker_busy');
  const queued = await pool.execute('ping', {}, { sessionId: 'S', affinity: 'strict_queue' });
  assert.equal(queued.workerId, mine, 'waited for its own worker although the other was free');
  assert.equal((await busy).success, true);

  const busyAgain = pool.execute('sleep', { ms: 600 }, { sessionId: 'S' });
  await eventually(() => pool.workers().find((w) => w.id === mine)!.busy === 1, 10_000, 'the session worker busy');
  const hinted = await pool.execute('ping', {}, { sessionId: 'S', affinity: 'hint' });
  assert.notEqual(hinted.workerId, mine, 'hint: any free worker');
  await busyAgain;
});

test('front endpoint: out-of-process clients call the pool over BridgeService; pool errors are success=false with a JSON error', async (t) => {
  const client = createToolClient(pool.address);
  t.after(() => client.close());
  assert.equal(await client.ping('x'), 'pong: x');
  const r = await client.execute('compute', { op: 'sum', data: [1, 2, 3] });
  assert.equal(r.result, 6);
  const chunks: ToolChunk[] = [];
  for await (const c of client.stream('stream', { n: 1 })) chunks.push(c);
  assert.deepEqual(chunks.map((c) => c.is_final), [false, true]);

  const busy = await fillPool(800);
  const queued = [pool.execute('ping'), pool.execute('ping')];
  const saturated = await client.execute('ping', {});
  assert.equal(saturated.success, false);
  assert.equal(saturated.error?.category, 'pool');
  assert.equal(saturated.error?.reason, 'pool_saturated');
  assert.equal(saturated.metadata[WORKER_ID_METADATA_KEY], undefined, 'no worker ran a refused call');
  await Promise.all([...busy, ...queued]);
});

test('front endpoint: each reply names the worker that ran it in metadata.worker_id (the one the pool used)', async (t) => {
  const client = createToolClient(pool.address);
  t.after(() => client.close());
  // The pool's own record of a session's worker, then the same session through the front: same worker named.
  const direct = await pool.execute('ping', {}, { sessionId: 'front-S', affinity: 'strict_queue' });
  const seen = new Set<string>();
  for (let i = 0; i < 4; i++) {
    const r = await client.execute('ping', { message: `w${i}` }, { sessionId: 'front-S' });
    assert.equal(r.success, true);
    assert.equal(r.metadata[WORKER_ID_METADATA_KEY], direct.workerId, 'an idle pool keeps the session on its worker and says which');
  }
  // Both workers busy but one: calls without a session land on the free one, and the reply says so.
  const busy = pool.execute('sleep', { ms: 600 }, { sessionId: 'front-S' });
  await eventually(() => pool.workers().some((w) => w.id === direct.workerId && w.busy === 1), 10_000, 'the session worker busy');
  const other = await client.execute('ping', { message: 'other' });
  seen.add(other.metadata[WORKER_ID_METADATA_KEY] ?? 'none');
  assert.deepEqual([...seen], [pool.workers().find((w) => w.id !== direct.workerId)!.id]);
  const failed = await client.execute('nope');
  assert.equal(failed.success, false);
  assert.match(failed.metadata[WORKER_ID_METADATA_KEY] ?? '', /^worker_[12]$/, 'a tool failure ran on a worker too');
  await busy;
});

test('front endpoint: a client that cancels a long stream after its first chunk frees the worker every time', async (t) => {
  const client = createToolClient(pool.address);
  t.after(() => client.close());
  // Three times on a pool of two: a call left waiting for a drain that never comes would hold a worker for good.
  for (let i = 0; i < 3; i++) {
    const stream = client.stream('stream', { n: 50_000 }) as AsyncIterable<ToolChunk> & { cancel(): void; on(e: string, f: () => void): void };
    stream.on('error', () => undefined); // CANCELLED, ours
    await new Promise<void>((resolve) => {
      (stream as unknown as NodeJS.EventEmitter).once('data', () => {
        // Let the pool fill the client's buffer before cancelling, as a slow reader would.
        (stream as unknown as { pause(): void }).pause();
        setTimeout(() => {
          stream.cancel();
          resolve();
        }, 100);
      });
    });
    await eventually(() => pool.stats().inFlight === 0 && pool.stats().busy === 0, 10_000, `the worker of cancelled stream ${i + 1} released`);
  }
  const r = await client.execute('ping', { message: 'after' });
  assert.equal(r.success, true);
});
