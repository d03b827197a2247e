import { WbError } from '../errors.js';
import type { Result, SloResult, StageResult } from './types.js';

/** What an SLO reads: a whole result, or a stage seen as one (stageSubject). */
export type SloSubject = Pick<Result, 'latencyMs' | 'latencyMsUncorrected' | 'counts' | 'throughput' | 'metrics'>;

/**
 * k6-style thresholds. Grammar: `<metric> <op> <number>[unit]` with op one of < <= > >= ==.
 * Metrics: p50 p90 p95 p99 p999 mean max min or p(N) — corrected latency, ms (units ms, s, us);
 * `uncorrected.p99` etc.; errors (non-ok: errors + timeouts + lost), timeouts, lost, dropped, late,
 * retried — counts, or shares of sent with `%`; throughput (achieved ops/s, unit /s);
 * rate_error — |sent − requested| / requested in %; anything else names a metric of the result.
 */
export interface SloSpec {
  name: string;
  metric: string;
  op: '<' | '<=' | '>' | '>=' | '==';
  threshold: number;
  unit: string | undefined;
}

const SLO_RE = /^\s*([A-Za-z_][\w.:-]*(?:\(\s*\d+(?:\.\d+)?\s*\))?)\s*(<=|>=|==|<|>)\s*(-?\d+(?:\.\d+)?)\s*(ms|s|us|µs|%|\/s|x)?\s*$/;

export function parseSlo(text: string): SloSpec {
  const m = SLO_RE.exec(text);
  if (!m) throw new WbError('WB_ERR_SLO_SYNTAX', `SLO "${text}" is not "<metric> <op> <number>[unit]", e.g. "p99 < 5ms"`);
  const spec: SloSpec = { name: text.trim(), metric: m[1]!.replace(/\s+/g, ''), op: m[2] as SloSpec['op'], threshold: Number(m[3]), unit: m[4] };
  const base = spec.metric.replace(/^uncorrected\./, '');
  const allowed = latencyKey(base) ? ['ms', 's', 'us', 'µs'] : COUNT_KEYS.has(base) ? ['%'] : base === 'throughput' || base === 'rps' ? ['/s'] : base === 'rate_error' ? ['%'] : null;
  if (spec.unit && allowed && !allowed.includes(spec.unit)) {
    throw new WbError('WB_ERR_SLO_SYNTAX', `SLO "${text}": ${base} takes ${allowed.join(' or ')}, not ${spec.unit}`);
  }
  return spec;
}

const LATENCY_KEYS = new Set(['p50', 'p90', 'p95', 'p99', 'p999', 'mean', 'max', 'min']);
const COUNT_KEYS = new Set(['errors', 'timeouts', 'lost', 'dropped', 'late', 'retried']);

function latencyKey(metric: string): { key: string; pct: number | null } | null {
  const p = /^p\((\d+(?:\.\d+)?)\)$/.exec(metric);
  if (p) return { key: 'pct', pct: Number(p[1]) };
  return LATENCY_KEYS.has(metric) ? { key: metric, pct: null } : null;
}

const toMs = (v: number, unit: string | undefined): number => (unit === 's' ? v * 1000 : unit === 'us' || unit === 'µs' ? v / 1000 : v);

function pctValue(summary: SloSubject['latencyMs'], pct: number): number | null {
  const table: Record<string, number> = { 50: summary.p50, 90: summary.p90, 95: summary.p95, 99: summary.p99, 99.9: summary.p999, 100: summary.max };
  return table[String(pct)] ?? null;
}

/** The value an SLO speaks of, in the SLO's own unit; null when the result does not have it. */
export function sloActual(spec: SloSpec, r: SloSubject): { actual: number | null; threshold: number } {
  let metric = spec.metric;
  let latency = r.latencyMs;
  if (metric.startsWith('uncorrected.')) {
    metric = metric.slice('uncorrected.'.length);
    latency = r.latencyMsUncorrected;
  }
  const lk = latencyKey(metric);
  if (lk) {
    const v = lk.pct !== null ? pctValue(latency, lk.pct) : (latency as Record<string, number>)[lk.key];
    if (v === undefined || v === null || latency.count === 0) return { actual: null, threshold: toMs(spec.threshold, spec.unit) };
    return { actual: v, threshold: toMs(spec.threshold, spec.unit) };
  }
  const c = r.counts;
  if (COUNT_KEYS.has(metric)) {
    const n = metric === 'errors' ? c.errors + c.timeouts + c.lost : (c as unknown as Record<string, number>)[metric] ?? 0;
    if (spec.unit === '%') return { actual: c.sent > 0 ? (n / c.sent) * 100 : null, threshold: spec.threshold };
    return { actual: n, threshold: spec.threshold };
  }
  if (metric === 'throughput' || metric === 'rps') return { actual: r.throughput.achieved, threshold: spec.threshold };
  if (metric === 'rate_error') {
    const req = r.throughput.requested;
    return { actual: req ? (Math.abs(r.throughput.sent - req) / req) * 100 : null, threshold: spec.threshold };
  }
  const m = r.metrics[metric];
  return { actual: m ? m.value : null, threshold: spec.threshold };
}

function holds(actual: number, op: SloSpec['op'], threshold: number): boolean {
  switch (op) {
    case '<': return actual < threshold;
    case '<=': return actual <= threshold;
    case '>': return actual > threshold;
    case '>=': return actual >= threshold;
    case '==': return actual === threshold;
  }
}

/** Evaluates each SLO; a metric the result lacks fails (an SLO that cannot be checked is not met). */
export function evaluateSlos(slos: readonly string[], r: SloSubject): SloResult[] {
  return slos.map((text) => {
    const spec = parseSlo(text);
    const { actual, threshold } = sloActual(spec, r);
    const rounded = actual === null ? null : Math.round(actual * 1000) / 1000;
    return {
      name: spec.name,
      pass: actual !== null && Number.isFinite(actual) && holds(actual, spec.op, threshold),
      actual: rounded,
      threshold,
      ...(spec.unit ? { unit: spec.unit === 's' || spec.unit === 'us' || spec.unit === 'µs' ? 'ms' : spec.unit } : {}),
    };
  });
}

/**
 * One stage (or a Summary: same fields) as something SLOs can be evaluated on, with the same
 * semantics as for a result. `metrics` are what other names resolve to; a stage has none of its
 * own, so a step search adds its own (e.g. `achieved_pct`).
 */
export function stageSubject(st: Pick<StageResult, 'latencyMs' | 'latencyMsUncorrected' | 'counts' | 'throughput'>, metrics: SloSubject['metrics'] = {}): SloSubject {
  return { latencyMs: st.latencyMs, latencyMsUncorrected: st.latencyMsUncorrected, counts: st.counts, throughput: st.throughput, metrics };
}
