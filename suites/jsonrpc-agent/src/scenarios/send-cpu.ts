/**
 * send-cpu: what one asap.send costs the agent in CPU, against what the bare fastify POST route
 * costs to receive and parse the very same body (constant reply), both at the SAME open-loop rate
 * below saturation, in rotating rounds on targets started once. CPU time per request survives this
 * shared, noisy 2-core machine where throughput ratios do not.
 */
import { defineScenario, openLoop, pick, rounds, type ScenarioContext } from '@wirebench/kit';
import { loadArm } from '../arms.js';
import { postBaselineDriver, sendDriver, type HttpEnv } from '../drivers.js';
import { perRoundRatio } from '../round-ratio.js';
import { agentTarget, baselineTarget, CPU_PLAN, startUrl } from '../targets.js';

/** Below the pinned agent's saturation (one core), so both arms do the same work per second. `--set cpuRate=N` to change it. */
const DEFAULT_RATE = 2000;

interface Env {
  agent: HttpEnv;
  baseline: HttpEnv;
  rate: number;
}

function rateOf(ctx: ScenarioContext): number {
  const set = Number(ctx.params.cpuRate);
  return Number.isFinite(set) && set > 0 ? set : DEFAULT_RATE;
}

// One generator thread of its own (isolate): its GC pauses are the load's, not the main heap's.
const arm = (ctx: ScenarioContext, env: Env) =>
  openLoop({ rate: env.rate, durationMs: pick(ctx, 5000, 1000), warmupMs: pick(ctx, 1000, 300), isolate: true, params: { rate: env.rate } });

export const sendCpu = defineScenario<Env>({
  name: 'send-cpu',
  cpus: CPU_PLAN,
  description: `CPU per asap.send ÷ CPU per bare fastify POST / of the same body, both open loop at ${DEFAULT_RATE}/s (--set cpuRate=N), rotating rounds (5 full)`,
  setup: async (ctx) => {
    const [agent, baseline] = await Promise.all([startUrl(ctx, agentTarget()), startUrl(ctx, baselineTarget())]);
    return { agent: { url: agent, connections: 32 }, baseline: { url: baseline, connections: 32 }, rate: rateOf(ctx) };
  },
  drivers: {
    send: (env) => sendDriver(env.agent),
    post: (env) => postBaselineDriver(env.baseline),
  },
  run: rounds<Env>({
    arms: [
      loadArm<Env>({ name: 'send', label: 'asap.send', role: 'agent', driver: 'send', load: (ctx, _round, env) => arm(ctx, env) }),
      loadArm<Env>({ name: 'post', label: 'POST /', role: 'baseline', driver: 'post', load: (ctx, _round, env) => arm(ctx, env) }),
    ],
    // Smoke: one round (contracts only; each isolated measurement starts a generator thread).
    rounds: { full: 5, smoke: 1 },
    figures: ['rps', 'p50', 'p99'],
    failures: 'cpu_failed',
  }),
  metrics: (r) => {
    const ratio = perRoundRatio(r.metrics, 'send_cpu_vs_post', 'send_cpu_us_per_op', 'post_cpu_us_per_op', 'agent CPU per asap.send ÷ bare fastify CPU per POST / of the same body, same open-loop rate');
    if (ratio.note) r.notes.push(ratio.note);
    return ratio.metrics;
  },
  slo: ['cpu_failed == 0', 'rate_error <= 1%'],
  // Issue goal: asap.send costs at most 1.3 × the bare POST route's CPU per request.
  goals: ['send_cpu_vs_post <= 1.3'],
});
