import { setTimeout as sleep } from 'node:timers/promises';
import type { StartupStrategy } from './pool-options.js';

/**
 * Starts every item: all at once (concurrent), one after another (sequential), or in batches of
 * batchSize started concurrently, batchDelayMs between batches (the contract's code: 10, 500 ms).
 * Resolves with the first failure (or undefined) once every started item has settled;
 * sequential and batch stop starting new items after a failure.
 */
export async function startAll<T>(items: readonly T[], start: (item: T) => Promise<void>, strategy: StartupStrategy, batchSize: number, batchDelayMs: number): Promise<unknown> {
  const firstFailure = (results: PromiseSettledResult<void>[]) => results.find((r): r is PromiseRejectedResult => r.status === 'rejected')?.reason as unknown;
  if (strategy === 'concurrent') return firstFailure(await Promise.allSettled(items.map(start)));
  const size = strategy === 'sequential' ? 1 : batchSize;
  for (let i = 0; i < items.length; i += size) {
    if (i > 0 && strategy === 'batch' && batchDelayMs > 0) await sleep(batchDelayMs);
    const failed = firstFailure(await Promise.allSettled(items.slice(i, i + size).map(start)));
    if (failed !== undefined) return failed;
  }
  return undefined;
}
