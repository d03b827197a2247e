/**
 * The driver: compute requests (sum, mean, norm in turn) on n-float vectors through the Lazy
 * Pirate client, every reply validated (replies.ts).
 */
import { createClient, type LazyPirateClient } from '@wirebench/zmq-bridge';
import type { Driver, Outcome } from '@wirebench/kit';
import { failureOutcome, replyOutcome } from './replies.js';
import { VECTOR_OPS, prepareVectors, type PreparedVector } from './vectors.js';

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
}

interface ClientState {
  client: LazyPirateClient;
  vectors: PreparedVector[];
  /** The client's staleDiscarded when an operation last settled. */
  stale: number;
}

/**
 * Late or duplicate replies the client discarded since the last operation settled, charged to
 * this one: the client counts them, not per request, and a discard lands on the operation that
 * settles next, close to when it happened (what the recovery figures' windows need).
 */
function newlyDiscarded(c: ClientState): number {
  const now = c.client.counters().staleDiscarded;
  const d = now - c.stale;
  c.stale = now;
  return d;
}

export function computeDriver(o: ComputeOptions): Driver<ClientState> {
  return {
    clients: o.clients ?? 1,
    open(ctx) {
      const client = createClient({
        endpoint: o.endpoint,
        format: o.format,
        timeoutMs: o.timeoutMs ?? 2500,
        retries: o.retries ?? 3,
        maxInFlight: o.maxInFlight ?? 32,
        sockets: o.sockets ?? 'per-request',
      });
      return { client, vectors: prepareVectors(o.n, 4, 1 + ctx.clientIndex + 100 * ctx.workerIndex), stale: 0 };
    },
    perform(c, op): Promise<Outcome> {
      const v = c.vectors[op.seq % c.vectors.length]!;
      const name = VECTOR_OPS[op.seq % VECTOR_OPS.length]!;
      return c.client.compute(name, v.data).then(
        (r) => replyOutcome(r, { op: name, n: o.n, value: v.expected[name] }, newlyDiscarded(c)),
        (err: unknown) => failureOutcome(err, newlyDiscarded(c)),
      );
    },
    close(c) {
      c.client.close();
    },
  };
}
