import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AffinityLog, affinityFigures, sessionOf, type AffinityOp } from './affinity-log.js';

test('a call is a hit on its session\'s last replying worker, a miss elsewhere, unjudged before any reply', () => {
  const log = new AffinityLog();
  const call = (sentUs: number, session: string, served: string | null, kind: string | null = null) => {
    const op: AffinityOp = { sentUs, session, expected: log.expected(session), served, kind };
    log.record(op);
  };
  call(10, 'a', 'worker_1'); // first: not judged
  call(20, 'a', 'worker_1'); // hit
  call(30, 'a', 'worker_2'); // miss; the session now lives on worker_2
  call(40, 'a', 'worker_2'); // hit
  call(50, 'b', null, 'worker_busy'); // failed: by kind, not judged, leaves b unknown
  call(60, 'b', 'worker_3'); // first for b
  call(70, 'a', null); // ok but unnamed
  const f = affinityFigures(log.ops, [[0, 100]]);
  assert.deepEqual({ calls: f.calls, ok: f.ok, hits: f.hits, misses: f.misses, first: f.first, unnamed: f.unnamed }, { calls: 7, ok: 6, hits: 2, misses: 1, first: 2, unnamed: 1 });
  assert.equal(f.hitRate, 2 / 3);
  assert.deepEqual(f.errorsByKind, { worker_busy: 1 });
});

test('only calls sent inside the measured spans count; none judged gives NaN', () => {
  const ops: AffinityOp[] = [
    { sentUs: 5, session: 'a', expected: 'worker_1', served: 'worker_2', kind: null },
    { sentUs: 15, session: 'a', expected: 'worker_2', served: 'worker_2', kind: null },
    { sentUs: 25, session: 'a', expected: 'worker_2', served: 'worker_1', kind: null },
  ];
  const f = affinityFigures(ops, [[10, 20]]);
  assert.equal(f.calls, 1);
  assert.equal(f.hitRate, 1);
  assert.ok(Number.isNaN(affinityFigures(ops, [[100, 200]]).hitRate));
});

test('session mix: half the calls on two hot sessions, the rest over 14 cold ones', () => {
  const counts = new Map<string, number>();
  for (let seq = 0; seq < 1400; seq++) counts.set(sessionOf(seq), (counts.get(sessionOf(seq)) ?? 0) + 1);
  assert.equal((counts.get('hot-0') ?? 0) + (counts.get('hot-1') ?? 0), 700);
  const cold = [...counts].filter(([k]) => k.startsWith('cold-'));
  assert.equal(cold.length, 14);
  assert.ok(cold.every(([, n]) => n === 50), 'cold sessions evenly loaded');
});
