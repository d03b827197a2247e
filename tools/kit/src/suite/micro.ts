import { nowUs } from '../engine/clock.js';
import type { Metric } from '../results/types.js';

export interface MicroResult {
  /** Mean time per call, ns. */
  nsPerOp: number;
  opsPerSec: number;
  /** ns per call of each timed batch: what compare tests. */
  samples: number[];
  iterations: number;
}

/**
 * Times a synchronous function in batches (one clock read per batch, so the timer's own cost is
 * amortised away), after a warm-up that lets the JIT settle; warm-up batches are discarded.
 * `sink` keeps results alive so the optimiser cannot delete the work.
 */
export function microBench(fn: () => unknown, opts: { durationMs?: number; warmupMs?: number; batch?: number } = {}): MicroResult {
  const durationUs = (opts.durationMs ?? 1000) * 1000;
  const warmupUs = (opts.warmupMs ?? 200) * 1000;
  let batch = opts.batch ?? 0;
  let sink: unknown;
  const w0 = nowUs();
  let calls = 0;
  while (nowUs() - w0 < warmupUs) {
    for (let i = 0; i < 100; i++) sink = fn();
    calls += 100;
  }
  if (!batch) {
    // aim for ~1 ms batches: long enough to drown the clock read, short enough for many samples
    const perCallUs = Math.max(1e-3, (nowUs() - w0) / Math.max(1, calls));
    batch = Math.max(1, Math.round(1000 / perCallUs));
  }
  const samples: number[] = [];
  let iterations = 0;
  let total = 0;
  const t0 = nowUs();
  while (nowUs() - t0 < durationUs) {
    const b0 = nowUs();
    for (let i = 0; i < batch; i++) sink = fn();
    const dt = nowUs() - b0;
    samples.push((dt * 1000) / batch);
    total += dt;
    iterations += batch;
  }
  if (sink === Symbol.for('never')) console.log(sink);
  const nsPerOp = (total * 1000) / Math.max(1, iterations);
  return { nsPerOp, opsPerSec: 1e9 / nsPerOp, samples, iterations };
}

export function microMetric(r: MicroResult, note?: string): Metric {
  return { value: Math.round(r.nsPerOp * 10) / 10, unit: 'ns/op', better: 'lower', samples: r.samples.map((s) => Math.round(s * 10) / 10), ...(note ? { note } : {}) };
}
