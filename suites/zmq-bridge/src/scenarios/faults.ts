import { performance } from 'node:perf_hooks';
import { defineScenario, Figures, pick as dur, type ScenarioContext, type StageInput } from '@wirebench/kit';
import { computeDriver, staleDiscarded, takeTrace, peekTrace } from '../drivers.js';
import { recoveryAfter } from '../recovery.js';
import { startBridge, targetOf } from '../targets.js';

type Env = { endpoint: string; traceKey: string; timeoutMs: number; retries: number };

const RATE = 200;
const STALL_MS = 3000;
/** When in its stage a fault strikes: the rest of the stage is for recovery plus a quiet second. */
const faultAfterMs = (ctx: ScenarioContext): number => dur(ctx, 1500, 800);

interface Fault {
  name: string;
  what: string;
  inject(ctx: ScenarioContext): Promise<void>;
  /** The goal (issue 4 / the seed), ms. */
  sloMs: number;
  inSmoke: boolean;
}

const FAULTS: Fault[] = [
  {
    name: 'worker_kill',
    what: 'kill -9 worker-1, then restart it',
    inject: async (ctx) => {
      const w = targetOf(ctx, 'worker-1');
      await w.kill();
      await w.restart();
    },
    sloMs: 3500,
    inSmoke: true,
  },
  {
    name: 'broker_restart',
    what: 'restart the broker (SIGTERM, start again on the same ports)',
    inject: (ctx) => targetOf(ctx, 'broker').restart(),
    sloMs: 5000,
    inSmoke: false,
  },
  {
    name: 'worker_stall',
    what: `stall worker-2: CPU busy ${STALL_MS} ms (SIGUSR2), no heartbeats, no replies`,
    inject: async (ctx) => {
      process.kill(targetOf(ctx, 'worker-2').pid, 'SIGUSR2');
    },
    sloMs: 5000,
    inSmoke: false,
  },
];

const faultsFor = (ctx: ScenarioContext): Fault[] => FAULTS.filter((f) => !ctx.smoke || f.inSmoke);

export const faults = defineScenario<Env>({
  name: 'faults',
  description: `broker + 2 workers (heartbeat 1 s, liveness 3) under a ${RATE}/s open loop of 1K floats (raw), one stage per fault: kill -9 a worker, restart the broker, stall a worker (smoke: the kill only); recovery time, retried, lost, duplicate replies`,
  setup: async (ctx) => {
    const b = await startBridge(ctx, { workers: 2, fixedPorts: true, heartbeatMs: 1000, liveness: 3, stallSignalMs: STALL_MS });
    // The Lazy Pirate defaults (2.5 s per attempt); 4 sends give 10 s of retries, past every recovery goal.
    const timeoutMs = Number(ctx.params.faultTimeoutMs ?? 2500);
    const retries = Number(ctx.params.faultRetries ?? 4);
    return { endpoint: b.frontend, traceKey: `faults-${process.pid}-${Date.now()}`, timeoutMs, retries };
  },
  drivers: {
    traced: (env) => computeDriver({ endpoint: env.endpoint, n: 1000, format: 'raw', timeoutMs: env.timeoutMs, retries: env.retries, traceKey: env.traceKey }),
  },
  run: async (ctx, env) => {
    const f = new Figures();
    const invalidReasons: string[] = [];
    const list = faultsFor(ctx);
    const warmupMs = dur(ctx, 1000, 300);
    const baselineMs = dur(ctx, 3000, 1000);
    const stageMs = dur(ctx, 10_000, 5000);
    const stages: StageInput[] = [
      { name: 'warmup', model: 'open', rate: RATE, durationMs: warmupMs, warmup: true },
      { name: 'baseline', model: 'open', rate: RATE, durationMs: baselineMs },
      ...list.map((x): StageInput => ({ name: x.name, model: 'open', rate: RATE, durationMs: stageMs })),
    ];
    const struck: Array<{ fault: Fault; atMs: number; stale: number; done: Promise<void> }> = [];
    const t0 = performance.now();
    // Timers from the load's start; stage boundaries drift only by each stage's drain (milliseconds).
    const timers = list.map((fault, i) =>
      setTimeout(() => {
        const trace = peekTrace(env.traceKey);
        const atMs = performance.now();
        ctx.log(`${fault.what}`);
        const done = fault.inject(ctx).catch((e: unknown) => {
          invalidReasons.push(`${fault.name}: injecting the fault failed: ${(e as Error).message}`);
        });
        struck.push({ fault, atMs, stale: trace ? staleDiscarded(trace) : 0, done });
      }, warmupMs + baselineMs + i * stageMs + faultAfterMs(ctx)),
    );
    const m = await ctx.measure({ stages, timeoutMs: env.timeoutMs * env.retries + 2000, params: { floats: 1000, codec: 'raw', rate: RATE, clientTimeoutMs: env.timeoutMs, clientRetries: env.retries, faults: list.map((x) => x.what) } }, { driver: 'traced' });
    const endMs = performance.now();
    for (const t of timers) clearTimeout(t);
    await Promise.all(struck.map((s) => s.done));
    const trace = takeTrace(env.traceKey);
    const s = f.add('faults', m);
    // Recovery rests on the per-request trace: without one (e.g. load.workers > 1) there is no figure.
    if (trace.ops.length === 0) invalidReasons.push('no per-request trace was recorded (the traced driver needs one generator thread): recovery cannot be computed');
    // Faults fire on timers from the load's start, while each stage also drains: check that every fault landed inside its own stage.
    let stageStart = t0;
    const stageWindows = new Map<string, [number, number]>();
    for (const st of m.stages) {
      const elapsed = Math.max(...st.workers.map((w) => w.elapsedMs), 0);
      stageWindows.set(st.spec.name, [stageStart, stageStart + st.spec.durationMs]);
      stageStart += elapsed;
    }
    const baseline = s.stages.find((st) => st.name === 'baseline');
    // "Normal latency": 3 × the baseline p99, at least 25 ms (this machine's scheduling noise).
    const normalMs = Math.max(25, 3 * (baseline?.latencyMs.p99 ?? 0));
    f.notes.push(`normal latency for recovery: <= ${normalMs} ms (3 × baseline p99, at least 25 ms); client timeout ${env.timeoutMs} ms × ${env.retries} sends`);
    const totalStale = staleDiscarded(trace);
    struck.forEach((st, i) => {
      const next = struck[i + 1];
      const until = next?.atMs ?? endMs;
      const r = recoveryAfter(trace.ops, st.atMs, until, normalMs);
      const stage = s.stages.find((x) => x.name === st.fault.name);
      const n = st.fault.name;
      const notRecovered = r.recoveryMs === null;
      const own = stageWindows.get(n);
      if (own && (st.atMs < own[0] || st.atMs > own[1])) invalidReasons.push(`${st.fault.what}: struck at +${Math.round(st.atMs - t0)} ms, outside its stage (+${Math.round(own[0] - t0)}…+${Math.round(own[1] - t0)} ms): no load was running against it`);
      if (!trace.ops.some((o) => o.sentMs >= st.atMs && o.sentMs < until)) invalidReasons.push(`${st.fault.what}: no request was sent after the fault: nothing shows whether it recovered`);
      if (notRecovered) invalidReasons.push(`${st.fault.what}: not recovered within its window (≥ ${Math.round(until - st.atMs)} ms): lengthen the stage to measure the recovery`);
      f.metrics[`recovery_${n}_ms`] = {
        value: notRecovered ? Math.round(until - st.atMs) : Math.round(r.recoveryMs as number),
        unit: 'ms',
        better: 'lower',
        note: `${st.fault.what}: fault → last disturbed request answered${notRecovered ? ' — NOT recovered before the next fault or the end (value = whole window)' : ''}`,
      };
      f.metrics[`disturbed_${n}`] = { value: r.disturbed, unit: 'requests', better: 'lower', note: `${st.fault.what}: requests failed, retried or slower than ${normalMs} ms` };
      if (stage) {
        f.metrics[`retried_${n}`] = { value: stage.counts.retried, unit: 'requests', better: 'none', note: `${st.fault.what}: answered after ≥ 1 resend` };
        f.metrics[`failed_${n}`] = { value: stage.counts.errors + stage.counts.timeouts + stage.counts.lost, unit: 'requests', better: 'lower', note: `${st.fault.what}: errors + timeouts + lost in its stage` };
      }
      f.metrics[`duplicates_${n}`] = { value: (next?.stale ?? totalStale) - st.stale, unit: 'replies', better: 'none', note: `${st.fault.what}: late or duplicate replies the client discarded (staleDiscarded); near 0 by construction: a timed-out attempt's socket is closed (linger 0), so ZeroMQ drops a late reply before the client sees it` };
    });
    f.metrics.lost_with_retries_left = { value: s.counts.timeouts + s.counts.lost, unit: 'requests', better: 'lower', note: 'requests neither answered nor abandoned by the client (kit timeouts + lost): the kit waits past the client\'s whole retry budget, so these are requests the client never finished, e.g. still queued behind its 32 in-flight sockets' };
    f.metrics.abandoned = { value: s.counts.errorsByKind.WB_ERR_ZMQ_ABANDONED ?? 0, unit: 'requests', better: 'lower', note: 'requests the client gave up on after its last resend' };
    f.metrics.duplicates = { value: totalStale, unit: 'replies', better: 'none', note: 'stale or duplicate replies discarded by the clients, whole run (near 0 by construction, see duplicates_*)' };
    if (struck.length !== list.length) invalidReasons.push(`only ${struck.length} of ${list.length} faults were injected before the load ended`);
    f.notes.push(`faults struck at ${struck.map((x) => `${x.fault.name} +${Math.round(x.atMs - t0)} ms`).join(', ')}; load ran ${Math.round(endMs - t0)} ms, ${s.counts.sent} requests`);
    return f.output(m, { invalidReasons });
  },
  slo: (ctx) => [
    ...faultsFor(ctx).map((x) => `recovery_${x.name}_ms <= ${x.sloMs}`),
    'lost == 0',
    'lost_with_retries_left == 0',
    'abandoned == 0',
    'errors <= 0.1%',
  ],
});
