import { setTimeout as sleep } from 'node:timers/promises';
import { closedLoop, cross, defineScenario, matrix, pick, rounds, type Metric, type ScenarioContext } from '@wirebench/kit';
import { chain } from '@wirebench/kit';
import { computeDriver } from '../drivers.js';
import { startBridge, startDirect, workerTarget } from '../targets.js';

type Env = { endpoint: string; backend: string; direct: string };

const N = 1000;
const N_CLIENTS = 4;
const PIPELINE = 32;
/** In flight on the shared-socket client: enough to keep both workers' credits busy. */
const SHARED_PIPELINE = 64;
/** Credits per worker in the last phase: enough for ZeroMQ to batch, few enough to keep LRU meaningful. */
const CAPACITY = 16;
const HEARTBEAT_MS = 1000;
const LIVENESS = 3;

/** Client shapes, each a closed loop. */
const SHAPES = [
  { key: 'c1', driver: 'single', concurrency: 1, what: '1 client, 1 in flight', smoke: true },
  { key: `clients${N_CLIENTS}`, driver: 'clients', concurrency: N_CLIENTS, what: `${N_CLIENTS} clients, 1 in flight each`, smoke: false },
  { key: 'pipelined', driver: 'pipelined', concurrency: PIPELINE, what: `1 client, ${PIPELINE} in flight (a DEALER each)`, smoke: false },
  { key: 'shared', driver: 'shared', concurrency: SHARED_PIPELINE, what: `1 client, ${SHARED_PIPELINE} in flight (one shared DEALER)`, smoke: true },
] as const;

/** Worker set-ups in turn; every shape runs on each. */
const PHASES = [
  { key: 'w1', workers: 1, capacity: 1, what: '1 worker (ppworker: 1 request at a time)' },
  { key: 'w2', workers: 2, capacity: 1, what: '2 workers (ppworker: 1 request at a time)' },
  { key: `w2cap${CAPACITY}`, workers: 2, capacity: CAPACITY, what: `2 workers, ${CAPACITY} requests each at a time (READY ×${CAPACITY})` },
] as const;

type CellParams = { floats: number; codec: 'raw'; workers: number; capacity: number; shape: string; concurrency: number };

const cells = cross({ phase: PHASES, shape: SHAPES }, ({ phase, shape }) => ({
  key: `${phase.key}_${shape.key}`,
  driver: shape.driver,
  label: `${phase.what}, ${shape.what}`,
  params: { floats: N, codec: 'raw' as const, workers: phase.workers, capacity: phase.capacity, shape: shape.what, concurrency: shape.concurrency },
  smoke: shape.smoke,
}));

/**
 * Brings the running workers to a phase's set-up. Workers only ever get added, except when the
 * credits change: PPP has no goodbye, so the broker forgets a stopped worker only when it expires
 * and until then hands it requests that are lost; that wait happens here, before any measurement.
 */
function workersFor(): (phase: { workers: number; capacity: number }, ctx: ScenarioContext, env: Env) => Promise<void> {
  let capacity = 1;
  let next = 2; // worker-1 comes with the bridge
  return async (phase, ctx, env) => {
    const live = () => ctx.processes.targets.filter((t) => t.role.startsWith('worker-') && !t.exitInfo);
    if (phase.capacity !== capacity) {
      await Promise.all(live().map((w) => w.stop()));
      await sleep(HEARTBEAT_MS * LIVENESS + 500);
      capacity = phase.capacity;
    }
    const o = { heartbeatMs: HEARTBEAT_MS, liveness: LIVENESS, capacity };
    const missing = phase.workers - live().length;
    if (missing > 0) await ctx.processes.startAll(Array.from({ length: missing }, () => workerTarget(env.backend, next++, o)));
  };
}

const grid = (): ReturnType<typeof matrix<CellParams, Env>> => {
  const toPhase = workersFor();
  return matrix<CellParams, Env>({
    cells,
    before: (cell, ctx, env) => toPhase(cell.params!, ctx, env),
    load: (cell, ctx) => closedLoop({ concurrency: cell.params!.concurrency, durationMs: pick(ctx, 5000, 600), warmupMs: pick(ctx, 500, 150) }),
    ratios: [{ name: 'workers_2_vs_1', of: 'w2_pipelined_rps', to: 'w1_pipelined_rps', note: `pipelined (${PIPELINE} in flight, a DEALER each) with 2 ppworker-exact workers ÷ with 1` }],
    failures: 'grid_failed_ops',
  });
};

/**
 * The goal in rounds: direct sequential REQ/REP and the best set-up (2 credited workers, the
 * shared-DEALER client), adjacent and alternating; the grid's last phase left that set-up running.
 */
const goal = rounds<Env>({
  arms: [
    { name: 'goal', label: `2 workers × ${CAPACITY} credits, 1 client, ${SHARED_PIPELINE} in flight on one shared DEALER`, driver: 'shared', load: (ctx) => closedLoop({ concurrency: SHARED_PIPELINE, durationMs: pick(ctx, 3000, 600), warmupMs: pick(ctx, 300, 150), params: { floats: N, codec: 'raw', workers: 2, capacity: CAPACITY } }) },
    { name: 'direct_seq', label: 'direct REQ/REP, sequential', driver: 'direct', load: (ctx) => closedLoop({ concurrency: 1, durationMs: pick(ctx, 3000, 600), warmupMs: pick(ctx, 300, 150), params: { floats: N, codec: 'raw', path: 'direct' } }) },
  ],
  rounds: { full: 5, smoke: 2 },
  ratios: [{ name: 'goal_vs_direct_seq', of: 'goal', to: 'direct_seq', note: `2 workers with ${CAPACITY} credits each, 1 client with ${SHARED_PIPELINE} in flight on one shared DEALER ÷ direct sequential REQ/REP (goal ≥ 3)` }],
  failures: 'goal_failed_ops',
});

/** Each pipelined 2-worker set-up of the grid against the rounds' direct rate: measured minutes apart, so machine drift is in them (information only). */
function vsDirect(m: Readonly<Record<string, Metric>>): Record<string, Metric> {
  const direct = m.direct_seq_rps?.value;
  const out: Record<string, Metric> = {};
  if (!direct || direct <= 0) return out;
  const configs = [
    ['pipelined_vs_direct_seq', 'w2_pipelined_rps'],
    ['shared_vs_direct_seq', 'w2_shared_rps'],
    [`cap${CAPACITY}_pipelined_vs_direct_seq`, `w2cap${CAPACITY}_pipelined_rps`],
    [`cap${CAPACITY}_shared_vs_direct_seq`, `w2cap${CAPACITY}_shared_rps`],
  ] as const;
  for (const [name, rps] of configs) {
    const v = m[rps]?.value;
    if (v !== undefined) out[name] = { value: Math.round((v / direct) * 1000) / 1000, unit: 'x', better: 'higher', note: `${rps} ÷ direct_seq_rps (measured minutes apart: machine drift included; the goal is goal_vs_direct_seq)` };
  }
  return out;
}

export const throughput = defineScenario<Env>({
  name: 'throughput',
  description: `broker, 1K floats raw, closed loop: 1 client vs ${N_CLIENTS} clients vs 1 pipelined client (${PIPELINE} in flight, a DEALER each; ${SHARED_PIPELINE} on one shared DEALER), with 1 worker, 2 workers, then 2 workers holding ${CAPACITY} credits each; then the goal in rounds: the shared-DEALER client on the last set-up vs direct sequential REQ/REP; the result is the goal arm`,
  setup: async (ctx) => {
    const b = await startBridge(ctx, 1, { heartbeatMs: HEARTBEAT_MS, liveness: LIVENESS });
    return { endpoint: b.frontend, backend: b.backend, direct: await startDirect(ctx) };
  },
  drivers: {
    direct: (env) => computeDriver({ endpoint: env.direct, n: N, format: 'raw' }),
    single: (env) => computeDriver({ endpoint: env.endpoint, n: N, format: 'raw' }),
    clients: (env) => computeDriver({ endpoint: env.endpoint, n: N, format: 'raw', clients: N_CLIENTS }),
    pipelined: (env) => computeDriver({ endpoint: env.endpoint, n: N, format: 'raw', maxInFlight: PIPELINE }),
    shared: (env) => computeDriver({ endpoint: env.endpoint, n: N, format: 'raw', maxInFlight: SHARED_PIPELINE, sockets: 'shared' }),
  },
  // A fresh grid per run: it keeps which worker set-up is up.
  run: (ctx, env) => chain([grid(), goal], { derive: vsDirect })(ctx, env),
  goals: ['goal_vs_direct_seq >= 3'],
  slo: ['throughput >= 100/s', 'errors <= 0.1%'],
});
