import { PerformanceObserver, performance } from 'node:perf_hooks';
import { nowUs } from './clock.js';
import type { Driver } from './driver.js';
import { Recorder, type RecorderSnapshot } from './recorder.js';
import type { StageSpec } from '../results/types.js';
import { InFlight } from './inflight.js';
import { runClosed } from './closed.js';
import { runOpen } from './open.js';
import { Ticker } from './ticker.js';
import type { TraceRecorder } from './trace.js';

export interface LoadOptions {
  stages: StageSpec[];
  timeoutMs: number;
  /** Open loop: pending operations beyond this wait in the generator's backlog. */
  maxInFlight: number;
  lateThresholdMs: number;
  workerIndex: number;
  workers: number;
  /** Length of the per-window slices compare tests on (ms). */
  windowMs: number;
  signal: AbortSignal;
  /** Called about once a second while a stage runs. */
  onProgress?: (p: Progress) => void;
  /** Awaited after clients are open, before the first stage: lets several workers start together. */
  beforeStart?: () => Promise<void>;
  /** Told as each stage's load starts and once its last answers are in (or timed out). */
  onStage?: (e: StageEvent) => void;
  /** Records every measured operation (LoadSpec.trace); warm-up stages are not traced. */
  trace?: TraceRecorder;
  /** Added to this thread's nowUs() for the main thread's clock (clock.ts clockOffsetUs; 0 in the main thread). */
  clockOffsetUs?: number;
  /** Epoch ms before which the first measured stage does not start (shards of one load align on it). */
  startAtMs?: number;
  /** This thread's place among every generator thread of the load, all shards included, for open-loop phases (default: workerIndex of workers). */
  phaseSlot?: { index: number; of: number };
}

export interface StageEvent {
  workerIndex: number;
  /** Position of the stage in the load (warm-up stages included). */
  index: number;
  /** When it happened, on the main thread's clock (µs): faults are timed from a stage's start. */
  atUs: number;
  stage: string;
  warmup: boolean;
  phase: 'start' | 'end';
}

/** Live figures of the running stage of one worker, for progress display only. */
export interface Progress {
  workerIndex: number;
  stage: string;
  warmup: boolean;
  elapsedMs: number;
  sent: number;
  ok: number;
  failed: number;
  p99Us: number;
}

/** What one worker measured in one stage. Warm-up stages produce no snapshot. */
export interface StageOutcome {
  name: string;
  model: 'closed' | 'open';
  warmup: boolean;
  /** Stage start until the last operation settled or was given up, drain included (ms). */
  elapsedMs: number;
  /** Stage start until the engine stopped issuing: the denominator of closed-loop rates (ms). */
  issueMs: number;
  snapshot: RecorderSnapshot | null;
  /** Event-loop utilisation of this generator thread during the stage, 0..1. */
  busy: number;
  /** CPU time of the generator process during the stage, in percent of one core. */
  cpuPct: number;
  /** GC pauses of this generator thread during the stage (ms); absent for measurements made by other tools. */
  gc?: { count: number; totalMs: number; maxMs: number };
}

/**
 * Runs every stage of a load against one driver in this thread. Clients are opened before the
 * first stage and closed after the last, outside any timed region.
 */
export async function runLoad<C>(driver: Driver<C>, opts: LoadOptions): Promise<StageOutcome[]> {
  const clients: C[] = [];
  const nClients = Math.max(1, driver.clients ?? 1);
  let wake: Ticker | null = null;
  let flight: InFlight<C> | null = null;
  const out: StageOutcome[] = [];
  // This thread's own GC pauses (an observer sees only its own isolate's). Entries arrive after
  // the fact, so each stage takes those that started inside it, once the last ones are in.
  const pauses: Array<{ at: number; ms: number }> = [];
  const gcObserver = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) pauses.push({ at: e.startTime, ms: e.duration });
  });
  gcObserver.observe({ entryTypes: ['gc'] });
  const spans: Array<[number, number]> = [];
  // Windows of every measured stage share one clock, starting at the first measured stage.
  let originUs: number | null = null;
  try {
    for (let i = 0; i < nClients; i++) {
      clients.push(await driver.open({ workerIndex: opts.workerIndex, clientIndex: i, workers: opts.workers }));
    }
    // Started before the schedules begin: a thread's start-up is no part of any stage.
    if (opts.stages.some((s) => s.model === 'open')) {
      wake = new Ticker();
      await wake.ready;
    }
    await opts.beforeStart?.();
    flight = new InFlight(driver, clients, opts.workerIndex, opts.timeoutMs, null);
    flight.trace = opts.trace ?? null;
    const offsetUs = opts.clockOffsetUs ?? 0;
    for (const [index, stage] of opts.stages.entries()) {
      if (opts.signal.aborted) break;
      if (!stage.warmup && originUs === null && opts.startAtMs !== undefined) {
        // Shards in other processes start this stage at the same wall-clock time; a shard that
        // comes late starts at once (the merge checks how far apart they began).
        const waitMs = opts.startAtMs - Date.now();
        if (waitMs > 0) await abortableSleep(waitMs, opts.signal);
        if (opts.signal.aborted) break;
      }
      const startUs = nowUs();
      const open = stage.model === 'open';
      if (!stage.warmup) originUs ??= startUs;
      // Warm-up records too, into a recorder that is thrown away: otherwise the recording code ran
      // first, cold, in the measured stage (its first second was its worst window in every run).
      const recorder = new Recorder({ openLoop: open, originUs: stage.warmup ? startUs : (originUs ?? startUs), windowMs: opts.windowMs });
      flight.recorder = recorder;
      flight.traceStage = stage.warmup ? -1 : index;
      const ticker = opts.onProgress
        ? setInterval(() => {
            const c = recorder.counts;
            opts.onProgress?.({
              workerIndex: opts.workerIndex,
              stage: stage.name,
              warmup: stage.warmup,
              elapsedMs: (nowUs() - startUs) / 1000,
              sent: c.sent,
              ok: c.ok + c.retried,
              failed: c.errors + c.timeouts + c.lost,
              p99Us: recorder.corrected.totalCount > 0 ? recorder.corrected.getValueAtPercentile(99) : 0,
            });
          }, 1000)
        : null;
      const elu0 = performance.eventLoopUtilization();
      const cpu0 = process.cpuUsage();
      const fromMs = performance.now();
      const event = { workerIndex: opts.workerIndex, index, stage: stage.name, warmup: stage.warmup };
      opts.onStage?.({ ...event, atUs: startUs + offsetUs, phase: 'start' });
      if (open) {
        await runOpen(flight, {
          rate: stage.rate ?? 0,
          ...(stage.rateTo !== undefined ? { rateTo: stage.rateTo } : {}),
          durationMs: stage.durationMs,
          maxInFlight: opts.maxInFlight,
          lateThresholdMs: opts.lateThresholdMs,
          phaseUs: ((opts.phaseSlot?.index ?? opts.workerIndex) * 1e6) / Math.max(1e-9, (stage.rate ?? 0) * (opts.phaseSlot?.of ?? opts.workers)),
        }, opts.signal, wake ?? undefined);
      } else {
        await runClosed(flight, {
          concurrency: stage.concurrency ?? 1,
          durationMs: stage.durationMs,
          ...(stage.count !== undefined ? { count: stage.count } : {}),
        }, opts.signal);
      }
      const issueMs = (nowUs() - startUs) / 1000;
      if (!opts.signal.aborted) await flight.drain(opts.timeoutMs + 50);
      flight.abandon();
      opts.onStage?.({ ...event, atUs: nowUs() + offsetUs, phase: 'end' });
      if (ticker) clearInterval(ticker);
      const elapsedMs = (nowUs() - startUs) / 1000;
      const elu = performance.eventLoopUtilization(elu0);
      const cpu = process.cpuUsage(cpu0);
      out.push({
        name: stage.name,
        model: stage.model,
        warmup: stage.warmup,
        elapsedMs,
        issueMs,
        snapshot: stage.warmup ? null : recorder.snapshot(),
        busy: elu.utilization,
        cpuPct: ((cpu.user + cpu.system) / 1000 / Math.max(1, elapsedMs)) * 100,
      });
      spans.push([fromMs, performance.now()]);
    }
    await new Promise((r) => setImmediate(r)); // the observer's last entries
    out.forEach((o, i) => {
      const [a, b] = spans[i] as [number, number];
      const inside = pauses.filter((x) => x.at >= a && x.at < b);
      // reduce, not Math.max(...): an hours-long soak stage holds more pauses than an argument list.
      o.gc = { count: inside.length, totalMs: inside.reduce((t, x) => t + x.ms, 0), maxMs: inside.reduce((m, x) => Math.max(m, x.ms), 0) };
    });
  } finally {
    gcObserver.disconnect();
    flight?.dispose();
    await wake?.dispose();
    for (const c of clients) await driver.close(c);
  }
  return out;
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const t = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
