/**
 * The parts of a shard's measurement that `wirebench merge` needs to merge exactly: percentiles of
 * N processes cannot be combined, their histograms can (one configuration everywhere, histogram.ts).
 */
import type { Measurement } from '../engine/measure.js';
import { encodeHistogram, mergeEncoded } from './histogram.js';
import type { ShardData } from './types.js';

function encodedMerge(parts: string[]): string {
  const h = mergeEncoded(parts);
  const out = encodeHistogram(h);
  h.destroy();
  return out;
}

export function shardParts(m: Measurement, shard: { index: number; count: number; startAtMs?: number }): ShardData {
  const measured = m.stages.filter((s) => !s.spec.warmup);
  const windows = new Map<number, { ok: number; errors: number; h: string[] }>();
  const lag: string[] = [];
  const stages = measured.map((st) => {
    const snaps = st.workers.flatMap((w) => (w.snapshot ? [w.snapshot] : []));
    for (const s of snaps) {
      if (s.sendLag) lag.push(s.sendLag);
      for (const w of s.windows) {
        const acc = windows.get(w.index) ?? { ok: 0, errors: 0, h: [] };
        acc.ok += w.ok;
        acc.errors += w.errors;
        acc.h.push(w.histogram);
        windows.set(w.index, acc);
      }
    }
    return { name: st.spec.name, corrected: encodedMerge(snaps.map((s) => s.corrected)), uncorrected: encodedMerge(snaps.map((s) => s.uncorrected)) };
  });
  const firstUs = measured.find((s) => s.startUs !== undefined)?.startUs;
  return {
    index: shard.index,
    count: shard.count,
    ...(shard.startAtMs !== undefined ? { startAtMs: shard.startAtMs } : {}),
    // Stage starts are on this process's monotonic clock (µs since timeOrigin): to epoch ms.
    firstStageAtMs: firstUs === undefined ? null : Math.round((performance.timeOrigin + firstUs / 1000) * 10) / 10,
    windowMs: m.windowMs,
    stages,
    windows: [...windows].sort((a, b) => a[0] - b[0]).map(([index, w]) => ({ index, ok: w.ok, errors: w.errors, histogram: encodedMerge(w.h) })),
    ...(lag.length ? { sendLag: encodedMerge(lag) } : {}),
  };
}
