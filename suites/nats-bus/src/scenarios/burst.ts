/**
 * 1,000 events at once (a closed loop of 1,000 slots, one event each): how many get stored, and
 * the time until the last is committed (the slowest operation: all start together). Core and
 * jetstream delivery, commit each (the original), each on its own nats-server.
 */
import { defineScenario, matrix } from '@wirebench/kit';
import { eventDriver } from '../drivers.js';
import { burstFigures } from '../figures.js';
import { serviceOf, startServiceSet, type ServiceSet } from '../services.js';
import type { Delivery } from '../targets.js';

export const BURST = 1000;

export const burst = defineScenario<ServiceSet>({
  name: 'burst',
  description: `${BURST} events published at once → stored %, time until the last is committed (core and jetstream)`,
  transport: 'nats',
  setup: (ctx) => startServiceSet(ctx, [{ delivery: 'core', commit: 'each' }, { delivery: 'jetstream', commit: 'each' }]),
  drivers: {
    core: (env) => eventDriver({ url: serviceOf(env, 'core', 'each').url, delivery: 'core', via: 'bus' }),
    jetstream: (env) => eventDriver({ url: serviceOf(env, 'jetstream', 'each').url, delivery: 'jetstream', via: 'bus' }),
  },
  run: matrix<{ delivery: Delivery }, ServiceSet>({
    cells: (['core', 'jetstream'] as const).map((d) => ({ key: d, driver: d, params: { delivery: d } })),
    // A warm-up burst first: the first one pays for JIT and the stream's first file.
    load: () => ({ timeoutMs: 20_000, maxInFlight: BURST * 2, stages: [
      { name: 'warmup', model: 'closed', concurrency: 100, count: 100, durationMs: 10_000, warmup: true },
      { name: 'burst', model: 'closed', concurrency: BURST, count: BURST, durationMs: 20_000 },
    ] }),
    figures: ['latency'],
    pcts: ['p50', 'p99'],
    derive(f, runs) {
      for (const r of runs) Object.assign(f.metrics, burstFigures(r.cell.key, r.summary.counts, r.summary.latencyMs.max));
    },
    primary: 'jetstream',
  }),
  // The seed's target (≥ 95 % stored) everywhere; JetStream's contract: all of them.
  slo: ['core_stored_pct >= 95', 'jetstream_stored_pct == 100'],
  goals: ['core_stored_pct == 100'],
});
