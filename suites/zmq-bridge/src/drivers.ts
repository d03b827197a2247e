import { performance } from 'node:perf_hooks';
import { createClient, type LazyPirateClient } from '@wirebench/zmq-bridge';
import { OK, errorOutcome, type Driver, type Outcome } from '@wirebench/kit';
import { VECTOR_OPS, closeEnough, prepareVectors, type PreparedVector } from './vectors.js';

export type Codec = 'json' | 'msgpack' | 'raw';

export interface ComputeOptions {
  endpoint: string;
  /** Floats per request vector. */
  n: number;
  format: Codec;
  /** Client instances (each its own DEALER pool); concurrent operations share them round-robin. */
  clients?: number;
  /** Lazy Pirate per-attempt timeout and total sends per request. */
  timeoutMs?: number;
  retries?: number;
  /** Requests in flight per client. */
  maxInFlight?: number;
  /** The client's socket layout: one DEALER per in-flight request (default) or one shared DEALER. */
  sockets?: 'per-request' | 'shared';
  /** Key under which per-operation times and client counters are kept (single generator thread only). */
  traceKey?: string;
}

/** One operation as the fault analysis sees it; times are performance.now() ms of this thread. */
export interface OpTrace {
  sentMs: number;
  doneMs: number;
  ok: boolean;
  retries: number;
}

export interface Trace {
  ops: OpTrace[];
  /** Every client the driver opened; counters stay readable after close. */
  clients: LazyPirateClient[];
}

/**
 * Replies the clients discarded as stale or duplicate so far. A stalled worker answering after the
 * retry is normally not among them: the timed-out attempt's socket was closed (linger 0), so
 * ZeroMQ drops that reply before the client sees it.
 */
export function staleDiscarded(t: Trace): number {
  return t.clients.reduce((a, c) => a + c.counters().staleDiscarded, 0);
}

/** The live trace under `key` (for reading counters while a load runs). */
export function peekTrace(key: string): Trace | undefined {
  return traces.get(key);
}

// Fault runs read these after ctx.measure returns; they need a single generator thread (load.workers 1),
// since a driver built in a worker thread writes to that thread's copy of this module.
const traces = new Map<string, Trace>();

export function takeTrace(key: string): Trace {
  const t = traces.get(key) ?? { ops: [], clients: [] };
  traces.delete(key);
  return t;
}

interface ClientState {
  client: LazyPirateClient;
  vectors: PreparedVector[];
  trace: Trace | null;
}

function check(reply: Record<string, unknown>, correlationId: string, op: string, v: PreparedVector, n: number): string | null {
  if (reply.status !== 'success') return `status_${String(reply.status)}`;
  if (reply.correlation_id !== correlationId) return 'correlation_id';
  if (reply.op !== op || reply.length !== n) return 'reply_shape';
  if (!closeEnough(reply.result, v.expected[op as keyof PreparedVector['expected']])) return 'wrong_result';
  return null;
}

/**
 * A compute request (sum, mean or norm, in turn) on an n-float vector through the Lazy Pirate
 * client; the reply must be a success for that vector, with the request's correlation_id.
 */
export function computeDriver(o: ComputeOptions): Driver<ClientState> {
  return {
    transport: 'zeromq',
    clients: o.clients ?? 1,
    open(ctx) {
      let trace: Trace | null = null;
      if (o.traceKey) {
        trace = traces.get(o.traceKey) ?? { ops: [], clients: [] };
        traces.set(o.traceKey, trace);
      }
      const client = createClient({
        endpoint: o.endpoint,
        format: o.format,
        timeoutMs: o.timeoutMs ?? 2500,
        retries: o.retries ?? 3,
        maxInFlight: o.maxInFlight ?? 32,
        sockets: o.sockets ?? 'per-request',
      });
      trace?.clients.push(client);
      return {
        client,
        vectors: prepareVectors(o.n, 4, 1 + ctx.clientIndex + 100 * ctx.workerIndex),
        trace,
      };
    },
    perform(c, op): Promise<Outcome> {
      const v = c.vectors[op.seq % c.vectors.length] as PreparedVector;
      const name = VECTOR_OPS[op.seq % VECTOR_OPS.length] as string;
      const sentMs = c.trace ? performance.now() : 0;
      const log = (ok: boolean, retries: number): void => {
        c.trace?.ops.push({ sentMs, doneMs: performance.now(), ok, retries });
      };
      return c.client.compute(name as 'sum', v.data).then(
        (r) => {
          const bad = check(r.reply, r.correlationId, name, v, o.n);
          log(bad === null, r.retries);
          if (bad) return errorOutcome(bad, r.retries);
          return r.retries ? { status: 'ok', retries: r.retries } : OK;
        },
        (err: unknown) => {
          log(false, 0);
          const code = (err as { code?: unknown }).code;
          return errorOutcome(typeof code === 'string' ? code : 'exception');
        },
      );
    },
    close(c) {
      c.client.close();
    },
  };
}
