import type { Measurement } from '../engine/measure.js';
import { cpuPerOp } from '../process/cpu-meter.js';
import { summarizeMeasurement, type Summary } from '../results/summarize.js';
import type { RunOutput, ScenarioContext } from './suite.js';
import { median } from '../results/stats.js';
import type { Metric, Result } from '../results/types.js';

const r3 = (x: number): number => Math.round(x * 1000) / 1000;

/**
 * Turns the several measurements of one custom run into named metrics with per-window samples,
 * so that compare can test each figure. No timing happens here: every figure comes from the
 * kit's own recording. (Validity of every measurement is checked by the runner.)
 */
export class Figures {
  readonly metrics: Record<string, Metric> = {};
  readonly notes: string[] = [];
  /** Operations that did not succeed (errors + timeouts + lost + dropped), by measurement label. */
  readonly failed: Record<string, number> = {};

  /** Summarizes a measurement and notes any failed operations under `label`. */
  add(label: string, m: Measurement): Summary {
    const s = summarizeMeasurement(m);
    const c = s.counts;
    const failed = c.errors + c.timeouts + c.lost;
    this.failed[label] = (this.failed[label] ?? 0) + failed + c.dropped;
    if (failed > 0 || c.dropped > 0) {
      this.notes.push(`${label}: ${failed} of ${c.sent} operations failed (${JSON.stringify(c.errorsByKind)}, timeouts ${c.timeouts}, lost ${c.lost}), ${c.dropped} never sent`);
    }
    return s;
  }

  /** `<name>_p50_ms`, `<name>_p99_ms`… with the per-window percentile as samples. */
  latency(name: string, s: Summary, note: string, pcts: ReadonlyArray<'p50' | 'p95' | 'p99'> = ['p50', 'p99']): void {
    const live = s.windows.filter((w) => w.ok > 0);
    for (const p of pcts) {
      const samples = p === 'p50' ? live.map((w) => w.p50Ms) : p === 'p99' ? live.map((w) => w.p99Ms) : undefined;
      this.metrics[`${name}_${p}_ms`] = { value: s.latencyMs[p], unit: 'ms', better: 'lower', ...(samples ? { samples } : {}), note: `${note}: ${p}` };
    }
  }

  /** `<name>_rps`: successful operations per second, with each full window's rate as samples. */
  rate(name: string, s: Summary, note: string): void {
    const total = s.stages.reduce((a, st) => a + st.durationMs, 0);
    const full = s.windows.filter((w) => w.tMs + w.windowMs <= total);
    this.metrics[`${name}_rps`] = {
      value: s.throughput.achieved,
      unit: 'ops/s',
      better: 'higher',
      samples: full.map((w) => r3((w.ok * 1000) / w.windowMs)),
      note: `${note}: successful operations per second`,
    };
  }

  /**
   * `<name>_cpu_us_per_op`: the targets' CPU (every role of `m.cpuS` but the generator) per
   * completed operation, in µs. Nothing (and false) when the measurement carries no target CPU
   * or nothing completed.
   */
  cpu(name: string, m: Measurement, s: Summary, note: string): boolean {
    const us = cpuUsPerOp(m, s);
    if (us === null) return false;
    this.value(`${name}_cpu_us_per_op`, us, 'µs/op', 'lower', `${note}: target CPU (${Object.keys(m.cpuS ?? {}).filter((r) => r !== 'generator').join(' + ')}) per completed operation`);
    return true;
  }

  value(name: string, value: number, unit: string, better: Metric['better'], note: string, samples?: number[]): void {
    // A figure that could not be computed is written as null-free -1 and fails any SLO on it.
    this.metrics[name] = { value: Number.isFinite(value) ? r3(value) : -1, unit, better, note, ...(samples ? { samples } : {}) };
  }

  /** The median of per-round figures (a ratio measured in rounds beside its baseline, say), each round kept as a sample. */
  medianOf(name: string, perRound: readonly number[], unit: string, better: Metric['better'], note: string): void {
    this.value(name, median(perRound), unit, better, note, perRound.map(r3));
  }

  /** `name`: every failed or unsent operation across the measurements added so far (for `name == 0` SLOs). */
  failures(name: string, note: string): void {
    this.value(name, Object.values(this.failed).reduce((a, b) => a + b, 0), 'ops', 'lower', `${note}: errors + timeouts + lost + dropped`);
  }

  ratio(name: string, value: number, note: string, better: Metric['better'] = 'higher'): void {
    this.value(name, value, 'x', better, note);
  }

  /** The custom run's output: these metrics and notes, plus the measurement that becomes the result. */
  output(measurement?: Measurement, extra: Omit<RunOutput, 'measurement' | 'metrics'> = {}): RunOutput {
    return { ...extra, ...(measurement ? { measurement } : {}), metrics: this.metrics, notes: [...this.notes, ...(extra.notes ?? [])] };
  }
}

/**
 * The targets' CPU time (every role of `m.cpuS` except 'generator') per completed operation (ok or
 * retried), in µs; null when the measurement carries no target CPU or nothing completed.
 */
export function cpuUsPerOp(m: Measurement, s: Pick<Summary, 'counts'>): number | null {
  return m.cpuS ? cpuPerOp(m.cpuS, s.counts.ok + s.counts.retried).targetsUs : null;
}

/** A positive figure of an earlier scenario of this run, or null when it did not run (e.g. --scenario). */
export function earlier(ctx: ScenarioContext, scenario: string, pick: (r: Result) => number | undefined): number | null {
  const r = ctx.results.get(scenario);
  const v = r ? pick(r) : undefined;
  return v === undefined || !Number.isFinite(v) || v <= 0 ? null : v;
}

/** Full-run or smoke-run value. */
export const pick = <T>(ctx: Pick<ScenarioContext, 'smoke'>, full: T, smoke: T): T => (ctx.smoke ? smoke : full);
