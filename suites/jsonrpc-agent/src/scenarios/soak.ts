/**
 * Memory over time under steady load (seed 002's memory test): least-squares slopes of the agent's
 * RSS and heap in MB/hour from the kit's resource timeline, with the seed's verdicts.
 *
 * Heap after GC: the kit starts script targets as `node --import tsx --import probe script`, with
 * no way to add node flags such as --expose-gc, and its probe reports heapUsed every 500 ms, not
 * after each GC. So "heap after GC" is approximated by the lowest heapUsed in each of ~12 equal
 * windows (the troughs of the GC sawtooth, an upper bound of the post-GC heap); the plain
 * heapUsed slope is reported too.
 */
import { defineScenario, openLoop, type Metric, type Result } from '@wirebench/kit';
import { sendDriver, type HttpEnv } from '../drivers.js';
import { leastSquares } from '../figures.js';
import { startAgent } from '../targets.js';

const PER_HOUR = 3_600_000;

function minutes(ctx: { smoke: boolean; params: Readonly<Record<string, string>> }): number {
  const set = Number(ctx.params.soakMinutes);
  if (Number.isFinite(set) && set > 0) return set;
  return ctx.smoke ? 3 / 60 : 2;
}

function rate(ctx: { params: Readonly<Record<string, string>> }): number {
  const set = Number(ctx.params.soakRate);
  return Number.isFinite(set) && set > 0 ? set : 200;
}

export function verdict(mbPerHour: number): string {
  return mbPerHour < 10 ? 'normal' : mbPerHour <= 50 ? 'monitor' : 'leak';
}

function slopes(r: Result): { metrics: Record<string, Metric>; notes: string[] } {
  const agent = r.resources.processes.find((p) => p.role === 'agent');
  const stageMs = r.stages.reduce((a, s) => a + s.durationMs, 0);
  if (!agent || agent.timeline.length < 4) return { metrics: {}, notes: ['too few resource samples of the agent for a slope'] };
  // The measured stage ends just before the agent is stopped: keep the samples of that window only (no startup, no warm-up).
  const end = agent.timeline[agent.timeline.length - 1]!.tMs;
  const tl = agent.timeline.filter((s) => s.tMs >= end - stageMs);
  const t = tl.map((s) => s.tMs);
  const rss = leastSquares(t, tl.map((s) => s.rssMb));
  const heapPts = tl.flatMap((s) => (s.heapUsedMb !== undefined ? [{ t: s.tMs, h: s.heapUsedMb }] : []));
  const heap = leastSquares(heapPts.map((p) => p.t), heapPts.map((p) => p.h));
  const k = Math.max(2, Math.min(12, Math.floor(heapPts.length / 3)));
  const troughs: Array<{ t: number; h: number }> = [];
  for (let i = 0; i < k; i++) {
    const chunk = heapPts.slice(Math.floor((i * heapPts.length) / k), Math.floor(((i + 1) * heapPts.length) / k));
    const low = chunk.reduce<{ t: number; h: number } | null>((a, p) => (a === null || p.h < a.h ? p : a), null);
    if (low) troughs.push(low);
  }
  const trough = leastSquares(troughs.map((p) => p.t), troughs.map((p) => p.h));
  const mb = (x: number): number => Math.round(x * PER_HOUR * 100) / 100;
  const windowMin = (end - (tl[0]?.tMs ?? end)) / 60000;
  const metrics: Record<string, Metric> = {
    rss_slope_mb_per_hour: { value: mb(rss.slope), unit: 'MB/h', better: 'lower', samples: tl.map((s) => s.rssMb), note: `least squares over ${tl.length} RSS samples of the measured window (samples: RSS MB)` },
    heap_after_gc_slope_mb_per_hour: { value: mb(trough.slope), unit: 'MB/h', better: 'lower', samples: troughs.map((p) => p.h), note: `least squares over ${troughs.length} per-window heapUsed minima (≈ heap after GC; samples: MB)` },
    heap_used_slope_mb_per_hour: { value: mb(heap.slope), unit: 'MB/h', better: 'lower', note: `least squares over ${heapPts.length} heapUsed samples` },
    soak_window_min: { value: Math.round(windowMin * 100) / 100, unit: 'min', better: 'none', note: 'span of the samples the slopes use' },
  };
  const notes = [
    windowMin < 1
      ? `RSS slope ${mb(rss.slope)} MB/h, heap-after-GC slope ${mb(trough.slope)} MB/h over ${windowMin.toFixed(2)} min: too short to extrapolate to an hour, no verdict (run ≥ 1 min: --set soakMinutes=N)`
      : `RSS slope ${mb(rss.slope)} MB/h: ${verdict(mb(rss.slope))}; heap-after-GC slope ${mb(trough.slope)} MB/h: ${verdict(mb(trough.slope))} (seed: < 10 normal, 10–50 monitor, > 50 leak)`,
    'heap after GC is approximated by per-window heapUsed minima: the kit cannot start a script target with --expose-gc and its probe has no post-GC heap figure',
  ];
  return { metrics, notes };
}

export const soak = defineScenario<HttpEnv>({
  name: 'soak',
  description: 'asap.send open loop (200/s by default) for minutes (--set soakMinutes=N, soakRate=R): RSS and heap-after-GC slopes in MB/hour with the seed\'s verdicts',
  setup: async (ctx) => ({ url: (await startAgent(ctx)).url, connections: 16 }),
  driver: (env) => sendDriver(env),
  load: (ctx) => openLoop({ rate: rate(ctx), durationMs: Math.round(minutes(ctx) * 60_000), warmupMs: ctx.smoke ? 300 : 10_000, params: { minutes: minutes(ctx), rate: rate(ctx) } }),
  metrics: (r) => {
    const s = slopes(r);
    r.notes.push(...s.notes);
    return s.metrics;
  },
  // A slope over seconds says nothing per hour (start-up heap growth dominates), so the leak verdicts
  // are SLOs only for runs of at least a minute; every run must still answer everything.
  slo: (ctx) => (minutes(ctx) >= 1 ? ['rss_slope_mb_per_hour < 50', 'heap_after_gc_slope_mb_per_hour < 50', 'errors == 0'] : ['errors == 0']),
});
