import { EventEmitter } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { createDispatcher } from './dispatch.js';
import type { CallOptions, Dispatched } from './dispatch.js';
import { PoolError, PoolErrorCode } from './errors.js';
import { bindServer, createBridgeServer, formatAddress, shutdownServer } from './grpc-server.js';
import { startHeartbeatMonitor } from './heartbeat-monitor.js';
import type { ExecuteToolRequest, ToolChunk } from './messages.js';
import type { PoolEvent, PoolEventType, PoolStats, RecycleReason, WorkerInfo } from './pool-events.js';
import { resolvePoolOptions } from './pool-options.js';
import type { PoolOptions, ResolvedPoolOptions } from './pool-options.js';
import { createPoolService } from './pool-service.js';
import { startRecycleChecks } from './recycler.js';
import { Scheduler } from './scheduler.js';
import { SessionStore } from './sessions.js';
import { Slot } from './slot.js';
import { startAll } from './startup.js';
import { Supervisor } from './supervisor.js';
import { decodeReply, toolRequest, toRequest } from './reply.js';
import type { ToolReply, ToolRequestOptions } from './reply.js';

export interface ToolCallOptions extends CallOptions, ToolRequestOptions {}

/** A decoded reply plus the worker that ran it and how many attempts it took. */
export interface PoolReply extends ToolReply {
  workerId: string;
  attempts: number;
}

export interface Pool {
  /** The pool's own BridgeService (host:port): workers call it; so can out-of-process clients. */
  readonly address: string;
  readonly options: ResolvedPoolOptions;
  readonly sessions: SessionStore;
  execute(tool: string, params?: Record<string, unknown>, opts?: ToolCallOptions): Promise<PoolReply>;
  executeRequest(req: Partial<ExecuteToolRequest>, opts?: CallOptions): Promise<Dispatched>;
  executeStream(tool: string, params?: Record<string, unknown>, opts?: ToolCallOptions): AsyncGenerator<ToolChunk>;
  executeStreamRequest(req: Partial<ExecuteToolRequest>, opts?: CallOptions): AsyncGenerator<ToolChunk>;
  workers(): WorkerInfo[];
  stats(): PoolStats;
  /** ms from spawn to ready of every worker that became ready, in order. */
  readyTimes(): number[];
  /** The last 10,000 events. */
  events(): PoolEvent[];
  on(type: PoolEventType | 'event', listener: (e: PoolEvent) => void): this;
  off(type: PoolEventType | 'event', listener: (e: PoolEvent) => void): this;
  once(type: PoolEventType | 'event', listener: (e: PoolEvent) => void): this;
  recycle(workerId: string, reason?: RecycleReason): void;
  /** Graceful shutdown: queued calls fail (closed), running ones finish (up to shutdownTimeoutMs), workers get SIGTERM then SIGKILL. */
  close(): Promise<void>;
}

/** Starts the pool's BridgeService, then its workers (by the start-up strategy); rejects, with nothing left running, if a worker cannot start. */
export async function createPool(opts: PoolOptions = {}): Promise<Pool> {
  const o = resolvePoolOptions(opts);
  const emitter = new EventEmitter();
  const log: PoolEvent[] = [];
  const emit = (e: PoolEvent) => {
    log.push(e);
    if (log.length > 10_000) log.shift();
    emitter.emit(e.type, e);
    emitter.emit('event', e);
  };
  const sessions = new SessionStore();
  const slots = Array.from({ length: o.size }, (_, i) => new Slot(`worker_${i + 1}`, i, `pool_worker_${i + 1}_session`));
  for (const s of slots) sessions.create(s.sessionId, { worker_id: s.id });
  const scheduler = new Scheduler(slots, o);
  let address = '';
  const supervisor = new Supervisor(o, () => address, () => scheduler, emit);
  const counts = { requests: 0, retries: 0, lostCalls: 0, inFlight: 0 };
  let closing: Promise<void> | undefined;
  const dispatcher = createDispatcher({ o, scheduler, supervisor, emit, counts, closed: () => closing !== undefined });

  const server = createBridgeServer(createPoolService(sessions, () => dispatcher), o.maxMessageBytes);
  address = formatAddress(o.host, await bindServer(server, o.host, o.port));
  let monitor = { stop: () => undefined as void };
  let recycler = { stop: () => undefined as void };

  const close = (): Promise<void> => {
    closing ??= (async () => {
      scheduler.close(new PoolError(PoolErrorCode.Closed, 'the pool is shutting down', 'send calls before closing the pool'));
      monitor.stop();
      recycler.stop();
      const until = Date.now() + o.shutdownTimeoutMs;
      while (counts.inFlight > 0 && Date.now() < until) await sleep(10);
      await supervisor.stopAll(slots);
      await shutdownServer(server, 1000);
    })();
    return closing;
  };

  const failure = await startAll(slots, (s) => supervisor.start(s), o.startup, o.startupBatchSize, o.startupBatchDelayMs);
  if (failure !== undefined) {
    await close();
    throw failure;
  }
  monitor = startHeartbeatMonitor(slots, o.heartbeat, emit, (slot, gen, missed) => supervisor.kill(slot, gen, 'heartbeat', missed));
  recycler = startRecycleChecks(slots, o, (slot, reason) => supervisor.recycle(slot, reason));

  const pool: Pool = {
    address, options: o, sessions,
    async execute(tool, params = {}, c = {}) {
      const { response, workerId, attempts } = await dispatcher.executeRequest(toolRequest(tool, params, c), c);
      return { ...decodeReply(response), workerId, attempts };
    },
    executeRequest: (req, c) => dispatcher.executeRequest(toRequest(req), c),
    executeStream: (tool, params = {}, c = {}) => dispatcher.executeStream(toolRequest(tool, params, { ...c, stream: true }), c),
    executeStreamRequest: (req, c) => dispatcher.executeStream(toRequest(req), c),
    workers: () => slots.map((s) => ({
      id: s.id, gen: s.gen, state: s.state, pid: s.proc?.pid, port: s.proc?.port, busy: s.busy, requests: s.requests,
      readyMs: s.proc ? s.proc.readyAt - s.proc.spawnedAt : undefined, restarts: Math.max(0, s.gen - 1),
    })),
    stats: () => ({
      workers: slots.length, ready: slots.filter((s) => s.state === 'ready').length, busy: slots.filter((s) => s.busy > 0).length,
      queueDepth: scheduler.queueDepth, inFlight: counts.inFlight, requests: counts.requests, retries: counts.retries, lostCalls: counts.lostCalls,
      ...supervisor.counts,
    }),
    readyTimes: () => [...supervisor.readyTimes],
    events: () => [...log],
    on(type, l) { emitter.on(type, l); return pool; },
    off(type, l) { emitter.off(type, l); return pool; },
    once(type, l) { emitter.once(type, l); return pool; },
    recycle(workerId, reason = 'manual') {
      const slot = slots.find((s) => s.id === workerId);
      if (!slot) throw new PoolError(PoolErrorCode.BadOption, `no worker ${workerId}`, `use one of ${slots.map((s) => s.id).join(', ')}`);
      supervisor.recycle(slot, reason);
    },
    close,
  };
  return pool;
}
