/**
 * The faults scenario's figures from its traced measurement: per fault, the kit's recovery
 * analysis (plans/recovery.ts) under one normal bound from the baseline stage; over the run, what
 * the client left unfinished, abandoned, and the late replies it discarded.
 */
import { recoveries, recoveryMetrics, traceKind, TRACE_LOST, TRACE_TIMEOUT, type Measurement, type Metric } from '@wirebench/kit';
import { ErrorCode } from '@wirebench/zmq-bridge';

/** The client's give-up: no reply after its last send. */
export const ABANDONED = ErrorCode.Abandoned;

export interface FaultFigures {
  metrics: Record<string, Metric>;
  notes: string[];
  invalidReasons: string[];
}

/** `what` describes each fault stage by name (metric names are `recovery_<stage>_ms`, …). */
export function faultFigures(m: Measurement, what: Readonly<Record<string, string>>): FaultFigures {
  const invalidReasons: string[] = [];
  const metrics: Record<string, Metric> = {};
  const t = m.trace;
  if (!t || t.length === 0) return { metrics, notes: [], invalidReasons: ['no per-operation trace was recorded: recovery cannot be computed'] };
  const r = recoveries(m, { baselineStage: 'baseline', abandonedKinds: [ABANDONED] });
  for (const { fault, recovery } of r.faults) {
    const x = recoveryMetrics(fault.stage, `${what[fault.stage] ?? fault.action} (${fault.action})`, recovery);
    Object.assign(metrics, x.metrics);
    invalidReasons.push(...x.problems);
  }
  // Settled operations of the measured stages, whatever their fault window.
  let lost = 0;
  let abandoned = 0;
  let duplicates = 0;
  for (let i = 0; i < t.length; i++) {
    if (t.outcome[i] === TRACE_TIMEOUT || t.outcome[i] === TRACE_LOST) lost++;
    if (traceKind(t, i) === ABANDONED) abandoned++;
    duplicates += t.duplicates[i]!;
  }
  metrics.lost_with_retries_left = { value: lost, unit: 'requests', better: 'lower', note: 'requests neither answered nor abandoned by the client (kit timeouts + lost): the kit waits past the client\'s whole retry budget, so these are requests the client never finished, e.g. still queued behind its in-flight sockets' };
  metrics.abandoned = { value: abandoned, unit: 'requests', better: 'lower', note: 'requests the client gave up on after its last send' };
  metrics.duplicates = { value: duplicates, unit: 'replies', better: 'none', note: 'late or duplicate replies the clients discarded, whole run (near 0 by construction: a timed-out attempt\'s socket is closed with linger 0, so ZeroMQ drops its late reply)' };
  return { metrics, notes: [`normal latency for recovery: <= ${r.normalMs} ms (3 × baseline p99, at least 25 ms)`], invalidReasons };
}
