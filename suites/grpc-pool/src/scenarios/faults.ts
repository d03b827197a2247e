/**
 * faults: under an open-loop ping load, the pool's own supervision is put to work. The pool
 * restarts workers itself, so each fault is a `{ name, run }` action against a worker pid the
 * pool reported (its EVENT lines): kill -9 one (replacement ready ≤ 2 × one worker's start-up,
 * nothing lost: the pool retries the calls it held), SIGSTOP another (the heartbeat monitor
 * must notice within interval × max missed + 1 s). Then recycling by max requests (no call
 * lost) and the queue's own failures: full (pool_saturated) and waited too long (queue_timeout).
 */
import { defineScenario, median, recoveries, recoveryMetrics, Figures, summarizeMeasurement, type FaultAction, type Metric, type ScenarioContext } from '@wirebench/kit';
import { pingDriver, sleepDriver } from '../drivers.js';
import { faultTiming, splitKinds } from '../fault-timing.js';
import type { PoolEventLine } from '../startup-log.js';
import { address, poolEvents, poolTarget, workerPid } from '../targets.js';

const HEARTBEAT = { intervalMs: 500, timeoutMs: 500, maxMissed: 2 };
const RATE = 100;
/** Requests per worker before it is recycled: full runs 200, smoke runs 50 (so a 2 s stage sees recycling). */
const maxRequests = (smoke: boolean) => (smoke ? 50 : 200);
const QUEUE = { max: 4, timeoutMs: 150, sleepMs: 100, concurrency: 12 };

interface Env {
  pool: string;
  recycle: string;
  queue: string;
}

/** Signals a worker the pool reports ready, and remembers when (epoch ms) and which pid. */
function signalWorker(events: readonly PoolEventLine[], workerId: string, sig: NodeJS.Signals, fired: Map<string, { pid: number; at: number }>): FaultAction {
  return {
    name: `${sig} ${workerId}`,
    run: () => {
      const pid = workerPid(events, workerId);
      fired.set(workerId, { pid, at: Date.now() }); // the pool's event clock (nowMs)
      process.kill(pid, sig);
    },
  };
}

let events: PoolEventLine[] = [];
let recycleEvents: PoolEventLine[] = [];

async function run(ctx: ScenarioContext, _env: Env) {
  const f = new Figures();
  const metrics: Record<string, Metric> = {};
  const invalid: string[] = [];
  const fired = new Map<string, { pid: number; at: number }>();
  const stageMs = ctx.smoke ? 5000 : 10_000;
  const m = await ctx.measure({
    trace: true, timeoutMs: 15_000,
    stages: [
      { name: 'warmup', model: 'open', rate: RATE, durationMs: 500, warmup: true },
      { name: 'baseline', model: 'open', rate: RATE, durationMs: ctx.smoke ? 1500 : 3000 },
      { name: 'kill', model: 'open', rate: RATE, durationMs: stageMs, faults: [{ atMs: 1000, action: signalWorker(events, 'worker_1', 'SIGKILL', fired) }] },
      { name: 'stop', model: 'open', rate: RATE, durationMs: stageMs + 3000, faults: [{ atMs: 1000, action: signalWorker(events, 'worker_2', 'SIGSTOP', fired) }] },
    ],
  }, { driver: 'pool', label: 'kill -9 and SIGSTOP under load' });
  const s = f.add('kill -9 and SIGSTOP under load', m);
  const r = recoveries(m, { baselineStage: 'baseline' });
  for (const [i, { recovery }] of r.faults.entries()) {
    const name = i === 0 ? 'kill' : 'stop';
    const rm = recoveryMetrics(name, name === 'kill' ? 'worker kill -9' : 'worker SIGSTOP', recovery);
    Object.assign(metrics, rm.metrics);
    invalid.push(...rm.problems);
  }
  const startup = median(events.filter((e) => e.type === 'worker:ready' && e.at < (fired.get('worker_1')?.at ?? Infinity)).map((e) => e.readyMs ?? NaN));
  const kill = fired.get('worker_1');
  const stop = fired.get('worker_2');
  if (kill) {
    const t = faultTiming(events, 'worker_1', kill.pid, kill.at);
    f.value('worker_startup_ms', startup, 'ms', 'lower', 'one worker spawn → ready at pool start-up (median of the pool\'s first workers)');
    f.value('kill_replaced_ms', t.replacedMs ?? NaN, 'ms', 'lower', 'kill -9 → the slot\'s new worker ready (pool events; includes the restart backoff)');
    f.value('kill_replaced_vs_startup', (t.replacedMs ?? NaN) / startup, 'x', 'lower', 'kill -9 → replacement ready ÷ one worker\'s start-up');
  }
  if (stop) {
    const t = faultTiming(events, 'worker_2', stop.pid, stop.at);
    f.value('stop_detected_ms', t.detectedMs ?? NaN, 'ms', 'lower', `SIGSTOP → the pool declared the worker unhealthy (heartbeat ${HEARTBEAT.intervalMs} ms, timeout ${HEARTBEAT.timeoutMs} ms, ${HEARTBEAT.maxMissed} missed)`);
    f.value('stop_replaced_ms', t.replacedMs ?? NaN, 'ms', 'lower', 'SIGSTOP → the slot\'s new worker ready');
  }
  f.value('detect_bound_ms', HEARTBEAT.intervalMs * HEARTBEAT.maxMissed + 1000, 'ms', 'none', 'interval × max missed + 1 s (the goal for stop_detected_ms)');
  f.value('supervision_lost', s.counts.lost + s.counts.errors + s.counts.timeouts, 'ops', 'lower', 'calls not answered ok across kill -9 and SIGSTOP');

  const recycledBefore = recycleEvents.filter((e) => e.type === 'worker:recycled').length;
  const rec = await ctx.measure({ timeoutMs: 10_000, stages: [
    { name: 'warmup', model: 'open', rate: RATE, durationMs: 300, warmup: true },
    { name: 'recycle', model: 'open', rate: RATE, durationMs: ctx.smoke ? 2000 : 10_000 },
  ] }, { driver: 'recycle', label: `recycling every ${maxRequests(ctx.smoke)} requests` });
  const rs = f.add('recycling', rec);
  f.value('recycle_lost', rs.counts.lost + rs.counts.errors + rs.counts.timeouts, 'ops', 'lower', `calls not answered ok while workers recycle every ${maxRequests(ctx.smoke)} requests`);
  f.value('recycles', recycleEvents.filter((e) => e.type === 'worker:recycled').length - recycledBefore, 'count', 'none', "workers recycled (max_requests) during the stage, from the pool's events");
  f.value('recycle_ok', rs.counts.ok, 'ops', 'higher', 'calls answered during recycling');

  const q = await ctx.measure({ timeoutMs: 10_000, stages: [
    { name: 'queue', model: 'closed', concurrency: QUEUE.concurrency, durationMs: ctx.smoke ? 1500 : 5000 },
  ] }, { driver: 'queue', label: 'queue full and queue timeout' });
  const qs = summarizeMeasurement(q);
  const kinds = splitKinds(qs.counts.errorsByKind, ['pool_saturated', 'queue_timeout']);
  f.value('queue_saturated', kinds.expected.pool_saturated ?? 0, 'ops', 'none', `calls refused at once: queue of ${QUEUE.max} full`);
  f.value('queue_timeouts', kinds.expected.queue_timeout ?? 0, 'ops', 'none', `calls that waited > ${QUEUE.timeoutMs} ms in the queue`);
  f.value('queue_other_failures', kinds.other + qs.counts.timeouts + qs.counts.lost, 'ops', 'lower', 'queue measurement: failures of any other kind (must be none)');
  f.value('queue_ok', qs.counts.ok, 'ops', 'higher', 'queue measurement: calls that got the worker');
  return { ...f.output(m), metrics: { ...f.metrics, ...metrics }, invalidReasons: invalid };
}

export const faults = defineScenario<Env>({
  name: 'faults',
  description: 'kill -9 and SIGSTOP of pool-reported workers under 100/s (replacement, detection, nothing lost), recycling by max requests, queue full / queue timeout',
  async setup(ctx) {
    const hb = { heartbeat: 'on', 'heartbeat-interval-ms': HEARTBEAT.intervalMs, 'heartbeat-timeout-ms': HEARTBEAT.timeoutMs, 'heartbeat-max-missed': HEARTBEAT.maxMissed };
    const pool = await ctx.processes.start(await poolTarget('pool', { size: 4, startup: 'concurrent', events: 'on', ...hb }));
    events = poolEvents(pool);
    const [recycle, queue] = await ctx.processes.startAll([
      await poolTarget('pool-recycle', { size: 2, startup: 'concurrent', events: 'on', 'worker-max-requests': maxRequests(ctx.smoke) }),
      await poolTarget('pool-queue', { size: 1, 'max-queue': QUEUE.max, 'queue-timeout-ms': QUEUE.timeoutMs }),
    ]);
    recycleEvents = poolEvents(recycle!);
    return { pool: address(pool), recycle: address(recycle!), queue: address(queue!) };
  },
  drivers: {
    pool: (env) => pingDriver(env.pool),
    recycle: (env) => pingDriver(env.recycle),
    queue: (env) => sleepDriver(env.queue, QUEUE.sleepMs),
  },
  run,
  // Every replacement is a node start-up taking a CPU for most of a second: the generator keeps
  // its own CPU so that its schedule holds while the pool (and its workers, which inherit the
  // pool's CPU) restarts.
  cpus: { generator: [0], targets: [1] },
  slo: ['supervision_lost == 0', 'recycle_lost == 0', 'recycle_ok > 0', 'recycles > 0', 'queue_saturated > 0', 'queue_timeouts > 0', 'queue_other_failures == 0', 'queue_ok > 0'],
  goals: ['kill_replaced_vs_startup <= 2', 'stop_detected_ms <= 2000'],
});
