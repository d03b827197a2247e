/** Sustained mixed load and a spike, open loop (seed 002's load test and seed 003's spike test). */
import { defineScenario, openLoop, pick as dur, spike as spikeLoad } from '@wirebench/kit';
import { mixedDriver, sendDriver, type HttpEnv } from '../drivers.js';
import { agentTarget, CPU_PLAN, startUrl } from '../targets.js';

/** The seed's sustained rate (locust: 1000 RPS); fixed so runs compare. */
const LOAD_RATE = 1000;

export const load = defineScenario<HttpEnv>({
  name: 'load',
  cpus: CPU_PLAN,
  description: `mixed workload task requests : manifest : metrics = 10 : 2 : 1 (by op.seq), open loop ${LOAD_RATE}/s, 60 s`,
  setup: async (ctx) => ({ url: await startUrl(ctx, agentTarget()), connections: 32 }),
  driver: (env) => mixedDriver(env),
  load: (ctx) => openLoop({ rate: LOAD_RATE, durationMs: dur(ctx, 60_000, 2000), warmupMs: dur(ctx, 2000, 300), isolate: true, params: { mix: 'send:manifest:metrics=10:2:1', rate: LOAD_RATE } }),
  // The seed's verification: RPS ≥ 800, p95 ≤ 5 ms, error rate ≤ 0.1 %.
  slo: ['throughput >= 800/s', 'p95 <= 5ms', 'errors <= 0.1%', 'rate_error <= 1%'],
});

const SPIKE_BASE = 300;

export const spike = defineScenario<HttpEnv>({
  name: 'spike',
  cpus: CPU_PLAN,
  description: `asap.send open loop ${SPIKE_BASE}/s → ${SPIKE_BASE * 5}/s (5×) → ${SPIKE_BASE}/s; every request must be answered correctly`,
  setup: async (ctx) => ({ url: await startUrl(ctx, agentTarget()), connections: 64 }),
  driver: (env) => sendDriver(env),
  load: (ctx) =>
    spikeLoad({ base: SPIKE_BASE, peak: SPIKE_BASE * 5, baseMs: dur(ctx, 5000, 700), spikeMs: dur(ctx, 5000, 700), warmupMs: dur(ctx, 1000, 300), params: { base: SPIKE_BASE, peak: SPIKE_BASE * 5 } }),
  // Seed 003: "spike handling: no dropped requests" — nothing unsent, lost, failed or timed out.
  slo: ['dropped == 0', 'lost == 0', 'errors == 0'],
});
