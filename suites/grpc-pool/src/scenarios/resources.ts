/**
 * resources: memory per worker and CPU per request of a 4-worker pool under a steady open-loop
 * `ping` load, beside the bare grpc-js server at the same rate (rounds). The kit samples each
 * target's own pid for RSS and counts descendants only for CPU, so the workers' RSS is read here
 * from /proc by the pids the pool reports (its worker:ready events), every 250 ms of the pool's
 * measured stages. CPU per request (pool + workers) is the kit's own `<arm>_cpu_us_per_op`.
 */
import { chain, defineScenario, openLoop, processMetrics, rounds, type LoadSpec, type Measurement, type Metric, type ScenarioContext } from '@wirebench/kit';
import { pingDriver } from '../drivers.js';
import { RssSampler, rssSeries, type RssSeries } from '../proc.js';
import type { PoolEventLine } from '../startup-log.js';
import { address, bareTarget, poolEvents, poolTarget, workerPids } from '../targets.js';

interface Env {
  pool: string;
  floor: string;
}

const WORKERS = 4;
let events: PoolEventLine[] = [];
/** Per worker id, every RSS sample (MiB) of the pool's measured stages, all rounds. */
const samples = new Map<string, number[]>();

function load(ctx: ScenarioContext): LoadSpec {
  const rate = Number(ctx.params.rate ?? (ctx.smoke ? 100 : 200));
  return openLoop({ rate, durationMs: ctx.smoke ? 1500 : 5000, warmupMs: ctx.smoke ? 300 : 1000, timeoutMs: 10_000, params: { rate } });
}

/** The pool arm's load, with the workers' RSS sampled while it runs (its warm-up too: RSS moves slowly). */
async function poolArm(ctx: ScenarioContext, round: number): Promise<Measurement> {
  const s = new RssSampler(() => workerPids(events));
  s.start();
  try {
    return await ctx.measure({ ...load(ctx), params: { ...load(ctx).params, arm: 'pool', round } }, { driver: 'pool', label: `pool, round ${round}` });
  } finally {
    for (const [id, series] of s.stop()) samples.set(id, [...(samples.get(id) ?? []), ...series.samples]);
  }
}

function rssFigures(): Record<string, Metric> {
  const per: Map<string, RssSeries> = rssSeries(samples);
  const out: Record<string, Metric> = {};
  if (per.size === 0) return out;
  const means = [...per.values()].map((x) => x.mean);
  const r2 = (x: number) => Math.round(x * 100) / 100;
  for (const [id, x] of per) out[`rss_mb_${id}`] = { value: r2(x.max), unit: 'MiB', better: 'lower', samples: x.samples, note: `${id}: peak VmRSS under load (/proc of the pid the pool reports); samples: every 250 ms` };
  out.worker_rss_mb = { value: r2(means.reduce((a, b) => a + b, 0) / means.length), unit: 'MiB', better: 'lower', samples: means.map(r2), note: `mean VmRSS of a worker under load, over the pool's ${per.size} workers; samples: per worker` };
  out.workers_rss_total_mb = { value: r2(means.reduce((a, b) => a + b, 0)), unit: 'MiB', better: 'lower', note: 'all workers together (mean each)' };
  out.worker_rss_sampled = { value: per.size, unit: 'workers', better: 'none', note: `workers with RSS samples (of ${WORKERS})` };
  return out;
}

function run(ctx: ScenarioContext, env: Env) {
  samples.clear();
  return chain<Env>([
    rounds<Env>({
      arms: [
        { name: 'pool', track: false, measure: (c, round) => poolArm(c, round) },
        { name: 'floor', driver: 'floor', load: (c) => load(c) },
      ],
      rounds: { full: 5, smoke: 1 },
      figures: ['p50', 'p99'],
      failures: 'resources_failures',
    }),
  ], {
    derive: (m) => {
      const out = rssFigures();
      const pool = m.pool_cpu_us_per_op?.value;
      const floor = m.floor_cpu_us_per_op?.value;
      if (pool !== undefined && floor !== undefined && floor > 0) out.pool_cpu_vs_floor = { value: Math.round((pool / floor) * 1000) / 1000, unit: 'x', better: 'lower', note: 'CPU per request: pool + its workers ÷ the bare server (medians over rounds)' };
      return out;
    },
  })(ctx, env);
}

export const resources = defineScenario<Env>({
  name: 'resources',
  description: 'RSS per worker (from /proc by the pids the pool reports) and CPU per request of a 4-worker pool vs the bare server at the same rate (rounds)',
  async setup(ctx) {
    const [pool, floor] = await ctx.processes.startAll([await poolTarget('pool', { size: WORKERS, startup: 'concurrent', events: 'on' }), bareTarget()]);
    events = poolEvents(pool!);
    return { pool: address(pool!), floor: address(floor!) };
  },
  drivers: { pool: (env) => pingDriver(env.pool), floor: (env) => pingDriver(env.floor) },
  run,
  // Open loop: the generator keeps a CPU of its own so that its schedule holds while the pools'
  // workers (which inherit their pool's CPU) are busy, as in faults.
  cpus: { generator: [0], targets: [1] },
  metrics: (result) => {
    // The pool process's own RSS and the bare server's, as the kit sampled them (measured stages).
    const p = processMetrics(result, { roles: ['pool', 'floor'] });
    const out: Record<string, Metric> = {};
    for (const k of ['rss_mb_pool', 'rss_mb_floor'] as const) if (p[k]) out[k] = p[k]!;
    const w = result.metrics?.worker_rss_mb?.value;
    const floor = result.resources.processes.find((x) => x.role === 'floor')?.rssMb.mean;
    if (w !== undefined && floor) out.worker_rss_vs_bare_server = { value: Math.round((w / floor) * 1000) / 1000, unit: 'x', better: 'lower', note: `mean worker VmRSS ÷ the bare grpc-js server's mean RSS (${floor} MiB) under the same load, same run` };
    return out;
  },
  slo: ['resources_failures == 0', `worker_rss_sampled == ${WORKERS}`],
  goals: ['worker_rss_vs_bare_server <= 1.5', 'pool_cpu_vs_floor <= 3'],
});
