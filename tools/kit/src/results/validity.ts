/**
 * Whether a measurement can be trusted, apart from what it measured: the generator's own checks.
 * Kept apart from summarising so a verdict never needs the histograms decoded.
 */
import { DEFAULTS } from '../defaults.js';
import type { Measurement } from '../engine/measure.js';
import { schedule } from '../engine/open.js';
import { emptyCounts } from '../engine/recorder.js';
import type { Counts, StageSpec } from './types.js';

export interface GeneratorVerdict {
  /** Reasons the figures would be the generator's, not the target's: the result is invalid. */
  invalid: string[];
  /** Measured stages that never started (the run was interrupted first): said, never blamed on the generator. */
  notRun: string[];
}

function stageCounts(st: Measurement['stages'][number]): Counts {
  const c = emptyCounts();
  for (const w of st.workers) {
    const s = w.snapshot?.counts;
    if (!s) continue;
    c.sent += s.sent;
    c.late += s.late;
  }
  return c;
}

/** Operations an open-loop stage's schedule wanted sent in its first `elapsedMs` (all of it by default). */
export function requestedBy(spec: StageSpec, elapsedMs = spec.durationMs): number | null {
  if (spec.model !== 'open' || !spec.rate) return null;
  const plan = schedule({ rate: spec.rate, ...(spec.rateTo !== undefined ? { rateTo: spec.rateTo } : {}), durationMs: spec.durationMs, maxInFlight: 1, lateThresholdMs: 1 });
  if (elapsedMs >= spec.durationMs) return plan.total;
  // Cut short: `elapsedMs` is read after the loop stopped, a little after the abort that stopped
  // it; the operations due in that last sliver were never going to leave. One less, rounded down.
  return Math.max(0, Math.min(plan.total, Math.floor(plan.dueBy(elapsedMs * 1000)) - 1));
}

/**
 * The generator checks of every measured stage: a pegged event loop, sends that left late, or a
 * send count short of the schedule. A stage cut short by an interruption is held to the part of
 * its schedule that was due before it stopped; one that never started is listed as not run.
 */
export function generatorChecks(m: Measurement, opts: { generatorIsTarget?: boolean; interrupted?: boolean } = {}): GeneratorVerdict {
  const invalid: string[] = [];
  const notRun: string[] = [];
  for (const st of m.stages) {
    if (st.spec.warmup) continue;
    const ran = st.workers.filter((w) => w.snapshot);
    if (ran.length === 0) {
      notRun.push(st.spec.name);
      continue;
    }
    const c = stageCounts(st);
    if (!opts.generatorIsTarget) {
      st.workers.forEach((w, i) => {
        if (w.busy >= DEFAULTS.saturationBusy) invalid.push(`generator saturated: worker ${i} event loop ${Math.round(w.busy * 100)}% busy in stage ${st.spec.name}`);
      });
    }
    if (st.spec.model === 'open' && c.sent > 0 && c.late / c.sent > DEFAULTS.maxLateShare) {
      invalid.push(`stage ${st.spec.name}: ${Math.round((c.late / c.sent) * 100)}% of sends left late (beyond the late threshold): the generator could not keep the arrival schedule, so corrected latency would be its lag`);
    }
    const cut = opts.interrupted ? Math.max(...ran.map((w) => w.issueMs)) : st.spec.durationMs;
    const requested = requestedBy(st.spec, cut);
    if (requested !== null && requested > 0 && c.sent < DEFAULTS.minRateShare * requested) {
      invalid.push(`stage ${st.spec.name}: sent ${c.sent} of ${requested} requested operations (${Math.round((c.sent / requested) * 100)}%): the generator fell more than 5% short`);
    }
  }
  return { invalid, notRun };
}

/**
 * Reasons a measurement's faults make it untrustworthy: a fault action that threw, or one that
 * never fired because its stage ended first (the figures then show no fault at all).
 */
export function faultChecks(m: Measurement): string[] {
  const out: string[] = [];
  for (const st of m.stages) {
    for (const f of st.faults ?? []) {
      if (f.firedAtMs === null) out.push(`fault ${f.action} not fired: stage ${st.spec.name} ended before ${f.atMs} ms`);
      else if (f.error !== undefined) out.push(`fault ${f.action} in stage ${st.spec.name} failed: ${f.error}`);
    }
  }
  return out;
}
