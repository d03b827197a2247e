/** The 2 request/reply subjects: request validation and the query each runs. */
import type { Store, OutboundRow, RecentChatRow } from './store.js';
import { Subjects } from './subjects.js';
import type { RequestSubject } from './subjects.js';

export type QueryOp =
  | { kind: 'outbound'; limit: number; maxRetries: number }
  | { kind: 'recentChat'; limit: number };

export type ParsedQuery = { ok: true; op: QueryOp } | { ok: false; reason: string };

/** An integer field with a default; null and non-integers are refused (the original failed in SQLite and answered `[]`). */
function int(body: Record<string, unknown>, key: string, dflt: number): number | string {
  const v = body[key];
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) return `${key} must be an integer`;
  return v;
}

export function parseQuery(subject: RequestSubject, body: Record<string, unknown>): ParsedQuery {
  const limit = int(body, 'limit', 50);
  if (typeof limit === 'string') return { ok: false, reason: limit };
  if (subject === Subjects.recentChatGet) return { ok: true, op: { kind: 'recentChat', limit } };
  const maxRetries = int(body, 'max_retries', 3);
  if (typeof maxRetries === 'string') return { ok: false, reason: maxRetries };
  return { ok: true, op: { kind: 'outbound', limit, maxRetries } };
}

export function runQuery(store: Store, op: QueryOp, now: number): OutboundRow[] | RecentChatRow[] {
  return op.kind === 'outbound' ? store.unsentOutbound(op.limit, op.maxRetries, now) : store.recentChat(op.limit);
}
