/**
 * Latency against its floors, in rounds: publish → committed (the commit signal) beside a bare
 * publish → echo-subscriber → ack of the same shape, and the two queries beside a bare
 * request → echo reply, at 1,000/s (and a high rate: 10,000/s in full runs), open loop.
 */
import { byMode, defineScenario, openLoop, rounds, type LoadSpec, type ScenarioContext } from '@wirebench/kit';
import { eventDriver, requestDriver } from '../drivers.js';
import { startEcho, startNats, startService } from '../targets.js';

interface Env { url: string }

const at = (rate: number | { full: number; smoke: number }) => (ctx: ScenarioContext): LoadSpec =>
  openLoop({ rate: byMode(ctx, rate), durationMs: ctx.smoke ? 1500 : 10_000, warmupMs: ctx.smoke ? 500 : 2000, isolate: true });
const HIGH = { full: 10_000, smoke: 2000 };

export const latency = defineScenario<Env>({
  name: 'latency',
  description: 'publish→committed and request/reply vs bare NATS floors (pub→echo→ack, request→echo), 1,000/s and high rate, rounds',
  transport: 'nats',
  async setup(ctx) {
    const { url } = await startNats(ctx, 'nats', false);
    await startService(ctx, { url, delivery: 'core', commit: 'each', needsOwnDb: true });
    await startEcho(ctx, url);
    return { url };
  },
  drivers: {
    committed: (env) => eventDriver({ url: env.url, delivery: 'core', via: 'bus' }),
    pubsub: (env) => eventDriver({ url: env.url, delivery: 'core', via: 'floor' }),
    outbound: (env) => requestDriver({ url: env.url, query: 'outbound' }),
    recent: (env) => requestDriver({ url: env.url, query: 'recent' }),
    echo: (env) => requestDriver({ url: env.url, query: 'echo' }),
  },
  run: rounds<Env>({
    rounds: { full: 5, smoke: 1 },
    arms: [
      { name: 'committed', driver: 'committed', load: (ctx) => at(1000)(ctx) },
      { name: 'pubsub', driver: 'pubsub', load: (ctx) => at(1000)(ctx) },
      { name: 'outbound', driver: 'outbound', load: (ctx) => at(1000)(ctx) },
      { name: 'recent', driver: 'recent', load: (ctx) => at(1000)(ctx) },
      { name: 'echo', driver: 'echo', load: (ctx) => at(1000)(ctx) },
      { name: 'committed_hi', label: 'committed at the high rate', driver: 'committed', load: (ctx) => at(HIGH)(ctx) },
      { name: 'pubsub_hi', label: 'pubsub at the high rate', driver: 'pubsub', load: (ctx) => at(HIGH)(ctx) },
    ],
    figures: ['p50', 'p99', 'rps'],
    ratios: [
      { name: 'committed_vs_pubsub_p50', of: 'committed', to: 'pubsub', figure: 'p50' },
      { name: 'outbound_vs_echo_p99', of: 'outbound', to: 'echo', figure: 'p99' },
      { name: 'recent_vs_echo_p99', of: 'recent', to: 'echo', figure: 'p99' },
      { name: 'committed_hi_vs_pubsub_hi_p50', of: 'committed_hi', to: 'pubsub_hi', figure: 'p50' },
    ],
    failures: 'failures',
  }),
  slo: ['failures == 0'],
  goals: ['committed_vs_pubsub_p50 <= 3', 'outbound_vs_echo_p99 <= 1.5', 'recent_vs_echo_p99 <= 1.5'],
});
