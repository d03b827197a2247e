import { performance } from 'node:perf_hooks';

/** Monotonic time in microseconds (fractional). All engine timing goes through here. */
export function nowUs(): number {
  return performance.now() * 1000;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
