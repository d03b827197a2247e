/**
 * Figures the burst and faults scenarios derive from recorded data, as pure functions (tested on
 * recorded counts and traces): what share was stored, how long a burst took to drain, what a
 * fault window lost, duplicated and how long it took to recover.
 */
import { recoveries, recoveryMetrics, TRACE_OK, type Measurement, type Metric, type Summary, type Trace } from '@wirebench/kit';

type Counts = Pick<Summary['counts'], 'sent' | 'ok' | 'retried' | 'errors' | 'timeouts' | 'lost'>;

const metric = (value: number, unit: string, better: Metric['better'], note: string): Metric => ({ value: Math.round(value * 1000) / 1000, unit, better, note });

/** Events whose commit was signalled (or found stored), in % of those sent; 0 when none was sent. */
export function storedPct(c: Counts): number {
  return c.sent ? ((c.ok + c.retried) / c.sent) * 100 : 0;
}

/**
 * A burst's figures: stored % and drain time. All events start together, so the slowest
 * operation's latency is the time from the burst to the last commit.
 */
export function burstFigures(key: string, c: Counts, maxLatencyMs: number): Record<string, Metric> {
  return {
    [`${key}_stored_pct`]: metric(storedPct(c), '%', 'higher', `${key}: events whose commit was signalled, of ${c.sent} sent at once`),
    [`${key}_drain_ms`]: metric(maxLatencyMs, 'ms', 'lower', `${key}: burst start → last event committed (slowest operation)`),
  };
}

export interface FaultFigures {
  metrics: Record<string, Metric>;
  /** Why a recovery figure cannot be trusted (nothing sent after a fault, not recovered in its window). */
  problems: string[];
}

/**
 * One faults load's figures under `<prefix>_`: stored %, failed (errors + timeouts + lost),
 * duplicated (the trace's Outcome.duplicates: ids the signal reported stored twice), and per fired
 * fault the kit's recovery figures, judged against the `baseline` stage's latency.
 */
export function faultFigures(prefix: string, c: Counts, m: Measurement): FaultFigures {
  const metrics: Record<string, Metric> = {
    [`${prefix}_stored_pct`]: metric(storedPct(c), '%', 'higher', `${prefix}: events committed of those sent, faults included`),
    [`${prefix}_failed`]: metric(c.errors + c.timeouts + c.lost, 'ops', 'lower', `${prefix}: events never signalled committed nor found stored (core: published while nobody listened)`),
    [`${prefix}_duplicated`]: metric(m.trace ? m.trace.duplicates.reduce((a, x) => a + x, 0) : 0, 'events', 'lower', `${prefix}: events the commit signal reported stored twice`),
  };
  const problems: string[] = [];
  for (const { fault, recovery } of recoveries(m, { baselineStage: 'baseline' }).faults) {
    const name = `${prefix}_${fault.stage}`;
    const out = recoveryMetrics(name, `${prefix}, ${fault.action}`, recovery);
    Object.assign(metrics, out.metrics);
    const loss = m.trace ? lossWindowMs(m.trace, fault.firedUs, fault.untilUs) : 0;
    metrics[`loss_window_${name}_ms`] = metric(loss, 'ms', 'lower', `${prefix}, ${fault.action}: fault → the send of the last event that failed (how long publishes fell on the floor; recovery_ counts to when that was known, the driver's give-up time later)`);
    problems.push(...out.problems);
  }
  return { metrics, problems };
}

/** Fault → the intended send of the last failed operation intended in [faultUs, untilUs) (ms); 0 when none failed. */
export function lossWindowMs(t: Trace, faultUs: number, untilUs: number): number {
  let last = faultUs;
  for (let i = 0; i < t.length; i++) {
    const at = t.intendedUs[i]!;
    if (at >= faultUs && at < untilUs && t.outcome[i] !== TRACE_OK) last = Math.max(last, at);
  }
  return Math.round((last - faultUs) / 100) / 10;
}
