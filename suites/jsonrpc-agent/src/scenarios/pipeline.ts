/**
 * Seed 003's integration benchmarks: the request pipeline with a simple handler, with before/after
 * hooks, and with a module call over RPC to another process — three agent configurations, each
 * its own child process, each a cell under the same open-loop load. A failed request is named in
 * the result's notes by cell and kind (the matrix notes every failed measurement), which the
 * bench summary prints.
 */
import { defineScenario, matrix, openLoop, pick } from '@wirebench/kit';
import { sendDriver, type HttpEnv } from '../drivers.js';
import { agentTarget, CPU_PLAN, moduleTarget, startUrl } from '../targets.js';

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
    const moduleUrl = await startUrl(ctx, moduleTarget());
    const [mod, hooks, simple] = await Promise.all([
      startUrl(ctx, agentTarget({ moduleUrl, role: 'agent-module' })),
      startUrl(ctx, agentTarget({ hooks: true, role: 'agent-hooks' })),
      ctx.smoke ? null : startUrl(ctx, agentTarget({ role: 'agent-simple' })),
    ]);
    return { simple: { url: simple ?? mod }, hooks: { url: hooks }, module: { url: mod } };
  },
  drivers: {
    simple: (env) => sendDriver(env.simple),
    hooks: (env) => sendDriver(env.hooks),
    module: (env) => sendDriver(env.module, { skill: 'module.echo' }),
  },
  run: matrix<Record<string, unknown>, Env>({
    cells: [
      { key: 'simple', driver: 'simple', label: 'simple pipeline' },
      { key: 'hooks', driver: 'hooks', label: 'hooks pipeline' },
      { key: 'module', driver: 'module', label: 'module pipeline' },
    ],
    load: (cell, ctx) => openLoop({ rate: RATE, durationMs: pick(ctx, 8000, 800), warmupMs: pick(ctx, 1000, 200), params: { pipeline: cell.key, rate: RATE } }),
    figures: ['latency'],
    pcts: ['p50', 'p95', 'p99'],
    primary: 'simple',
    failures: 'pipeline_failed',
    derive: (f) => {
      const p50 = (n: string): number => f.metrics[`${n}_p50_ms`]?.value ?? NaN;
      f.value('hooks_overhead_p50_ms', p50('hooks') - p50('simple'), 'ms', 'lower', 'p50 with hooks − p50 simple');
      f.value('module_overhead_p50_ms', p50('module') - p50('simple'), 'ms', 'lower', 'p50 with module − p50 simple (the module RPC round trip)');
    },
  }),
  // Seed 003's targets: simple < 5 ms p95, with module < 10 ms p95, with hooks < 15 ms p95.
  slo: ['simple_p95_ms < 5', 'module_p95_ms < 10', 'hooks_p95_ms < 15', 'pipeline_failed == 0'],
});
