/** What a reader looks for first: did the contracts hold, were the goals met (and judged), can the run be trusted. */
import type { Result } from '../types.js';
import type { HeadlineView, ScenarioView, VerdictView } from './view.js';

export function verdictViews(r: Result): VerdictView[] {
  return r.slo.map((s) => ({
    name: s.name,
    pass: s.pass,
    actual: s.actual,
    threshold: s.threshold,
    unit: s.unit ?? null,
    kind: s.goal ? 'goal' : 'contract',
    judged: s.judged !== false,
  }));
}

/** Invalid or interrupted outranks any SLO verdict: figures that cannot be trusted pass nothing. */
export function statusOf(r: Result): ScenarioView['status'] {
  if (r.interrupted) return 'interrupted';
  if (!r.valid) return 'invalid';
  return r.slo.every((s) => s.pass || s.judged === false) ? 'pass' : 'fail';
}

export function headlineView(r: Result): HeadlineView | null {
  if (r.counts.sent === 0 && r.latencyMs.count === 0) return null;
  const c = r.counts;
  const l = r.latencyMs;
  return {
    count: l.count, p50: l.p50, p90: l.p90, p99: l.p99, p999: l.p999, max: l.max,
    rps: r.throughput.achieved,
    requested: r.throughput.requested,
    sent: c.sent, ok: c.ok, retried: c.retried, errors: c.errors, timeouts: c.timeouts, lost: c.lost, late: c.late,
    errorsByKind: c.errorsByKind,
  };
}
