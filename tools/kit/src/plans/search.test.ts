import { test } from 'node:test';
import assert from 'node:assert/strict';
import { summarizeMeasurement } from '../results/summarize.js';
import type { StageResult } from '../results/types.js';
import { emptyCounts } from '../engine/recorder.js';
import { breakReasons, search } from './search.js';
import { delayed, fakeContext, instant } from './fake-context.js';

const RULES = ['errors >= 5%', 'p95 >= 100ms', 'p99 >= 500ms', 'rate_error > 10%', 'achieved_pct < 90'];

function stage(o: { p95?: number; p99?: number; sent?: number; ok?: number; errors?: number; requested?: number | null; achieved?: number; sentRate?: number }): StageResult {
  const lat = { count: o.ok ?? 100, min: 1, mean: 2, p50: 2, p90: 3, p95: o.p95 ?? 4, p99: o.p99 ?? 5, p999: 6, max: 7, stdev: 1 };
  return {
    name: 'step-1000',
    model: 'open',
    durationMs: 1000,
    latencyMs: lat,
    latencyMsUncorrected: lat,
    throughput: { requested: o.requested === undefined ? 1000 : o.requested, achieved: o.achieved ?? 1000, sent: o.sentRate ?? 1000 },
    counts: { ...emptyCounts(), sent: o.sent ?? 1000, ok: o.ok ?? 1000, errors: o.errors ?? 0 },
    generatorBusy: 0.2,
  };
}

test('breakReasons: each rule that holds on a recorded stage, in the SLO grammar', () => {
  assert.deepEqual(breakReasons(RULES, stage({})), []);
  assert.deepEqual(breakReasons(RULES, stage({ p95: 150 })), ['p95 >= 100ms (150 ms)']);
  assert.deepEqual(breakReasons(RULES, stage({ p95: 600, p99: 800 })), ['p95 >= 100ms (600 ms)', 'p99 >= 500ms (800 ms)']);
  assert.deepEqual(breakReasons(RULES, stage({ ok: 940, errors: 60 })), ['errors >= 5% (6%)']);
  assert.deepEqual(breakReasons(RULES, stage({ sentRate: 850 })), ['rate_error > 10% (15%)']);
  assert.deepEqual(breakReasons(RULES, stage({ achieved: 800 })), ['achieved_pct < 90 (80)']);
  // A closed-loop stage has no requested rate: rate_error and achieved_pct cannot hold.
  assert.deepEqual(breakReasons(RULES, stage({ requested: null, achieved: 10 })), []);
  assert.deepEqual(breakReasons(['p99 >= 1s'], stage({ p99: 1000 })), ['p99 >= 1s (1000 ms)']);
});

test('search: steps until a rule breaks; curve, max sustainable, capacity, breaking rate; stages named per step', async () => {
  // Latency rules loose enough that a loaded test machine's stalls do not break a step.
  const plan = search({ rates: { full: [100, 200, 400, 800], smoke: [100] }, breaks: ['errors >= 5%', 'p99 >= 2s'], stepMs: 200, warmupMs: { full: 50, smoke: 0 }, timeoutMs: 500 });
  // The target fails 1 in 5 operations from 400/s up.
  const t = fakeContext({ default: (load) => ((load.params?.step as number) >= 400 ? instant(5) : instant()) }, { steadyGenerator: true });
  const out = await plan(t.ctx, undefined);
  const m = out.metrics!;
  assert.deepEqual(t.measured.map((x) => x.label), ['step 100/s', 'step 200/s', 'step 400/s']);
  assert.equal(t.measured[0]!.load.stages.length, 2, 'warm-up before the first step only');
  assert.equal(t.measured[1]!.load.stages.length, 1);
  assert.equal(t.measured[1]!.load.timeoutMs, 500);
  assert.equal(t.measured[1]!.load.maxInFlight, 100_000, 'an overloaded target shows as latency, not as sends held back');
  assert.deepEqual(t.measured[1]!.load.stages.map((s) => [s.name, s.model, s.rate]), [['step-200', 'open', 200]]);
  assert.equal(m.max_sustainable_rps!.value, 200);
  assert.equal(m.recommended_capacity_rps!.value, 160);
  assert.equal(m.breaking_rps!.value, 400);
  assert.equal(m.generator_limited_rps!.value, -1);
  assert.deepEqual(m.curve_rate_rps!.samples, [100, 200, 400]);
  assert.deepEqual(m.curve_failed_pct!.samples, [0, 0, 20]);
  assert.equal(m.curve_failed_pct!.value, 20);
  for (const k of ['curve_achieved_rps', 'curve_p50_ms', 'curve_p95_ms', 'curve_p99_ms']) assert.equal(m[k]!.samples!.length, 3, k);
  assert.ok(out.notes!.includes('breaking point at 400/s: errors >= 5% (20%)'), out.notes!.join(' | '));
  assert.deepEqual(summarizeMeasurement(out.measurement!).stages.map((s) => s.name), ['step-100', 'step-200', 'step-400']);
});

test('search: a generator-limited step stops the search and is not the target\'s limit', async () => {
  const plan = search({ rates: [100, 200, 400], breaks: ['errors >= 5%'], stepMs: 150, warmupMs: 0 });
  // The generator's event loop was pegged during the 200/s step.
  const t = fakeContext({ default: () => instant() }, { steadyGenerator: true, after: (m, call) => { if (call.index === 1) for (const s of m.stages) for (const w of s.workers) w.busy = 0.99; } });
  const out = await plan(t.ctx, undefined);
  const m = out.metrics!;
  assert.equal(t.measured.length, 2);
  assert.equal(m.max_sustainable_rps!.value, 100);
  assert.equal(m.generator_limited_rps!.value, 200);
  assert.equal(m.breaking_rps!.value, -1);
  assert.ok(out.notes!.some((n) => n.startsWith("step 200/s is generator-limited (generator saturated: worker 0 event loop 99% busy in stage step-200): not the target's limit, left out of the figures")), out.notes!.join(' | '));
  assert.ok(out.notes!.includes("no breaking point below the generator's limit (200/s): max sustainable is a lower bound"));
  // Every step is a probe (the runner notes a probe's generator checks instead of failing the
  // result), and the limited step is in no figure: not the curve, not the measurement.
  assert.ok(t.measured.every((x) => x.probe));
  assert.deepEqual(m.curve_rate_rps!.samples, [100]);
  assert.deepEqual(summarizeMeasurement(out.measurement!).stages.map((s) => s.name), ['step-100']);
});

test('search: no break up to the last rate; a custom step load; CPU per op along the curve', async () => {
  const plan = search({
    rates: [100, 200],
    breaks: ['errors >= 5%'],
    // Two measured stages per step, both named after the step: count-bounded closed loops (rate / 10 operations each), so the CPU figure is exact.
    step: (rate) => ({ stages: [{ model: 'closed', concurrency: 1, count: rate / 10, durationMs: 5000 }, { model: 'closed', concurrency: 1, count: rate / 10, durationMs: 5000 }] }),
    capacity: 0.5,
    params: { payload: 'small' },
  });
  const t = fakeContext({ default: () => delayed(1) }, { after: (m) => { m.cpuS = { agent: 0.002, generator: 1 }; } });
  const out = await plan(t.ctx, undefined);
  const m = out.metrics!;
  assert.deepEqual(t.measured[1]!.load.params, { payload: 'small', step: 200 });
  assert.equal(m.max_sustainable_rps!.value, 200);
  assert.equal(m.recommended_capacity_rps!.value, 100);
  assert.equal(m.breaking_rps!.value, -1);
  assert.ok(out.notes!.includes('no breaking point up to 200/s: max sustainable is a lower bound'));
  // 0.002 s over 20 and 40 operations.
  assert.deepEqual(m.curve_cpu_us_per_op!.samples, [100, 50]);
  assert.deepEqual(summarizeMeasurement(out.measurement!).stages.map((s) => s.name), ['step-100-1', 'step-100-2', 'step-200-1', 'step-200-2']);
});

test('search interrupted: finished steps kept, the cut-short step left out, the rest listed as not run', async () => {
  const plan = search({ rates: [100, 200, 400], breaks: ['errors >= 5%'], stepMs: 300, warmupMs: 0 });
  // Ctrl-C 100 ms into the second step.
  const t = fakeContext({ default: () => instant() }, { steadyGenerator: true, after: (_m, call, c) => { if (call.index === 0) setTimeout(() => c.abort(), 100); } });
  const out = await plan(t.ctx, undefined);
  assert.equal(t.measured.length, 2);
  assert.equal(out.metrics!.max_sustainable_rps!.value, 100);
  assert.deepEqual(out.metrics!.curve_rate_rps!.samples, [100]);
  assert.ok(out.notes!.includes('not run: interrupted: steps 200, 400/s (a step cut short is left out): max sustainable is a lower bound'), out.notes!.join(' | '));
  assert.equal(out.measurement!.stages.length, 1);
  assert.throws(() => search({ rates: [1], breaks: ['p99 <> 5ms'] }), /not "<metric> <op> <number>\[unit\]"/);
});
