/**
 * The compare view: compareResults' verdict per metric, with the spread of the per-window (or
 * per-round) figures its test ran on, so a reader sees whether a change stands out of the noise.
 */
import { RUN_METRICS, type Comparison } from '../compare.js';
import type { Result } from '../types.js';
import type { CompareView } from './view.js';

/** The figures compare's test used for `metric` (run metrics: per window; scenario metrics: their samples). */
function figures(r: Result | undefined, metric: string): number[] {
  if (!r) return [];
  const run = RUN_METRICS.find((d) => d.metric === metric);
  return run ? run.windows(r) : (r.metrics[metric]?.samples ?? []);
}

const range = (xs: number[]): [number, number] | null => (xs.length ? [Math.min(...xs), Math.max(...xs)] : null);

export function compareView(comparison: Comparison, baseline: Result[], current: Result[]): CompareView {
  const key = (suite: string, scenario: string): string => `${suite}/${scenario}`;
  const base = new Map(baseline.map((r) => [key(r.suite, r.scenario), r]));
  const cur = new Map(current.map((r) => [key(r.suite, r.scenario), r]));
  return {
    baselineRunId: [...new Set(baseline.map((r) => r.runId))].join(', '),
    baselineStartedAt: baseline[0]?.startedAt ?? '',
    regressed: comparison.regressed,
    rows: comparison.rows.map((c) => {
      const b = figures(base.get(key(c.suite, c.scenario)), c.metric);
      const n = figures(cur.get(key(c.suite, c.scenario)), c.metric);
      return {
        scenario: c.scenario, metric: c.metric, unit: c.unit, better: c.better,
        baseline: c.baseline, current: c.current, changePct: c.changePct, thresholdPct: c.thresholdPct,
        p: c.p, test: c.test, verdict: c.verdict,
        baselineSpread: range(b), currentSpread: range(n), samples: [b.length, n.length],
      };
    }),
    missing: comparison.missing,
    untrusted: comparison.untrusted,
  };
}
