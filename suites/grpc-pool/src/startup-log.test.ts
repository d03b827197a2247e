import assert from 'node:assert/strict';
import { test } from 'node:test';
import { faultTiming, splitKinds } from './fault-timing.js';
import { parseEventLine, startupRecord, type PoolEventLine } from './startup-log.js';

const T0 = 1_700_000_000_000;
function pool(readyMs: number[], spawnGapMs = 3): PoolEventLine[] {
  return readyMs.flatMap((r, i) => [
    { type: 'worker:started', workerId: `worker_${i + 1}`, pid: 100 + i, at: T0 + 10 + spawnGapMs },
    { type: 'worker:ready', workerId: `worker_${i + 1}`, pid: 100 + i, at: T0 + 10 + r, readyMs: r },
  ]);
}

test('EVENT lines parse; anything else is ignored', () => {
  assert.deepEqual(parseEventLine('EVENT {"type":"worker:ready","workerId":"worker_1","at":5,"pid":7,"readyMs":3}'), { type: 'worker:ready', workerId: 'worker_1', at: 5, pid: 7, readyMs: 3 });
  assert.equal(parseEventLine('READY pool 127.0.0.1:1'), null);
  assert.equal(parseEventLine('EVENT {bad'), null);
  assert.equal(parseEventLine('EVENT {"type":"x"}'), null);
});

test('the workers span runs from the first spawn to the last ready and agrees with the outer window', () => {
  const r = startupRecord('p', pool([400, 500, 450]), 3, { spawnedAt: T0, readyLineAt: T0 + 520 });
  assert.deepEqual(r.problems, []);
  assert.equal(r.spanMs, 500);
  assert.deepEqual(r.readyMs, [400, 500, 450]);
});

test('figures the generator cannot have seen are flagged', () => {
  // A worker claims to have been ready after the READY line was read.
  assert.match(startupRecord('p', pool([400, 900]), 2, { spawnedAt: T0, readyLineAt: T0 + 600 }).problems.join(), /after the pool's READY line/);
  // A readyMs reaching back before the pool process existed.
  assert.match(startupRecord('p', pool([400]), 1, { spawnedAt: T0 + 200, readyLineAt: T0 + 600 }).problems.join(), /before the pool process was spawned/);
  // A readyMs shorter than the gap between its own events (under-reporting).
  const short = pool([400]).map((e) => (e.type === 'worker:ready' ? { ...e, readyMs: 100 } : e));
  assert.match(startupRecord('p', short, 1, { spawnedAt: T0, readyLineAt: T0 + 600 }).problems.join(), /shorter than its events' gap/);
  // Fewer workers than asked for.
  assert.match(startupRecord('p', pool([400]), 2, { spawnedAt: T0, readyLineAt: T0 + 600 }).problems.join(), /1 worker:ready events for 2/);
});

test('fault timings: detection and replacement of the faulted pid only', () => {
  const ev: PoolEventLine[] = [
    { type: 'worker:ready', workerId: 'worker_2', pid: 5, at: T0, readyMs: 300 },
    { type: 'worker:unhealthy', workerId: 'worker_2', pid: 5, at: T0 + 2700 },
    { type: 'worker:ready', workerId: 'worker_1', pid: 9, at: T0 + 2800, readyMs: 350 },
    { type: 'worker:ready', workerId: 'worker_2', pid: 6, at: T0 + 3200, readyMs: 400 },
  ];
  assert.deepEqual(faultTiming(ev, 'worker_2', 5, T0 + 1000), { detectedMs: 1700, replacedMs: 2200, replacementReadyMs: 400 });
  assert.deepEqual(faultTiming(ev, 'worker_3', 5, T0 + 1000), { detectedMs: null, replacedMs: null, replacementReadyMs: null });
});

test('error kinds split into the expected ones and the rest', () => {
  assert.deepEqual(splitKinds({ pool_saturated: 4, grpc_UNAVAILABLE: 1, wrong_message: 2 }, ['pool_saturated', 'queue_timeout']), { expected: { pool_saturated: 4, queue_timeout: 0 }, other: 3 });
});
