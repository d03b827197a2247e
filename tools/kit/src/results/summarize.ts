import type { Measurement } from '../engine/measure.js';
import type { StageOutcome } from '../engine/load.js';
import { emptyCounts } from '../engine/recorder.js';
import { encodeHistogram as encode, mergeEncoded, summarize } from './histogram.js';
import type { Counts, StageResult, StageSpec, Throughput, Window } from './types.js';
import { generatorChecks, requestedBy } from './validity.js';

export interface Summary {
  latencyMs: ReturnType<typeof summarize>;
  latencyMsUncorrected: ReturnType<typeof summarize>;
  sendLagMs: ReturnType<typeof summarize> | null;
  corrected: string;
  uncorrected: string;
  counts: Counts;
  throughput: Throughput;
  stages: StageResult[];
  windows: Window[];
  /** Generator-side reasons the run cannot be trusted (validity.ts). */
  saturation: string[];
}

/** Every window from the first to the last, a silent one included: a stall must show as zeros. */
function fillWindows(windows: Map<number, { ok: number; errors: number; h: string[] }>, windowMs: number): Window[] {
  if (windows.size === 0) return [];
  const last = Math.max(...windows.keys());
  const out: Window[] = [];
  for (let k = 0; k <= last; k++) {
    const w = windows.get(k);
    if (!w) {
      out.push({ tMs: k * windowMs, windowMs, ok: 0, errors: 0, p50Ms: 0, p99Ms: 0, meanMs: 0 });
      continue;
    }
    const h = mergeEncoded(w.h);
    const s = summarize(h);
    h.destroy();
    out.push({ tMs: k * windowMs, windowMs, ok: w.ok, errors: w.errors, p50Ms: s.p50, p99Ms: s.p99, meanMs: s.mean });
  }
  return out;
}

export function addCounts(into: Counts, c: Counts): void {
  into.sent += c.sent;
  into.ok += c.ok;
  into.retried += c.retried;
  into.errors += c.errors;
  into.timeouts += c.timeouts;
  into.lost += c.lost;
  into.late += c.late;
  into.held = (into.held ?? 0) + (c.held ?? 0);
  into.dropped += c.dropped;
  if (c.bytes) into.bytes = (into.bytes ?? 0) + c.bytes;
  for (const [k, v] of Object.entries(c.errorsByKind)) into.errorsByKind[k] = (into.errorsByKind[k] ?? 0) + v;
}

const r2 = (x: number): number => Math.round(x * 100) / 100;

/** The generator threads' GC pauses in a stage, when every thread reported them. */
function generatorGc(ws: readonly StageOutcome[]): Pick<StageResult, 'generatorGc'> {
  const gcs = ws.flatMap((w) => (w.gc ? [w.gc] : []));
  if (gcs.length === 0 || gcs.length < ws.length) return {};
  return {
    generatorGc: {
      count: gcs.reduce((a, g) => a + g.count, 0),
      totalMs: r2(gcs.reduce((a, g) => a + g.totalMs, 0)),
      maxMs: r2(Math.max(0, ...gcs.map((g) => g.maxMs))),
    },
  };
}


/** Merges a measurement's measured stages into the figures a result reports. */
export function summarizeMeasurement(m: Measurement, opts: { generatorIsTarget?: boolean; interrupted?: boolean } = {}): Summary {
  const measured = m.stages.filter((s) => !s.spec.warmup);
  const all = { corrected: [] as string[], uncorrected: [] as string[], lag: [] as string[] };
  const counts = emptyCounts();
  const stages: StageResult[] = [];
  const windows = new Map<number, { ok: number; errors: number; h: string[] }>();
  let requestedTotal = 0;
  let openOnly = measured.length > 0;
  for (const st of measured) {
    const snaps = st.workers.flatMap((w) => (w.snapshot ? [w.snapshot] : []));
    const c = emptyCounts();
    for (const s of snaps) addCounts(c, s.counts);
    addCounts(counts, c);
    // Closed loop: as long as it issued (a count-bounded stage ends early; the drain of the last
    // pending operations is not load time); open loop: its schedule.
    // A slot held by an operation that hangs past the stage's end stops no clock.
    const issued = Math.min(st.spec.durationMs, Math.max(...st.workers.map((w) => w.issueMs), 0.001));
    const dur = st.spec.model === 'open' ? st.spec.durationMs : issued;
    const requested = requestedBy(st.spec);
    if (requested === null) openOnly = false;
    else requestedTotal += requested;
    const corrected = mergeEncoded(snaps.map((s) => s.corrected));
    const uncorrected = mergeEncoded(snaps.map((s) => s.uncorrected));
    stages.push({
      name: st.spec.name,
      model: st.spec.model,
      durationMs: r2(dur),
      latencyMs: summarize(corrected),
      latencyMsUncorrected: summarize(uncorrected),
      throughput: {
        requested: requested === null ? null : r2(requested / (st.spec.durationMs / 1000)),
        achieved: r2((c.ok + c.retried) / (dur / 1000)),
        sent: r2(c.sent / (dur / 1000)),
        ...(c.bytes ? { bytesPerSec: r2(c.bytes / (dur / 1000)) } : {}),
      },
      counts: c,
      generatorBusy: r2(Math.max(0, ...st.workers.map((w) => w.busy))),
      ...generatorGc(st.workers),
      ...(st.faults ? { faults: st.faults.map((f) => ({ ...f })) } : {}),
    });
    corrected.destroy();
    uncorrected.destroy();
    for (const s of snaps) {
      all.corrected.push(s.corrected);
      all.uncorrected.push(s.uncorrected);
      if (s.sendLag) all.lag.push(s.sendLag);
      for (const w of s.windows) {
        const key = w.index;
        const acc = windows.get(key) ?? { ok: 0, errors: 0, h: [] };
        acc.ok += w.ok;
        acc.errors += w.errors;
        acc.h.push(w.histogram);
        windows.set(key, acc);
      }
    }
  }
  const corrected = mergeEncoded(all.corrected);
  const uncorrected = mergeEncoded(all.uncorrected);
  const lag = all.lag.length ? mergeEncoded(all.lag) : null;
  const totalDur = stages.reduce((a, s) => a + s.durationMs, 0) || 1;
  const summary: Summary = {
    latencyMs: summarize(corrected),
    latencyMsUncorrected: summarize(uncorrected),
    sendLagMs: lag ? summarize(lag) : null,
    corrected: encode(corrected),
    uncorrected: encode(uncorrected),
    counts,
    throughput: {
      requested: openOnly ? r2(requestedTotal / (totalDur / 1000)) : null,
      achieved: r2((counts.ok + counts.retried) / (totalDur / 1000)),
      sent: r2(counts.sent / (totalDur / 1000)),
      ...(counts.bytes ? { bytesPerSec: r2(counts.bytes / (totalDur / 1000)) } : {}),
    },
    stages,
    windows: fillWindows(windows, m.windowMs),
    saturation: generatorChecks(m, opts).invalid,
  };
  corrected.destroy();
  uncorrected.destroy();
  lag?.destroy();
  return summary;
}

