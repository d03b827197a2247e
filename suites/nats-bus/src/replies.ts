/**
 * Reply validators: every reply the generator gets is checked against the contract before it
 * counts as ok. Each returns null for a good reply, else the error kind the operation ends with.
 */

export interface RawReplyLike {
  body: string;
  error?: { code: number; description: string };
}

function rows(r: RawReplyLike): unknown[] | string {
  if (r.error) return `service_error_${r.error.code}`;
  let v: unknown;
  try {
    v = JSON.parse(r.body);
  } catch {
    return 'bad_json';
  }
  return Array.isArray(v) ? v : 'not_array';
}

const isInt = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x);
const isStrOrNull = (x: unknown): boolean => x === null || typeof x === 'string';

/**
 * `outbound.get` with `limit`: the setup seeded `seeded` unsent rows (retry_count 0), so exactly
 * min(limit, seeded) rows come back, oldest first, each `{id, timestamp, message, retry_count, last_error}`.
 */
export function checkOutbound(r: RawReplyLike, limit: number, seeded: number): string | null {
  const v = rows(r);
  if (typeof v === 'string') return v;
  if (v.length !== Math.min(limit, seeded)) return 'outbound_count';
  let last = -Infinity;
  for (const row of v) {
    const o = row as Record<string, unknown>;
    if (!o || typeof o !== 'object' || !isInt(o.id) || !isInt(o.timestamp) || typeof o.message !== 'string' || o.retry_count !== 0 || !isStrOrNull(o.last_error)) return 'outbound_row';
    if (o.timestamp < last) return 'outbound_order';
    last = o.timestamp;
  }
  return null;
}

/**
 * `recent_chat.get` with `limit`: at least `limit` chat rows exist (seeded), so exactly `limit`
 * come back, `{timestamp, username, message}`, timestamps ascending.
 */
export function checkRecentChat(r: RawReplyLike, limit: number): string | null {
  const v = rows(r);
  if (typeof v === 'string') return v;
  if (v.length !== limit) return 'recent_count';
  let last = -Infinity;
  for (const row of v) {
    const o = row as Record<string, unknown>;
    if (!o || typeof o !== 'object' || !isInt(o.timestamp) || typeof o.username !== 'string' || typeof o.message !== 'string') return 'recent_row';
    if (o.timestamp < last) return 'recent_order';
    last = o.timestamp;
  }
  return null;
}

/** The bare echo floor answers with the request's own body. */
export function checkEcho(reply: Uint8Array, sent: Uint8Array): string | null {
  if (reply.byteLength !== sent.byteLength) return 'echo_length';
  for (let i = 0; i < sent.byteLength; i++) if (reply[i] !== sent[i]) return 'echo_body';
  return null;
}
