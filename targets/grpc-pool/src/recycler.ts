import { readFile } from 'node:fs/promises';
import type { RecycleReason } from './pool-events.js';
import type { Slot } from './slot.js';

/** Resident set size of a process in MiB (Linux /proc), or undefined where it cannot be read. */
export async function rssMb(pid: number): Promise<number | undefined> {
  try {
    const m = /VmRSS:\s+(\d+)\s+kB/.exec(await readFile(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Every checkMs: workers at least ttlMs old, or above memoryThresholdMb, are recycled. */
export function startRecycleChecks(
  slots: readonly Slot[],
  o: { workerTtlMs: number; memoryThresholdMb: number; recycleCheckMs: number },
  recycle: (slot: Slot, reason: RecycleReason) => void,
): { stop(): void } {
  if (o.workerTtlMs === Infinity && o.memoryThresholdMb === Infinity) return { stop: () => undefined };
  let running = false;
  const timer = setInterval(async () => {
    if (running) return;
    running = true;
    try {
      for (const slot of slots) {
        if (slot.state !== 'ready' || !slot.proc) continue;
        if (Date.now() - slot.readySince >= o.workerTtlMs) recycle(slot, 'ttl');
        else if (o.memoryThresholdMb !== Infinity && ((await rssMb(slot.proc.pid)) ?? 0) >= o.memoryThresholdMb) recycle(slot, 'memory');
      }
    } finally {
      running = false;
    }
  }, o.recycleCheckMs);
  return { stop: () => clearInterval(timer) };
}
