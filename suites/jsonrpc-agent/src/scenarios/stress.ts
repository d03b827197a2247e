/**
 * Seed 002's stress test as open-loop steps: the arrival rate rises step by step until the agent
 * breaks. The kit's search plan reports the degradation curve (result.stages, one per step, and
 * `curve_*`), the max sustainable rate (the last step that did not break), the recommended capacity
 * (80 % of it) and the breaking rate; a step where the generator itself fell behind is not the
 * agent's limit: the search stops there and says so.
 */
import { defineScenario, search } from '@wirebench/kit';
import { sendDriver, type HttpEnv } from '../drivers.js';
import { agentTarget, CPU_PLAN, startUrl } from '../targets.js';

/** Seed 002's breaking point: errors (errors + timeouts + lost) ≥ 5 %, p99 ≥ 500 ms, p95 ≥ 100 ms, or achieved < 90 % of the requested rate. */
export const STRESS_BREAKS = ['errors >= 5%', 'p99 >= 500ms', 'p95 >= 100ms', 'achieved_pct < 90'];

export const STRESS_RATES = { full: [500, 1000, 2000, 3000, 4000, 5000, 6000, 8000, 10_000, 12_000, 15_000], smoke: [1500, 3000, 6000] };

export const stress = defineScenario<HttpEnv>({
  name: 'stress',
  cpus: CPU_PLAN,
  description: 'asap.send open-loop steps of rising rate until breaking (errors ≥ 5%, p95 ≥ 100 ms, p99 ≥ 500 ms, achieved < 90%): degradation curve, max sustainable rate, 80% capacity',
  setup: async (ctx) => ({ url: await startUrl(ctx, agentTarget()), connections: 64 }),
  driver: (env) => sendDriver(env),
  run: search<HttpEnv>({
    rates: STRESS_RATES,
    breaks: STRESS_BREAKS,
    stepMs: { full: 5000, smoke: 1000 },
    warmupMs: { full: 2000, smoke: 500 },
    // A broken step must end in bounded time; p99 ≥ 500 ms already counts as breaking.
    timeoutMs: 2000,
  }),
  // Seed 002's sustained 1000 RPS as the floor for the max sustainable rate.
  slo: ['max_sustainable_rps >= 1000'],
});
