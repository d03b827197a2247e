/** Worker → pool `connection_test`: up to 60 attempts, delays from 50 ms doubling, capped at 2 s, 1 s timeout each. */
export interface ConnectionTestOptions {
  attempts: number;
  initialDelayMs: number;
  maxDelayMs: number;
  timeoutMs: number;
}
export const CONNECTION_TEST: Readonly<ConnectionTestOptions> = { attempts: 60, initialDelayMs: 50, maxDelayMs: 2000, timeoutMs: 1000 };

/** Pool → worker connect: up to 5 attempts, min(50·2^n, 500) ms plus up to 25 % jitter. */
export const CONNECT_RETRY = { attempts: 5, baseMs: 50, maxMs: 500, jitter: 0.25 } as const;

/** Call retries and restart backoff: 100/200/400/800/1600 ms. */
export const RETRY_BACKOFF_MS: readonly number[] = [100, 200, 400, 800, 1600];

export function connectionTestDelayMs(attempt: number, initialMs: number = CONNECTION_TEST.initialDelayMs, maxMs: number = CONNECTION_TEST.maxDelayMs): number {
  return Math.min(initialMs * 2 ** attempt, maxMs);
}

export function connectRetryDelayMs(attempt: number, random = Math.random): number {
  const base = Math.min(CONNECT_RETRY.baseMs * 2 ** attempt, CONNECT_RETRY.maxMs);
  return base + base * CONNECT_RETRY.jitter * random();
}

/** The n-th entry of a backoff list, repeating the last one. */
export function backoffAt(list: readonly number[], n: number): number {
  if (list.length === 0) return 0;
  return list[Math.min(Math.max(0, n), list.length - 1)]!;
}
