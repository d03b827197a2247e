import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rng, syntheticResult } from '../fixtures/synthetic.js';
import { holmAdjust, pairedCompare, type AbRound } from './ab.js';
import type { Result } from './types.js';

/** A result whose latency is `us` µs everywhere (plus a little noise), with one directed metric. */
function run(us: number, draw: () => number, cpu = 50): Result {
  const r = syntheticResult([Array.from({ length: 200 }, () => us * (0.95 + 0.1 * draw()))], { scenario: 'echo', suite: 'demo' });
  r.metrics.cpu_us_per_op = { value: cpu, unit: 'µs', better: 'lower' };
  r.metrics.label = { value: 1, unit: '', better: 'none' };
  return r;
}

/**
 * n rounds on a machine whose speed drifts from round to round by up to ×3 (what separate runs
 * see), with head `factor` times base within each round.
 */
function rounds(n: number, factor: number, seed = 1, cpuFactor = 1): AbRound[] {
  const draw = rng(seed);
  return Array.from({ length: n }, (_, i) => {
    const machine = 1 + 2 * draw();
    return { round: i + 1, first: i % 2 ? 'head' : 'base', base: [run(1000 * machine, draw)], head: [run(1000 * machine * factor, draw, 50 * cpuFactor)] } as AbRound;
  });
}

test('a consistent 30% slowdown is a regression although the machine moved ×3 between rounds', () => {
  const c = pairedCompare(rounds(7, 1.3), { thresholdPct: 10 });
  const p50 = c.rows.find((r) => r.metric === 'p50')!;
  assert.equal(p50.verdict, 'regressed');
  assert.equal(p50.pairs, 7);
  assert.equal(p50.pWorse, Number((1 / 128).toPrecision(3)), 'all seven pairs worse: the exact one-sided p is 1/2^7');
  assert.equal(p50.pWorseAdj, Number((4 / 128).toPrecision(3)), 'Holm over the 4 figures tested');
  assert.ok(p50.changePct > 25 && p50.changePct < 35, `change ${p50.changePct}`);
  assert.ok(c.regressions.some((r) => r.metric === 'p50'));
  assert.ok(!c.rows.some((r) => r.metric === 'label'), 'undirected metrics are not compared');
  assert.equal(c.rows.find((r) => r.metric === 'cpu_us_per_op')!.verdict, 'unchanged');
});

test('an A/A pair of sides passes; a change below the threshold passes even when consistent', () => {
  assert.deepEqual(pairedCompare(rounds(6, 1), { thresholdPct: 10 }).regressions, []);
  const small = pairedCompare(rounds(6, 1.05), { thresholdPct: 10 });
  assert.deepEqual(small.regressions, []);
  assert.equal(small.rows.find((r) => r.metric === 'p50')!.verdict, 'unchanged');
});

test('faster is an improvement, throughput falling is a regression (direction per figure)', () => {
  const faster = pairedCompare(rounds(7, 0.5));
  assert.equal(faster.rows.find((r) => r.metric === 'p50')!.verdict, 'improved');
  const cpu = pairedCompare(rounds(7, 1, 3, 2), { thresholds: { cpu_us_per_op: 50 } });
  assert.equal(cpu.rows.find((r) => r.metric === 'cpu_us_per_op')!.verdict, 'regressed', 'per-metric threshold, directed metric');
  const slow = rounds(7, 1);
  for (const r of slow) r.head[0]!.throughput.achieved = r.base[0]!.throughput.achieved * 0.5;
  assert.equal(pairedCompare(slow).rows.find((r) => r.metric === 'throughput')!.verdict, 'regressed');
});

test('too few rounds cannot reach significance: inconclusive, and a note says how many it takes', () => {
  const c = pairedCompare(rounds(4, 2));
  assert.equal(c.rows.find((r) => r.metric === 'p50')!.verdict, 'inconclusive');
  assert.deepEqual(c.regressions, []);
  assert.ok(c.notes.some((n) => /over 4 figures \(Holm\).*at least 7 rounds/.test(n)), c.notes.join('; '));
  const one = pairedCompare(rounds(4, 2), { correction: 'none' });
  assert.ok(one.notes.some((n) => /at least 5 rounds/.test(n)), one.notes.join('; '));
});

test('Holm: six rounds and four figures cannot fail the gate together; uncorrected they would', () => {
  const holm = pairedCompare(rounds(6, 1.3));
  assert.equal(holm.rows.find((r) => r.metric === 'p50')!.verdict, 'inconclusive');
  assert.equal(pairedCompare(rounds(6, 1.3), { correction: 'none' }).rows.find((r) => r.metric === 'p50')!.verdict, 'regressed');
  assert.deepEqual(holmAdjust([0.01, 0.04, 0.03, 0.005]).map((p) => Number(p.toFixed(4))), [0.03, 0.06, 0.06, 0.02]);
  assert.deepEqual(holmAdjust([]), []);
});

test('invalid sides are left out with a note; a contract broken only in head is named', () => {
  const rs = rounds(6, 1);
  rs[0]!.head[0]!.valid = false;
  for (const r of rs) r.head[0]!.slo = [{ name: 'lost == 0', pass: false, actual: 3, threshold: 0 }];
  const c = pairedCompare(rs);
  assert.equal(c.rows.find((r) => r.metric === 'p50')!.pairs, 5);
  assert.ok(c.notes.some((n) => /round 1: echo left out \(head invalid\)/.test(n)));
  assert.deepEqual(c.brokenContracts, ['echo: lost == 0 fails in 6/6 head round(s), holds in every base round']);
});
