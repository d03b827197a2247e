import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isPoolError, PoolErrorCode } from './errors.js';
import { createPool } from './pool.js';
import { startRecycleChecks } from './recycler.js';
import { Slot } from './slot.js';
import { alive, eventually } from './test-helpers.js';
import type { RecycleReason } from './pool-events.js';
import type { WorkerProcess } from './worker-process.js';

test('recycling by worker_max_requests drains first: no request is lost; then graceful shutdown lets the running call finish', async () => {
  const pool = await createPool({ size: 1, workerMaxRequests: 2, heartbeat: { enabled: false } });
  try {
    const firstPid = pool.workers()[0]!.pid!;
    const replies = await Promise.all(Array.from({ length: 5 }, (_, i) => pool.execute('echo', { i })));
    assert.deepEqual(replies.map((r) => (r.result as { echoed: { i: number } }).echoed.i), [0, 1, 2, 3, 4]);
    assert.ok(replies.every((r) => r.success && r.attempts === 1));
    const recycled = pool.events().filter((e) => e.type === 'worker:recycled');
    assert.ok(recycled.length >= 2, `recycled ${recycled.length} times`);
    assert.ok(recycled.every((e) => e.type === 'worker:recycled' && e.reason === 'max_requests' && e.requests === 2));
    assert.equal(pool.stats().lostCalls, 0);
    assert.equal(alive(firstPid), false, 'the recycled worker was stopped');
    await eventually(() => pool.stats().ready === 1, 20_000, 'the replacement ready');

    // Graceful shutdown: the running call finishes, later calls are refused, workers are gone.
    const running = pool.execute('sleep', { ms: 400 });
    await eventually(() => pool.stats().inFlight === 1, 10_000, 'the call running');
    const pid = pool.workers()[0]!.pid!;
    const closing = pool.close();
    await assert.rejects(pool.execute('ping'), (e: unknown) => isPoolError(e, PoolErrorCode.Closed));
    assert.equal((await running).success, true);
    await closing;
    assert.equal(alive(pid), false);
  } finally {
    await pool.close();
  }
});

test('recycle checks: age >= worker_ttl → ttl; resident memory >= memory_threshold_mb → memory; only ready workers', async () => {
  const make = (id: string, readySince: number, state: Slot['state'] = 'ready') => {
    const s = new Slot(id, 0, `${id}_session`);
    s.state = state;
    s.readySince = readySince;
    s.proc = { pid: process.pid } as WorkerProcess;
    return s;
  };
  const seen: [string, RecycleReason][] = [];
  const old = make('old', Date.now() - 10_000);
  const young = make('young', Date.now());
  const starting = make('starting', 0, 'starting');
  const ttl = startRecycleChecks([old, young, starting], { workerTtlMs: 5_000, memoryThresholdMb: Infinity, recycleCheckMs: 20 }, (s, r) => seen.push([s.id, r]));
  await eventually(() => seen.length > 0, 5_000, 'a ttl check');
  ttl.stop();
  assert.deepEqual(seen[0], ['old', 'ttl']);
  assert.ok(seen.every(([id]) => id === 'old'));

  seen.length = 0;
  const mem = startRecycleChecks([young], { workerTtlMs: Infinity, memoryThresholdMb: 1, recycleCheckMs: 20 }, (s, r) => seen.push([s.id, r]));
  await eventually(() => seen.length > 0, 5_000, 'a memory check');
  mem.stop();
  assert.deepEqual(seen[0], ['young', 'memory'], 'this process uses more than 1 MiB');
});
