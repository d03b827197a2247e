/** The capacity search's break rules, evaluated by the kit's search plan on recorded steps. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { breakReasons, type StageResult } from '@wirebench/kit';
import { emptyCounts } from '@wirebench/kit/internal';
import { CAPACITY_BREAKS, prefixed } from './scenarios/capacity.js';

/** A `step-4000` stage of the core+group search, with the given changes. */
function step(o: { p99?: number; ok?: number; errors?: number; timeouts?: number; lost?: number; achieved?: number }): StageResult {
  const lat = { count: o.ok ?? 20_000, min: 0.3, mean: 1.1, p50: 0.9, p90: 1.8, p95: 2.4, p99: o.p99 ?? 6.2, p999: 14, max: 30, stdev: 1 };
  return {
    name: 'step-4000',
    model: 'open',
    durationMs: 5000,
    latencyMs: lat,
    latencyMsUncorrected: lat,
    throughput: { requested: 4000, achieved: o.achieved ?? 4000, sent: 20_000 },
    counts: { ...emptyCounts(), sent: 20_000, ok: o.ok ?? 20_000, errors: o.errors ?? 0, timeouts: o.timeouts ?? 0, lost: o.lost ?? 0 },
    generatorBusy: 0.5,
  };
}

test('a healthy step does not break', () => {
  assert.deepEqual(breakReasons(CAPACITY_BREAKS, step({})), []);
});

test('1 % of events unsignalled (errors, timeouts, lost together) breaks; just under does not', () => {
  assert.deepEqual(breakReasons(CAPACITY_BREAKS, step({ ok: 19_801, timeouts: 150, lost: 49 })), []);
  assert.deepEqual(breakReasons(CAPACITY_BREAKS, step({ ok: 19_800, errors: 1, timeouts: 150, lost: 49 })), ['errors >= 1% (1%)']);
});

test('p99 from 500 ms breaks', () => {
  assert.deepEqual(breakReasons(CAPACITY_BREAKS, step({ p99: 499 })), []);
  assert.deepEqual(breakReasons(CAPACITY_BREAKS, step({ p99: 812 })), ['p99 >= 500ms (812 ms)']);
});

test('the bus falling behind the arrival rate (under 95 % achieved) breaks', () => {
  assert.deepEqual(breakReasons(CAPACITY_BREAKS, step({ achieved: 3800 })), []);
  assert.deepEqual(breakReasons(CAPACITY_BREAKS, step({ achieved: 3700 })), ['achieved_pct < 95 (92.5)']);
});

test('each search\'s figures go under its configuration\'s prefix', () => {
  const m = { value: 4000, unit: 'ops/s', better: 'higher' as const };
  assert.deepEqual(Object.keys(prefixed('core_group', { metrics: { max_sustainable_rps: m, breaking_rps: m } })), ['core_group_max_sustainable_rps', 'core_group_breaking_rps']);
});
