/**
 * binary: payloads over the contract's 10,240-byte threshold sent as `binary_parameters` versus
 * the same data as a JSON parameter in the Any — two workloads, each pair measured in rotating
 * rounds on one pool: an echo of 32 KiB of random bytes (`binary` → binary_result vs `echo` of
 * base64) and `compute` sum over 8,192 float32 values (32 KiB as bytes vs a JSON list of the same
 * values). Every reply is checked (same bytes back; the exact sum). B/s counts payload bytes sent +
 * received; CPU per call (pool and workers) comes with each arm.
 */
import { closedLoop, defineScenario, rounds, type FigureSpec, type LoadSpec, type ScenarioContext, type Summary } from '@wirebench/kit';
import { binaryDriver } from '../drivers.js';
import { jsonEchoDriver, vectorDriver } from '../payload-drivers.js';
import { address, poolTarget } from '../targets.js';
import { bytesPerSecond } from '../validate.js';

interface Env {
  pool: string;
  /** Payload bytes (`--set kib=N`, default 32): > 10 KiB, the binary_result path. */
  bytes: number;
}

const CONCURRENCY = 2;
const MB_PER_S: FigureSpec = { name: 'mb_per_s', unit: 'MB/s', better: 'higher', of: (s: Summary) => bytesPerSecond(s) / 1e6 };

const load = (ctx: ScenarioContext): LoadSpec => closedLoop({ concurrency: CONCURRENCY, durationMs: ctx.smoke ? 1000 : 5000, warmupMs: ctx.smoke ? 300 : 1000, timeoutMs: 10_000 });

function run(ctx: ScenarioContext, env: Env) {
  const kib = env.bytes / 1024;
  const l = () => load(ctx);
  return rounds<Env>({
    arms: [
      { name: 'binary_echo', driver: 'binaryEcho', load: l },
      { name: 'json_echo', driver: 'jsonEcho', load: l },
      { name: 'binary_vector', driver: 'binaryVector', load: l },
      { name: 'json_vector', driver: 'jsonVector', load: l },
    ],
    rounds: { full: 5, smoke: 1 },
    figures: ['rps', 'p50', 'p99', MB_PER_S],
    ratios: [
      { name: 'binary_vs_json_echo', of: 'binary_echo', to: 'json_echo', note: `${kib} KiB echoed: binary_parameters/binary_result ÷ base64 in a JSON Any, calls/s` },
      { name: 'binary_vs_json_vector', of: 'binary_vector', to: 'json_vector', note: `compute sum over ${env.bytes / 4} float32: binary_parameters ÷ a JSON list, calls/s` },
      { name: 'binary_vs_json_vector_p50', of: 'binary_vector', to: 'json_vector', figure: 'p50', note: `compute sum over ${env.bytes / 4} float32: binary ÷ JSON, p50 latency` },
    ],
    failures: 'binary_failures',
  })(ctx, env);
}

export const binary = defineScenario<Env>({
  name: 'binary',
  description: '> 10 KiB payloads as binary_parameters vs JSON in the Any: echo of 32 KiB and a float32 vector sum, rounds',
  async setup(ctx) {
    const pool = await ctx.processes.start(await poolTarget('pool', { size: 2, startup: 'concurrent' }));
    return { pool: address(pool), bytes: Math.round(Number(ctx.params.kib ?? 32) * 1024 / 4) * 4 };
  },
  drivers: {
    binaryEcho: (env) => binaryDriver(env.pool, env.bytes),
    jsonEcho: (env) => jsonEchoDriver(env.pool, env.bytes),
    binaryVector: (env) => vectorDriver(env.pool, env.bytes / 4, 'binary'),
    jsonVector: (env) => vectorDriver(env.pool, env.bytes / 4, 'json'),
  },
  run,
  slo: ['binary_failures == 0'],
  goals: ['binary_vs_json_echo >= 1', 'binary_vs_json_vector >= 1'],
});
