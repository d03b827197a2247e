import { closedLoop, defineScenario, pick, rounds, type Arm } from '@wirebench/kit';
import { computeDriver, type Codec } from '../drivers.js';
import { startBridge } from '../targets.js';

type Env = { endpoint: string };
const N = 100_000;
const CODECS: readonly Codec[] = ['json', 'msgpack', 'raw'];
const CONCURRENCY = 2;
/**
 * One generator thread per request in flight: the client's own JSON/MessagePack encoding of 100K
 * floats is part of the cost measured, and on one thread it saturates the generator (invalid run).
 * Smoke keeps to one thread, one in flight: each measurement boots its threads anew (~2 s here).
 */
const GENERATOR_THREADS = 2;

const arm = (c: Codec): Arm<Env> => ({
  name: c,
  label: `100K floats, ${c}`,
  driver: c,
  load: (ctx) => closedLoop({ concurrency: pick(ctx, CONCURRENCY, 1), workers: pick(ctx, GENERATOR_THREADS, 1), durationMs: pick(ctx, 3000, 1000), warmupMs: pick(ctx, 600, 150), params: { floats: N, codec: c, workers: 2 } }),
});

export const codec = defineScenario<Env>({
  name: 'codec',
  description: `broker + 2 workers, 100K floats, closed loop ${CONCURRENCY} in flight (${GENERATOR_THREADS} generator threads): JSON vs MessagePack vs raw float32 frames in alternating rounds (smoke: JSON and raw, 1 in flight); the result is raw`,
  setup: async (ctx) => ({ endpoint: (await startBridge(ctx, 2)).frontend }),
  drivers: Object.fromEntries(CODECS.map((c) => [c, (env: Env) => computeDriver({ endpoint: env.endpoint, n: N, format: c })])),
  // Built per run: smoke leaves MessagePack out (the goal compares raw with JSON).
  run: (ctx, env) =>
    rounds<Env>({
      arms: ctx.smoke ? [arm('raw'), arm('json')] : [arm('raw'), arm('json'), arm('msgpack')],
      rounds: { full: 5, smoke: 1 },
      figures: ['rps', 'p50', 'p99'],
      ratios: [
        { name: 'raw_vs_json', of: 'raw', to: 'json', note: '100K floats: raw throughput ÷ JSON throughput' },
        ...(ctx.smoke ? [] : [{ name: 'raw_vs_msgpack', of: 'raw', to: 'msgpack', note: '100K floats: raw throughput ÷ MessagePack throughput' }]),
      ],
      measurement: 'raw',
      failures: 'failed_ops',
    })(ctx, env),
  goals: ['raw_vs_json >= 5'],
  slo: ['errors <= 0.1%'],
});
