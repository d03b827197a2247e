import { performance } from 'node:perf_hooks';

/** Monotonic time in microseconds (fractional). All engine timing goes through here. */
export function nowUs(): number {
  return performance.now() * 1000;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * What to add to this thread's nowUs() to get the main thread's (µs), given the main thread's
 * performance.timeOrigin. Node 20 gives worker threads the process's origin (offset 0); a thread
 * with an origin of its own (later Node versions) is shifted onto the main thread's clock.
 */
export function clockOffsetUs(mainTimeOriginMs: number): number {
  return (performance.timeOrigin - mainTimeOriginMs) * 1000;
}
