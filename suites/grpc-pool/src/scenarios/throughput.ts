/**
 * throughput: `ping` through the pool's front endpoint at 8 workers, faithful vs cached sessions,
 * concurrency 10 / 50 / 100, beside one bare grpc-js server answering the same unary call at the
 * same concurrency — all arms in rotating rounds on targets started once. CPU per call of the
 * pool (its workers included: they are its child processes) is the standard cpu_us_per_op figure
 * of each arm.
 */
import { closedLoop, defineScenario, rounds, type ScenarioContext } from '@wirebench/kit';
import { pingDriver } from '../drivers.js';
import { address, bareTarget, poolTarget } from '../targets.js';

interface Env {
  faithful: string;
  cached: string;
  floor: string;
}

const CONCURRENCY = [10, 50, 100] as const;
const MODES = ['faithful', 'cached', 'floor'] as const;

function run(ctx: ScenarioContext, env: Env) {
  const levels = ctx.smoke ? [50] : [...CONCURRENCY];
  return rounds<Env>({
    arms: levels.flatMap((c) => MODES.map((mode) => ({
      name: `${mode}_c${c}`, driver: mode,
      load: closedLoop({ concurrency: c, durationMs: ctx.smoke ? 1500 : 5000, warmupMs: ctx.smoke ? 500 : 1000, timeoutMs: 10_000, params: { mode, concurrency: c, workers: 8 } }),
    }))),
    rounds: { full: 5, smoke: 1 },
    figures: ['rps', 'p50', 'p99'],
    ratios: levels.flatMap((c) => [
      { name: `cached_vs_floor_c${c}`, of: `cached_c${c}`, to: `floor_c${c}`, note: `cached sessions ÷ bare server, req/s at concurrency ${c}` },
      { name: `faithful_vs_floor_c${c}`, of: `faithful_c${c}`, to: `floor_c${c}`, note: `faithful sessions ÷ bare server, req/s at concurrency ${c}` },
      { name: `cached_vs_faithful_c${c}`, of: `cached_c${c}`, to: `faithful_c${c}`, better: 'none' as const, note: `what the per-call InitializeSession + adapter costs, req/s at concurrency ${c}` },
    ]),
    measurement: 'cached_c50',
    failures: 'throughput_failures',
  })(ctx, env);
}

export const throughput = defineScenario<Env>({
  name: 'throughput',
  description: 'ExecuteTool ping at 8 workers, faithful vs cached sessions, concurrency 10/50/100, vs a bare grpc-js server (rounds)',
  async setup(ctx) {
    const [faithful, cached, floor] = await ctx.processes.startAll([
      await poolTarget('pool-faithful', { size: 8, startup: 'concurrent', 'session-mode': 'faithful' }),
      await poolTarget('pool-cached', { size: 8, startup: 'concurrent', 'session-mode': 'cached' }),
      bareTarget(),
    ]);
    return { faithful: address(faithful!), cached: address(cached!), floor: address(floor!) };
  },
  drivers: {
    faithful: (env) => pingDriver(env.faithful),
    cached: (env) => pingDriver(env.cached),
    floor: (env) => pingDriver(env.floor),
  },
  run,
  slo: ['throughput_failures == 0'],
  goals: ['cached_vs_floor_c50 >= 0.8', 'cached_c50_rps > 1000', 'faithful_c50_rps > 1000'],
});
