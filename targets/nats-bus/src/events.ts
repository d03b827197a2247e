/**
 * The contract's validation and ignore rules for the 7 fire-and-forget subjects, as pure functions:
 * a decoded body becomes one database operation, or a reason to ignore it.
 */
import { STATUS_COLUMNS } from './schema.js';
import type { StatusColumn } from './schema.js';
import { Subjects } from './subjects.js';
import type { EventSubject } from './subjects.js';

export type SqlValue = string | number | null;

export type EventOp =
  | { kind: 'userJoined'; username: string }
  | { kind: 'userLeft'; username: string }
  | { kind: 'chat'; username: string; message: string }
  | { kind: 'userCount'; chat: number; connected: number }
  | { kind: 'highWater'; chat: number; connected: number | null }
  | { kind: 'status'; fields: [StatusColumn, SqlValue][] }
  | { kind: 'markSent'; messageId: number };

export type Parsed = { ok: true; op: EventOp } | { ok: false; reason: string };

const ignore = (reason: string): Parsed => ({ ok: false, reason });
const has = (o: Record<string, unknown>, k: string) => Object.prototype.hasOwnProperty.call(o, k);

/** A non-empty string field, or why not. Python's `if username:` also ignores "", and we ignore every non-string too. */
function text(o: Record<string, unknown>, key: string): string | Parsed {
  const v = o[key];
  if (v === undefined || v === null || v === '') return ignore(`empty ${key}`);
  if (typeof v !== 'string') return ignore(`${key} must be a string`);
  return v;
}

/** An integer count: absent is `absent`, explicit null and non-integers are refused. */
function count(o: Record<string, unknown>, key: string, absent: number | null): number | null | Parsed {
  if (!has(o, key)) return absent;
  const v = o[key];
  if (v === null) return ignore(`${key} is null`);
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) return ignore(`${key} must be an integer`);
  return v;
}

const isParsed = (v: unknown): v is Parsed => typeof v === 'object' && v !== null && 'ok' in v;

export function parseEvent(subject: EventSubject, body: Record<string, unknown>): Parsed {
  switch (subject) {
    case Subjects.userJoined:
    case Subjects.userLeft: {
      const username = text(body, 'username');
      if (isParsed(username)) return username;
      return { ok: true, op: { kind: subject === Subjects.userJoined ? 'userJoined' : 'userLeft', username } };
    }
    case Subjects.messageLog: {
      const username = text(body, 'username');
      if (isParsed(username)) return username;
      const message = text(body, 'message');
      if (isParsed(message)) return message;
      return { ok: true, op: { kind: 'chat', username, message } };
    }
    case Subjects.userCount: {
      // An explicit null would violate NOT NULL in the original: no row either way.
      const chat = count(body, 'chat_count', 0);
      if (isParsed(chat)) return chat;
      const connected = count(body, 'connected_count', 0);
      if (isParsed(connected)) return connected;
      return { ok: true, op: { kind: 'userCount', chat: chat ?? 0, connected: connected ?? 0 } };
    }
    case Subjects.highWater: {
      const chat = count(body, 'chat_count', 0);
      if (isParsed(chat)) return chat;
      // An absent or null connected_count skips the connected peak (it does not drop the message).
      const connected = body.connected_count === null ? null : count(body, 'connected_count', null);
      if (isParsed(connected)) return connected;
      return { ok: true, op: { kind: 'highWater', chat: chat ?? 0, connected } };
    }
    case Subjects.statusUpdate:
      return parseStatus(body.status_data);
    case Subjects.markSent: {
      const id = body.message_id;
      if (id === undefined || id === null) return ignore('missing message_id');
      if (typeof id !== 'number' || !Number.isSafeInteger(id)) return ignore('message_id must be an integer');
      return { ok: true, op: { kind: 'markSent', messageId: id } };
    }
  }
}

const STATUS_SET: ReadonlySet<string> = new Set(STATUS_COLUMNS);

function parseStatus(data: unknown): Parsed {
  // Python's `if status_data:` — absent, null, {}, [], "", 0 and false are all "no status data".
  if (data === undefined || data === null || data === '' || data === 0 || data === false) return ignore('empty status_data');
  if (Array.isArray(data) && data.length === 0) return ignore('empty status_data');
  if (typeof data !== 'object' || Array.isArray(data)) return ignore('status_data is not an object');
  const entries = Object.entries(data as Record<string, unknown>);
  if (entries.length === 0) return ignore('empty status_data');
  const fields: [StatusColumn, SqlValue][] = [];
  for (const [key, value] of entries) {
    if (!STATUS_SET.has(key)) continue;
    if (typeof value === 'boolean') fields.push([key as StatusColumn, value ? 1 : 0]);
    else if (value === null || typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value))) fields.push([key as StatusColumn, value]);
    // SQLite cannot bind an object or array: the original's whole update failed.
    else return ignore(`status_data.${key} must be a string, number, boolean or null`);
  }
  if (fields.length === 0) return ignore('status_data has no known keys');
  return { ok: true, op: { kind: 'status', fields } };
}
