/** Heartbeat settings shared by the pool's monitor and the worker's client (contract defaults). */
export interface HeartbeatOptions {
  enabled: boolean;
  intervalMs: number;
  timeoutMs: number;
  maxMissed: number;
  initialDelayMs: number;
  jitterMs: number;
  /** Worker side: a worker that misses too many heartbeats to the pool shuts itself down. */
  dependent: boolean;
}

export const HEARTBEAT_DEFAULTS: Readonly<HeartbeatOptions> = {
  enabled: true, intervalMs: 2000, timeoutMs: 10_000, maxMissed: 3, initialDelayMs: 0, jitterMs: 0, dependent: true,
};

/** The JSON the pool puts in SNAKEPIT_HEARTBEAT_CONFIG (the Python field names). */
export function heartbeatEnvJson(h: HeartbeatOptions): string {
  return JSON.stringify({
    enabled: h.enabled, interval_ms: h.intervalMs, timeout_ms: h.timeoutMs, max_missed_heartbeats: h.maxMissed,
    initial_delay_ms: h.initialDelayMs, jitter_ms: h.jitterMs, dependent: h.dependent,
  });
}

const FIELDS: Record<string, keyof HeartbeatOptions> = {
  enabled: 'enabled', interval_ms: 'intervalMs', timeout_ms: 'timeoutMs', max_missed_heartbeats: 'maxMissed',
  initial_delay_ms: 'initialDelayMs', jitter_ms: 'jitterMs', dependent: 'dependent',
};

/**
 * Reads SNAKEPIT_HEARTBEAT_CONFIG as heartbeat.py does: unknown keys ignored, camelCase keys
 * normalised to snake_case, bad values fall back to the default. Missing or invalid JSON = defaults
 * (heartbeats stay on without the variable).
 */
export function parseHeartbeatEnv(text: string | undefined): HeartbeatOptions {
  const out: HeartbeatOptions = { ...HEARTBEAT_DEFAULTS };
  if (!text) return out;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return out;
  }
  if (raw === null || typeof raw !== 'object') return out;
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    const field = FIELDS[key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)];
    if (!field) continue;
    if (field === 'enabled' || field === 'dependent') {
      out[field] = typeof value === 'string' ? ['1', 'true', 't', 'yes', 'y', 'on'].includes(value.trim().toLowerCase()) : Boolean(value);
    } else {
      const n = Number(value);
      if (Number.isFinite(n) && (field !== 'maxMissed' || n >= 0)) out[field] = Math.trunc(n);
    }
  }
  return out;
}
