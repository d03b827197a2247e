import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import * as grpc from '@grpc/grpc-js';
import { backoffAt } from './backoff.js';
import { PoolError, PoolErrorCode } from './errors.js';
import type { ExecuteToolRequest, ExecuteToolResponse, ToolChunk } from './messages.js';
import type { AffinityMode, ResolvedPoolOptions } from './pool-options.js';
import { nowMs } from './pool-events.js';
import type { PoolEvent } from './pool-events.js';
import { isServiceError, unary } from './proto.js';
import type { Checkout, Scheduler } from './scheduler.js';
import type { InFlight } from './slot.js';
import type { Supervisor } from './supervisor.js';
import { innerRpcTimeoutMs } from './timeouts.js';

export interface CallOptions {
  /** Total budget; default the timeout profile's default (stream: its stream timeout). */
  timeoutMs?: number;
  /** Default the profile's queue timeout (or the pool's queueTimeoutMs). */
  queueTimeoutMs?: number;
  affinity?: AffinityMode;
  /** Tries on another worker after a lost worker; default the pool's callRetries. */
  retries?: number;
}

export interface Dispatched {
  response: ExecuteToolResponse;
  workerId: string;
  attempts: number;
}

interface Deps {
  o: ResolvedPoolOptions;
  scheduler: Scheduler;
  supervisor: Supervisor;
  emit: (e: PoolEvent) => void;
  counts: { requests: number; retries: number; lostCalls: number; inFlight: number };
  closed: () => boolean;
}

/**
 * Runs calls on workers. A call whose worker is lost (exited, killed, unreachable) is tried again
 * on another worker up to callRetries times (100/200/400 ms apart), then fails with
 * WB_ERR_POOL_WORKER_LOST; a stream is retried only before its first chunk. Nothing is dropped.
 */
export function createDispatcher(d: Deps) {
  const { o, scheduler, supervisor } = d;

  async function checkout(req: ExecuteToolRequest, started: number, budget: number, opts: CallOptions): Promise<{ c: Checkout; request: ExecuteToolRequest; rpcMs: number }> {
    if (d.closed()) throw new PoolError(PoolErrorCode.Closed, 'the pool is shutting down', 'send calls before closing the pool');
    const queueMs = Math.min(opts.queueTimeoutMs ?? o.queueTimeoutMs, budget - (performance.now() - started));
    const c = await scheduler.checkout(req.session_id || undefined, queueMs, opts.affinity);
    d.counts.requests++;
    d.counts.inFlight++;
    const request = req.session_id ? req : { ...req, session_id: c.slot.sessionId };
    return { c, request, rpcMs: innerRpcTimeoutMs(budget - (performance.now() - started)) };
  }

  function finish(c: Checkout, flight: InFlight): void {
    c.slot.inflight.delete(flight);
    d.counts.inFlight--;
    // Drain before the slot is offered again, so the worker takes no request past its limit.
    if (c.slot.gen === c.gen && c.slot.requests >= o.workerMaxRequests) supervisor.recycle(c.slot, 'max_requests');
    scheduler.release(c);
    supervisor.released(c.slot);
  }

  /** The worker's client; a worker that went away between checkout and call counts as lost. */
  function clientOf(c: Checkout, flight: InFlight) {
    if (!c.slot.proc || c.slot.gen !== c.gen) {
      flight.lost = true;
      throw new Error(`worker ${c.slot.id} went away before the call started`);
    }
    return c.slot.proc.client;
  }

  /** Is this failure the worker going away? If so the pool kills what is left of it. */
  function lostWorker(e: unknown, c: Checkout, flight: InFlight): boolean {
    const lost = flight.lost || (isServiceError(e) && e.code === grpc.status.UNAVAILABLE);
    if (lost) supervisor.kill(c.slot, c.gen, 'unavailable');
    return lost;
  }

  async function retryOrFail(e: unknown, c: Checkout, attempt: number, opts: CallOptions): Promise<void> {
    d.counts.lostCalls++;
    const message = isServiceError(e) ? e.details : String(e);
    if (attempt >= (opts.retries ?? o.callRetries) || d.closed()) {
      throw new PoolError(PoolErrorCode.WorkerLost, `worker ${c.slot.id} went away during the call (${message}); ${attempt + 1} attempt(s) made`, 'the call may or may not have run; retry it if it is safe to', { details: { workerId: c.slot.id, attempts: attempt + 1 }, cause: e });
    }
    d.counts.retries++;
    d.emit({ type: 'call:retried', workerId: c.slot.id, attempt: attempt + 1, message, at: nowMs() });
    await sleep(backoffAt(o.retryBackoffMs, attempt));
  }

  function callError(e: unknown, c: Checkout, rpcMs: number): PoolError {
    if (isServiceError(e) && e.code === grpc.status.DEADLINE_EXCEEDED) {
      return new PoolError(PoolErrorCode.CallTimeout, `worker ${c.slot.id} did not answer within ${rpcMs} ms`, 'raise timeoutMs or use a longer timeout profile', { details: { workerId: c.slot.id, grpcCode: e.code }, cause: e });
    }
    const code = isServiceError(e) ? e.code : grpc.status.UNKNOWN;
    return new PoolError(PoolErrorCode.Rpc, `worker ${c.slot.id} answered ${grpc.status[code]}: ${isServiceError(e) ? e.details : String(e)}`, 'see the gRPC status; the worker keeps serving', { details: { workerId: c.slot.id, grpcCode: code }, cause: e });
  }

  async function executeRequest(req: ExecuteToolRequest, opts: CallOptions = {}): Promise<Dispatched> {
    const started = performance.now();
    const budget = opts.timeoutMs ?? o.profile.defaultMs;
    for (let attempt = 0; ; attempt++) {
      const { c, request, rpcMs } = await checkout(req, started, budget, opts);
      const flight: InFlight = { lost: false, cancel: () => undefined };
      c.slot.inflight.add(flight);
      try {
        const response = await unary<ExecuteToolResponse>(clientOf(c, flight), 'ExecuteTool', request, {
          deadlineMs: rpcMs === Infinity ? undefined : rpcMs,
          onCall: (call) => (flight.cancel = () => call.cancel()),
        });
        return { response, workerId: c.slot.id, attempts: attempt + 1 };
      } catch (e) {
        if (!lostWorker(e, c, flight)) throw callError(e, c, rpcMs);
        await retryOrFail(e, c, attempt, opts);
      } finally {
        finish(c, flight);
      }
    }
  }

  async function* executeStream(req: ExecuteToolRequest, opts: CallOptions = {}): AsyncGenerator<ToolChunk> {
    const started = performance.now();
    const budget = opts.timeoutMs ?? o.profile.streamMs;
    for (let attempt = 0; ; attempt++) {
      const { c, request, rpcMs } = await checkout(req, started, budget, opts);
      const callOpts: grpc.CallOptions = rpcMs === Infinity ? {} : { deadline: Date.now() + rpcMs };
      let call: grpc.ClientReadableStream<ToolChunk> | undefined;
      const flight: InFlight = { lost: false, cancel: () => call?.cancel() };
      c.slot.inflight.add(flight);
      let delivered = 0;
      let done = false;
      try {
        call = clientOf(c, flight).ExecuteStreamingTool!(request, new grpc.Metadata(), callOpts) as grpc.ClientReadableStream<ToolChunk>;
        for await (const chunk of call) {
          delivered++;
          yield chunk;
        }
        done = true;
        return;
      } catch (e) {
        if (!lostWorker(e, c, flight)) throw callError(e, c, rpcMs);
        if (delivered > 0) {
          d.counts.lostCalls++;
          throw new PoolError(PoolErrorCode.WorkerLost, `worker ${c.slot.id} went away after ${delivered} chunk(s) of the stream`, 'restart the stream; chunks already received are not sent again', { details: { workerId: c.slot.id, delivered }, cause: e });
        }
        await retryOrFail(e, c, attempt, opts);
      } finally {
        if (!done) call?.cancel();
        finish(c, flight);
      }
    }
  }

  return { executeRequest, executeStream };
}
