/**
 * startup: pools of 2, 4, 8, 16 workers started concurrently, sequentially and in batches, beside
 * the floor — the same number of bare node + grpc-js processes started at once — in rotating
 * rounds. The kit times every operation: a floor operation is one bare process (spawn → gRPC
 * connect), a pool operation is one whole pool-main (spawn → READY). The pool's per-worker ready
 * times come from its events and are cross-checked against that window (startup-log.ts).
 */
import { defineScenario, median, rounds, type Driver, type LoadSpec, type Metric, type Result, type ScenarioContext } from '@wirebench/kit';
import { bareProcessDriver, poolStartDriver, startupLog, type PoolStart, type StartupEnv } from '../startup-driver.js';
import { startupEnv } from '../targets.js';

const SIZES = [2, 4, 8, 16] as const;
const STRATEGIES = ['concurrent', 'sequential', 'batch'] as const;

const poolArm = (size: number, s: PoolStart['startup']): PoolStart => ({ arm: `pool_${size}_${s}`, size, startup: s });
const floorArm = (size: number) => `floor_${size}`;

/** Smoke: the 16-worker goal's pair and the small pools of each strategy; full: every size × strategy. */
function plan(smoke: boolean): { pools: PoolStart[]; floors: number[] } {
  if (smoke) return { pools: [poolArm(16, 'concurrent'), poolArm(2, 'concurrent'), poolArm(2, 'sequential'), poolArm(2, 'batch')], floors: [16, 2] };
  return { pools: SIZES.flatMap((n) => STRATEGIES.map((s) => poolArm(n, s))), floors: [...SIZES] };
}

/** Every process of the operation started at once; the stage ends when all have answered. */
function burst(n: number): LoadSpec {
  return { timeoutMs: 60_000, stages: [{ name: 'start', model: 'closed', concurrency: n, count: n, durationMs: 120_000 }] };
}

const ALL_READY = { name: 'all_ready_ms', unit: 'ms', better: 'lower' as const, of: (s: { latencyMs: { max: number } }) => s.latencyMs.max };

const drivers: Record<string, (env: StartupEnv) => Driver<any>> = {};
for (const n of SIZES) drivers[floorArm(n)] = (env) => bareProcessDriver(env);
for (const n of SIZES) for (const s of STRATEGIES) drivers[poolArm(n, s).arm] = (env) => poolStartDriver(env, poolArm(n, s));

function run(ctx: ScenarioContext, env: StartupEnv) {
  const { pools, floors } = plan(ctx.smoke);
  startupLog.clear();
  return rounds<StartupEnv>({
    arms: [
      ...pools.map((p) => ({ name: p.arm, driver: p.arm, load: burst(1) })),
      ...floors.map((n) => ({ name: floorArm(n), driver: floorArm(n), load: burst(n) })),
    ],
    rounds: { full: 5, smoke: 1 },
    figures: ['p50', 'p99', ALL_READY],
    ratios: [
      ...floors.filter((n) => pools.some((p) => p.arm === `pool_${n}_concurrent`)).map((n) => ({
        name: `pool_total_vs_floor_${n}`, of: `pool_${n}_concurrent`, to: floorArm(n), figure: ALL_READY,
        note: `pool of ${n} (concurrent), pool process spawn → READY ÷ ${n} bare processes, spawn → connected`,
      })),
      ...SIZES.filter((n) => pools.some((p) => p.arm === `pool_${n}_sequential`) && pools.some((p) => p.arm === `pool_${n}_concurrent`)).map((n) => ({
        name: `sequential_over_concurrent_${n}`, of: `pool_${n}_sequential`, to: `pool_${n}_concurrent`, figure: ALL_READY, better: 'none' as const,
        note: `pool of ${n}: sequential ÷ concurrent start-up as measured (the seed claimed 1000×; each worker's start is CPU work, so on two cores concurrency saves at most what the second core and the waits between starts give)`,
      })),
    ],
    failures: 'startup_failures',
  })(ctx, env);
}

/**
 * The pool's own figures per arm: its workers' spawn → ready span and per-worker ready times (as
 * samples), and the span beside the floor round by round (the goal's ratio).
 */
function derived(result: Result): Record<string, Metric> {
  const out: Record<string, Metric> = {};
  const problems: string[] = [];
  for (const [arm, recs] of startupLog) {
    problems.push(...recs.flatMap((r) => r.problems));
    const spans = recs.map((r) => r.spanMs).filter(Number.isFinite);
    const ready = recs.flatMap((r) => r.readyMs).filter(Number.isFinite).sort((a, b) => a - b);
    if (spans.length === 0) continue;
    out[`${arm}_workers_ready_ms`] = { value: median(spans), unit: 'ms', better: 'lower', samples: spans, note: `${arm}: first worker spawned → last worker ready (pool events, inside the kit-timed window); median over rounds` };
    const q = (p: number) => ready[Math.min(ready.length - 1, Math.floor((p / 100) * ready.length))]!;
    out[`${arm}_worker_ready_p50_ms`] = { value: q(50), unit: 'ms', better: 'lower', samples: ready, note: `${arm}: one worker's spawn → connected as the pool timed it; samples: every worker of every round` };
    out[`${arm}_worker_ready_max_ms`] = { value: ready.at(-1)!, unit: 'ms', better: 'lower', note: `${arm}: slowest worker's spawn → connected` };
    const size = Number(arm.split('_')[1]);
    const floor = result.metrics?.[`floor_${size}_all_ready_ms`]?.samples;
    if (arm.endsWith('_concurrent') && floor && floor.length === spans.length) {
      const ratios = spans.map((s, i) => s / floor[i]!);
      out[`workers_ready_vs_floor_${size}`] = { value: median(ratios), unit: 'x', better: 'lower', samples: ratios, note: `pool of ${size} (concurrent): workers' spawn → last ready ÷ ${size} bare node+grpc-js processes started at once, per round, median` };
    }
  }
  // The first few disagreements in words: a count alone left a failed cross-check undiagnosable.
  const said = problems.length ? `; first: ${problems.slice(0, 3).join(' | ')}` : '';
  out.startup_crosscheck_problems = { value: problems.length, unit: 'count', better: 'lower', note: `pool start-up events that disagree with the generator-observed window or the worker count${said}` };
  return out;
}

export const startup = defineScenario<StartupEnv>({
  name: 'startup',
  description: 'Pools of 2-16 workers (concurrent / sequential / batch) vs the same number of bare node + grpc-js processes started at once, rounds',
  setup: () => startupEnv(),
  drivers,
  run,
  metrics: (result) => derived(result),
  slo: ['startup_failures == 0', 'startup_crosscheck_problems == 0'],
  goals: ['workers_ready_vs_floor_16 <= 1.15', 'pool_16_concurrent_workers_ready_ms < 1000'],
});
