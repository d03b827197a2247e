import { performance } from 'node:perf_hooks';
import { defineScenario, openLoop, type Metric, type Result } from '@wirebench/kit';
import { computeDriver } from '../drivers.js';
import { Figures, dur } from '../figures.js';
import { startBridge } from '../targets.js';

/** t0: when setup began (≈ the sampler's origin); window: the measured stage, ms since t0. */
type Env = { endpoint: string; t0: number; window: [number, number] | null };
/** Half the broker path's capacity on this machine (~1,000/s pipelined): resource use at a load it sustains. */
const RATE = 500;

/**
 * The kit samples every process for the whole scenario, start-up included; CPU is averaged here
 * over the samples inside the measured stage, so process start-up (tsx compiling) is left out.
 */
function perRole(r: Result, window: [number, number] | null): Record<string, Metric> {
  const out: Record<string, Metric> = {};
  for (const p of r.resources.processes) {
    const role = p.role.replace(/[^A-Za-z0-9]+/g, '_');
    const inLoad = window ? p.timeline.filter((s) => s.tMs >= window[0] && s.tMs <= window[1]) : [];
    const cpu = inLoad.length ? inLoad.reduce((a, s) => a + s.cpuPct, 0) / inLoad.length : p.cpuPct.mean;
    out[`cpu_pct_${role}`] = { value: Math.round(cpu * 100) / 100, unit: '% of a core', better: 'lower', samples: inLoad.map((s) => s.cpuPct), note: `${p.role}: mean CPU under load (${inLoad.length} samples)` };
    out[`rss_mb_${role}`] = { value: p.rssMb.max, unit: 'MiB', better: 'lower', note: `${p.role}: peak RSS` };
    if (p.eventLoopDelayMs) out[`eld_p99_ms_${role}`] = { value: p.eventLoopDelayMs.p99, unit: 'ms', better: 'lower', note: `${p.role}: event-loop delay p99 (whole scenario)` };
    if (p.eventLoopUtilization !== undefined) out[`elu_${role}`] = { value: p.eventLoopUtilization, unit: 'share', better: 'lower', note: `${p.role}: event-loop utilisation (whole scenario)` };
    if (p.gc) out[`gc_ms_${role}`] = { value: p.gc.totalMs, unit: 'ms', better: 'lower', note: `${p.role}: GC time (${p.gc.count} pauses, longest ${p.gc.maxMs} ms; whole scenario)` };
  }
  return out;
}

export const resources = defineScenario<Env>({
  name: 'resources',
  description: `broker + 2 workers at a steady ${RATE}/s open loop of 1K floats (raw): CPU, RSS, event-loop delay and GC of the generator (client), the broker and each worker`,
  setup: async (ctx) => {
    const t0 = performance.now();
    return { endpoint: (await startBridge(ctx, { workers: 2 })).frontend, t0, window: null };
  },
  drivers: { load: (env) => computeDriver({ endpoint: env.endpoint, n: 1000, format: 'raw' }) },
  run: async (ctx, env) => {
    const f = new Figures();
    const warmupMs = dur(ctx, 1000, 300);
    const durationMs = dur(ctx, 15_000, 1500);
    const start = performance.now() - env.t0 + warmupMs;
    const m = await ctx.measure(openLoop({ rate: RATE, durationMs, warmupMs, params: { floats: 1000, codec: 'raw', workers: 2 } }), { driver: 'load' });
    env.window = [start, performance.now() - env.t0];
    f.add('steady load', m, true);
    return { measurement: m, notes: ['cpu_pct_* averages the samples inside the measured stage; eld/elu/gc cover the whole scenario (the kit samples from its start)'] };
  },
  metrics: (r, _ctx, env) => perRole(r, env.window),
  slo: ['errors <= 0.1%', 'rate_error <= 5%'],
});
