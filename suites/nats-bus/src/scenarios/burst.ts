/**
 * 1,000 events at once (a closed loop of 1,000 slots, one event each): how many get stored, and
 * the time until the last is committed (the slowest operation: all start together). Core and
 * jetstream delivery, commit each (the original).
 */
import { closedLoop, defineScenario, matrix, summarizeMeasurement } from '@wirebench/kit';
import { eventDriver } from '../drivers.js';
import { serviceRole, startServiceSet, useService, type ServiceSet } from '../services.js';
import type { Delivery } from '../targets.js';

export const BURST = 1000;

export const burst = defineScenario<ServiceSet>({
  name: 'burst',
  description: `${BURST} events published at once → stored %, time until the last is committed (core and jetstream)`,
  transport: 'nats',
  setup: (ctx) => startServiceSet(ctx, ['each']),
  drivers: {
    core: (env) => eventDriver({ url: env.urls.core, delivery: 'core', via: 'bus' }),
    jetstream: (env) => eventDriver({ url: env.urls.jetstream, delivery: 'jetstream', via: 'bus' }),
  },
  run: matrix<{ delivery: Delivery }, ServiceSet>({
    cells: (['core', 'jetstream'] as const).map((d) => ({ key: d, driver: d, params: { delivery: d } })),
    before: (cell, ctx, env) => useService(ctx, serviceRole(cell.params!.delivery, 'each'), env.roles[cell.params!.delivery]),
    // A warm-up burst first: the first one pays for JIT and the stream's first file.
    load: () => ({ timeoutMs: 20_000, maxInFlight: BURST * 2, stages: [
      { name: 'warmup', model: 'closed', concurrency: 100, count: 100, durationMs: 10_000, warmup: true },
      { name: 'burst', model: 'closed', concurrency: BURST, count: BURST, durationMs: 20_000 },
    ] }),
    figures: ['latency'],
    pcts: ['p50', 'p99'],
    derive(f, runs) {
      for (const r of runs) {
        const c = r.summary.counts;
        f.value(`${r.cell.key}_stored_pct`, c.sent ? ((c.ok + c.retried) / c.sent) * 100 : 0, '%', 'higher', `${r.cell.key}: events whose commit was signalled, of ${c.sent} sent at once`);
        f.value(`${r.cell.key}_drain_ms`, summarizeMeasurement(r.measurement).latencyMs.max, 'ms', 'lower', `${r.cell.key}: burst start → last event committed (slowest operation)`);
      }
    },
    primary: 'jetstream',
  }),
  // The seed's target (≥ 95 % stored) everywhere; JetStream's contract: all of them.
  slo: ['core_stored_pct >= 95', 'jetstream_stored_pct == 100'],
  goals: ['core_stored_pct == 100'],
});
