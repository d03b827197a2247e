/**
 * Degradation curves of step searches: the search plan's per-step samples (`curve_rate_rps`,
 * `curve_p95_ms`, … each with one sample per step, possibly under a prefix when several searches
 * share a result), else a result's stages named `step-<rate>`.
 */
import type { Metric, Result } from '../types.js';
import type { Column, CurveView } from './view.js';

const RATE = 'curve_rate_rps';

function samplesOf(metrics: Record<string, Metric>, name: string, n: number): Column | null {
  const s = metrics[name]?.samples;
  if (!s || s.length !== n) return null;
  // -1 is the plan's "not measured".
  return s.map((v) => (v < 0 ? null : v));
}

/** A figure the search reports as -1 for "none reached". */
function rate(metrics: Record<string, Metric>, name: string): number | null {
  const v = metrics[name]?.value;
  return v === undefined || v < 0 ? null : v;
}

function fromMetrics(r: Result): CurveView[] {
  const out: CurveView[] = [];
  for (const [name, m] of Object.entries(r.metrics)) {
    if (!name.endsWith(RATE) || !m.samples?.length) continue;
    const prefix = name.slice(0, -RATE.length);
    const n = m.samples.length;
    const get = (k: string): Column | null => samplesOf(r.metrics, `${prefix}curve_${k}`, n);
    const p95 = get('p95_ms');
    const p99 = get('p99_ms');
    if (!p95 || !p99) continue;
    out.push({
      name: prefix ? prefix.replace(/_$/, '') : r.scenario,
      rate: m.samples,
      achieved: get('achieved_rps'),
      p50: get('p50_ms'),
      p95,
      p99,
      failedPct: get('failed_pct') ?? m.samples.map(() => null),
      breakingRps: rate(r.metrics, `${prefix}breaking_rps`),
      maxSustainableRps: rate(r.metrics, `${prefix}max_sustainable_rps`) || null,
      generatorLimitedRps: rate(r.metrics, `${prefix}generator_limited_rps`),
    });
  }
  return out;
}

function fromStages(r: Result): CurveView | null {
  const steps = r.stages
    .map((s) => ({ s, rate: Number(/^step-(\d+(?:\.\d+)?)$/.exec(s.name)?.[1]) }))
    .filter((x) => Number.isFinite(x.rate));
  if (steps.length === 0) return null;
  const failed = (c: Result['counts']): number => (c.sent ? Math.round(((c.errors + c.timeouts + c.lost) / c.sent) * 10_000) / 100 : 0);
  return {
    name: r.scenario,
    rate: steps.map((x) => x.rate),
    achieved: steps.map((x) => x.s.throughput.achieved),
    p50: steps.map((x) => x.s.latencyMs.p50 || null),
    p95: steps.map((x) => x.s.latencyMs.p95 || null),
    p99: steps.map((x) => x.s.latencyMs.p99 || null),
    failedPct: steps.map((x) => failed(x.s.counts)),
    breakingRps: rate(r.metrics, 'breaking_rps'),
    maxSustainableRps: rate(r.metrics, 'max_sustainable_rps') || null,
    generatorLimitedRps: rate(r.metrics, 'generator_limited_rps'),
  };
}

export function curveViews(r: Result): CurveView[] {
  const found = fromMetrics(r);
  if (found.length) return found;
  const staged = fromStages(r);
  return staged ? [staged] : [];
}
