/**
 * Epoch milliseconds from the system clock, read now. Event times are compared with other
 * processes' clocks (the suite checks them against what its generator saw); performance.timeOrigin
 * is a snapshot each process takes at start, off by however long a loaded machine preempted it
 * between its two clock reads, and a pool starting 16 workers is exactly such a machine. Durations
 * (readyMs) keep performance.now().
 */
export function nowMs(): number {
  return Date.now();
}

interface Base {
  workerId: string;
  /** Epoch ms (sub-ms precision). */
  at: number;
}

/** Everything a suite needs to time start-up, replacement after kill -9 and hung-worker detection. */
export type PoolEvent =
  | (Base & { type: 'worker:started'; gen: number; pid: number })
  | (Base & { type: 'worker:ready'; gen: number; pid: number; port: number; readyMs: number })
  | (Base & { type: 'worker:start-failed'; gen: number; code: string; message: string })
  | (Base & { type: 'worker:exited'; gen: number; pid: number; code: number | null; signal: string | null; expected: boolean; reason: string })
  | (Base & { type: 'worker:restarted'; gen: number; pid: number; previousPid: number; downMs: number })
  | (Base & { type: 'worker:recycled'; gen: number; pid: number; reason: RecycleReason; requests: number; ageMs: number })
  | (Base & { type: 'worker:heartbeat-missed'; gen: number; pid: number; missed: number })
  | (Base & { type: 'worker:unhealthy'; gen: number; pid: number; reason: 'heartbeat' | 'unavailable'; missed: number })
  | (Base & { type: 'call:retried'; attempt: number; message: string });

export type PoolEventType = PoolEvent['type'];
export type RecycleReason = 'ttl' | 'max_requests' | 'memory' | 'manual';

export interface WorkerInfo {
  id: string;
  gen: number;
  state: string;
  pid: number | undefined;
  port: number | undefined;
  busy: number;
  requests: number;
  /** ms from spawn to connected, for the current process. */
  readyMs: number | undefined;
  restarts: number;
}

export interface PoolStats {
  workers: number;
  ready: number;
  busy: number;
  queueDepth: number;
  inFlight: number;
  requests: number;
  restarts: number;
  recycles: number;
  heartbeatKills: number;
  startFailures: number;
  retries: number;
  lostCalls: number;
}
