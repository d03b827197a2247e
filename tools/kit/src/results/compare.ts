import { DEFAULTS } from '../defaults.js';
import { mannWhitney } from './stats.js';
import type { Result } from './types.js';

export type Verdict = 'improved' | 'regressed' | 'unchanged' | 'inconclusive';

export interface MetricComparison {
  suite: string;
  scenario: string;
  metric: string;
  better: 'lower' | 'higher';
  unit: string;
  baseline: number;
  current: number;
  /** (current − baseline) / baseline, percent. */
  changePct: number;
  thresholdPct: number;
  /** Two-sided p-value, or null when there were too few windows or samples to test. */
  p: number | null;
  test: 'mwu-windows' | 'none';
  verdict: Verdict;
}

export interface CompareOptions {
  thresholdPct?: number;
  /** Per-metric thresholds, e.g. { p99: 20, throughput: 5 }. */
  thresholds?: Record<string, number>;
  alpha?: number;
}

export interface Comparison {
  rows: MetricComparison[];
  /** Scenarios in only one of the two sets. */
  missing: string[];
  /** Scenarios left out because a side is invalid or interrupted: no verdict rests on them. */
  untrusted: string[];
  regressed: boolean;
}

/**
 * Fewer windows than this per side and there is no honest test: operations within one run are
 * not independent samples, so a per-operation test would call almost any shift significant.
 */
const MIN_WINDOWS = 5;

export interface MetricDef {
  metric: string;
  better: 'lower' | 'higher';
  unit: string;
  value: (r: Result) => number;
  windows: (r: Result) => number[];
}

/** What every result is compared on: latency (when recorded) and throughput. */
export const RUN_METRICS: MetricDef[] = [
  { metric: 'p50', better: 'lower', unit: 'ms', value: (r) => r.latencyMs.p50, windows: (r) => r.windows.filter((w) => w.ok > 0).map((w) => w.p50Ms) },
  { metric: 'p99', better: 'lower', unit: 'ms', value: (r) => r.latencyMs.p99, windows: (r) => r.windows.filter((w) => w.ok > 0).map((w) => w.p99Ms) },
  { metric: 'mean', better: 'lower', unit: 'ms', value: (r) => r.latencyMs.mean, windows: (r) => r.windows.filter((w) => w.ok > 0).map((w) => w.meanMs) },
  { metric: 'throughput', better: 'higher', unit: 'ops/s', value: (r) => r.throughput.achieved, windows: (r) => r.windows.slice(1, -1).map((w) => (w.ok * 1000) / w.windowMs) },
];

function compareOne(def: MetricDef, base: Result, cur: Result, thresholdPct: number, alpha: number): MetricComparison {
  const b = def.value(base);
  const c = def.value(cur);
  const changePct = b === 0 ? (c === 0 ? 0 : 100) : ((c - b) / Math.abs(b)) * 100;
  const wb = def.windows(base);
  const wc = def.windows(cur);
  let p: number | null = null;
  let test: MetricComparison['test'] = 'none';
  if (wb.length >= MIN_WINDOWS && wc.length >= MIN_WINDOWS) {
    p = mannWhitney(wb, wc).p;
    test = 'mwu-windows';
  }
  const worse = def.better === 'lower' ? changePct > thresholdPct : changePct < -thresholdPct;
  const better = def.better === 'lower' ? changePct < -thresholdPct : changePct > thresholdPct;
  let verdict: Verdict = 'unchanged';
  if (worse || better) {
    if (p === null) verdict = 'inconclusive';
    else if (p < alpha) verdict = worse ? 'regressed' : 'improved';
  }
  return { suite: cur.suite, scenario: cur.scenario, metric: def.metric, better: def.better, unit: def.unit, baseline: b, current: c, changePct: Math.round(changePct * 10) / 10, thresholdPct, p: p === null ? null : Number(p.toPrecision(3)), test, verdict };
}

/**
 * Compares each scenario present in both sets. A change is a regression only when it is both
 * statistically significant (Mann-Whitney U over per-window figures) and beyond its threshold in
 * the metric's bad direction; a change beyond the threshold that cannot be tested is inconclusive.
 */
export function compareResults(baseline: Result[], current: Result[], opts: CompareOptions = {}): Comparison {
  const alpha = opts.alpha ?? DEFAULTS.compareAlpha;
  const key = (r: Result): string => `${r.suite}/${r.scenario}`;
  const base = new Map(baseline.map((r) => [key(r), r]));
  const rows: MetricComparison[] = [];
  const missing: string[] = [];
  const untrusted: string[] = [];
  const curKeys = new Set(current.map(key));
  for (const b of baseline) if (!curKeys.has(key(b))) missing.push(`${key(b)} (baseline only)`);
  for (const cur of current) {
    const b = base.get(key(cur));
    if (!b) {
      missing.push(`${key(cur)} (current only)`);
      continue;
    }
    if (!b.valid || !cur.valid) {
      untrusted.push(`${key(cur)} (${!b.valid ? 'baseline' : 'current'} ${(!b.valid ? b : cur).interrupted ? 'interrupted' : 'invalid'})`);
      continue;
    }
    const threshold = (m: string): number => opts.thresholds?.[m] ?? opts.thresholdPct ?? DEFAULTS.compareThresholdPct;
    // Latency only where both runs recorded it (an external tool's run has counts but no latency).
    const hasLatency = cur.latencyMs.count > 0 && b.latencyMs.count > 0;
    const hasOps = cur.counts.sent > 0 && b.counts.sent > 0;
    for (const def of RUN_METRICS) {
      if (def.metric === 'throughput' ? hasOps : hasLatency) rows.push(compareOne(def, b, cur, threshold(def.metric), alpha));
    }
    for (const [name, m] of Object.entries(cur.metrics)) {
      const bm = b.metrics[name];
      if (!bm || m.better === 'none') continue;
      const def: MetricDef = { metric: name, better: m.better, unit: m.unit, value: (r) => r.metrics[name]?.value ?? 0, windows: (r) => r.metrics[name]?.samples ?? [] };
      rows.push(compareOne(def, b, cur, threshold(name), alpha));
    }
  }
  return { rows, missing, untrusted, regressed: rows.some((r) => r.verdict === 'regressed') };
}
