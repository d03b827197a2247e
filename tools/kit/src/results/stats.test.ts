import { test } from 'node:test';
import assert from 'node:assert/strict';
import { wilcoxonSignedRank } from './stats.js';

/** Differences whose absolute values are the ranks 1..n, negative where `neg` says. */
const ranked = (n: number, neg: number[]): number[] => Array.from({ length: n }, (_, i) => (neg.includes(i + 1) ? -(i + 1) : i + 1));

test('Wilcoxon signed-rank: exact tail probabilities match the published critical values', () => {
  // n = 10, two-sided α = 0.05: critical T = 8 (reject when min(W+, W−) ≤ 8), i.e. P(T ≤ 8) = 25/1024.
  const t8 = wilcoxonSignedRank(ranked(10, [1, 3, 4])); // W− = 8
  assert.equal(t8.wMinus, 8);
  assert.equal(t8.pGreater, 25 / 1024); // W+ = 55 − 8 = 47: P(W+ ≥ 47) = P(W− ≤ 8)
  assert.equal(t8.p, (2 * 25) / 1024);
  const t9 = wilcoxonSignedRank(ranked(10, [2, 3, 4])); // W− = 9: P(T ≤ 9) = 33/1024, not significant
  assert.equal(t9.p, (2 * 33) / 1024);
  assert.ok(t8.p <= 0.05 && t9.p > 0.05);
  // n = 6, one-sided α = 0.05: critical T = 2 (P(T ≤ 2) = 3/64 = 0.047; P(T ≤ 3) = 5/64 = 0.078).
  assert.equal(wilcoxonSignedRank(ranked(6, [2])).pGreater, 3 / 64);
  assert.equal(wilcoxonSignedRank(ranked(6, [3])).pGreater, 5 / 64);
  // n = 5: all five the same way is the only one-sided result below 0.05 (1/32); n = 4 can never get there.
  assert.equal(wilcoxonSignedRank([1, 2, 3, 4, 5]).pGreater, 1 / 32);
  assert.equal(wilcoxonSignedRank([5, 4, 3, 2, 1]).pLess, 1);
  assert.equal(wilcoxonSignedRank([1, 2, 3, 4]).pGreater, 1 / 16);
});

test('Wilcoxon signed-rank: the paired example of Hollander & Wolfe (R wilcox.test: V = 40, p = 0.01953 one-sided)', () => {
  const x = [1.83, 0.5, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.3];
  const y = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29];
  const r = wilcoxonSignedRank(x.map((v, i) => v - y[i]!));
  assert.equal(r.n, 9);
  assert.equal(r.wPlus, 40);
  assert.equal(r.wMinus, 5);
  assert.equal(r.exact, true);
  assert.equal(Number(r.pGreater.toFixed(5)), 0.01953);
  assert.equal(Number(r.p.toFixed(5)), 0.03906);
});

test('Wilcoxon signed-rank: zeros are dropped, ties take mid-ranks and stay exact', () => {
  const r = wilcoxonSignedRank([0, 0, 2, 2, -1]);
  assert.equal(r.n, 3);
  // |d| = 2, 2, 1 → ranks 2.5, 2.5, 1: W+ = 5, W− = 1. Sign assignments: 8; W+ ≥ 5 for {both 2.5s} ± the 1 → 2.
  assert.equal(r.wPlus, 5);
  assert.equal(r.wMinus, 1);
  assert.equal(r.pGreater, 2 / 8);
  const none = wilcoxonSignedRank([0, 0]);
  assert.deepEqual([none.n, none.p], [0, 1]);
});

test('Wilcoxon signed-rank: the normal approximation agrees with the exact count at n = 40', () => {
  const d = Array.from({ length: 40 }, (_, i) => (i % 3 === 0 ? -(i + 1) : i + 1));
  const exact = wilcoxonSignedRank(d);
  const approx = wilcoxonSignedRank(d, { exact: false });
  assert.equal(exact.exact, true);
  assert.equal(approx.exact, false);
  assert.ok(Math.abs(exact.pGreater - approx.pGreater) < 0.005, `${exact.pGreater} vs ${approx.pGreater}`);
  assert.ok(Math.abs(exact.p - approx.p) < 0.01);
});
