/** Turning kit measurements into named metrics; least squares for slopes. No timing happens here. */
import { summarizeMeasurement, type Measurement, type Metric, type Result, type ScenarioContext, type Summary } from '@wirebench/kit';

export const dur = (ctx: ScenarioContext, full: number, smoke: number): number => (ctx.smoke ? smoke : full);
const r3 = (x: number): number => Math.round(x * 1000) / 1000;

/** Ordinary least squares y = a + b·x; r2 is the coefficient of determination. */
export function leastSquares(xs: readonly number[], ys: readonly number[]): { slope: number; intercept: number; r2: number } {
  const n = Math.min(xs.length, ys.length);
  if (n < 2) return { slope: 0, intercept: ys[0] ?? 0, r2: 0 };
  let sx = 0, sy = 0;
  for (let i = 0; i < n; i++) { sx += xs[i]!; sy += ys[i]!; }
  const mx = sx / n, my = sy / n;
  let sxx = 0, sxy = 0, syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = xs[i]! - mx, dy = ys[i]! - my;
    sxx += dx * dx; sxy += dx * dy; syy += dy * dy;
  }
  const slope = sxx === 0 ? 0 : sxy / sxx;
  return { slope, intercept: my - slope * mx, r2: sxx === 0 || syy === 0 ? 0 : (sxy * sxy) / (sxx * syy) };
}

/**
 * Collects several measurements of one custom run as metrics. A secondary measurement's own
 * validity problems (generator saturated, rate short) become the run's invalidReasons, so no
 * measurement can hide a saturated generator.
 */
export class Figures {
  readonly metrics: Record<string, Metric> = {};
  readonly invalidReasons: string[] = [];
  readonly notes: string[] = [];

  add(label: string, m: Measurement, primary = false): Summary {
    const s = summarizeMeasurement(m);
    if (!primary) for (const r of s.saturation) this.invalidReasons.push(`${label}: ${r}`);
    const c = s.counts;
    const failed = c.errors + c.timeouts + c.lost;
    if (failed > 0) this.notes.push(`${label}: ${failed} of ${c.sent} failed (${JSON.stringify(c.errorsByKind)}, timeouts ${c.timeouts}, lost ${c.lost})`);
    this.metrics[`${label}_failed`] = { value: failed + c.dropped, unit: 'ops', better: 'lower', note: `${label}: errors + timeouts + lost + dropped` };
    return s;
  }

  latency(name: string, s: Summary, note: string, pcts: Array<'p50' | 'p95' | 'p99'> = ['p50', 'p99']): void {
    for (const p of pcts) {
      const key = p === 'p95' ? null : p === 'p50' ? 'p50Ms' : 'p99Ms';
      this.metrics[`${name}_${p}_ms`] = {
        value: s.latencyMs[p],
        unit: 'ms',
        better: 'lower',
        ...(key ? { samples: s.windows.map((w) => w[key]) } : {}),
        note: `${note}: ${p}${key ? ` (samples: per-window ${p})` : ''}`,
      };
    }
  }

  value(name: string, value: number, unit: string, better: Metric['better'], note: string, samples?: number[]): void {
    this.metrics[name] = { value: Number.isFinite(value) ? r3(value) : -1, unit, better, note, ...(samples ? { samples } : {}) };
  }
}

/** A metric of an earlier scenario of this run, or null. */
export function earlier(ctx: ScenarioContext, scenario: string, metric: string): number | null {
  const r: Result | undefined = ctx.results.get(scenario);
  const v = r?.metrics[metric]?.value;
  return v === undefined || !Number.isFinite(v) || v <= 0 ? null : v;
}

/** Several measurements of one run as one (stages in order), so result.stages holds them all. */
export function joinMeasurements(ms: readonly Measurement[]): Measurement | undefined {
  const first = ms[0];
  if (!first) return undefined;
  const stages = ms.flatMap((m) => m.stages);
  // Spread first: the kit's Measurement may carry more than load and stages (e.g. its window size).
  return { ...first, load: { ...first.load, stages: stages.map((s) => s.spec) }, stages };
}
