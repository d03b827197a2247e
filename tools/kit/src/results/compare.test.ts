import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareResults } from './compare.js';
import { drawWindows, rng, syntheticResult } from '../fixtures/synthetic.js';
import { mannWhitney } from './stats.js';

const normal = (rand: () => number) => (): number => {
  // Box-Muller: a normal deviate from two uniforms
  const u = Math.max(1e-12, rand());
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
};

const verdict = (rows: ReturnType<typeof compareResults>['rows'], metric: string) => rows.find((r) => r.metric === metric)?.verdict;

test('two runs from the same distribution are unchanged', () => {
  const a = rng(1), b = rng(2);
  const na = normal(a), nb = normal(b);
  const base = syntheticResult(drawWindows(20, 200, () => 1000 + 100 * na()));
  const cur = syntheticResult(drawWindows(20, 200, () => 1000 + 100 * nb()));
  const c = compareResults([base], [cur]);
  assert.equal(c.regressed, false);
  for (const m of ['p50', 'p99', 'mean', 'throughput']) assert.equal(verdict(c.rows, m), 'unchanged', m);
});

test('a run shifted 30% slower is a regression', () => {
  const a = rng(3), b = rng(4);
  const na = normal(a), nb = normal(b);
  const base = syntheticResult(drawWindows(20, 200, () => 1000 + 100 * na()));
  const cur = syntheticResult(drawWindows(20, 200, () => 1300 + 130 * nb()));
  const c = compareResults([base], [cur]);
  assert.equal(c.regressed, true);
  assert.equal(verdict(c.rows, 'p50'), 'regressed');
  const p50 = c.rows.find((r) => r.metric === 'p50')!;
  assert.ok(p50.changePct > 25 && p50.changePct < 35, `change ${p50.changePct}%`);
  assert.ok(p50.p !== null && p50.p < 0.001);
});

test('a shift smaller than the threshold is not a regression even when significant', () => {
  const a = rng(5), b = rng(6);
  const na = normal(a), nb = normal(b);
  const base = syntheticResult(drawWindows(20, 500, () => 1000 + 20 * na()));
  const cur = syntheticResult(drawWindows(20, 500, () => 1050 + 20 * nb()));
  const c = compareResults([base], [cur]);
  assert.equal(verdict(c.rows, 'p50'), 'unchanged', '5% is inside the 10% threshold');
  const strict = compareResults([base], [cur], { thresholds: { p50: 2 } });
  assert.equal(verdict(strict.rows, 'p50'), 'regressed', 'a per-metric threshold of 2% catches it');
});

test('a noisy run with the same median is unchanged', () => {
  const a = rng(7), b = rng(8);
  const na = normal(a), nb = normal(b);
  const base = syntheticResult(drawWindows(20, 200, () => 1000 + 50 * na()));
  // same centre, four times the spread
  const cur = syntheticResult(drawWindows(20, 200, () => 1000 + 200 * nb()));
  const c = compareResults([base], [cur]);
  assert.equal(verdict(c.rows, 'p50'), 'unchanged');
  assert.equal(verdict(c.rows, 'mean'), 'unchanged');
});

test('throughput is higher-is-better: fewer operations per window regress, more improve', () => {
  const a = rng(9);
  const na = normal(a);
  const windows = (n: number) => Array.from({ length: 20 }, (_, i) => Array.from({ length: n + (i % 3) * 5 }, () => 1000 + 50 * na()));
  const base = syntheticResult(windows(300));
  const slower = syntheticResult(windows(200));
  const faster = syntheticResult(windows(400));
  const down = compareResults([base], [slower]).rows.find((r) => r.metric === 'throughput')!;
  const up = compareResults([base], [faster]).rows.find((r) => r.metric === 'throughput')!;
  assert.equal(down.better, 'higher');
  assert.equal(down.verdict, 'regressed');
  assert.equal(up.verdict, 'improved');
});

test('too few windows to test: a large shift is inconclusive, never a regression; custom metrics test their samples', () => {
  const a = rng(10), b = rng(11);
  const base = syntheticResult(drawWindows(2, 2000, () => 1000 + 100 * a()));
  const cur = syntheticResult(drawWindows(2, 2000, () => 1500 + 100 * b()));
  const p50 = compareResults([base], [cur]).rows.find((r) => r.metric === 'p50')!;
  assert.equal(p50.test, 'none');
  assert.equal(p50.verdict, 'inconclusive');
  base.metrics.ratio = { value: 1, unit: 'x', better: 'higher', samples: [1, 1.02, 0.98, 1.01, 0.99, 1] };
  cur.metrics.ratio = { value: 0.5, unit: 'x', better: 'higher', samples: [0.5, 0.51, 0.49, 0.5, 0.52, 0.48] };
  assert.equal(compareResults([base], [cur]).rows.find((r) => r.metric === 'ratio')?.verdict, 'regressed');
});

test('invalid or interrupted runs and one-sided scenarios get no verdict', () => {
  const a = rng(12);
  const base = syntheticResult(drawWindows(10, 100, () => 1000 + 100 * a()));
  const slow = syntheticResult(drawWindows(10, 100, () => 3000 + 100 * a()));
  slow.valid = false;
  slow.invalidReasons = ['generator saturated'];
  const c = compareResults([base, syntheticResult(drawWindows(10, 10, () => 1), { scenario: 'gone' })], [slow]);
  assert.equal(c.regressed, false);
  assert.equal(c.rows.length, 0);
  assert.deepEqual(c.untrusted, ['synthetic/sample (current invalid)']);
  assert.deepEqual(c.missing, ['synthetic/gone (baseline only)']);
});

test('Mann-Whitney U: identical samples give p = 1, disjoint samples a tiny p', () => {
  assert.equal(mannWhitney([1, 2, 3, 4, 5], [1, 2, 3, 4, 5]).p, 1);
  assert.ok(mannWhitney([1, 2, 3, 4, 5, 6, 7, 8], [11, 12, 13, 14, 15, 16, 17, 18]).p < 0.002);
});
