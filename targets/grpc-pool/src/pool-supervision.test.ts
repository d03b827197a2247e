import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { isPoolError, PoolErrorCode } from './errors.js';
import { createPool } from './pool.js';
import type { Pool } from './pool.js';
import type { PoolEvent } from './pool-events.js';
import { alive, eventually } from './test-helpers.js';

// Two real workers, fast heartbeats (100 ms, 300 ms timeout, 2 misses) so hangs are found quickly.
let pool: Pool;
before(async () => {
  pool = await createPool({
    size: 2, startup: 'concurrent', restartBackoffMs: [50],
    heartbeat: { intervalMs: 100, timeoutMs: 300, maxMissed: 2 },
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
  const call = pool.execute('sleep', { ms: 1500 });
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

test('kill -9 with retries off: the call fails with WB_ERR_POOL_WORKER_LOST naming the worker, never silently', async () => {
  const since = Date.now();
  const call = pool.execute('sleep', { ms: 1500 }, { retries: 0 });
  const victim = await eventually(busyWorker, 10_000, 'a busy worker');
  process.kill(victim.pid, 'SIGKILL');
  await assert.rejects(call, (e: unknown) => isPoolError(e, PoolErrorCode.WorkerLost) && e.message.includes(victim.id));
  await nextEvent('worker:restarted', victim.id, since);
  await eventually(() => pool.stats().ready === 2, 20_000, 'both workers ready again');
});

test('strict affinity to a worker that died: session_worker_unavailable', async () => {
  const since = Date.now();
  const first = await pool.execute('ping', {}, { sessionId: 'K' });
  const pid = pool.workers().find((w) => w.id === first.workerId)!.pid!;
  process.kill(pid, 'SIGKILL');
  await nextEvent('worker:exited', first.workerId, since);
  for (const affinity of ['strict_queue', 'strict_fail_fast'] as const) {
    await assert.rejects(pool.execute('ping', {}, { sessionId: 'K', affinity }), (e: unknown) => isPoolError(e, PoolErrorCode.SessionWorkerUnavailable) && e.reason === 'session_worker_unavailable');
  }
  assert.equal((await pool.execute('ping', {}, { sessionId: 'K', affinity: 'hint' })).success, true, 'hint: any worker');
  await eventually(() => pool.stats().ready === 2, 20_000, 'both workers ready again');
});

test('SIGSTOP: heartbeats find the hung worker, it is killed and restarted, and its call is retried', async () => {
  const since = Date.now();
  const call = pool.execute('sleep', { ms: 300 });
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
