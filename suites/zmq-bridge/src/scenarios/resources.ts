import { defineScenario, openLoop, pick, processMetrics } from '@wirebench/kit';
import { computeDriver } from '../drivers.js';
import { startBridge } from '../targets.js';

/** Half the broker path's capacity on this machine (~1,000/s pipelined): resource use at a load it sustains. */
const RATE = 500;

export const resources = defineScenario<{ endpoint: string }>({
  name: 'resources',
  description: `broker + 2 workers at a steady ${RATE}/s open loop of 1K floats (raw): CPU, RSS, event-loop delay and GC of the generator (client), the broker and each worker`,
  setup: async (ctx) => ({ endpoint: (await startBridge(ctx, 2)).frontend }),
  driver: (env) => computeDriver({ endpoint: env.endpoint, n: 1000, format: 'raw' }),
  load: (ctx) => openLoop({ rate: RATE, durationMs: pick(ctx, 15_000, 1500), warmupMs: pick(ctx, 1000, 300), params: { floats: 1000, codec: 'raw', workers: 2 } }),
  metrics: (r) => processMetrics(r),
  slo: ['errors <= 0.1%', 'rate_error <= 5%'],
});
