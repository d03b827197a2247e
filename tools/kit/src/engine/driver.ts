/**
 * The transport seam. A driver knows how to open a client, perform one operation and validate
 * its response, and close the client; the kit knows nothing else about the wire. Drivers live in
 * suites (they import the transport library), the kit imports none.
 */

/**
 * How one operation ended. `retries` = attempts beyond the first (a retried success counts as
 * `retried`); `duplicates` = late or duplicate replies the client discarded for this operation
 * (kept in per-operation traces, for recovery figures).
 */
interface OutcomeExtras {
  readonly retries?: number;
  readonly duplicates?: number;
  /** Payload bytes this operation moved (request + reply, or what the suite counts): throughput in B/s where it matters (streams, NATS). */
  readonly bytes?: number;
}
export type Outcome =
  | ({ readonly status: 'ok' } & OutcomeExtras)
  | ({ readonly status: 'error'; readonly kind: string } & OutcomeExtras)
  | ({ readonly status: 'timeout' } & OutcomeExtras)
  | ({ readonly status: 'lost' } & OutcomeExtras);

export const OK: Outcome = Object.freeze({ status: 'ok' });

export function errorOutcome(kind: string, retries?: number): Outcome {
  return retries ? { status: 'error', kind, retries } : { status: 'error', kind };
}

export interface OpContext {
  /** Sequence number of this operation within its worker. */
  readonly seq: number;
  readonly workerIndex: number;
  /** Index of the client (from `open`) this operation uses. */
  readonly clientIndex: number;
}

export interface OpenContext {
  readonly workerIndex: number;
  readonly clientIndex: number;
  readonly workers: number;
}

export interface Driver<C = unknown> {
  /** Clients per worker (default 1); concurrent operations share them round-robin. */
  readonly clients?: number;
  open(ctx: OpenContext): Promise<C> | C;
  /**
   * Perform and validate one operation. Return an Outcome, or throw: a throw counts as an error of
   * kind `err.code ?? err.name`. A synchronous return is taken on a fast path (no promise).
   */
  perform(client: C, op: OpContext): Promise<Outcome> | Outcome;
  close(client: C): Promise<void> | void;
}

export function errorKindOf(err: unknown): string {
  if (err && typeof err === 'object') {
    const e = err as { code?: unknown; name?: unknown };
    if (typeof e.code === 'string' && e.code) return e.code;
    if (typeof e.name === 'string' && e.name) return e.name;
  }
  return 'exception';
}
