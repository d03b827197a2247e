import { defineScenario, Figures, openLoop, pick as dur, type Metric, type Result } from '@wirebench/kit';
import { computeDriver } from '../drivers.js';
import { startBridge } from '../targets.js';

/** Half the broker path's capacity on this machine (~1,000/s pipelined): resource use at a load it sustains. */
const RATE = 500;

/** Per-process figures; the kit's summaries already cover only the measured interval. */
function perRole(r: Result): Record<string, Metric> {
  const out: Record<string, Metric> = {};
  const measured = r.resources.measuredMs;
  const inLoad = (tMs: number): boolean => measured.some((m) => tMs > m.fromMs && tMs <= m.toMs);
  for (const p of r.resources.processes) {
    const role = p.role.replace(/[^A-Za-z0-9]+/g, '_');
    out[`cpu_pct_${role}`] = { value: p.cpuPct.mean, unit: '% of a core', better: 'lower', samples: p.timeline.filter((s) => inLoad(s.tMs)).map((s) => s.cpuPct), note: `${p.role}: mean CPU under load` };
    out[`rss_mb_${role}`] = { value: p.rssMb.max, unit: 'MiB', better: 'lower', note: `${p.role}: peak RSS under load` };
    if (p.eventLoopDelayMs) out[`eld_p99_ms_${role}`] = { value: p.eventLoopDelayMs.p99, unit: 'ms', better: 'lower', note: `${p.role}: event-loop delay, worst per-sample p99 under load` };
    if (p.eventLoopUtilization !== undefined) out[`elu_${role}`] = { value: p.eventLoopUtilization, unit: 'share', better: 'lower', note: `${p.role}: event-loop utilisation under load` };
    if (p.gc) out[`gc_ms_${role}`] = { value: p.gc.totalMs, unit: 'ms', better: 'lower', note: `${p.role}: GC time under load (${p.gc.count} pauses)` };
  }
  return out;
}

export const resources = defineScenario<{ endpoint: string }>({
  name: 'resources',
  description: `broker + 2 workers at a steady ${RATE}/s open loop of 1K floats (raw): CPU, RSS, event-loop delay and GC of the generator (client), the broker and each worker`,
  setup: async (ctx) => {
    return { endpoint: (await startBridge(ctx, { workers: 2 })).frontend };
  },
  drivers: { load: (env) => computeDriver({ endpoint: env.endpoint, n: 1000, format: 'raw' }) },
  run: async (ctx, env) => {
    const f = new Figures();
    const warmupMs = dur(ctx, 1000, 300);
    const durationMs = dur(ctx, 15_000, 1500);
    const m = await ctx.measure(openLoop({ rate: RATE, durationMs, warmupMs, params: { floats: 1000, codec: 'raw', workers: 2 } }), { driver: 'load' });
    f.add('steady load', m);
    return f.output(m);
  },
  metrics: (r) => perRole(r),
  slo: ['errors <= 0.1%', 'rate_error <= 5%'],
});
