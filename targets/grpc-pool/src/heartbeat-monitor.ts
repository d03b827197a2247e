import type { HeartbeatOptions } from './heartbeat-config.js';
import { nowMs } from './pool-events.js';
import type { PoolEvent } from './pool-events.js';
import { timestampNow, unary } from './proto.js';
import type { Slot } from './slot.js';

/**
 * The pool's heartbeat monitor: for every ready worker, Heartbeat RPC (the worker proxies it to
 * the pool) with a timeout_ms deadline, one at a time, interval_ms apart. A success resets the
 * misses; max_missed_heartbeats misses in a row → onDead (kill; the supervisor restarts it).
 * Detection of a hung worker therefore takes about maxMissed × (timeoutMs + intervalMs).
 */
export function startHeartbeatMonitor(
  slots: readonly Slot[],
  h: HeartbeatOptions,
  emit: (e: PoolEvent) => void,
  onDead: (slot: Slot, gen: number, missed: number) => void,
): { stop(): void } {
  if (!h.enabled) return { stop: () => undefined };
  const timers = new Set<NodeJS.Timeout>();
  let stopped = false;
  const later = (fn: () => void, ms: number) => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };

  const watch = (slot: Slot) => {
    let gen = -1;
    let missed = 0;
    const beat = async () => {
      if (stopped) return;
      const proc = slot.proc;
      if (!proc || (slot.state !== 'ready' && slot.state !== 'draining')) return later(beat, h.intervalMs);
      if (slot.gen !== gen) {
        gen = slot.gen;
        missed = 0;
        if (h.initialDelayMs > 0) return later(beat, h.initialDelayMs);
      }
      const beatGen = gen;
      try {
        await unary(proc.client, 'Heartbeat', { session_id: slot.sessionId, client_time: timestampNow() }, { deadlineMs: Math.max(1, h.timeoutMs) });
        if (slot.gen === beatGen) missed = 0;
      } catch {
        if (stopped || slot.gen !== beatGen || slot.proc !== proc) return later(beat, 0);
        missed++;
        emit({ type: 'worker:heartbeat-missed', workerId: slot.id, gen: beatGen, pid: proc.pid, missed, at: nowMs() });
        if (h.maxMissed > 0 && missed >= h.maxMissed) {
          onDead(slot, beatGen, missed);
        }
      }
      later(beat, h.intervalMs);
    };
    later(beat, h.intervalMs);
  };
  slots.forEach(watch);
  return {
    stop() {
      stopped = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
    },
  };
}
