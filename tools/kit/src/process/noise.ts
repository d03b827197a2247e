import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';

/**
 * How often, and for how long, this machine takes a CPU away from a thread that wants it all the
 * time (hypervisor, kernel work, other tenants). A thread spins reading the clock; any gap between
 * two reads longer than `thresholdMs` is time it was not running. A latency figure below the gaps
 * this reports is below the machine's floor: no target can promise it here.
 */
export interface NoiseReport {
  threads: number;
  durationMs: number;
  thresholdMs: number;
  /** Every gap ≥ thresholdMs, all threads, in ms, longest first. */
  gapsMs: number[];
  /** Gaps of 1 ms or more. */
  over1Ms: number;
  maxGapMs: number;
  /** Share of the spinning time the threads did not run (0–1). */
  lostShare: number;
}

/** Plain JavaScript, so the spinning threads need no loader (and no loader thread runs beside them). */
const THREAD = fileURLToPath(new URL('./noise-thread.mjs', import.meta.url));

/** `threads` spinning threads at once (one per CPU to load them all; one to leave the rest idle). */
export async function measureNoise(o: { threads: number; durationMs: number; thresholdMs: number; onSpinning?: () => void }): Promise<NoiseReport> {
  let spinning = 0;
  const runs = Array.from({ length: o.threads }, () => new Promise<number[]>((resolve, reject) => {
    const w = new Worker(THREAD, { workerData: { durationMs: o.durationMs, thresholdMs: o.thresholdMs } });
    w.on('message', (m: 'spinning' | number[]) => {
      if (m === 'spinning') {
        if (++spinning === o.threads) o.onSpinning?.();
      } else resolve(m);
    });
    w.once('error', reject);
  }));
  const gapsMs = (await Promise.all(runs)).flat().sort((a, b) => b - a);
  const lost = gapsMs.reduce((a, b) => a + b, 0);
  return {
    threads: o.threads,
    durationMs: o.durationMs,
    thresholdMs: o.thresholdMs,
    gapsMs,
    over1Ms: gapsMs.filter((g) => g >= 1).length,
    maxGapMs: gapsMs[0] ?? 0,
    lostShare: lost / (o.durationMs * o.threads),
  };
}
