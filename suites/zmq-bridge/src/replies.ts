/**
 * Reply validation: every compute reply must be a success for the vector sent, under the
 * request's correlation_id. A wrong reply is an error outcome of a kind that says what was wrong,
 * so a result's errorsByKind tells a codec bug from a routing bug from a server's error reply.
 */
import { OK, errorOutcome, type Outcome } from '@wirebench/kit';
import { closeEnough, type VectorOp } from './vectors.js';

export interface Expected {
  correlationId: string;
  op: VectorOp;
  /** Floats in the request vector (the reply's `length`). */
  n: number;
  /** The right sum, mean or norm of that vector. */
  value: number;
}

/** The error kind of a reply that is not the right answer, or null when it is. */
export function replyProblem(reply: Record<string, unknown>, e: Expected): string | null {
  if (reply.status === 'error') return typeof reply.code === 'string' && reply.code ? reply.code : 'error_reply';
  if (reply.status !== 'success') return `status_${String(reply.status)}`;
  // The client matches replies by correlation_id itself; this catches a reply routed to the wrong request.
  if (reply.correlation_id !== e.correlationId) return 'correlation_id';
  if (reply.op !== e.op || reply.length !== e.n) return 'reply_shape';
  if (!closeEnough(reply.result, e.value)) return 'wrong_result';
  return null;
}

/** What the client handed back for one request, as the kit counts it. */
export function replyOutcome(r: { reply: Record<string, unknown>; retries: number; correlationId: string }, e: Omit<Expected, 'correlationId'>, duplicates = 0): Outcome {
  const bad = replyProblem(r.reply, { ...e, correlationId: r.correlationId });
  const extras = { ...(r.retries ? { retries: r.retries } : {}), ...(duplicates ? { duplicates } : {}) };
  if (bad) return { ...errorOutcome(bad), ...extras };
  return r.retries || duplicates ? { status: 'ok', ...extras } : OK;
}

/** A request the client failed (abandoned after its last send, closed): the error's code as the kind. */
export function failureOutcome(err: unknown, duplicates = 0): Outcome {
  const code = (err as { code?: unknown } | null)?.code;
  const kind = typeof code === 'string' && code ? code : 'exception';
  return duplicates ? { status: 'error', kind, duplicates } : errorOutcome(kind);
}
