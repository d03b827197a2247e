/**
 * Mixed traffic from 12 concurrent publishers (chat, user joins/leaves, status, media, user
 * counts), each event timed to its commit; and a soak of the same at a steady rate with the
 * service's and the server's RSS and heap slopes.
 */
import { defineScenario, openLoop, processMetrics, type ScenarioContext } from '@wirebench/kit';
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

/** Minutes of soak in a full run: long enough for a slope per hour to mean something, short enough to run often. */
function soakMinutes(ctx: { params: Readonly<Record<string, string>> }): number {
  const set = Number(ctx.params.soakMinutes);
  return Number.isFinite(set) && set > 0 ? set : 3;
}

export const soak = defineScenario<Env>({
  name: 'soak',
  description: `mixed events at 200/s for 3 min by default (--set soakMinutes=N; smoke: 3 s): RSS and heap slopes of the service and nats-server`,
  transport: 'nats',
  setup: (ctx) => setup(ctx),
  driver: (env) => eventDriver({ url: env.url, delivery: 'core', via: 'bus', events: 'mixed', clients: PUBLISHERS }),
  load: (ctx) => openLoop({ rate: 200, durationMs: ctx.smoke ? 3000 : soakMinutes(ctx) * 60_000, warmupMs: ctx.smoke ? 500 : 10_000, isolate: true }),
  metrics: (result) => processMetrics(result, { slopes: true, roles: ['service', 'nats'] }),
  slo: ['errors == 0'],
  // The seed's < 50 MB/h; a 3 s smoke slope is noise, so only full runs judge it.
  goals: ['rss_slope_mb_per_hour_service < 50', 'rss_slope_mb_per_hour_nats < 50'],
});
