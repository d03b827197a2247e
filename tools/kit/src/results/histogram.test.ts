import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHistogram, decodeHistogram, encodeHistogram, mergeEncoded, recordUs, summarize } from './histogram.js';
import { rng } from '../fixtures/synthetic.js';

/** Exact percentile of sorted samples, nearest-rank definition (what HDR approximates). */
function exact(sorted: number[], p: number): number {
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function assertWithinHdr(actualMs: number, exactUs: number, label: string): void {
  // 3 significant digits: a bucket spans at most 0.1% of its value (plus the 1 µs floor).
  const tol = Math.max(1, exactUs * 0.001) / 1000;
  assert.ok(Math.abs(actualMs - exactUs / 1000) <= tol + 1e-9, `${label}: ${actualMs} ms vs exact ${exactUs / 1000} ms (±${tol})`);
}

test('percentiles of a uniform distribution match the exact values within HDR precision', () => {
  const rand = rng(7);
  const samples = Array.from({ length: 100_000 }, () => Math.round(100 + rand() * 9_900)); // 100 µs .. 10 ms
  const h = createHistogram();
  for (const s of samples) recordUs(h, s);
  const sorted = [...samples].sort((a, b) => a - b);
  const s = summarize(h);
  assertWithinHdr(s.p50, exact(sorted, 50), 'p50');
  assertWithinHdr(s.p90, exact(sorted, 90), 'p90');
  assertWithinHdr(s.p99, exact(sorted, 99), 'p99');
  assertWithinHdr(s.p999, exact(sorted, 99.9), 'p99.9');
  assertWithinHdr(s.max, sorted.at(-1)!, 'max');
  assert.equal(s.count, samples.length);
});

test('percentiles of a bimodal distribution land in the right mode', () => {
  const rand = rng(11);
  // 90% fast (~200 µs), 10% slow (~50 ms): p50 fast, p95 and p99 slow.
  const samples = Array.from({ length: 50_000 }, (_, i) => (i % 10 === 0 ? 50_000 + Math.round(rand() * 5_000) : 200 + Math.round(rand() * 50)));
  const h = createHistogram();
  for (const s of samples) recordUs(h, s);
  const sorted = [...samples].sort((a, b) => a - b);
  const s = summarize(h);
  assertWithinHdr(s.p50, exact(sorted, 50), 'p50');
  assertWithinHdr(s.p90, exact(sorted, 90), 'p90');
  assertWithinHdr(s.p95, exact(sorted, 95), 'p95');
  assertWithinHdr(s.p99, exact(sorted, 99), 'p99');
  assert.ok(s.p50 < 1 && s.p95 > 40, 'the modes are told apart');
});

test('histograms merged from 4 workers equal one histogram of the same samples', () => {
  const rand = rng(3);
  const all = createHistogram();
  const parts = Array.from({ length: 4 }, () => createHistogram());
  for (let i = 0; i < 40_000; i++) {
    const v = Math.round(rand() ** 3 * 2_000_000); // long tail up to 2 s
    recordUs(all, v);
    recordUs(parts[i % 4]!, v);
  }
  const merged = mergeEncoded(parts.map(encodeHistogram));
  assert.equal(merged.totalCount, all.totalCount);
  for (const p of [0, 1, 10, 25, 50, 75, 90, 99, 99.9, 99.99, 100]) {
    assert.equal(merged.getValueAtPercentile(p), all.getValueAtPercentile(p), `p${p}`);
  }
  assert.deepEqual(summarize(merged), summarize(all));
});

test('an encoded histogram decodes to the same distribution, and out-of-range values are clamped', () => {
  const h = createHistogram();
  recordUs(h, -5);
  recordUs(h, 1.4);
  recordUs(h, 10 ** 12);
  const d = decodeHistogram(encodeHistogram(h));
  assert.equal(d.totalCount, 3);
  assert.deepEqual(summarize(d), summarize(h));
  assert.ok(Math.abs(summarize(d).max - 600_000) <= 600, 'clamped to the 10 minute ceiling (ms, within HDR precision)');
});
