import { test } from 'node:test';
import assert from 'node:assert/strict';
import { drawWindows, rng, syntheticResult } from '../fixtures/synthetic.js';
import { createHistogram, encodeHistogram, recordUs, summarize } from './histogram.js';
import { mergeShards } from './merge.js';
import type { Result } from './types.js';

/** A shard's result whose one measured stage holds `windows` (µs samples per 1 s window). */
function shard(index: number, count: number, windows: number[][], o: { startMs?: number; cpu?: number } = {}): Result {
  const r = syntheticResult(windows, { runId: `s${index}`, scenario: 'x' });
  const n = r.counts.ok;
  const enc = (samples: number[]): string => {
    const h = createHistogram();
    for (const v of samples) recordUs(h, v);
    const e = encodeHistogram(h);
    h.destroy();
    return e;
  };
  const dur = windows.length * 1000;
  r.stages = [{ name: 'measure', model: 'closed', durationMs: dur, latencyMs: r.latencyMs, latencyMsUncorrected: r.latencyMs, throughput: { requested: null, achieved: n / (dur / 1000), sent: n / (dur / 1000) }, counts: { ...r.counts }, generatorBusy: index ? 0.3 : 0.2 }];
  r.load = { ...r.load, shard: { index, count } };
  r.metrics = {
    cpu_us_per_op: { value: o.cpu ?? 10, unit: 'us/op', better: 'lower' },
    replies_seen: { value: n, unit: 'replies', better: 'none' },
    send_vs_baseline: { value: 1.1, unit: 'x', better: 'higher' },
  };
  r.slo = [{ name: 'errors == 0', pass: true, actual: 0, threshold: 0 }, { name: 'p99 <= 1ms', pass: false, actual: 2, threshold: 1, unit: 'ms', goal: true }];
  r.shard = {
    index, count, firstStageAtMs: o.startMs ?? 1_000_000, windowMs: 1000,
    stages: [{ name: 'measure', corrected: enc(windows.flat()), uncorrected: enc(windows.flat()) }],
    windows: windows.map((w, k) => ({ index: k, ok: w.length, errors: 0, histogram: enc(w) })),
  };
  return r;
}

test('shards merge exactly: counts add, percentiles come from the merged histograms, cpu per op is ops-weighted', () => {
  const a = drawWindows(3, 200, (() => { const r = rng(1); return () => 500 + r() * 500; })());
  const b = drawWindows(3, 100, (() => { const r = rng(2); return () => 2000 + r() * 1000; })());
  const m = mergeShards([shard(1, 2, b, { cpu: 40 }), shard(0, 2, a, { cpu: 10 })], 'merged');
  assert.equal(m.valid, true, m.invalidReasons.join('; '));
  assert.equal(m.counts.ok, 900);
  assert.equal(m.stages[0]!.counts.ok, 900);
  const all = createHistogram();
  for (const v of [...a.flat(), ...b.flat()]) recordUs(all, v);
  assert.deepEqual(m.latencyMs, summarize(all), 'as if one generator had recorded every operation');
  assert.deepEqual(m.stages[0]!.latencyMs, summarize(all));
  all.destroy();
  assert.deepEqual(m.windows.map((w) => w.ok), [300, 300, 300]);
  assert.equal(m.throughput.achieved, 300, 'rates add over the common stage time');
  assert.equal(m.stages[0]!.generatorBusy, 0.3, 'the busiest generator');
  assert.equal(m.metrics.cpu_us_per_op!.value, (10 * 600 + 40 * 300) / 900);
  assert.equal(m.metrics.replies_seen!.value, 900, 'counts are summed');
  assert.equal(m.metrics.send_vs_baseline, undefined, 'a ratio does not add');
  assert.ok(m.notes.some((n) => /not merged.*send_vs_baseline/.test(n)), m.notes.join(' | '));
  assert.equal(m.load.shard, undefined);
  assert.equal(m.shard, undefined);
  assert.deepEqual(m.slo.map((s) => [s.name, s.goal === true, s.pass]), [['errors == 0', false, true], ['p99 <= 1ms', true, false]], 'SLOs and goals judged again');
});

test('a merge is invalid with a shard missing, an invalid shard, or shards that did not run together', () => {
  const w = [[1000, 1100], [1200]];
  assert.match(mergeShards([shard(0, 3, w), shard(2, 3, w)], 'm').invalidReasons.join(), /shard 1 of 3 missing/);
  const bad = shard(1, 2, w);
  bad.valid = false;
  bad.invalidReasons = ['generator saturated'];
  assert.deepEqual(mergeShards([shard(0, 2, w), bad], 'm').invalidReasons, ['shard 1: generator saturated']);
  const late = mergeShards([shard(0, 2, w, { startMs: 1_000_000 }), shard(1, 2, w, { startMs: 1_001_000 })], 'm');
  assert.equal(late.valid, false);
  assert.match(late.invalidReasons.join(), /began 1000 ms apart/);
});
