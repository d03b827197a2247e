import { DEFAULTS } from './defaults.js';
import { decodeHistogram } from './histogram.js';
import { mannWhitney, mannWhitneyWeighted } from './stats.js';
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
  /** Two-sided p-value, or null when the metric has no samples to test. */
  p: number | null;
  test: 'mwu-windows' | 'mwu-operations' | 'none';
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
  missing: string[];
  regressed: boolean;
}

/** Fewer per-second windows than this per side and the per-window test has too little power. */
const MIN_WINDOWS = 5;

interface MetricDef {
  metric: string;
  better: 'lower' | 'higher';
  unit: string;
  value: (r: Result) => number;
  windows: (r: Result) => number[];
  /** Per-operation fallback for short runs: the latency distribution itself. */
  operations?: boolean;
}

const LATENCY: MetricDef[] = [
  { metric: 'p50', better: 'lower', unit: 'ms', value: (r) => r.latencyMs.p50, windows: (r) => r.windows.filter((w) => w.ok > 0).map((w) => w.p50Ms), operations: true },
  { metric: 'p99', better: 'lower', unit: 'ms', value: (r) => r.latencyMs.p99, windows: (r) => r.windows.filter((w) => w.ok > 0).map((w) => w.p99Ms) },
  { metric: 'mean', better: 'lower', unit: 'ms', value: (r) => r.latencyMs.mean, windows: (r) => r.windows.filter((w) => w.ok > 0).map((w) => w.meanMs), operations: true },
  { metric: 'throughput', better: 'higher', unit: 'ops/s', value: (r) => r.throughput.achieved, windows: (r) => r.windows.slice(1, -1).map((w) => w.ok) },
];

/** Every recorded bucket of the corrected histogram as [value µs, count]. */
function histogramSamples(r: Result): Array<[number, number]> {
  const h = decodeHistogram(r.histogram.corrected);
  const out: Array<[number, number]> = [];
  const it = (h as unknown as { recordedValuesIterator: RecordedIterator }).recordedValuesIterator;
  it.reset();
  while (it.hasNext()) {
    const v = it.next();
    out.push([v.valueIteratedTo, v.countAtValueIteratedTo]);
  }
  h.destroy();
  return out;
}

interface RecordedIterator {
  reset(): void;
  hasNext(): boolean;
  next(): { valueIteratedTo: number; countAtValueIteratedTo: number };
}

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
  } else if (def.operations && base.latencyMs.count > 0 && cur.latencyMs.count > 0) {
    p = mannWhitneyWeighted(histogramSamples(base), histogramSamples(cur)).p;
    test = 'mwu-operations';
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
 * statistically significant (Mann-Whitney U, per-second windows, or per operation for short runs)
 * and beyond its threshold in the metric's bad direction.
 */
export function compareResults(baseline: Result[], current: Result[], opts: CompareOptions = {}): Comparison {
  const alpha = opts.alpha ?? DEFAULTS.compareAlpha;
  const key = (r: Result): string => `${r.suite}/${r.scenario}`;
  const base = new Map(baseline.map((r) => [key(r), r]));
  const rows: MetricComparison[] = [];
  const missing: string[] = [];
  for (const cur of current) {
    const b = base.get(key(cur));
    if (!b) {
      missing.push(key(cur));
      continue;
    }
    const threshold = (m: string): number => opts.thresholds?.[m] ?? opts.thresholdPct ?? DEFAULTS.compareThresholdPct;
    const hasOps = cur.latencyMs.count > 0 && b.latencyMs.count > 0;
    if (hasOps) for (const def of LATENCY) rows.push(compareOne(def, b, cur, threshold(def.metric), alpha));
    for (const [name, m] of Object.entries(cur.metrics)) {
      const bm = b.metrics[name];
      if (!bm || m.better === 'none') continue;
      const def: MetricDef = { metric: name, better: m.better, unit: m.unit, value: (r) => r.metrics[name]?.value ?? 0, windows: (r) => r.metrics[name]?.samples ?? [] };
      rows.push(compareOne(def, b, cur, threshold(name), alpha));
    }
  }
  return { rows, missing, regressed: rows.some((r) => r.verdict === 'regressed') };
}
