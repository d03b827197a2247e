import { createHistogram, encodeHistogram } from '../results/histogram.js';
import type { Measurement } from '../engine/measure.js';
import { emptyCounts } from '../engine/recorder.js';
import type { Counts } from '../results/types.js';

/** What an external load tool (autocannon, wrk…) reports, in the kit's terms. */
export interface ExternalRun {
  stage: string;
  /** Closed-loop connections or in-flight requests the tool kept. */
  concurrency: number;
  durationMs: number;
  /** sent and ok at least; every other outcome counted by the tool. */
  counts: Pick<Counts, 'sent' | 'ok'> & Partial<Counts>;
  /** Successful operations in each whole second, for compare's per-window test. */
  okPerSecond: number[];
  /** Event-loop utilisation of the generator thread that ran the tool, 0..1. */
  busy: number;
  cpuPct?: number;
  params?: Record<string, unknown>;
}

/**
 * A measurement made by a tool other than the kit's engine, so that its counts, throughput,
 * per-second windows and generator check go through the same result path. Such tools report
 * latency too coarsely (autocannon: whole ms), so the measurement carries no latency: the result
 * says count 0 rather than a figure the kit did not record.
 */
export function externalMeasurement(run: ExternalRun): Measurement {
  const empty = createHistogram();
  const enc = encodeHistogram(empty);
  empty.destroy();
  const counts: Counts = { ...emptyCounts(), ...run.counts, errorsByKind: { ...(run.counts.errorsByKind ?? {}) } };
  const spec = { name: run.stage, model: 'closed' as const, durationMs: run.durationMs, warmup: false, concurrency: run.concurrency };
  return {
    load: { model: 'closed', stages: [spec], workers: 1, timeoutMs: 0, ...(run.params ? { params: run.params } : {}) },
    windowMs: 1000,
    stages: [
      {
        spec,
        workers: [
          {
            name: run.stage,
            model: 'closed',
            warmup: false,
            elapsedMs: run.durationMs,
            issueMs: run.durationMs,
            busy: run.busy,
            cpuPct: run.cpuPct ?? 0,
            snapshot: {
              corrected: enc,
              uncorrected: enc,
              sendLag: null,
              counts,
              windows: run.okPerSecond.map((ok, index) => ({ index, ok, errors: 0, histogram: enc })),
            },
          },
        ],
      },
    ],
  };
}
