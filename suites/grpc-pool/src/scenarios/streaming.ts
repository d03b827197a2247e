/**
 * streaming: ExecuteStreamingTool `stream` through the pool's front endpoint, one stream at a time.
 * Time to first chunk beside a unary `ping` through the same pool (rounds: what the streaming path
 * adds before data flows), then whole streams of n chunks through the pool beside the same stream
 * straight from one of its workers (rounds: what the pool's relay costs per chunk) — chunks/s and
 * payload bytes/s (Outcome.bytes), every chunk checked (ids in order, data, the final empty chunk).
 */
import { chain, closedLoop, defineScenario, openLoop, rounds, type FigureSpec, type LoadSpec, type ScenarioContext, type Summary } from '@wirebench/kit';
import { firstChunkDriver, pingDriver, streamDriver } from '../drivers.js';
import { address, poolEvents, poolTarget, workerAddress, workerSession } from '../targets.js';
import { bytesPerSecond } from '../validate.js';

interface Env {
  pool: string;
  /** worker_1's own BridgeService, called without the pool. */
  worker: string;
  workerSession: string;
  /** Chunks per stream (plus the final empty one); `--set chunks=N`, default 200. */
  chunks: number;
}

/** One call at a time (no queueing: each call's own cost), warm-up first. */
const oneAtATime = (ctx: ScenarioContext): LoadSpec => closedLoop({ concurrency: 1, durationMs: ctx.smoke ? 1000 : 5000, warmupMs: ctx.smoke ? 300 : 1000, timeoutMs: 10_000 });

const CHUNKS_PER_S = (n: number): FigureSpec => ({ name: 'chunks_per_s', unit: 'chunks/s', better: 'higher', of: (s: Summary) => s.throughput.achieved * (n + 1) });
const BYTES_PER_S: FigureSpec = { name: 'bytes_per_s', unit: 'B/s', better: 'higher', of: (s: Summary) => bytesPerSecond(s) };

/**
 * Time to first chunk cancels every stream after its first chunk: one RST_STREAM per operation. Node's
 * HTTP/2 server (nghttp2's rapid-reset mitigation: a burst of ~1,000 resets, then ~33 a second) closes
 * a session that resets faster, and one call of a full run failed INTERNAL ("Session closed with error
 * code 2") after ~1,000 cancels at ~150/s. So both arms of that pair run open loop at 25/s, below the
 * refill; the whole-stream arms cancel nothing and stay closed loop.
 */
const FIRST_CHUNK_RATE = 25;
const belowResetLimit = (ctx: ScenarioContext): LoadSpec => openLoop({ rate: FIRST_CHUNK_RATE, durationMs: ctx.smoke ? 2000 : 8000, warmupMs: ctx.smoke ? 400 : 1000, timeoutMs: 10_000 });

function run(ctx: ScenarioContext, env: Env) {
  const n = env.chunks;
  const load = () => oneAtATime(ctx);
  const firstLoad = () => belowResetLimit(ctx);
  return chain<Env>([
    rounds<Env>({
      arms: [
        { name: 'first_chunk', driver: 'firstChunk', load: firstLoad },
        { name: 'unary', driver: 'unary', load: firstLoad },
      ],
      rounds: { full: 5, smoke: 1 },
      figures: ['p50', 'p99'],
      ratios: [{ name: 'first_chunk_vs_unary', of: 'first_chunk', to: 'unary', figure: 'p50', note: `time to the first chunk of a ${n}-chunk stream ÷ a unary ping, both through the pool, p50` }],
      failures: 'first_chunk_failures',
    }),
    rounds<Env>({
      arms: [
        { name: 'stream_pool', driver: 'streamPool', load },
        { name: 'stream_worker', driver: 'streamWorker', load },
      ],
      rounds: { full: 5, smoke: 1 },
      figures: ['rps', 'p50', CHUNKS_PER_S(n), BYTES_PER_S],
      ratios: [{ name: 'stream_pool_vs_worker', of: 'stream_pool', to: 'stream_worker', note: `${n}-chunk streams per second through the pool ÷ straight from one of its workers` }],
      failures: 'stream_failures',
    }),
  ])(ctx, env);
}

export const streaming = defineScenario<Env>({
  name: 'streaming',
  description: 'ExecuteStreamingTool stream: time to first chunk vs a unary call, chunks/s and bytes/s through the pool vs straight from a worker (rounds)',
  async setup(ctx) {
    const pool = await ctx.processes.start(await poolTarget('pool', { size: 2, startup: 'concurrent', events: 'on' }));
    const events = poolEvents(pool);
    return { pool: address(pool), worker: workerAddress(events, 'worker_1'), workerSession: workerSession('worker_1'), chunks: Number(ctx.params.chunks ?? 200) };
  },
  drivers: {
    firstChunk: (env) => firstChunkDriver(env.pool, env.chunks),
    unary: (env) => pingDriver(env.pool),
    streamPool: (env) => streamDriver(env.pool, env.chunks),
    streamWorker: (env) => streamDriver(env.worker, env.chunks, { sessionId: env.workerSession }),
  },
  run,
  slo: ['first_chunk_failures == 0', 'stream_failures == 0'],
  goals: ['first_chunk_vs_unary <= 1.5', 'stream_pool_vs_worker >= 0.5'],
});
