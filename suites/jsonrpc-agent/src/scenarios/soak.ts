/**
 * Memory over time under steady load (seed 002's memory test): least-squares slopes of the agent's
 * RSS and heap in MB/hour from the kit's resource timeline, with the seed's verdicts.
 *
 * Heap after GC: the agent runs with --expose-gc and the kit's probe option WIREBENCH_PROBE_GC, so
 * every heap sample (each 500 ms) is taken right after a forced full GC: the slope of those
 * samples is the heap-after-GC slope, without a sawtooth to guess through.
 */
import { defineScenario, leastSquares, openLoop, type Metric, type Result } from '@wirebench/kit';
import { sendDriver, type HttpEnv } from '../drivers.js';
import { startAgent, CPU_PLAN } from '../targets.js';

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
  // The measured interval only: no start-up, no warm-up.
  const inLoad = (t: number): boolean => r.resources.measuredMs.some((m) => t > m.fromMs && t <= m.toMs);
  const tl = agent ? agent.timeline.filter((s) => inLoad(s.tMs)) : [];
  if (tl.length < 4) return { metrics: {}, notes: ['too few resource samples of the agent for a slope'] };
  const t = tl.map((s) => s.tMs);
  const rss = leastSquares(t, tl.map((s) => s.rssMb));
  const heapPts = tl.flatMap((s) => (s.heapUsedMb !== undefined ? [{ t: s.tMs, h: s.heapUsedMb }] : []));
  const heap = leastSquares(heapPts.map((p) => p.t), heapPts.map((p) => p.h));
  const mb = (x: number): number => Math.round(x * PER_HOUR * 100) / 100;
  const windowMin = (t[t.length - 1]! - t[0]!) / 60000;
  const metrics: Record<string, Metric> = {
    rss_slope_mb_per_hour: { value: mb(rss.slope), unit: 'MB/h', better: 'lower', samples: tl.map((s) => s.rssMb), note: `least squares over ${tl.length} RSS samples of the measured interval (samples: RSS MB)` },
    heap_after_gc_slope_mb_per_hour: { value: mb(heap.slope), unit: 'MB/h', better: 'lower', samples: heapPts.map((p) => p.h), note: `least squares over ${heapPts.length} heap samples, each taken right after a forced full GC (samples: MB)` },
    soak_window_min: { value: Math.round(windowMin * 100) / 100, unit: 'min', better: 'none', note: 'span of the samples the slopes use' },
  };
  const notes = [
    windowMin < 1
      ? `RSS slope ${mb(rss.slope)} MB/h, heap-after-GC slope ${mb(heap.slope)} MB/h over ${windowMin.toFixed(2)} min: too short to extrapolate to an hour, no verdict (run ≥ 1 min: --set soakMinutes=N)`
      : `RSS slope ${mb(rss.slope)} MB/h: ${verdict(mb(rss.slope))}; heap-after-GC slope ${mb(heap.slope)} MB/h: ${verdict(mb(heap.slope))} (seed: < 10 normal, 10–50 monitor, > 50 leak)`,
    'heap after GC: the agent runs with --expose-gc and the kit probe forces a full GC before each heap sample (one GC per sample interval)',
  ];
  return { metrics, notes };
}

export const soak = defineScenario<HttpEnv>({
  name: 'soak',
  cpus: CPU_PLAN,
  description: 'asap.send open loop (200/s by default) for minutes (--set soakMinutes=N, soakRate=R): RSS and heap-after-GC slopes in MB/hour with the seed\'s verdicts',
  // Heap after GC needs a GC the probe can force: --expose-gc plus the probe's GC option.
  setup: async (ctx) => ({ url: (await startAgent(ctx, {}, 'agent', { nodeArgs: ['--expose-gc'], env: { WIREBENCH_PROBE_GC: '1' } })).url, connections: 16 }),
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
