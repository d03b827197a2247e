import { closedLoop, cross, defineScenario, matrix, openLoop, pick, rounds, type Driver } from '@wirebench/kit';
import { chain } from '@wirebench/kit';
import { computeDriver, type Codec } from '../drivers.js';
import { startBridge, startDirect } from '../targets.js';

type Env = { broker: string; direct: string };
type CellParams = { floats: number; codec: Codec; workers: number };

const SIZES = [
  { label: '1k', n: 1000 },
  { label: '10k', n: 10_000 },
  { label: '100k', n: 100_000 },
] as const;
const CODECS: readonly Codec[] = ['json', 'msgpack', 'raw'];

/** The goal's load: 1K floats, raw, 1,000/s open loop, through the broker and straight to the direct server. */
export const GOAL_RATE = 1000;

/**
 * Open-loop rates per size and codec: well under each combination's sequential capacity on this
 * 2-core machine (measured), so the figures are latency at a steady load, not a backlog.
 * 1K raw is measured in the goal's rounds instead.
 */
const OPEN_RATE: Record<string, number> = {
  '1k_json': 100, '1k_msgpack': 250,
  '10k_json': 25, '10k_msgpack': 100, '10k_raw': 150,
  '100k_json': 3, '100k_msgpack': 8, '100k_raw': 40,
};

const cells = cross({ size: SIZES, codec: CODECS }, ({ size, codec }) => ({
  key: `${size.label}_${codec}`,
  driver: `${size.label}_${codec}`,
  params: { floats: size.n, codec, workers: 2 } satisfies CellParams,
  label: `${size.n} floats, ${codec}`,
  // Smoke: every codec at 1K, raw at 10K/100K (100K JSON alone costs ~0.1 s a request).
  smoke: size.n === 1000 || codec === 'raw',
}));

const drivers: Record<string, (env: Env) => Driver<any>> = { direct: (env) => computeDriver({ endpoint: env.direct, n: 1000, format: 'raw' }) };
for (const s of SIZES) for (const c of CODECS) drivers[`${s.label}_${c}`] = (env) => computeDriver({ endpoint: env.broker, n: s.n, format: c });

/** Every size × codec through the broker: sequential (1 in flight) and open loop (information). */
const grid = matrix<CellParams, Env>({
  cells,
  loads: [
    {
      key: 'seq',
      label: 'sequential',
      load: (cell, ctx) => closedLoop({ concurrency: 1, durationMs: pick(ctx, cell.params!.floats >= 100_000 ? 5000 : 4000, 400), warmupMs: pick(ctx, 500, 100) }),
    },
    {
      key: 'open',
      label: 'open loop',
      smoke: false,
      load: (cell, ctx) => {
        const rate = OPEN_RATE[cell.key];
        if (rate === undefined) return null;
        return openLoop({ rate, durationMs: pick(ctx, cell.params!.floats >= 100_000 ? 6000 : 4000, 1500), warmupMs: pick(ctx, 500, 300), params: { rate } });
      },
    },
  ],
  failures: 'grid_failed_ops',
});

const goalLoad = (ctx: { smoke: boolean }) => openLoop({ rate: GOAL_RATE, durationMs: pick(ctx, 6000, 1500), warmupMs: pick(ctx, 500, 300), params: { floats: 1000, codec: 'raw', rate: GOAL_RATE } });

/** The goal: broker and direct at the same rate, alternating, each round's ratio from adjacent measurements. */
const goal = rounds<Env>({
  arms: [
    { name: '1k_raw_open', label: `broker + 2 workers, 1K raw at ${GOAL_RATE}/s`, driver: '1k_raw', load: (ctx) => goalLoad(ctx) },
    { name: 'direct_open', label: `direct REQ/REP, 1K raw at ${GOAL_RATE}/s`, driver: 'direct', load: (ctx) => goalLoad(ctx) },
  ],
  rounds: { full: 5, smoke: 2 },
  figures: ['p50', 'p99', 'rps'],
  ratios: [
    { name: 'p99_vs_direct', of: '1k_raw_open', to: 'direct_open', figure: 'p99', note: `p99 of 1K raw at ${GOAL_RATE}/s through the broker ÷ direct REQ/REP p99 at the same rate` },
    { name: 'p50_vs_direct', of: '1k_raw_open', to: 'direct_open', figure: 'p50', note: `p50 of 1K raw at ${GOAL_RATE}/s through the broker ÷ direct REQ/REP p50 at the same rate` },
  ],
  measurement: '1k_raw_open',
  failures: 'goal_failed_ops',
});

export const latency = defineScenario<Env>({
  name: 'latency',
  description: `broker + 2 workers: 1K/10K/100K floats × JSON/MessagePack/raw, sequential and open loop; then the goal in rounds: 1K raw at ${GOAL_RATE}/s through the broker vs the direct REQ/REP server (the floor), alternating; the result is the broker arm`,
  setup: async (ctx) => {
    const { frontend } = await startBridge(ctx, 2);
    return { broker: frontend, direct: await startDirect(ctx) };
  },
  drivers,
  run: chain([grid, goal]),
  // The goals, each against the floor measured beside it; CPU per request comes as cpu_us_per_op_broker.
  goals: ['p99_vs_direct <= 1.5', 'p50_vs_direct <= 2'],
  // The seed's SLOs, on the broker arm.
  slo: ['p99 <= 50ms', 'throughput >= 100/s', 'errors <= 0.1%'],
});
