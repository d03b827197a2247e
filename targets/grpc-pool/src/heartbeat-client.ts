import type { HeartbeatOptions } from './heartbeat-config.js';
import type { BridgeClient } from './proto.js';
import { timestampNow, unary } from './proto.js';

export interface HeartbeatLoop {
  missed(): number;
  stop(): void;
}

/**
 * The worker's heartbeat loop for one session (heartbeat.py): Heartbeat to the pool every
 * interval with a timeout_ms deadline; a success resets the miss count; when misses reach
 * max_missed_heartbeats and `dependent` is set, onThreshold runs once and the loop ends.
 */
export function startHeartbeatLoop(client: BridgeClient, sessionId: string, cfg: HeartbeatOptions, onThreshold: (missed: number) => void): HeartbeatLoop {
  let missed = 0;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  const schedule = (ms: number) => {
    if (!stopped) timer = setTimeout(() => void beat(), ms);
  };
  const beat = async () => {
    try {
      await unary(client, 'Heartbeat', { session_id: sessionId, client_time: timestampNow() }, { deadlineMs: Math.max(1, cfg.timeoutMs) });
      missed = 0;
    } catch {
      missed++;
      if (cfg.dependent && cfg.maxMissed > 0 && missed >= cfg.maxMissed && !stopped) {
        stopped = true;
        onThreshold(missed);
        return;
      }
    }
    schedule(cfg.intervalMs + (cfg.jitterMs > 0 ? Math.random() * cfg.jitterMs : 0));
  };
  schedule(cfg.initialDelayMs);
  return {
    missed: () => missed,
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
