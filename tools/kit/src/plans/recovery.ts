/**
 * Recovery after faults, from a per-operation trace (LoadSpec.trace) and the times faults fired
 * (StageInput.faults): pure functions, no clock, no I/O. Times are µs on the trace's clock (the
 * main thread's performance.now(), which Measurement.stages[].startUs shares); results in ms.
 *
 * An operation is *disturbed* when it failed (error, timeout, lost), needed a retry, or took
 * longer than the normal bound (corrected latency: done − intended). Scanning the window's
 * operations in intended-time order from the fault on, recovery ends at the answer of the last
 * disturbed one once `quietMs` of undisturbed sends have followed it; if the window ends first,
 * the system did not recover within it.
 */
import type { Measurement } from '../engine/measure.js';
import { TRACE_ERROR, TRACE_LOST, TRACE_OK, TRACE_TIMEOUT, traceKind, type Trace } from '../engine/trace.js';
import type { Metric } from '../results/types.js';

export interface RecoveryOptions {
  /** When the fault fired (µs, trace clock). */
  faultUs: number;
  /** End of the window: the next fault, or the end of the load (µs, trace clock). */
  untilUs: number;
  /** Latency (ms, done − intended) above which a successful operation counts as disturbed. */
  normalMs: number;
  /** Undisturbed sends that must follow the last disturbance before it counts as over (ms; default 1000). */
  quietMs?: number;
  /** Error kinds that mean the client gave up on the operation (e.g. after its last resend). */
  abandonedKinds?: readonly string[];
  /** Late or duplicate replies the suite counted itself; default: the trace's Outcome.duplicates in the window. */
  duplicates?: number;
}

export interface Recovery {
  /** Fault → answer of the last disturbed operation (ms); null: not recovered before the window ended. */
  recoveryMs: number | null;
  recovered: boolean;
  /** Fault → the last failed operation settled (ms); null: nothing failed. */
  lastFailureMs: number | null;
  /** Like recoveryMs, counting only failures and slow answers (a retry answered within the bound is not a disturbance); null: not steady in the window. */
  steadyMs: number | null;
  /** Longest time without a successful answer after the fault: between answers, from the fault to the first, from the last to the last failure (ms). */
  longestStallMs: number;
  /** Window length (ms): what a not-recovered fault is held to. */
  windowMs: number;
  /** Operations in the window: settled at or after the fault, intended before its end. */
  ops: number;
  /** Operations intended after the fault: without any, the window shows nothing of a recovery. */
  sentAfter: number;
  /** Disturbed operations up to the recovery (all of the window's when not recovered). */
  disturbed: number;
  /** In the whole window: errors + timeouts + lost, and each. */
  failed: number;
  errors: number;
  timeouts: number;
  lost: number;
  /** Errors of the abandoned kinds. */
  abandoned: number;
  /** Successes after ≥ 1 retry. */
  retried: number;
  /** Late or duplicate replies discarded (options.duplicates, or the trace's sum). */
  duplicates: number;
}

const isFailure = (code: number): boolean => code === TRACE_ERROR || code === TRACE_TIMEOUT || code === TRACE_LOST;

/**
 * The scan: in intended-time order, the last `bad` operation's answer, once quietUs of sends
 * without a bad one followed it. `lastDoneUs` null: nothing was bad.
 */
function settle(t: Trace, rows: readonly number[], quietUs: number, bad: (i: number) => boolean): { lastDoneUs: number | null; quiet: boolean; count: number } {
  let lastDoneUs: number | null = null;
  let count = 0;
  for (const i of rows) {
    if (lastDoneUs !== null && t.intendedUs[i]! > lastDoneUs + quietUs) return { lastDoneUs, quiet: true, count };
    if (bad(i)) {
      count++;
      lastDoneUs = Math.max(lastDoneUs ?? 0, t.doneUs[i]!);
    }
  }
  return { lastDoneUs, quiet: false, count };
}

const ms = (us: number): number => Math.round(us / 100) / 10;

/** Recovery after one fault (see the module's comment for the rules). */
export function recoveryAfter(t: Trace, o: RecoveryOptions): Recovery {
  const quietUs = (o.quietMs ?? 1000) * 1000;
  const normalUs = o.normalMs * 1000;
  const abandonedKinds = new Set(o.abandonedKinds ?? []);
  const rows: number[] = [];
  for (let i = 0; i < t.length; i++) if (t.doneUs[i]! >= o.faultUs && t.intendedUs[i]! < o.untilUs) rows.push(i);
  const failed = (i: number): boolean => isFailure(t.outcome[i]!);
  const slow = (i: number): boolean => t.doneUs[i]! - t.intendedUs[i]! > normalUs;
  const disturbed = settle(t, rows, quietUs, (i) => failed(i) || t.retries[i]! > 0 || slow(i));
  const steady = settle(t, rows, quietUs, (i) => failed(i) || slow(i));
  const after = (s: ReturnType<typeof settle>): number | null => (s.lastDoneUs === null ? 0 : s.quiet ? ms(Math.max(0, s.lastDoneUs - o.faultUs)) : null);
  const recoveryMs = after(disturbed);
  const out: Recovery = {
    recoveryMs,
    recovered: recoveryMs !== null,
    lastFailureMs: null,
    steadyMs: after(steady),
    longestStallMs: 0,
    windowMs: ms(o.untilUs - o.faultUs),
    ops: rows.length,
    sentAfter: 0,
    disturbed: disturbed.count,
    failed: 0,
    errors: 0,
    timeouts: 0,
    lost: 0,
    abandoned: 0,
    retried: 0,
    duplicates: 0,
  };
  let lastFailUs: number | null = null;
  const answers: number[] = [];
  for (const i of rows) {
    const code = t.outcome[i]!;
    if (t.intendedUs[i]! >= o.faultUs) out.sentAfter++;
    out.duplicates += t.duplicates[i]!;
    if (code === TRACE_OK) {
      if (t.retries[i]! > 0) out.retried++;
      if (t.doneUs[i]! < o.untilUs) answers.push(t.doneUs[i]!);
      continue;
    }
    out.failed++;
    lastFailUs = Math.max(lastFailUs ?? 0, t.doneUs[i]!);
    if (code === TRACE_TIMEOUT) out.timeouts++;
    else if (code === TRACE_LOST) out.lost++;
    else {
      out.errors++;
      const kind = traceKind(t, i);
      if (kind !== null && abandonedKinds.has(kind)) out.abandoned++;
    }
  }
  if (lastFailUs !== null) out.lastFailureMs = ms(lastFailUs - o.faultUs);
  if (o.duplicates !== undefined) out.duplicates = o.duplicates;
  answers.sort((a, b) => a - b);
  let prev = o.faultUs;
  let stall = 0;
  for (const a of answers) {
    stall = Math.max(stall, a - prev);
    prev = a;
  }
  // After the last answer, silence is a stall as long as operations kept failing (a dead target
  // refusing to the window's end; lost ones settle when their stage ends).
  if (lastFailUs !== null && lastFailUs > prev) stall = Math.max(stall, Math.min(o.untilUs, lastFailUs) - prev);
  out.longestStallMs = ms(stall);
  return out;
}

/**
 * Percentile `p` (0–100) of corrected latency (ms) of the successful operations of one stage
 * (index into the load's stages), or null when it has none: the baseline a normal bound derives from.
 */
export function stageLatencyMs(t: Trace, stageIndex: number, p = 99): number | null {
  const lat: number[] = [];
  for (let i = 0; i < t.length; i++) if (t.stage[i] === stageIndex && t.outcome[i] === TRACE_OK) lat.push(t.doneUs[i]! - t.intendedUs[i]!);
  if (lat.length === 0) return null;
  lat.sort((a, b) => a - b);
  return ms(lat[Math.min(lat.length - 1, Math.max(0, Math.ceil((p / 100) * lat.length) - 1))]!);
}

/** "Normal" latency: `factor` × the baseline's p99, at least `floorMs` (the machine's scheduling noise). */
export function normalBoundMs(baselineP99Ms: number | null, o: { factor?: number; floorMs?: number } = {}): number {
  return Math.max(o.floorMs ?? 25, (o.factor ?? 3) * (baselineP99Ms ?? 0));
}

/** A fault that fired, on the trace's clock, with the window its recovery is judged in. */
export interface FiredFault {
  stage: string;
  stageIndex: number;
  action: string;
  atMs: number;
  firedUs: number;
  /** When the action completed (µs), or null when it failed before. */
  doneUs: number | null;
  error?: string;
  /** The next fault's firing, or the end of the load. */
  untilUs: number;
}

/** The faults of a measurement that fired, in firing order, each with its window (until the next one fires, or the load ends). */
export function firedFaults(m: Measurement): FiredFault[] {
  const out: Omit<FiredFault, 'untilUs'>[] = [];
  let endUs = 0;
  m.stages.forEach((st, stageIndex) => {
    if (st.startUs === undefined) return;
    endUs = Math.max(endUs, st.startUs + Math.max(0, ...st.workers.map((w) => w.elapsedMs)) * 1000);
    for (const f of st.faults ?? []) {
      if (f.firedAtMs === null) continue;
      out.push({
        stage: st.spec.name,
        stageIndex,
        action: f.action,
        atMs: f.atMs,
        firedUs: st.startUs + f.firedAtMs * 1000,
        doneUs: f.doneMs === null ? null : st.startUs + f.doneMs * 1000,
        ...(f.error !== undefined ? { error: f.error } : {}),
      });
    }
  });
  if (m.trace?.length) endUs = Math.max(endUs, m.trace.doneUs.reduce((a, x) => Math.max(a, x), 0));
  out.sort((a, b) => a.firedUs - b.firedUs);
  return out.map((f, i) => ({ ...f, untilUs: out[i + 1]?.firedUs ?? endUs }));
}

export interface RecoveriesOptions extends Pick<RecoveryOptions, 'quietMs' | 'abandonedKinds'> {
  /** The stage (name or index) whose p99 sets the normal bound. */
  baselineStage: string | number;
  /** normal = max(factor × baseline p99, floorMs); defaults 3 and 25 ms. Or give `normalMs` outright. */
  factor?: number;
  floorMs?: number;
  normalMs?: number;
  /** Duplicates the suite counted itself for a fault (e.g. from client counters); default: the trace's. */
  duplicates?: (f: FiredFault) => number | undefined;
}

/** Every fired fault of a traced measurement with its recovery, under one normal bound from the baseline stage. */
export function recoveries(m: Measurement, o: RecoveriesOptions): { normalMs: number; faults: Array<{ fault: FiredFault; recovery: Recovery }> } {
  const t = m.trace;
  if (!t) throw new Error('recovery needs a per-operation trace: run the load with trace: true');
  const baseline = typeof o.baselineStage === 'number' ? o.baselineStage : m.stages.findIndex((s) => s.spec.name === o.baselineStage);
  if (baseline < 0) throw new Error(`no baseline stage "${o.baselineStage}" in the measurement`);
  const normalMs = o.normalMs ?? normalBoundMs(stageLatencyMs(t, baseline), { ...(o.factor !== undefined ? { factor: o.factor } : {}), ...(o.floorMs !== undefined ? { floorMs: o.floorMs } : {}) });
  return {
    normalMs,
    faults: firedFaults(m).map((fault) => {
      const duplicates = o.duplicates?.(fault);
      return {
        fault,
        recovery: recoveryAfter(t, {
          faultUs: fault.firedUs,
          untilUs: fault.untilUs,
          normalMs,
          ...(o.quietMs !== undefined ? { quietMs: o.quietMs } : {}),
          ...(o.abandonedKinds ? { abandonedKinds: o.abandonedKinds } : {}),
          ...(duplicates !== undefined ? { duplicates } : {}),
        }),
      };
    }),
  };
}

/**
 * A fault's recovery as result metrics named `<figure>_<name>`: recovery_ms (the whole window when
 * not recovered), last_failure_ms, steady_ms, stall_ms, disturbed, failed, lost, abandoned,
 * retried, duplicates. `problems` lists why the figure cannot be trusted (for invalidReasons).
 */
export function recoveryMetrics(name: string, what: string, r: Recovery): { metrics: Record<string, Metric>; problems: string[] } {
  const m = (value: number, unit: string, better: Metric['better'], note: string): Metric => ({ value, unit, better, note: `${what}: ${note}` });
  const problems: string[] = [];
  if (r.sentAfter === 0) problems.push(`${what}: no operation was sent after the fault: nothing shows whether it recovered`);
  if (!r.recovered) problems.push(`${what}: not recovered within its window (≥ ${Math.round(r.windowMs)} ms): lengthen the stage to measure the recovery`);
  return {
    problems,
    metrics: {
      [`recovery_${name}_ms`]: m(r.recoveryMs ?? r.windowMs, 'ms', 'lower', `fault → last disturbed operation answered${r.recovered ? '' : ' — NOT recovered before the window ended (value = whole window)'}`),
      [`last_failure_${name}_ms`]: m(r.lastFailureMs ?? 0, 'ms', 'lower', 'fault → last failed operation settled (0: none failed)'),
      [`steady_${name}_ms`]: m(r.steadyMs ?? r.windowMs, 'ms', 'lower', 'fault → latency back under the normal bound, held for the quiet period'),
      [`stall_${name}_ms`]: m(r.longestStallMs, 'ms', 'lower', 'longest time without a successful answer'),
      [`disturbed_${name}`]: m(r.disturbed, 'ops', 'lower', 'operations failed, retried or slower than normal until recovery'),
      [`failed_${name}`]: m(r.failed, 'ops', 'lower', 'errors + timeouts + lost in the window'),
      [`lost_${name}`]: m(r.lost, 'ops', 'lower', 'operations never answered before their stage ended'),
      [`abandoned_${name}`]: m(r.abandoned, 'ops', 'lower', 'operations the client gave up on'),
      [`retried_${name}`]: m(r.retried, 'ops', 'none', 'answered after ≥ 1 retry'),
      [`duplicates_${name}`]: m(r.duplicates, 'replies', 'none', 'late or duplicate replies the client discarded'),
    },
  };
}
