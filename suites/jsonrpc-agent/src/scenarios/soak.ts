/**
 * Memory over time under steady load (seed 002's memory test): least-squares slopes of the agent's
 * RSS and heap in MB/hour over the measured samples (the kit's processMetrics), with the seed's
 * verdicts. Heap after GC: the agent runs with --expose-gc and the kit's probe option
 * WIREBENCH_PROBE_GC, so every heap sample is taken right after a forced full GC: the slope of those
 * samples is the heap-after-GC slope, without a sawtooth to guess through.
 */
import { defineScenario, openLoop, processMetrics, rssSlope, type Metric, type Result } from '@wirebench/kit';
import { sendDriver, type HttpEnv } from '../drivers.js';
import { agentTarget, CPU_PLAN, startUrl } from '../targets.js';

type Params = { params: Readonly<Record<string, string>> };

function minutes(ctx: { smoke: boolean } & Params): number {
  const set = Number(ctx.params.soakMinutes);
  if (Number.isFinite(set) && set > 0) return set;
  return ctx.smoke ? 3 / 60 : 2;
}

function rate(ctx: Params): number {
  const set = Number(ctx.params.soakRate);
  return Number.isFinite(set) && set > 0 ? set : 200;
}

/** The seed's verdict on a slope in MB/h: < 10 normal, 10–50 monitor, > 50 leak. */
export function verdict(mbPerHour: number): 'normal' | 'monitor' | 'leak' {
  return mbPerHour < 10 ? 'normal' : mbPerHour <= 50 ? 'monitor' : 'leak';
}

/** Shorter than this, a slope per hour is start-up growth extrapolated: no verdict. */
export const MIN_VERDICT_MINUTES = 1;

/** The verdict note for the two slopes over `spanMin` minutes of samples. */
export function soakVerdict(rssMbPerHour: number, heapMbPerHour: number, spanMin: number): string {
  if (spanMin < MIN_VERDICT_MINUTES) {
    return `RSS slope ${rssMbPerHour} MB/h, heap-after-GC slope ${heapMbPerHour} MB/h over ${spanMin.toFixed(2)} min: too short to extrapolate to an hour, no verdict (run ≥ ${MIN_VERDICT_MINUTES} min: --set soakMinutes=N)`;
  }
  return `RSS slope ${rssMbPerHour} MB/h: ${verdict(rssMbPerHour)}; heap-after-GC slope ${heapMbPerHour} MB/h: ${verdict(heapMbPerHour)} (seed: < 10 normal, 10–50 monitor, > 50 leak)`;
}

/** The agent's slopes under the names runs before processMetrics used, and the verdict note. */
export function soakFigures(r: Pick<Result, 'resources'>): { metrics: Record<string, Metric>; notes: string[] } {
  const pm = processMetrics(r, { slopes: true, roles: ['agent'] });
  const rss = pm.rss_slope_mb_per_hour_agent;
  const heap = pm.heap_slope_mb_per_hour_agent;
  if (!rss || !heap) return { metrics: pm, notes: ['too few resource samples of the agent for a slope'] };
  const agent = r.resources.processes.find((p) => p.role === 'agent');
  // The minutes the slope's samples span (the same samples processMetrics fitted).
  const spanMin = agent ? rssSlope(r, agent)?.spanMin ?? 0 : 0;
  return {
    metrics: {
      ...Object.fromEntries(Object.entries(pm).filter(([k]) => k !== 'rss_slope_mb_per_hour_agent' && k !== 'heap_slope_mb_per_hour_agent')),
      rss_slope_mb_per_hour: rss,
      heap_after_gc_slope_mb_per_hour: { ...heap, note: `${heap.note ?? ''}; the agent runs with --expose-gc and WIREBENCH_PROBE_GC=1: heap after GC` },
      soak_window_min: { value: spanMin, unit: 'min', better: 'none', note: 'span of the samples the slopes use' },
    },
    notes: [soakVerdict(rss.value, heap.value, spanMin), 'heap after GC: the kit probe forces a full GC before each heap sample (one GC per sample interval)'],
  };
}

export const soak = defineScenario<HttpEnv>({
  name: 'soak',
  cpus: CPU_PLAN,
  description: 'asap.send open loop (200/s by default) for minutes (--set soakMinutes=N, soakRate=R): RSS and heap-after-GC slopes in MB/hour with the seed\'s verdicts',
  setup: async (ctx) => ({ url: await startUrl(ctx, agentTarget({ probeGc: true })), connections: 16 }),
  driver: (env) => sendDriver(env),
  load: (ctx) => openLoop({ rate: rate(ctx), durationMs: Math.round(minutes(ctx) * 60_000), warmupMs: ctx.smoke ? 300 : 10_000, params: { minutes: minutes(ctx), rate: rate(ctx) } }),
  metrics: (r) => {
    const s = soakFigures(r);
    r.notes.push(...s.notes);
    return s.metrics;
  },
  // A slope over seconds says nothing per hour (start-up heap growth dominates), so the leak verdicts
  // are SLOs only for runs of at least a minute; every run must still answer everything.
  slo: (ctx) => (minutes(ctx) >= MIN_VERDICT_MINUTES ? ['rss_slope_mb_per_hour < 50', 'heap_after_gc_slope_mb_per_hour < 50', 'errors == 0'] : ['errors == 0']),
});
