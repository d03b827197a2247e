/** Generator worker thread: rebuilds the scenario's driver from the suite file and runs its share of the load. */
import { parentPort, workerData } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import { runLoad } from './load.js';
import type { WorkerJob, WorkerReport } from './measure.js';
import { clockOffsetUs } from './clock.js';
import { TraceRecorder, traceBuffers } from './trace.js';
import type { Suite } from '../suite/suite.js';

const job = workerData as WorkerJob;
const abort = new AbortController();
let release: () => void = () => {};
const started = new Promise<void>((r) => (release = r));
parentPort?.on('message', (m: { abort?: boolean; start?: boolean }) => {
  if (m.abort) {
    abort.abort();
    release();
  }
  if (m.start) release();
});

try {
  const mod = (await import(pathToFileURL(job.suiteFile).href)) as { default: Suite };
  const scenario = mod.default.scenarios.find((s) => s.name === job.scenario);
  const factory = job.driver ? scenario?.drivers?.[job.driver] : scenario?.driver;
  if (!factory) throw new Error(`scenario ${job.scenario} has no driver ${job.driver ?? ''}`);
  const driver = await factory(job.env);
  const { trace: traced, timeOriginMs, ...options } = job;
  const offsetUs = clockOffsetUs(timeOriginMs);
  const recorder = traced ? new TraceRecorder(job.workerIndex, offsetUs) : null;
  const stages = await runLoad(driver, {
    ...options,
    ...(recorder ? { trace: recorder } : {}),
    clockOffsetUs: offsetUs,
    signal: abort.signal,
    onProgress: (progress) => parentPort?.postMessage({ progress }),
    onStage: (stageEvent) => parentPort?.postMessage({ stageEvent }),
    // Every worker boots (tsx, the suite, its clients) before any starts its schedule: a worker
    // still compiling would otherwise steal the CPU from one already measuring.
    beforeStart: async () => {
      parentPort?.postMessage({ ready: true });
      await started;
    },
  });
  const trace = recorder?.finish() ?? null;
  // The trace's columns move to the main thread rather than being copied.
  parentPort?.postMessage({ ok: true, stages, trace } satisfies WorkerReport, trace ? traceBuffers(trace) : []);
} catch (err) {
  parentPort?.postMessage({ ok: false, error: err instanceof Error ? err.message : String(err) } satisfies WorkerReport);
}
parentPort?.close();
