/** The stress scenario's break rules, evaluated by the kit's search plan on recorded steps. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { breakReasons, type StageResult } from '@wirebench/kit';
import { emptyCounts } from '@wirebench/kit/internal';
import { STRESS_BREAKS } from './scenarios/stress.js';

/** A step shaped like one of a smoke run's `step-3000` stages, with the given changes. */
function step(o: { p95?: number; p99?: number; ok?: number; errors?: number; timeouts?: number; lost?: number; achieved?: number }): StageResult {
  const lat = { count: o.ok ?? 3000, min: 0.2, mean: 0.9, p50: 0.7, p90: 1.4, p95: o.p95 ?? 1.9, p99: o.p99 ?? 4.2, p999: 9.1, max: 14.3, stdev: 0.8 };
  return {
    name: 'step-3000',
    model: 'open',
    durationMs: 1000,
    latencyMs: lat,
    latencyMsUncorrected: lat,
    throughput: { requested: 3000, achieved: o.achieved ?? 2998, sent: 3000 },
    counts: { ...emptyCounts(), sent: 3000, ok: o.ok ?? 3000, errors: o.errors ?? 0, timeouts: o.timeouts ?? 0, lost: o.lost ?? 0 },
    generatorBusy: 0.4,
  };
}

test('a healthy step does not break', () => {
  assert.deepEqual(breakReasons(STRESS_BREAKS, step({})), []);
});

test('errors, timeouts and lost together: 5% breaks, just under does not', () => {
  assert.deepEqual(breakReasons(STRESS_BREAKS, step({ ok: 2851, errors: 100, timeouts: 40, lost: 9 })), []);
  assert.deepEqual(breakReasons(STRESS_BREAKS, step({ ok: 2850, errors: 100, timeouts: 40, lost: 10 })), ['errors >= 5% (5%)']);
});

test('latency: p95 from 100 ms, p99 from 500 ms', () => {
  assert.deepEqual(breakReasons(STRESS_BREAKS, step({ p95: 99.9, p99: 499 })), []);
  assert.deepEqual(breakReasons(STRESS_BREAKS, step({ p95: 100, p99: 180 })), ['p95 >= 100ms (100 ms)']);
  assert.deepEqual(breakReasons(STRESS_BREAKS, step({ p95: 420, p99: 800 })), ['p99 >= 500ms (800 ms)', 'p95 >= 100ms (420 ms)']);
});

test('achieved below 90% of the requested rate breaks', () => {
  assert.deepEqual(breakReasons(STRESS_BREAKS, step({ achieved: 2700 })), []);
  assert.deepEqual(breakReasons(STRESS_BREAKS, step({ achieved: 2640 })), ['achieved_pct < 90 (88)']);
});
