import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { DEFAULTS } from '../defaults.js';
import type { Driver } from './driver.js';
import { WbError } from '../errors.js';
import { runLoad, type LoadOptions, type Progress, type StageEvent, type StageOutcome } from './load.js';
import { encodeHistogram as encode, mergeEncoded, summarize } from '../results/histogram.js';
import { emptyCounts } from './recorder.js';
import type { LoadSpec } from '../suite/suite.js';
import type { Counts, Load, StageResult, StageSpec, Window } from '../results/types.js';
import { schedule } from './open.js';

/** A load's outcome across all generator workers, before it becomes a result. */
export interface Measurement {
  load: Load;
  /** Length of each per-window slice (ms). */
  windowMs: number;
  /** Per stage (warm-up included, without snapshots), the outcome of each worker. */
  stages: Array<{ spec: StageSpec; workers: StageOutcome[] }>;
}

export function normalizeLoad(spec: LoadSpec): { load: Load; maxInFlight: number; lateThresholdMs: number } {
  const stages: StageSpec[] = spec.stages.map((s, i) => {
    const out: StageSpec = { ...s, name: s.name ?? `stage-${i + 1}`, warmup: s.warmup ?? false };
    if (!(out.durationMs > 0)) throw new WbError('WB_ERR_INVALID_OPTION', `stage ${out.name}: durationMs must be > 0`);
    const finitePositive = (x: unknown): boolean => typeof x === 'number' && Number.isFinite(x) && x > 0;
    if (out.model === 'open' && !finitePositive(out.rate)) throw new WbError('WB_ERR_INVALID_OPTION', `stage ${out.name}: an open-loop stage needs a finite rate > 0`);
    if (out.rateTo !== undefined && !finitePositive(out.rateTo)) throw new WbError('WB_ERR_INVALID_OPTION', `stage ${out.name}: rateTo must be a finite rate > 0`);
    if (out.model === 'closed' && !(Number.isInteger(out.concurrency ?? 1) && (out.concurrency ?? 1) >= 1)) throw new WbError('WB_ERR_INVALID_OPTION', `stage ${out.name}: concurrency must be a whole number >= 1`);
    if (out.count !== undefined && !(Number.isInteger(out.count) && out.count >= 1)) throw new WbError('WB_ERR_INVALID_OPTION', `stage ${out.name}: count must be a whole number >= 1`);
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
  };
}

/**
 * Splits rates, concurrency and counts across workers so that their sum is exactly what the stage
 * asked for: surplus workers get no closed-loop slots rather than rounding up to one.
 */
function shareOf(stage: StageSpec, w: number, workers: number): StageSpec {
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
export type WorkerJob = Omit<LoadOptions, 'signal' | 'onProgress' | 'onStage'> & {
  suiteFile: string;
  scenario: string;
  driver: string | null;
  env: unknown;
};

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
  },
): Promise<Measurement> {
  const { load, maxInFlight, lateThresholdMs } = normalizeLoad(spec);
  const measuring = new Set<number>();
  const onStage = (e: StageEvent): void => {
    if (e.warmup || !opts.onMeasuring) return;
    if (e.phase === 'start') {
      if (measuring.size === 0) opts.onMeasuring('begin');
      measuring.add(e.workerIndex);
    } else if (measuring.delete(e.workerIndex) && measuring.size === 0) {
      opts.onMeasuring('end');
    }
  };
  const windowMs = windowMsFor(load.stages);
  let perWorker: StageOutcome[][];
  if (load.workers === 1 && !load.isolated) {
    const driver = await opts.driverFactory();
    perWorker = [await runLoad(driver, { stages: load.stages, timeoutMs: load.timeoutMs, maxInFlight, lateThresholdMs, windowMs, workerIndex: 0, workers: 1, signal: opts.signal, onStage, ...(opts.onProgress ? { onProgress: opts.onProgress } : {}) })];
  } else {
    if (!opts.worker) throw new WbError('WB_ERR_WORKER', 'isolated and multi-worker runs need the suite file to rebuild drivers in worker threads');
    const w = opts.worker;
    const pool = new Set<Worker>();
    let ready = 0;
    // Start barrier: once every worker has booted and opened its clients, all start at once.
    const onReady = (): void => {
      if (++ready === load.workers) for (const w of pool) w.postMessage({ start: true });
    };
    perWorker = await Promise.all(
      Array.from({ length: load.workers }, (_, i) =>
        runWorker({
          suiteFile: w.suiteFile,
          scenario: w.scenario,
          driver: w.driver,
          env: w.env,
          stages: load.stages.map((s) => shareOf(s, i, load.workers)),
          timeoutMs: load.timeoutMs,
          maxInFlight: Math.ceil(maxInFlight / load.workers),
          lateThresholdMs,
          windowMs,
          workerIndex: i,
          workers: load.workers,
        }, opts.signal, opts.onProgress, pool, onReady, onStage),
      ),
    );
  }
  return {
    load,
    windowMs,
    stages: load.stages.map((spec, i) => ({ spec, workers: perWorker.flatMap((w) => (w[i] ? [w[i]] : [])) })),
  };
}

function runWorker(job: WorkerJob, signal: AbortSignal, onProgress: ((p: Progress) => void) | undefined, pool: Set<Worker>, onReady: () => void, onStage: (e: StageEvent) => void): Promise<StageOutcome[]> {
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
    worker.on('message', (m: { ready: true } | { progress: Progress } | { stageEvent: StageEvent } | { ok: true; stages: StageOutcome[] } | { ok: false; error: string }) => {
      if ('ready' in m) return onReady();
      if ('stageEvent' in m) return onStage(m.stageEvent);
      if ('progress' in m) return onProgress?.(m.progress);
      if (!m.ok) return fail(m.error);
      settled = true;
      signal.removeEventListener('abort', onAbort);
      resolve(m.stages);
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
  const stages = ms.flatMap((m) => m.stages);
  return { ...first, load: { ...first.load, stages: stages.map((s) => s.spec) }, stages };
}

export interface Summary {
  latencyMs: ReturnType<typeof summarize>;
  latencyMsUncorrected: ReturnType<typeof summarize>;
  sendLagMs: ReturnType<typeof summarize> | null;
  corrected: string;
  uncorrected: string;
  counts: Counts;
  throughput: { requested: number | null; achieved: number; sent: number };
  stages: StageResult[];
  windows: Window[];
  /** Generator-side reasons the run cannot be trusted. */
  saturation: string[];
}

/** Every window from the first to the last, a silent one included: a stall must show as zeros. */
function fillWindows(windows: Map<number, { ok: number; errors: number; h: string[] }>, windowMs: number): Window[] {
  if (windows.size === 0) return [];
  const last = Math.max(...windows.keys());
  const out: Window[] = [];
  for (let k = 0; k <= last; k++) {
    const w = windows.get(k);
    if (!w) {
      out.push({ tMs: k * windowMs, windowMs, ok: 0, errors: 0, p50Ms: 0, p99Ms: 0, meanMs: 0 });
      continue;
    }
    const h = mergeEncoded(w.h);
    const s = summarize(h);
    h.destroy();
    out.push({ tMs: k * windowMs, windowMs, ok: w.ok, errors: w.errors, p50Ms: s.p50, p99Ms: s.p99, meanMs: s.mean });
  }
  return out;
}

function addCounts(into: Counts, c: Counts): void {
  into.sent += c.sent;
  into.ok += c.ok;
  into.retried += c.retried;
  into.errors += c.errors;
  into.timeouts += c.timeouts;
  into.lost += c.lost;
  into.late += c.late;
  into.held = (into.held ?? 0) + (c.held ?? 0);
  into.dropped += c.dropped;
  for (const [k, v] of Object.entries(c.errorsByKind)) into.errorsByKind[k] = (into.errorsByKind[k] ?? 0) + v;
}

const r2 = (x: number): number => Math.round(x * 100) / 100;

/** The generator threads' GC pauses in a stage, when every thread reported them. */
function generatorGc(ws: readonly StageOutcome[]): Pick<StageResult, 'generatorGc'> {
  const gcs = ws.flatMap((w) => (w.gc ? [w.gc] : []));
  if (gcs.length === 0 || gcs.length < ws.length) return {};
  return {
    generatorGc: {
      count: gcs.reduce((a, g) => a + g.count, 0),
      totalMs: r2(gcs.reduce((a, g) => a + g.totalMs, 0)),
      maxMs: r2(Math.max(0, ...gcs.map((g) => g.maxMs))),
    },
  };
}

function requestedOps(s: StageSpec): number | null {
  if (s.model !== 'open' || !s.rate) return null;
  return schedule({ rate: s.rate, ...(s.rateTo !== undefined ? { rateTo: s.rateTo } : {}), durationMs: s.durationMs, maxInFlight: 1, lateThresholdMs: 1 }).total;
}

/** Merges a measurement's measured stages into the figures a result reports. */
export function summarizeMeasurement(m: Measurement, opts: { generatorIsTarget?: boolean } = {}): Summary {
  const measured = m.stages.filter((s) => !s.spec.warmup);
  const all = { corrected: [] as string[], uncorrected: [] as string[], lag: [] as string[] };
  const counts = emptyCounts();
  const stages: StageResult[] = [];
  const windows = new Map<number, { ok: number; errors: number; h: string[] }>();
  const saturation: string[] = [];
  let requestedTotal = 0;
  let openOnly = measured.length > 0;
  for (const st of measured) {
    const snaps = st.workers.flatMap((w) => (w.snapshot ? [w.snapshot] : []));
    const c = emptyCounts();
    for (const s of snaps) addCounts(c, s.counts);
    addCounts(counts, c);
    // Closed loop: as long as it issued (a count-bounded stage ends early; the drain of the last
    // pending operations is not load time); open loop: its schedule.
    // A slot held by an operation that hangs past the stage's end stops no clock.
    const issued = Math.min(st.spec.durationMs, Math.max(...st.workers.map((w) => w.issueMs), 0.001));
    const dur = st.spec.model === 'open' ? st.spec.durationMs : issued;
    const requested = requestedOps(st.spec);
    if (requested === null) openOnly = false;
    else requestedTotal += requested;
    const corrected = mergeEncoded(snaps.map((s) => s.corrected));
    const uncorrected = mergeEncoded(snaps.map((s) => s.uncorrected));
    stages.push({
      name: st.spec.name,
      model: st.spec.model,
      durationMs: r2(dur),
      latencyMs: summarize(corrected),
      latencyMsUncorrected: summarize(uncorrected),
      throughput: {
        requested: requested === null ? null : r2(requested / (st.spec.durationMs / 1000)),
        achieved: r2((c.ok + c.retried) / (dur / 1000)),
        sent: r2(c.sent / (dur / 1000)),
      },
      counts: c,
      generatorBusy: r2(Math.max(0, ...st.workers.map((w) => w.busy))),
      ...generatorGc(st.workers),
    });
    corrected.destroy();
    uncorrected.destroy();
    for (const s of snaps) {
      all.corrected.push(s.corrected);
      all.uncorrected.push(s.uncorrected);
      if (s.sendLag) all.lag.push(s.sendLag);
      for (const w of s.windows) {
        const key = w.index;
        const acc = windows.get(key) ?? { ok: 0, errors: 0, h: [] };
        acc.ok += w.ok;
        acc.errors += w.errors;
        acc.h.push(w.histogram);
        windows.set(key, acc);
      }
    }
    if (!opts.generatorIsTarget) {
      st.workers.forEach((w, i) => {
        if (w.busy >= DEFAULTS.saturationBusy) saturation.push(`generator saturated: worker ${i} event loop ${Math.round(w.busy * 100)}% busy in stage ${st.spec.name}`);
      });
    }
    if (st.spec.model === 'open' && c.sent > 0 && c.late / c.sent > DEFAULTS.maxLateShare) {
      saturation.push(`stage ${st.spec.name}: ${Math.round((c.late / c.sent) * 100)}% of sends left late (beyond the late threshold): the generator could not keep the arrival schedule, so corrected latency would be its lag`);
    }
    if (requested !== null && requested > 0 && c.sent < DEFAULTS.minRateShare * requested) {
      saturation.push(`stage ${st.spec.name}: sent ${c.sent} of ${requested} requested operations (${Math.round((c.sent / requested) * 100)}%): the generator fell more than 5% short`);
    }
  }
  const corrected = mergeEncoded(all.corrected);
  const uncorrected = mergeEncoded(all.uncorrected);
  const lag = all.lag.length ? mergeEncoded(all.lag) : null;
  const totalDur = stages.reduce((a, s) => a + s.durationMs, 0) || 1;
  const summary: Summary = {
    latencyMs: summarize(corrected),
    latencyMsUncorrected: summarize(uncorrected),
    sendLagMs: lag ? summarize(lag) : null,
    corrected: encode(corrected),
    uncorrected: encode(uncorrected),
    counts,
    throughput: {
      requested: openOnly ? r2(requestedTotal / (totalDur / 1000)) : null,
      achieved: r2((counts.ok + counts.retried) / (totalDur / 1000)),
      sent: r2(counts.sent / (totalDur / 1000)),
    },
    stages,
    windows: fillWindows(windows, m.windowMs),
    saturation,
  };
  corrected.destroy();
  uncorrected.destroy();
  lag?.destroy();
  return summary;
}

