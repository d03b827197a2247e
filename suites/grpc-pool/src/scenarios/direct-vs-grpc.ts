/**
 * direct-vs-grpc: the legacy direct protocol (one stdio worker, 4-byte frames, msgpack) beside
 * gRPC workers, the same compiled worker-main under plain node on both sides, in one run:
 * start-up (spawn → ready to take a request, one worker per operation; rounds) and per-request
 * cost (`ping`, one call at a time: to a stdio worker, straight to a pool worker over gRPC, and
 * through the pool's front; rounds). CPU per call: the gRPC arms' from the kit (pool + workers);
 * the stdio worker is the generator's child, not a target, so its CPU is read from /proc by its
 * driver (stdio_cpu_us_per_op).
 */
import { chain, closedLoop, defineScenario, rounds, type LoadSpec, type RunOutput, type ScenarioContext } from '@wirebench/kit';
import { grpcWorkerStartDriver, stdioStartDriver } from '../direct-drivers.js';
import { pingDriver, stdioCpu, stdioDriver } from '../drivers.js';
import { address, poolEvents, poolTarget, workerAddress, workerCommand, workerSession } from '../targets.js';

interface Env {
  /** [node, compiled worker-main]. */
  command: string[];
  pool: string;
  worker: string;
  workerSession: string;
}

/** `count` workers started one after another (each operation waits for its worker to be ready). */
function starts(count: number): LoadSpec {
  return { timeoutMs: 30_000, stages: [{ name: 'start', model: 'closed', concurrency: 1, count, durationMs: 120_000 }] };
}

/** One call at a time (no queueing: each call's own cost), warm-up first. */
const oneAtATime = (ctx: ScenarioContext): LoadSpec => closedLoop({ concurrency: 1, durationMs: ctx.smoke ? 1000 : 5000, warmupMs: ctx.smoke ? 300 : 1000, timeoutMs: 10_000 });

/**
 * The stdio arm's CPU per call is its worker's (from its driver, /proc): the kit's figure for that
 * arm counts the targets — the idle pool — since the stdio worker is the generator's child. The
 * start-up arms' kit CPU figures are dropped for the same reason (the workers they start are the
 * generator's children; only the pool's side of a gRPC worker's connection test would be in them).
 * Also the seed's figures, gRPC minus direct, per request and per start (same run).
 */
function ownFigures(out: RunOutput): RunOutput {
  const metrics = { ...(out.metrics ?? {}) };
  delete metrics.stdio_start_cpu_us_per_op;
  delete metrics.grpc_start_cpu_us_per_op;
  delete metrics.stdio_cpu_us_per_op;
  const calls = stdioCpu.reduce((a, x) => a + x.calls, 0);
  const cpuS = stdioCpu.reduce((a, x) => a + x.cpuS, 0);
  if (calls > 0) {
    const us = (s: number, n: number) => Math.round(((s * 1e6) / n) * 100) / 100;
    metrics.stdio_cpu_us_per_op = {
      value: us(cpuS, calls), unit: 'µs/op', better: 'lower', samples: stdioCpu.map((x) => (x.calls ? us(x.cpuS, x.calls) : 0)),
      note: `the stdio worker's CPU (/proc utime+stime, 10 ms ticks) per call over ${calls} calls, its warm-up calls included on both sides; samples: per round`,
    };
  }
  // The seed's own terms: gRPC costs ~0.5-1 ms more per request and ~50-100 ms more per worker start than direct.
  const diff = (name: string, a: string, b: string, note: string) => {
    const x = metrics[a]?.value;
    const y = metrics[b]?.value;
    if (x !== undefined && y !== undefined && x >= 0 && y >= 0) metrics[name] = { value: Math.round((x - y) * 1000) / 1000, unit: 'ms', better: 'lower', note };
  };
  diff('grpc_worker_minus_stdio_p50_ms', 'grpc_worker_p50_ms', 'stdio_p50_ms', 'ping one at a time: p50 straight to a gRPC worker − p50 to a stdio worker (medians over rounds, same run)');
  diff('grpc_minus_stdio_start_ms', 'grpc_start_p50_ms', 'stdio_start_p50_ms', 'one worker\'s start-up: gRPC p50 − stdio p50 (medians over rounds, same run)');
  return { ...out, metrics };
}

function run(ctx: ScenarioContext, env: Env) {
  stdioCpu.length = 0;
  const count = ctx.smoke ? 3 : 10;
  const l = () => oneAtATime(ctx);
  return chain<Env>([
    rounds<Env>({
      arms: [
        { name: 'stdio_start', driver: 'stdioStart', load: starts(count) },
        { name: 'grpc_start', driver: 'grpcStart', load: starts(count) },
      ],
      rounds: { full: 5, smoke: 1 },
      figures: ['p50', 'p99'],
      ratios: [{ name: 'grpc_vs_stdio_start', of: 'grpc_start', to: 'stdio_start', figure: 'p50', better: 'none', note: 'one worker\'s start-up, gRPC (spawn → READY → Ping answered) ÷ stdio (spawn → negotiation answered), p50' }],
      failures: 'start_failures',
    }),
    rounds<Env>({
      arms: [
        { name: 'stdio', driver: 'stdio', load: l },
        { name: 'grpc_worker', driver: 'grpcWorker', load: l },
        { name: 'pool', driver: 'pool', load: l },
      ],
      rounds: { full: 5, smoke: 1 },
      figures: ['rps', 'p50', 'p99'],
      ratios: [
        { name: 'grpc_worker_vs_stdio', of: 'grpc_worker', to: 'stdio', figure: 'p50', note: 'ping, one call at a time: straight to a gRPC worker ÷ a stdio worker, p50' },
        { name: 'pool_vs_stdio', of: 'pool', to: 'stdio', figure: 'p50', note: 'ping, one call at a time: through the pool\'s front (two gRPC hops) ÷ a stdio worker, p50' },
      ],
      measurement: 'grpc_worker',
      failures: 'request_failures',
    }),
  ])(ctx, env).then(ownFigures);
}

export const directVsGrpc = defineScenario<Env>({
  name: 'direct-vs-grpc',
  description: 'Legacy stdio direct protocol vs gRPC workers: start-up and per-request cost (ping, one at a time), same run, rounds',
  async setup(ctx) {
    const pool = await ctx.processes.start(await poolTarget('pool', { size: 1, startup: 'concurrent', events: 'on' }));
    const events = poolEvents(pool);
    return { command: await workerCommand(), pool: address(pool), worker: workerAddress(events, 'worker_1'), workerSession: workerSession('worker_1') };
  },
  drivers: {
    stdioStart: (env) => stdioStartDriver(env.command),
    grpcStart: (env) => grpcWorkerStartDriver(env.command, env.pool),
    stdio: (env) => stdioDriver(env.command),
    grpcWorker: (env) => pingDriver(env.worker, { sessionId: env.workerSession }),
    pool: (env) => pingDriver(env.pool),
  },
  run,
  slo: ['start_failures == 0', 'request_failures == 0'],
  goals: ['grpc_worker_minus_stdio_p50_ms <= 1', 'grpc_minus_stdio_start_ms <= 100'],
});
