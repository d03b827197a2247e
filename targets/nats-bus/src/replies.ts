/**
 * Replies to the 2 request subjects. Errors keep the original's `[]` body (old callers read it as
 * "nothing"), and add the NATS services error headers so a new caller can tell an error from empty.
 */
import { headers } from '@nats-io/nats-core';
import type { Msg } from '@nats-io/nats-core';
import { SERVICE_ERROR_CODE_HEADER, SERVICE_ERROR_HEADER } from './subjects.js';

const EMPTY = '[]';

/** HTTP-like codes, as NATS services use: 400 bad request, 413 reply too large, 500 failed, 503 database busy. */
export type ServiceErrorCode = 400 | 413 | 500 | 503;

export function replyError(msg: Msg, code: ServiceErrorCode, description: string): void {
  const h = headers();
  // Header values are one line.
  h.set(SERVICE_ERROR_HEADER, description.replace(/[\r\n]+/g, ' ').slice(0, 512));
  h.set(SERVICE_ERROR_CODE_HEADER, String(code));
  msg.respond(EMPTY, { headers: h });
}

/** Sends the rows; a reply larger than the server's max_payload becomes a 413 error reply instead of no reply at all. */
export function replyRows(msg: Msg, rows: unknown[]): void {
  const body = JSON.stringify(rows);
  try {
    msg.respond(body);
  } catch (err) {
    replyError(msg, 413, `reply of ${Buffer.byteLength(body)} bytes not sent (${(err as Error).message}); ask for a smaller limit`);
  }
}
