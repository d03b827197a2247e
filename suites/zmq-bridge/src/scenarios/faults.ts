import { defineScenario, pick, type FaultAction, type LoadSpec, type ScenarioContext } from '@wirebench/kit';
import { computeDriver } from '../drivers.js';
import { faultFigures } from '../recovery-figures.js';
import { startBridge } from '../targets.js';

type Env = { endpoint: string; timeoutMs: number; retries: number };

const RATE = 200;
const STALL_MS = 3000;

interface Fault {
  /** Stage name, and the `<name>` of its metrics (`recovery_<name>_ms`, …). */
  name: string;
  what: string;
  action: FaultAction;
  /** The goal (issue 4 / the seed), ms. */
  goalMs: number;
  inSmoke: boolean;
}

const FAULTS: readonly Fault[] = [
  { name: 'worker_kill', what: 'kill -9 worker-1, then restart it', action: [{ kill: 'worker-1' }, { restart: 'worker-1' }], goalMs: 3500, inSmoke: true },
  { name: 'broker_restart', what: 'restart the broker (SIGTERM, start again on the same ports)', action: { restart: 'broker' }, goalMs: 5000, inSmoke: false },
  { name: 'worker_stall', what: `stall worker-2: CPU busy ${STALL_MS} ms (SIGUSR2), no heartbeats, no replies`, action: { signal: 'SIGUSR2', role: 'worker-2' }, goalMs: 5000, inSmoke: false },
];

const faultsFor = (ctx: Pick<ScenarioContext, 'smoke'>): Fault[] => FAULTS.filter((f) => !ctx.smoke || f.inSmoke);

/** Warm-up, a baseline (the normal bound's p99), then one stage per fault: the fault early, the rest for recovery plus a quiet second. */
export function faultLoad(ctx: Pick<ScenarioContext, 'smoke'>, env: Pick<Env, 'timeoutMs' | 'retries'>): LoadSpec {
  const list = faultsFor(ctx);
  return {
    trace: true,
    // Past the client's whole retry budget: what the kit times out, the client never finished.
    timeoutMs: env.timeoutMs * env.retries + 2000,
    params: { floats: 1000, codec: 'raw', rate: RATE, clientTimeoutMs: env.timeoutMs, clientRetries: env.retries, faults: list.map((f) => f.what) },
    stages: [
      { name: 'warmup', model: 'open', rate: RATE, durationMs: pick(ctx, 1000, 300), warmup: true },
      { name: 'baseline', model: 'open', rate: RATE, durationMs: pick(ctx, 3000, 1000) },
      ...list.map((f) => ({ name: f.name, model: 'open' as const, rate: RATE, durationMs: pick(ctx, 10_000, 5000), faults: [{ atMs: pick(ctx, 1500, 800), action: f.action }] })),
    ],
  };
}

export const faults = defineScenario<Env>({
  name: 'faults',
  description: `broker + 2 workers (heartbeat 1 s, liveness 3) under a ${RATE}/s open loop of 1K floats (raw), one stage per fault: kill -9 a worker, restart the broker, stall a worker (smoke: the kill only); recovery time, retried, lost, abandoned, duplicate replies`,
  setup: async (ctx) => {
    const b = await startBridge(ctx, 2, { fixedPorts: true, heartbeatMs: 1000, liveness: 3, stallSignalMs: STALL_MS });
    // The Lazy Pirate defaults (2.5 s per attempt); 4 sends give 10 s of retries, past every recovery goal.
    return { endpoint: b.frontend, timeoutMs: Number(ctx.params.faultTimeoutMs ?? 2500), retries: Number(ctx.params.faultRetries ?? 4) };
  },
  driver: (env) => computeDriver({ endpoint: env.endpoint, n: 1000, format: 'raw', timeoutMs: env.timeoutMs, retries: env.retries }),
  run: async (ctx, env) => {
    const m = await ctx.measure(faultLoad(ctx, env));
    const f = faultFigures(m, Object.fromEntries(FAULTS.map((x) => [x.name, x.what])));
    return { measurement: m, ...f };
  },
  goals: (ctx) => faultsFor(ctx).map((f) => `recovery_${f.name}_ms <= ${f.goalMs}`),
  slo: ['lost == 0', 'lost_with_retries_left == 0', 'abandoned == 0', 'errors <= 0.1%'],
});
