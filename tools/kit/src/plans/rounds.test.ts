import { test } from 'node:test';
import assert from 'node:assert/strict';
import { measure, type Measurement } from '../engine/measure.js';
import { closedLoop } from '../suite/loads.js';
import { rounds } from './rounds.js';
import { fakeContext, instant } from './fake-context.js';

/** A count-bounded load: its ok count is exact, so ratios of it are too. */
const count = (n: number) => closedLoop({ concurrency: 1, durationMs: 5000, count: n });
const OPS = { name: 'ok_ops', unit: 'ops', better: 'higher' as const, of: (s: { counts: { ok: number } }) => s.counts.ok };

test('rounds: rotating order, per-round ratios, their median with per-round samples, spread, arm medians', async () => {
  const plan = rounds({
    arms: [
      { name: 'direct_seq', driver: 'direct', load: count(100) },
      { name: 'shared', driver: 'shared', load: (_ctx, round) => count(200 + round * 100) },
    ],
    rounds: { full: 3, smoke: 1 },
    ratios: [
      { name: 'goal_vs_direct_seq', of: 'shared', to: 'direct_seq', figure: OPS, note: 'shared ÷ direct' },
      { name: 'seq_vs_goal_p50', of: 'direct_seq', to: 'shared', figure: 'p50' },
    ],
    figures: ['rps', 'p99'],
    joined: { name: 'goal_all', figures: ['rate'] },
    failures: 'goal_failed',
  });
  const t = fakeContext({ direct: () => instant(), shared: () => instant() });
  const out = await plan(t.ctx, undefined);
  assert.deepEqual(t.measured.map((x) => x.label), [
    'direct_seq, round 1', 'shared, round 1',
    'shared, round 2', 'direct_seq, round 2',
    'direct_seq, round 3', 'shared, round 3',
  ]);
  assert.deepEqual(t.measured[2]!.load.params, { arm: 'shared', round: 2 });
  const m = out.metrics!;
  assert.deepEqual(m.goal_vs_direct_seq!.samples, [3, 4, 5]);
  assert.equal(m.goal_vs_direct_seq!.value, 4);
  assert.equal(m.goal_vs_direct_seq!.better, 'higher');
  assert.equal(m.goal_vs_direct_seq_spread!.value, 2);
  assert.equal(m.goal_vs_direct_seq_spread!.better, 'lower');
  assert.equal(m.seq_vs_goal_p50!.better, 'lower', 'a ratio of latencies is better lower');
  for (const k of ['direct_seq_rps', 'shared_rps', 'direct_seq_p99_ms', 'shared_p99_ms']) assert.equal(m[k]!.samples!.length, 3, k);
  assert.equal(m.goal_failed!.value, 0);
  // The result: the first ratio's `of` arm, its three rounds joined.
  assert.equal(out.measurement!.stages.length, 3);
  assert.equal(out.measurement!.stages.reduce((a, s) => a + (s.spec.count ?? 0), 0), 300 + 400 + 500);
  assert.ok(m.goal_all_rps && m.goal_all_rps.value > 0);
  assert.equal(t.logs.length, 3, 'one log line per round');
});

test('rounds: three arms rotate so each runs first once; smoke takes the smoke count', async () => {
  const plan = rounds({ arms: ['get', 'send', 'post'].map((name) => ({ name, load: count(20) })), rounds: { full: 5, smoke: 3 } });
  const t = fakeContext({ default: () => instant() }, { smoke: true });
  await plan(t.ctx, undefined);
  assert.deepEqual(t.measured.map((x) => x.label.replace(/, round \d/, '')), ['get', 'send', 'post', 'send', 'post', 'get', 'post', 'get', 'send']);
});

test('rounds: measuring-function arms go through ctx.external; CPU per op is the median of rounds', async () => {
  const signal = new AbortController().signal;
  const plan = rounds({
    arms: [
      { name: 'send', measure: async () => measure(count(100), { driverFactory: () => instant(), signal }) },
      { name: 'baseline', measure: async () => measure(count(50), { driverFactory: () => instant(), signal }) },
    ],
    rounds: 2,
    ratios: [{ name: 'send_vs_baseline', of: 'send', to: 'baseline', figure: OPS }],
  });
  const t = fakeContext({});
  // Each external run reports its targets' CPU (kit-http would, through ctx.external).
  let cpu = 0;
  t.ctx.external = async (label, run) => {
    const r = await run();
    const m = ('measurement' in r ? r.measurement : r) as Measurement;
    m.cpuS = { agent: (cpu += 0.01), generator: 1 };
    t.tracked.push(label);
    return r;
  };
  const out = await plan(t.ctx, undefined);
  assert.deepEqual(t.tracked, ['send, round 1', 'baseline, round 1', 'baseline, round 2', 'send, round 2']);
  assert.equal(out.metrics!.send_vs_baseline!.value, 2);
  // send: 0.01 s / 100 ops (round 1), 0.04 s / 100 ops (round 2) → 100 and 400 µs/op.
  assert.deepEqual(out.metrics!.send_cpu_us_per_op!.samples, [100, 400]);
  assert.equal(out.metrics!.send_cpu_us_per_op!.value, 250);
  assert.deepEqual(out.metrics!.baseline_cpu_us_per_op!.samples, [400, 600]);
});

test('rounds: a round whose denominator is 0 gives no ratio and a note; none at all writes -1', async () => {
  let round = 0;
  const plan = rounds({
    arms: [{ name: 'goal', driver: 'ok', load: count(50) }, { name: 'floor', driver: 'floor', load: count(50) }],
    rounds: 3,
    ratios: [{ name: 'goal_vs_floor', of: 'goal', to: 'floor', figure: OPS }],
  });
  // The floor fails every operation in round 2 only.
  const t = fakeContext({ ok: () => instant(), floor: () => (++round === 2 ? instant(1) : instant()) });
  const out = await plan(t.ctx, undefined);
  assert.deepEqual(out.metrics!.goal_vs_floor!.samples, [1, 1]);
  assert.ok(out.notes!.includes("goal_vs_floor: floor's ok_ops was 0 in round 2: no ratio there"), out.notes!.join(' | '));
  const dead = rounds({ arms: [{ name: 'a', driver: 'ok', load: count(10) }, { name: 'b', driver: 'dead', load: count(10) }], rounds: 1, ratios: [{ name: 'a_vs_b', of: 'a', to: 'b' }] });
  const t2 = fakeContext({ ok: () => instant(), dead: () => instant(1) });
  const out2 = await dead(t2.ctx, undefined);
  assert.equal(out2.metrics!.a_vs_b!.value, -1);
  assert.equal(out2.metrics!.a_vs_b_spread, undefined);
});

test('rounds interrupted: finished rounds kept, the interrupted one left out, the rest not run', async () => {
  const plan = rounds({
    arms: [{ name: 'x', load: count(30) }, { name: 'y', load: count(60) }],
    rounds: 4,
    ratios: [{ name: 'y_vs_x', of: 'y', to: 'x', figure: OPS }],
  });
  // Ctrl-C after the first arm of round 2.
  const t = fakeContext({ default: () => instant() }, { after: (_m, call, c) => { if (call.index === 2) c.abort(); } });
  const out = await plan(t.ctx, undefined);
  assert.equal(t.measured.length, 3);
  assert.deepEqual(out.metrics!.y_vs_x!.samples, [2]);
  assert.deepEqual(out.metrics!.x_rps!.samples!.length, 1);
  assert.ok(out.notes!.includes('round 2 of 4 interrupted: left out; not run: interrupted: rounds 3–4'), out.notes!.join(' | '));
  assert.equal(out.measurement!.stages.length, 1, 'the result joins finished rounds only');
});

test('rounds: arms and ratios are checked when the suite loads', () => {
  assert.throws(() => rounds({ arms: [{ name: 'a', load: count(1) }], rounds: 1 }), /two or more arms/);
  assert.throws(() => rounds({ arms: [{ name: 'a', load: count(1) }, { name: 'b', load: count(1) }], rounds: 1, ratios: [{ name: 'r', of: 'a', to: 'c' }] }), /names arm c/);
});
