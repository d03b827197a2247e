import { summarizeMeasurement, type Measurement, type Metric, type Result, type ScenarioContext, type Summary } from '@wirebench/kit';

/**
 * Collects the kit's figures of several measurements of one custom run as named metrics. Each
 * measurement's own validity checks (generator saturation, rate shortfall) become the run's
 * invalidReasons, so a secondary measurement cannot hide a saturated generator.
 */
export class Figures {
  readonly metrics: Record<string, Metric> = {};
  readonly invalidReasons: string[] = [];
  readonly notes: string[] = [];

  /** `primary`: the measurement the run returns, whose validity the kit checks itself. */
  add(label: string, m: Measurement, primary = false): Summary {
    const s = summarizeMeasurement(m);
    if (!primary) for (const r of s.saturation) this.invalidReasons.push(`${label}: ${r}`);
    const failed = s.counts.errors + s.counts.timeouts + s.counts.lost;
    if (failed > 0) this.notes.push(`${label}: ${failed} of ${s.counts.sent} operations failed (${JSON.stringify(s.counts.errorsByKind)}, timeouts ${s.counts.timeouts}, lost ${s.counts.lost})`);
    return s;
  }

  latency(name: string, s: Summary, note: string): void {
    const p50s = s.windows.map((w) => w.p50Ms);
    const p99s = s.windows.map((w) => w.p99Ms);
    this.metrics[`p50_${name}_ms`] = { value: s.latencyMs.p50, unit: 'ms', better: 'lower', samples: p50s, note: `${note}: p50 (samples: per-second p50)` };
    this.metrics[`p99_${name}_ms`] = { value: s.latencyMs.p99, unit: 'ms', better: 'lower', samples: p99s, note: `${note}: p99 (samples: per-second p99)` };
  }

  rate(name: string, s: Summary, note: string): void {
    const dur = s.stages.reduce((a, st) => a + st.durationMs, 0);
    this.metrics[`rps_${name}`] = {
      value: s.throughput.achieved,
      unit: 'ops/s',
      better: 'higher',
      // Per-second successes: comparable across runs (a partial last window is left out).
      samples: s.windows.filter((w) => w.tMs + 1000 <= dur).map((w) => w.ok),
      note: `${note}: successful operations per second`,
    };
  }

  ratio(name: string, value: number, note: string, better: Metric['better'] = 'higher'): void {
    this.metrics[name] = { value: Number.isFinite(value) ? Math.round(value * 1000) / 1000 : -1, unit: 'x', better, note };
  }
}

/** A metric of an earlier scenario of this run, or null (run it with --scenario direct,... to get ratios). */
export function earlier(ctx: ScenarioContext, scenario: string, pick: (r: Result) => number | undefined): number | null {
  const r = ctx.results.get(scenario);
  const v = r ? pick(r) : undefined;
  return v === undefined || !Number.isFinite(v) || v <= 0 ? null : v;
}

export const dur = (ctx: ScenarioContext, full: number, smoke: number): number => (ctx.smoke ? smoke : full);
