import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Metric } from '@wirebench/kit';
import { perRoundRatio } from './round-ratio.js';

const cpu = (samples: number[]): Metric => ({ value: 0, unit: 'µs/op', better: 'lower', samples });

test('perRoundRatio: round by round, then the median, per-round samples kept', () => {
  const r = perRoundRatio({ a: cpu([120, 130, 300]), b: cpu([100, 100, 100]) }, 'a_vs_b', 'a', 'b', 'a ÷ b');
  assert.equal(r.note, undefined);
  assert.deepEqual(r.metrics.a_vs_b!.samples, [1.2, 1.3, 3]);
  assert.equal(r.metrics.a_vs_b!.value, 1.3, 'the median: one disturbed round does not move it');
  assert.equal(r.metrics.a_vs_b!.better, 'lower');
});

test('perRoundRatio: no figure when an arm is missing, rounds differ or a divisor is 0', () => {
  assert.deepEqual(perRoundRatio({ a: cpu([1]) }, 'x', 'a', 'b', '').metrics, {});
  assert.match(perRoundRatio({ a: cpu([1]) }, 'x', 'a', 'b', '').note!, /b missing/);
  assert.match(perRoundRatio({ a: cpu([1, 2]), b: cpu([1]) }, 'x', 'a', 'b', '').note!, /2 rounds of a against 1 of b/);
  assert.match(perRoundRatio({ a: cpu([1, 2]), b: cpu([1, 0]) }, 'x', 'a', 'b', '').note!, /b was 0/);
});
