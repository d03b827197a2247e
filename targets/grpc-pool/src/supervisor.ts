import { EventEmitter, setMaxListeners } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { backoffAt } from './backoff.js';
import { describeError, PoolError } from './errors.js';
import { heartbeatEnvJson } from './heartbeat-config.js';
import type { ResolvedPoolOptions } from './pool-options.js';
import { nowMs } from './pool-events.js';
import type { PoolEvent, RecycleReason } from './pool-events.js';
import type { Scheduler } from './scheduler.js';
import type { Slot } from './slot.js';
import { startWorkerProcess } from './worker-process.js';
import type { ExitInfo, WorkerProcess } from './worker-process.js';

type Emit = (e: PoolEvent) => void;

/**
 * Starts, watches and replaces the worker processes: an unexpected exit fails or hands back the
 * calls in flight and restarts the slot after a backoff; recycling drains first (no new calls,
 * waits for the running ones), then stops the worker gracefully and starts a new one.
 */
export class Supervisor extends EventEmitter {
  readonly counts = { restarts: 0, recycles: 0, heartbeatKills: 0, startFailures: 0 };
  readonly readyTimes: number[] = [];
  private closing = false;
  private readonly abort = new AbortController();
  private readonly starting = new Set<Promise<unknown>>();

  constructor(
    private readonly o: ResolvedPoolOptions,
    private readonly poolAddress: () => string,
    private readonly scheduler: () => Scheduler,
    private readonly emitEvent: Emit,
  ) {
    super();
    // Every slot that is starting listens on this one signal (removed once it is ready), so a
    // concurrent start of more than 10 workers is expected, not a leak.
    setMaxListeners(Math.max(10, o.size), this.abort.signal);
  }

  /** Spawns the slot's next generation and waits until it is ready (rejects with the start-up error). */
  async start(slot: Slot): Promise<void> {
    const gen = ++slot.gen;
    slot.state = 'starting';
    slot.busy = 0;
    slot.requests = 0;
    slot.killReason = undefined;
    const o = this.o;
    let proc: WorkerProcess;
    try {
      const pending = startWorkerProcess({
        workerId: slot.id, command: o.command, host: o.host, readyTimeoutMs: o.readyTimeoutMs, readyPollMs: o.readyPollMs,
        connectAttempts: o.connectAttempts, maxMessageBytes: o.maxMessageBytes,
        args: ['--adapter', 'wirebench.showcase', '--port', '0', '--elixir-address', this.poolAddress(), '--snakepit-run-id', o.runId, '--worker-id', slot.id, ...o.workerArgs],
        env: {
          ...process.env, ...o.workerEnv, SNAKEPIT_HEARTBEAT_CONFIG: heartbeatEnvJson(o.workerHeartbeat),
          SNAKEPIT_LOG_LEVEL: o.logLevel, WB_GRPC_SESSION_MODE: o.sessionMode,
        },
        signal: this.abort.signal,
        onSpawn: (pid) => this.emitEvent({ type: 'worker:started', workerId: slot.id, gen, pid, at: nowMs() }),
        onOutput: o.onWorkerOutput ? (stream, text) => o.onWorkerOutput!(slot.id, stream, text) : undefined,
      });
      this.starting.add(pending);
      try {
        proc = await pending;
      } finally {
        this.starting.delete(pending);
      }
    } catch (e) {
      this.counts.startFailures++;
      slot.state = 'restarting';
      const err = e instanceof PoolError ? e : undefined;
      this.emitEvent({ type: 'worker:start-failed', workerId: slot.id, gen, code: err?.code ?? 'WB_ERR_POOL_WORKER_STARTUP', message: describeError(e), at: nowMs() });
      throw e;
    }
    if (this.closing || slot.gen !== gen) {
      await proc.stop(this.o.shutdownTimeoutMs);
      return;
    }
    slot.proc = proc;
    slot.state = 'ready';
    slot.readySince = Date.now();
    const readyMs = proc.readyAt - proc.spawnedAt;
    this.readyTimes.push(readyMs);
    this.emitEvent({ type: 'worker:ready', workerId: slot.id, gen, pid: proc.pid, port: proc.port, readyMs, at: nowMs() });
    void proc.exited.then((exit) => this.onExit(slot, gen, proc, exit));
    this.scheduler().offer(slot);
  }

  /** Kills a worker the pool judged broken (heartbeats, unreachable); the exit handler restarts it. */
  kill(slot: Slot, gen: number, reason: 'heartbeat' | 'unavailable', missed = 0): void {
    const proc = slot.proc;
    if (slot.gen !== gen || !proc || !proc.alive() || slot.killReason) return;
    slot.killReason = reason;
    if (reason === 'heartbeat') this.counts.heartbeatKills++;
    this.emitEvent({ type: 'worker:unhealthy', workerId: slot.id, gen, pid: proc.pid, reason, missed, at: nowMs() });
    proc.signal('SIGKILL');
  }

  /** Drains the slot (no new calls), then replaces its worker. */
  recycle(slot: Slot, reason: RecycleReason): void {
    if (slot.state !== 'ready' || this.closing) return;
    slot.state = 'draining';
    const gen = slot.gen;
    const go = () => void this.replace(slot, gen, reason);
    if (slot.busy === 0) go();
    else this.once(`drained:${slot.id}:${gen}`, go);
  }

  /** A call on the slot finished: a draining slot whose last call ended can be replaced now. */
  released(slot: Slot): void {
    if (slot.state === 'draining' && slot.busy === 0) this.emit(`drained:${slot.id}:${slot.gen}`);
  }

  private async replace(slot: Slot, gen: number, reason: RecycleReason): Promise<void> {
    const proc = slot.proc;
    if (slot.gen !== gen || !proc) return;
    slot.state = 'stopping';
    const ageMs = Date.now() - slot.readySince;
    await proc.stop(this.o.shutdownTimeoutMs);
    this.counts.recycles++;
    this.emitEvent({ type: 'worker:recycled', workerId: slot.id, gen, pid: proc.pid, reason, requests: slot.requests, ageMs, at: nowMs() });
    await this.restartLoop(slot);
  }

  private onExit(slot: Slot, gen: number, proc: WorkerProcess, exit: ExitInfo): void {
    if (slot.gen !== gen || slot.state === 'stopping' || slot.state === 'stopped') return;
    const exitedAt = nowMs();
    const reason = slot.killReason ?? 'exited';
    this.emitEvent({ type: 'worker:exited', workerId: slot.id, gen, pid: proc.pid, code: exit.code, signal: exit.signal, expected: false, reason, at: exitedAt });
    slot.state = 'restarting';
    slot.proc = undefined;
    for (const f of slot.inflight) {
      f.lost = true;
      f.cancel();
    }
    this.scheduler().slotLost(slot);
    if (this.closing) return;
    slot.failures++;
    void this.restartLoop(slot, backoffAt(this.o.restartBackoffMs, slot.failures - 1)).then((ok) => {
      if (!ok || !slot.proc) return;
      this.counts.restarts++;
      this.emitEvent({ type: 'worker:restarted', workerId: slot.id, gen: slot.gen, pid: slot.proc.pid, previousPid: proc.pid, downMs: nowMs() - exitedAt, at: nowMs() });
    });
  }

  /** Starts the slot again, backing off after each failed start, until it is up or the pool closes. */
  private async restartLoop(slot: Slot, firstDelayMs = 0): Promise<boolean> {
    let delay = firstDelayMs;
    while (!this.closing) {
      if (delay > 0) await sleep(delay);
      if (this.closing) break;
      try {
        await this.start(slot);
        slot.failures = 0;
        return true;
      } catch {
        slot.failures++;
        delay = backoffAt(this.o.restartBackoffMs, slot.failures - 1);
      }
    }
    slot.state = 'stopped';
    return false;
  }

  /** Stops every worker: SIGTERM, then SIGKILL after the shutdown timeout. */
  async stopAll(slots: readonly Slot[]): Promise<void> {
    this.closing = true;
    this.abort.abort();
    await Promise.allSettled([...this.starting]);
    await Promise.all(slots.map(async (slot) => {
      const proc = slot.proc;
      slot.state = 'stopped';
      if (proc) await proc.stop(this.o.shutdownTimeoutMs);
    }));
  }
}
