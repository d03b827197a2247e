import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { isPoolError, PoolErrorCode } from './errors.js';
import { createPool } from './pool.js';
import type { Pool } from './pool.js';
import type { PoolEvent, RecycleReason } from './pool-events.js';
import { alive, eventually } from './test-helpers.js';
import { startRecycleChecks } from './recycler.js';
import { Slot } from './slot.js';
import type { WorkerProcess } from './worker-process.js';

// Two real workers, heartbeats every 100 ms (1 s timeout, 2 misses) so hangs are found in about 2 s; the
// timeout is long enough that a loaded machine does not make a healthy worker miss two in a row.
let pool: Pool;
before(async () => {
  pool = await createPool({
    size: 2, startup: 'concurrent', restartBackoffMs: [50],
    heartbeat: { intervalMs: 100, timeoutMs: 1000, maxMissed: 2 },
  });
});
after(() => pool.close());

function busyWorker(): { id: string; pid: number } | undefined {
  const w = pool.workers().find((x) => x.busy > 0 && x.pid !== undefined);
  return w ? { id: w.id, pid: w.pid! } : undefined;
}

function nextEvent(type: PoolEvent['type'], workerId: string, since: number): Promise<PoolEvent> {
  return eventually(() => pool.events().find((e) => e.type === type && e.workerId === workerId && e.at >= since), 20_000, `${type} of ${workerId}`);
}

test('kill -9 during a call: the worker is restarted and the call is retried on another worker', async () => {
  const since = Date.now();
  const call = pool.execute('sleep', { ms: 1000 });
  const victim = await eventually(busyWorker, 10_000, 'a busy worker');
  process.kill(victim.pid, 'SIGKILL');
  const r = await call;
  assert.equal(r.success, true);
  assert.equal(r.attempts, 2);
  assert.notEqual(r.workerId, victim.id);
  const exited = await nextEvent('worker:exited', victim.id, since);
  assert.equal(exited.type === 'worker:exited' && exited.signal, 'SIGKILL');
  const restarted = await nextEvent('worker:restarted', victim.id, since);
  assert.ok(restarted.type === 'worker:restarted' && restarted.previousPid === victim.pid && restarted.downMs > 0);
  assert.ok(pool.stats().restarts >= 1 && pool.stats().retries >= 1);
  await eventually(() => pool.stats().ready === 2, 20_000, 'both workers ready again');
});

test('kill -9 with retries off: the call fails with WB_ERR_POOL_WORKER_LOST naming the worker; strict affinity to it → session_worker_unavailable', async () => {
  const since = Date.now();
  const call = pool.execute('sleep', { ms: 1000 }, { retries: 0, sessionId: 'K' });
  const victim = await eventually(busyWorker, 10_000, 'a busy worker');
  process.kill(victim.pid, 'SIGKILL');
  await assert.rejects(call, (e: unknown) => isPoolError(e, PoolErrorCode.WorkerLost) && e.message.includes(victim.id));
  await nextEvent('worker:exited', victim.id, since);
  for (const affinity of ['strict_queue', 'strict_fail_fast'] as const) {
    await assert.rejects(pool.execute('ping', {}, { sessionId: 'K', affinity }), (e: unknown) => isPoolError(e, PoolErrorCode.SessionWorkerUnavailable) && e.reason === 'session_worker_unavailable');
  }
  assert.equal((await pool.execute('ping', {}, { sessionId: 'K', affinity: 'hint' })).success, true, 'hint: any worker');
  await nextEvent('worker:restarted', victim.id, since);
  await eventually(() => pool.stats().ready === 2, 20_000, 'both workers ready again');
});

test('SIGSTOP: heartbeats find the hung worker, it is killed and restarted, and its call is retried', async () => {
  const since = Date.now();
  const call = pool.execute('sleep', { ms: 1000 });
  const victim = await eventually(busyWorker, 10_000, 'a busy worker');
  process.kill(victim.pid, 'SIGSTOP');
  const unhealthy = await nextEvent('worker:unhealthy', victim.id, since);
  assert.equal(unhealthy.type === 'worker:unhealthy' && unhealthy.reason, 'heartbeat');
  assert.ok(pool.events().some((e) => e.type === 'worker:heartbeat-missed' && e.workerId === victim.id && e.at >= since));
  const r = await call;
  assert.equal(r.success, true);
  assert.ok(r.attempts >= 2);
  await nextEvent('worker:restarted', victim.id, since);
  await eventually(() => !alive(victim.pid), 10_000, 'the stopped process gone');
  assert.ok(pool.stats().heartbeatKills >= 1);
});

test('recycling by worker_max_requests drains first: no request is lost; then graceful shutdown lets the running call finish', async () => {
  const pool = await createPool({ size: 1, workerMaxRequests: 2, heartbeat: { enabled: false } });
  try {
    const firstPid = pool.workers()[0]!.pid!;
    const replies = await Promise.all(Array.from({ length: 3 }, (_, i) => pool.execute('echo', { i })));
    assert.deepEqual(replies.map((r) => (r.result as { echoed: { i: number } }).echoed.i), [0, 1, 2]);
    assert.ok(replies.every((r) => r.success && r.attempts === 1));
    const recycled = pool.events().filter((e) => e.type === 'worker:recycled');
    assert.equal(recycled.length, 1, 'the third request waited for the replacement');
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
