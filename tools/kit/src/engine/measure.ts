import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { DEFAULTS } from '../defaults.js';
import type { Driver } from './driver.js';
import { WbError } from '../errors.js';
import { runLoad, type LoadOptions, type Progress, type StageEvent, type StageOutcome } from './load.js';
import type { LoadSpec } from '../suite/suite.js';
import type { FaultRecord, Load, StageSpec } from '../results/types.js';
import { checkFaults, FaultSchedule, type FireFault, type StageFault } from './faults.js';
import { mergeTraces, TraceRecorder, type Trace } from './trace.js';

/** A load's outcome across all generator workers, before it becomes a result. */
export interface Measurement {
  load: Load;
  /** Length of each per-window slice (ms). */
  windowMs: number;
  /**
   * Per stage (warm-up included, without snapshots), the outcome of each worker; `startUs`: when
   * the first worker started it (main thread clock, µs, as in `trace`), when it ran; `faults`:
   * the stage's planned faults, fired or not.
   */
  stages: Array<{ spec: StageSpec; workers: StageOutcome[]; startUs?: number; faults?: FaultRecord[] }>;
  /** Every measured operation, all workers merged, when the load asked for a trace (LoadSpec.trace). */
  trace?: Trace;
  /**
   * CPU seconds used over the measured stages, by process role (each target's role, plus
   * 'generator' for this process); absent when nothing sampled it. Plans and Figures turn the
   * targets' sum into CPU per operation (`<name>_cpu_us_per_op`).
   */
  cpuS?: Record<string, number>;
  /**
   * The part of cpuS.generator the drivers' threads used: without the kit's helper threads (the
   * open-loop ticker) and, when the load ran in worker threads, without the main thread (sampler,
   * progress, orchestration). What a scenario whose generator is the thing measured (a bot's CPU
   * per event) should divide; absent where /proc has no per-thread figures.
   */
  driverCpuS?: number;
}

export function normalizeLoad(spec: LoadSpec): { load: Load; maxInFlight: number; lateThresholdMs: number; faults: StageFault[][] } {
  // Faults stay in the main thread (functions cannot cross into workers) and out of the result's load.
  const faults: StageFault[][] = spec.stages.map((s) => s.faults ?? []);
  const stages: StageSpec[] = spec.stages.map(({ faults: _faults, ...s }, i) => {
    const out: StageSpec = { ...s, name: s.name ?? `stage-${i + 1}`, warmup: s.warmup ?? false };
    if (!(out.durationMs > 0)) throw new WbError('WB_ERR_INVALID_OPTION', `stage ${out.name}: durationMs must be > 0`);
    const finitePositive = (x: unknown): boolean => typeof x === 'number' && Number.isFinite(x) && x > 0;
    if (out.model === 'open' && !finitePositive(out.rate)) throw new WbError('WB_ERR_INVALID_OPTION', `stage ${out.name}: an open-loop stage needs a finite rate > 0`);
    if (out.rateTo !== undefined && !finitePositive(out.rateTo)) throw new WbError('WB_ERR_INVALID_OPTION', `stage ${out.name}: rateTo must be a finite rate > 0`);
    if (out.model === 'closed' && !(Number.isInteger(out.concurrency ?? 1) && (out.concurrency ?? 1) >= 1)) throw new WbError('WB_ERR_INVALID_OPTION', `stage ${out.name}: concurrency must be a whole number >= 1`);
    if (out.count !== undefined && !(Number.isInteger(out.count) && out.count >= 1)) throw new WbError('WB_ERR_INVALID_OPTION', `stage ${out.name}: count must be a whole number >= 1`);
    checkFaults(out.name, out.durationMs, faults[i] ?? []);
    return out;
  });
  const models = new Set(stages.map((s) => s.model));
  const model = models.size > 1 ? 'mixed' : stages[0]?.model === 'open' ? 'open' : 'closed';
  const workers = spec.workers ?? DEFAULTS.workers;
  if (!(Number.isInteger(workers) && workers >= 1)) throw new WbError('WB_ERR_INVALID_OPTION', `workers must be a whole number >= 1, got ${workers}`);
  return {
    load: { model, stages, workers, ...(spec.isolate && workers === 1 ? { isolated: true } : {}), timeoutMs: spec.timeoutMs ?? DEFAULTS.timeoutMs, ...(spec.params ? { params: spec.params } : {}) },
    maxInFlight: spec.maxInFlight ?? DEFAULTS.maxInFlight,
    lateThresholdMs: spec.lateThresholdMs ?? DEFAULTS.lateThresholdMs,
    faults,
  };
}

/**
 * Splits rates, concurrency and counts across workers so that their sum is exactly what the stage
 * asked for: surplus workers get no closed-loop slots rather than rounding up to one. A shard
 * (`wirebench bench --shard i/N`, one generator process of N) takes its share the same way first;
 * its worker threads then split that share.
 */
export function shareOf(stage: StageSpec, w: number, workers: number): StageSpec {
  const split = (n: number, among: number): number => (w >= among ? 0 : Math.floor(n / among) + (w < n % among ? 1 : 0));
  if (stage.model === 'open') {
    return { ...stage, rate: (stage.rate ?? 0) / workers, ...(stage.rateTo !== undefined ? { rateTo: stage.rateTo / workers } : {}) };
  }
  const concurrency = stage.concurrency ?? 1;
  const slots = split(concurrency, workers);
  // A count goes only to workers that have slots, in exact shares.
  const count = stage.count === undefined ? undefined : split(stage.count, Math.min(workers, concurrency));
  const out: StageSpec = { ...stage, concurrency: count === 0 ? 0 : slots };
  if (count !== undefined) out.count = Math.max(1, count);
  return out;
}

/** Window length: one second, shorter for short runs so that compare has enough windows to test. */
function windowMsFor(stages: StageSpec[]): number {
  const measured = stages.filter((s) => !s.warmup).reduce((a, s) => a + s.durationMs, 0);
  return Math.min(1000, Math.max(100, Math.floor(measured / 10 / 100) * 100));
}

/** What a generator worker thread is given: its share of the load, and where to rebuild the driver from. */
export type WorkerJob = Omit<LoadOptions, 'signal' | 'onProgress' | 'onStage' | 'trace' | 'clockOffsetUs'> & {
  suiteFile: string;
  scenario: string;
  driver: string | null;
  env: unknown;
  /** Keep a per-operation trace and hand it back (transferred). */
  trace: boolean;
  /** The main thread's performance.timeOrigin: the worker's trace and stage times are put on its clock. */
  timeOriginMs: number;
};

/** What a worker thread posts when its load is done. */
export type WorkerReport = { ok: true; stages: StageOutcome[]; trace: Trace | null } | { ok: false; error: string };

const WORKER_ENTRY = fileURLToPath(new URL('./worker-boot.mjs', import.meta.url));

/**
 * Runs a load: in this thread with one worker, or in worker threads whose outcomes merge exactly
 * (histograms travel encoded). `driverFactory` is used in-thread; workers rebuild the driver from
 * the suite file, so the env must be structured-cloneable.
 */
export async function measure(
  spec: LoadSpec,
  opts: {
    driverFactory: () => Driver<any> | Promise<Driver<any>>;
    signal: AbortSignal;
    onProgress?: (p: Progress) => void;
    /**
     * 'begin' when the first worker starts a measured (not warm-up) stage, 'end' when the last one
     * has finished it: what resource summaries should cover. Measured stages in a row give a
     * pair each with one worker; with several, their pairs may merge into one (same time covered).
     */
    onMeasuring?: (phase: 'begin' | 'end') => void;
    worker?: { suiteFile: string; scenario: string; driver: string | null; env: unknown };
    /** Carries out the stages' fault actions (StageInput.faults) in this thread; ctx.measure supplies one resolving roles through ctx.processes. */
    fireFault?: FireFault;
    /**
     * This process is shard `index` of `count` generator processes: it runs its exact share of
     * every stage's rate, concurrency and count (shareOf), and its stages report that share.
     */
    shard?: { index: number; count: number };
    /** Epoch ms at which the first measured stage starts (shards align on it); warm-up runs before. */
    startAtMs?: number;
  },
): Promise<Measurement> {
  const { load, maxInFlight: allInFlight, lateThresholdMs, faults } = normalizeLoad(spec);
  const shard = opts.shard && opts.shard.count > 1 ? opts.shard : null;
  // The load as asked stays in the result (load.shard says whose share ran); the stages run and
  // judged here (requested rates, shortfalls) are this shard's share.
  const mine = shard ? load.stages.map((s) => shareOf(s, shard.index, shard.count)) : load.stages;
  if (shard) load.shard = { ...shard };
  const maxInFlight = shard ? Math.ceil(allInFlight / shard.count) : allInFlight;
  // Open-loop phases interleave every worker of every shard into one even stream.
  const phase = (w: number): { phaseSlot: { index: number; of: number } } => ({ phaseSlot: { index: (shard?.index ?? 0) * load.workers + w, of: (shard?.count ?? 1) * load.workers } });
  const startAt = opts.startAtMs !== undefined ? { startAtMs: opts.startAtMs } : {};
  if (faults.some((f) => f.length > 0) && !opts.fireFault) throw new WbError('WB_ERR_INVALID_OPTION', 'this load plans faults: measure() needs a fireFault to carry them out (ctx.measure supplies one)');
  const schedule = new FaultSchedule(faults, opts.fireFault ?? (async () => {}));
  const measuring = new Set<number>();
  const onStage = (e: StageEvent): void => {
    schedule.onStage(e);
    if (e.warmup || !opts.onMeasuring) return;
    if (e.phase === 'start') {
      if (measuring.size === 0) opts.onMeasuring('begin');
      measuring.add(e.workerIndex);
    } else if (measuring.delete(e.workerIndex) && measuring.size === 0) {
      opts.onMeasuring('end');
    }
  };
  const windowMs = windowMsFor(mine);
  let perWorker: StageOutcome[][];
  let traces: Trace[] = [];
  // A failed load leaves no fault timer armed, nor an action running unwatched.
  const disarm = async (err: unknown): Promise<never> => {
    await schedule.finish();
    throw err;
  };
  if (load.workers === 1 && !load.isolated) {
    const driver = await opts.driverFactory();
    const trace = spec.trace ? new TraceRecorder(0, 0) : undefined;
    perWorker = [await runLoad(driver, { stages: mine, ...phase(0), ...startAt, timeoutMs: load.timeoutMs, maxInFlight, lateThresholdMs, windowMs, workerIndex: 0, workers: 1, signal: opts.signal, onStage, ...(trace ? { trace } : {}), ...(opts.onProgress ? { onProgress: opts.onProgress } : {}) }).catch(disarm)];
    if (trace) traces = [trace.finish()];
  } else {
    if (!opts.worker) throw new WbError('WB_ERR_WORKER', 'isolated and multi-worker runs need the suite file to rebuild drivers in worker threads');
    const w = opts.worker;
    const pool = new Set<Worker>();
    let ready = 0;
    // Start barrier: once every worker has booted and opened its clients, all start at once.
    const onReady = (): void => {
      if (++ready === load.workers) for (const w of pool) w.postMessage({ start: true });
    };
    const reports = await Promise.all(
      Array.from({ length: load.workers }, (_, i) =>
        runWorker({
          suiteFile: w.suiteFile,
          scenario: w.scenario,
          driver: w.driver,
          env: w.env,
          stages: mine.map((s) => shareOf(s, i, load.workers)),
          ...phase(i),
          ...startAt,
          timeoutMs: load.timeoutMs,
          maxInFlight: Math.ceil(maxInFlight / load.workers),
          lateThresholdMs,
          windowMs,
          workerIndex: i,
          workers: load.workers,
          trace: spec.trace === true,
          timeOriginMs: performance.timeOrigin,
        }, opts.signal, opts.onProgress, pool, onReady, onStage),
      ),
    ).catch(disarm);
    perWorker = reports.map((r) => r.stages);
    traces = reports.flatMap((r) => (r.trace ? [r.trace] : []));
  }
  const records = await schedule.finish();
  return {
    load,
    windowMs,
    stages: mine.map((spec, i) => {
      const startUs = schedule.startUs(i);
      return {
        spec,
        workers: perWorker.flatMap((w) => (w[i] ? [w[i]] : [])),
        ...(startUs !== null ? { startUs } : {}),
        ...(faults[i]?.length ? { faults: records[i] ?? [] } : {}),
      };
    }),
    ...(spec.trace ? { trace: traces.length === 1 ? traces[0]! : mergeTraces(traces) } : {}),
  };
}

function runWorker(job: WorkerJob, signal: AbortSignal, onProgress: ((p: Progress) => void) | undefined, pool: Set<Worker>, onReady: () => void, onStage: (e: StageEvent) => void): Promise<{ stages: StageOutcome[]; trace: Trace | null }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_ENTRY, { workerData: job });
    pool.add(worker);
    let settled = false;
    const fail = (why: string): void => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      // One failed worker ends the measurement: stop the others generating load too.
      for (const w of pool) void w.terminate();
      reject(new WbError('WB_ERR_WORKER', `generator worker ${job.workerIndex}: ${why}`));
    };
    const onAbort = (): void => worker.postMessage({ abort: true });
    signal.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (m: { ready: true } | { progress: Progress } | { stageEvent: StageEvent } | WorkerReport) => {
      if ('ready' in m) return onReady();
      if ('stageEvent' in m) return onStage(m.stageEvent);
      if ('progress' in m) return onProgress?.(m.progress);
      if (!m.ok) return fail(m.error);
      settled = true;
      signal.removeEventListener('abort', onAbort);
      resolve({ stages: m.stages, trace: m.trace });
    });
    worker.once('error', (err) => fail(err.message));
    worker.once('exit', (code) => {
      pool.delete(worker);
      fail(`exited (code ${code}) before reporting its measurement`);
    });
  });
}

/**
 * Several measurements of one run as one, stages in order (e.g. the steps of a stress search), so
 * that result.stages holds them all. They must share a window size to merge windows meaningfully.
 */
export function joinMeasurements(ms: readonly Measurement[]): Measurement | undefined {
  const first = ms[0];
  if (!first) return undefined;
  // Each part's windows count from its own first measured stage: laid end to end, not on top of
  // each other (rounds overlapped at the same offsets, and a joined rate's per-window samples were
  // the sum of every round's: 25,748/s beside a value of 12,746/s).
  let offset = 0;
  const stages = ms.flatMap((m) => {
    const shift = offset;
    let last = -1;
    const moved = m.stages.map((st) => ({
      spec: st.spec,
      workers: st.workers.map((w) => {
        if (!w.snapshot) return w;
        for (const x of w.snapshot.windows) last = Math.max(last, x.index);
        return shift === 0 ? w : { ...w, snapshot: { ...w.snapshot, windows: w.snapshot.windows.map((x) => ({ ...x, index: x.index + shift })) } };
      }),
    }));
    offset += last + 1;
    return moved;
  });
  const joined: Measurement = { ...first, load: { ...first.load, stages: stages.map((s) => s.spec) }, stages };
  // Traces join too, each one's stage indices moved past the stages before it.
  const traced = ms.flatMap((m, i) => (m.trace ? [{ t: m.trace, offset: ms.slice(0, i).reduce((a, x) => a + x.stages.length, 0) }] : []));
  if (traced.length) joined.trace = mergeTraces(traced.map((x) => x.t), traced.map((x) => x.offset));
  else delete joined.trace;
  // CPU joins too: the joined operations were served by the CPU of every part, not the first one's alone.
  if (ms.some((m) => m.cpuS)) joined.cpuS = ms.reduce<Record<string, number>>((a, m) => { for (const [k, v] of Object.entries(m.cpuS ?? {})) a[k] = (a[k] ?? 0) + v; return a; }, {});
  if (ms.every((m) => m.driverCpuS !== undefined)) joined.driverCpuS = ms.reduce((a, m) => a + (m.driverCpuS ?? 0), 0);
  else delete joined.driverCpuS;
  return joined;
}
