import type { OpTrace } from './drivers.js';

export interface Recovery {
  /** ms from the fault until the last disturbed request was answered; null = not recovered in the window. */
  recoveryMs: number | null;
  /** Requests the fault disturbed: failed, retried, or slower than normal. */
  disturbed: number;
  /** Requests in the window that failed outright. */
  failed: number;
}

/**
 * Recovery after a fault at `faultMs`, from per-request send/answer times (performance.now ms).
 * A request is disturbed when it failed, needed a retry, or took longer than `normalMs`. Scanning
 * requests in send order from the fault on, recovery ends at the answer of the last disturbed one
 * once `quietMs` of sends have followed it undisturbed: from then on requests succeed first time
 * at normal latency. A request stuck in a dead worker counts until its retry is answered.
 */
export function recoveryAfter(ops: readonly OpTrace[], faultMs: number, untilMs: number, normalMs: number, quietMs = 1000): Recovery {
  const window = ops
    .filter((o) => o.doneMs >= faultMs && o.sentMs < untilMs)
    .sort((a, b) => a.sentMs - b.sentMs);
  let lastDone: number | null = null;
  let disturbed = 0;
  let failed = 0;
  let quietReached = false;
  for (const o of window) {
    if (lastDone !== null && o.sentMs > lastDone + quietMs) {
      quietReached = true;
      break;
    }
    const bad = !o.ok || o.retries > 0 || o.doneMs - o.sentMs > normalMs;
    if (!o.ok) failed++;
    if (bad) {
      disturbed++;
      lastDone = Math.max(lastDone ?? 0, o.doneMs);
    }
  }
  if (lastDone === null) return { recoveryMs: 0, disturbed, failed };
  // Without a quiet stretch after the last disturbance, the system had not settled within the window.
  if (!quietReached) return { recoveryMs: null, disturbed, failed };
  return { recoveryMs: Math.max(0, lastDone - faultMs), disturbed, failed };
}
