/**
 * Mixed traffic from 12 concurrent publishers (chat, user joins/leaves, status, media, user
 * counts), each event timed to its commit (the soak of the same traffic: soak.ts).
 */
import { defineScenario, openLoop, type ScenarioContext } from '@wirebench/kit';
import { eventDriver } from '../drivers.js';
import { startNats, startService } from '../targets.js';

const PUBLISHERS = 12;
interface Env { url: string }

async function setup(ctx: ScenarioContext): Promise<Env> {
  const { url } = await startNats(ctx, 'nats', false);
  await startService(ctx, { url, delivery: 'core', commit: 'each' });
  return { url };
}

export const mixed = defineScenario<Env>({
  name: 'mixed',
  description: `${PUBLISHERS} publishers of chat/user/status/media/stats events, 500/s open loop, publish → committed`,
  transport: 'nats',
  setup: (ctx) => setup(ctx),
  driver: (env) => eventDriver({ url: env.url, delivery: 'core', via: 'bus', events: 'mixed', clients: PUBLISHERS }),
  load: (ctx) => openLoop({ rate: 500, durationMs: ctx.smoke ? 2000 : 30_000, warmupMs: ctx.smoke ? 500 : 2000, isolate: true }),
  // The seed: ≥ 100 events/s mixed, under 10 ms on average with 10+ publishers; every event stored.
  slo: ['errors == 0', 'throughput >= 100/s', 'mean < 10ms'],
});
