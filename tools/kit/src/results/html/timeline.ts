/**
 * Latency and throughput per window over the measured time, with the stages' boundaries and the
 * faults fired in them, all on one clock: seconds since the first measured stage began (windows'
 * tMs; stages follow each other, so a stage starts where the ones before it ended).
 */
import type { Result } from '../types.js';
import type { FaultMark, StageMark, TimelineView } from './view.js';

const s3 = (ms: number): number => Math.round(ms) / 1000;

export function stageMarks(r: Result): StageMark[] {
  let at = 0;
  return r.stages.map((st) => {
    const mark = { name: st.name, fromS: s3(at), toS: s3(at + st.durationMs) };
    at += st.durationMs;
    return mark;
  });
}

/** Every fault that fired, at its stage's start + firedAtMs; one that never fired is named too (atS: planned). */
export function faultMarks(r: Result): FaultMark[] {
  const out: FaultMark[] = [];
  let at = 0;
  for (const st of r.stages) {
    for (const f of st.faults ?? []) {
      const fired = f.firedAtMs ?? f.atMs;
      out.push({
        stage: st.name,
        action: f.firedAtMs === null ? `${f.action} (never fired)` : f.action,
        atS: s3(at + fired),
        doneS: f.doneMs === null ? null : s3(at + f.doneMs),
        ...(f.error ? { error: f.error } : {}),
      });
    }
    at += st.durationMs;
  }
  return out;
}

export function timelineView(r: Result): TimelineView | null {
  if (r.windows.length === 0) return null;
  // A window with no successful operation has no latency: a gap, not a zero on a log axis.
  const lat = (v: number, ok: number): number | null => (ok > 0 && v > 0 ? v : null);
  return {
    // Each window's figures sit at its middle: the time they describe.
    t: r.windows.map((w) => s3(w.tMs + w.windowMs / 2)),
    p50: r.windows.map((w) => lat(w.p50Ms, w.ok)),
    p99: r.windows.map((w) => lat(w.p99Ms, w.ok)),
    mean: r.windows.map((w) => lat(w.meanMs, w.ok)),
    okRps: r.windows.map((w) => Math.round((w.ok * 1000) / w.windowMs)),
    // No bar where nothing failed (a zero-height bar still paints a line on the axis).
    errRps: r.windows.map((w) => (w.errors ? Math.round((w.errors * 1000) / w.windowMs) : null)),
    stages: stageMarks(r),
    faults: faultMarks(r),
  };
}
