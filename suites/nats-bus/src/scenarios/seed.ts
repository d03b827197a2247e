/**
 * The seed's own test, done for real: chat events at 100/s on the original configuration (core
 * delivery, one transaction per event), each timed from publish to the commit signal naming it.
 */
import { defineScenario, openLoop } from '@wirebench/kit';
import { eventDriver } from '../drivers.js';
import { startNats, startService } from '../targets.js';

export const seed = defineScenario<{ url: string }>({
  name: 'seed',
  description: 'publish → SQLite commit (commit signal) at 100/s, core delivery, commit each: the original test\'s intent',
  transport: 'nats',
  async setup(ctx) {
    const { url } = await startNats(ctx, 'nats', false);
    await startService(ctx, { url, delivery: 'core', commit: 'each' });
    return { url };
  },
  driver: (env) => eventDriver({ url: env.url, delivery: 'core', via: 'bus' }),
  load: (ctx) => openLoop({ rate: 100, durationMs: ctx.smoke ? 3000 : 30_000, warmupMs: ctx.smoke ? 500 : 2000, isolate: true }),
  // The contract's own targets: under 5 ms per event on average, p95 under 10 ms; every event stored.
  slo: ['mean < 5ms', 'p95 < 10ms', 'errors == 0', 'lost == 0', 'throughput >= 95/s'],
});
