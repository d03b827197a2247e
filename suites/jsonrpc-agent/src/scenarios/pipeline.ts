/**
 * Seed 003's integration benchmarks: the request pipeline with a simple handler, with before/after
 * hooks, and with a module call over RPC to another process — three agent configurations, each
 * its own child process, each under the same open-loop load.
 */
import { defineScenario, Figures, openLoop, pick as dur, type Measurement } from '@wirebench/kit';
import { sendDriver, type HttpEnv } from '../drivers.js';
import { startAgent, startModule, CPU_PLAN } from '../targets.js';

const RATE = 500;

interface Env {
  simple: HttpEnv;
  hooks: HttpEnv;
  module: HttpEnv;
}

export const pipeline = defineScenario<Env>({
  name: 'pipeline',
  cpus: CPU_PLAN,
  description: `asap.send open loop ${RATE}/s through three agents: simple echo handler, with hooks (--hooks), with a module process (--module-url, skill module.echo)`,
  setup: async (ctx) => {
    // Started together (startup is mostly module loading); idle agents cost nothing while another
    // is measured. Smoke saves one start: the module agent also serves the simple requests — skill
    // "echo" never touches the module, so the handler path is the same.
    const moduleUrl = (await startModule(ctx)).url;
    const [mod, hooks, simple] = await Promise.all([
      startAgent(ctx, { moduleUrl }, 'agent-module'),
      startAgent(ctx, { hooks: true }, 'agent-hooks'),
      ctx.smoke ? null : startAgent(ctx, {}, 'agent-simple'),
    ]);
    return { simple: { url: (simple ?? mod).url }, hooks: { url: hooks.url }, module: { url: mod.url } };
  },
  drivers: {
    simple: (env) => sendDriver(env.simple),
    hooks: (env) => sendDriver(env.hooks),
    module: (env) => sendDriver(env.module, { skill: 'module.echo' }),
  },
  run: async (ctx) => {
    const f = new Figures();
    let primary: Measurement | undefined;
    for (const name of ['simple', 'hooks', 'module'] as const) {
      const m = await ctx.measure(openLoop({ rate: RATE, durationMs: dur(ctx, 8000, 800), warmupMs: dur(ctx, 1000, 200), params: { pipeline: name, rate: RATE } }), { driver: name });
      f.latency(name, f.add(name, m), `${name} pipeline, open loop ${RATE}/s`, ['p50', 'p95', 'p99']);
      if (name === 'simple') primary = m;
    }
    const p50 = (n: string): number => f.metrics[`${n}_p50_ms`]?.value ?? NaN;
    f.value('hooks_overhead_p50_ms', p50('hooks') - p50('simple'), 'ms', 'lower', 'p50 with hooks − p50 simple');
    f.value('module_overhead_p50_ms', p50('module') - p50('simple'), 'ms', 'lower', 'p50 with module − p50 simple (the module RPC round trip)');
    f.failures('pipeline_failed', 'failed operations across the three pipelines');
    return f.output(primary);
  },
  // Seed 003's targets: simple < 5 ms p95, with module < 10 ms p95, with hooks < 15 ms p95.
  slo: ['simple_p95_ms < 5', 'module_p95_ms < 10', 'hooks_p95_ms < 15', 'pipeline_failed == 0'],
});
