import { PoolError, PoolErrorCode } from './errors.js';

export type TimeoutProfileName = 'balanced' | 'production' | 'production_strict' | 'development' | 'ml_inference' | 'batch';

export interface TimeoutProfile {
  defaultMs: number;
  /** Infinity for `:infinity`. */
  streamMs: number;
  queueMs: number;
}

export const TIMEOUT_PROFILES: Readonly<Record<TimeoutProfileName, TimeoutProfile>> = {
  balanced: { defaultMs: 300_000, streamMs: 900_000, queueMs: 10_000 },
  production: { defaultMs: 300_000, streamMs: 900_000, queueMs: 10_000 },
  production_strict: { defaultMs: 60_000, streamMs: 300_000, queueMs: 5_000 },
  development: { defaultMs: 900_000, streamMs: 3_600_000, queueMs: 60_000 },
  ml_inference: { defaultMs: 900_000, streamMs: 3_600_000, queueMs: 60_000 },
  batch: { defaultMs: 3_600_000, streamMs: Infinity, queueMs: 300_000 },
};

export const WORKER_CALL_MARGIN_MS = 1000;
export const POOL_REPLY_MARGIN_MS = 200;

export function timeoutProfile(name: string = 'balanced'): TimeoutProfile {
  const p = TIMEOUT_PROFILES[name as TimeoutProfileName];
  if (!p) {
    throw new PoolError(PoolErrorCode.BadOption, `unknown timeout profile ${JSON.stringify(name)}`, `use one of ${Object.keys(TIMEOUT_PROFILES).join(', ')}`);
  }
  return p;
}

/** The inner RPC timeout: total budget − 1000 ms worker call margin − 200 ms pool reply margin, floor 1. Infinity stays Infinity. */
export function innerRpcTimeoutMs(totalBudgetMs: number): number {
  if (totalBudgetMs === Infinity) return Infinity;
  return Math.max(1, Math.floor(totalBudgetMs) - WORKER_CALL_MARGIN_MS - POOL_REPLY_MARGIN_MS);
}
