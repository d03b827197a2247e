/** The database calls (`BotDatabase` at f97183e) on prepared statements. Every write takes `now` in Unix seconds. */
import type Database from 'better-sqlite3';
import type { Db } from './db.js';
import type { EventOp, SqlValue } from './events.js';
import { CHAT_RETENTION_SECONDS } from './schema.js';

export interface OutboundRow {
  id: number;
  timestamp: number;
  message: string;
  retry_count: number;
  last_error: string | null;
}
export interface RecentChatRow {
  timestamp: number;
  username: string;
  message: string;
}

export interface Store {
  readonly db: Db;
  /** Applies one operation inside the caller's transaction. */
  apply(op: EventOp, now: number): void;
  /** Records an event id; false when it was stored before (the caller then skips the event). */
  claimEventId(id: string, now: number): boolean;
  /** Forgets event ids committed before `before` (Unix seconds). */
  pruneEventIds(before: number): number;
  unsentOutbound(limit: number, maxRetries: number, now: number): OutboundRow[];
  recentChat(limit: number): RecentChatRow[];
}

export function createStore(db: Db): Store {
  const joined = db.prepare(`INSERT INTO user_stats (username, first_seen, last_seen, current_session_start) VALUES (?, ?, ?, ?)
    ON CONFLICT(username) DO UPDATE SET last_seen = excluded.last_seen, current_session_start = excluded.current_session_start`);
  // Python's `if row and row['current_session_start']`: nothing happens without an open, non-zero session.
  const left = db.prepare(`UPDATE user_stats SET last_seen = ?, total_time_connected = total_time_connected + (? - current_session_start),
    current_session_start = NULL WHERE username = ? AND current_session_start IS NOT NULL AND current_session_start != 0`);
  const chatLine = db.prepare('UPDATE user_stats SET total_chat_lines = total_chat_lines + 1, last_seen = ? WHERE username = ?');
  const chatInsert = db.prepare('INSERT INTO recent_chat (timestamp, username, message) VALUES (?, ?, ?)');
  const chatPrune = db.prepare('DELETE FROM recent_chat WHERE timestamp < ?');
  const userCount = db.prepare('INSERT INTO user_count_history (timestamp, chat_users, connected_users) VALUES (?, ?, ?)');
  const maxima = db.prepare('SELECT max_users, max_connected FROM channel_stats WHERE id = 1');
  const maxUsers = db.prepare('UPDATE channel_stats SET max_users = ?, max_users_timestamp = ?, last_updated = ? WHERE id = 1');
  const maxConnected = db.prepare('UPDATE channel_stats SET max_connected = ?, max_connected_timestamp = ?, last_updated = ? WHERE id = 1');
  const markSent = db.prepare('UPDATE outbound_messages SET sent = 1, sent_timestamp = ? WHERE id = ?');
  const claim = db.prepare('INSERT OR IGNORE INTO wb_event_ids (id, committed_at) VALUES (?, ?)');
  const prune = db.prepare('DELETE FROM wb_event_ids WHERE committed_at < ?');
  const outbound = db.prepare(`SELECT id, timestamp, message, retry_count, last_error FROM outbound_messages
    WHERE sent = 0 AND retry_count < ? AND (retry_count = 0 OR timestamp + (1 << retry_count) * 60 <= ?)
    ORDER BY timestamp ASC LIMIT ?`);
  // The original orders by timestamp only and reverses; its index scan yields one second's rows in insertion
  // order. `id ASC` makes that explicit: same-second rows come back newest first, a cut keeps the oldest.
  const recent = db.prepare('SELECT timestamp, username, message FROM recent_chat ORDER BY timestamp DESC, id ASC LIMIT ?');
  const statusStatements = new Map<string, Database.Statement>();

  function status(fields: [string, SqlValue][], now: number): void {
    const key = fields.map(([k]) => k).join(',');
    let stmt = statusStatements.get(key);
    if (!stmt) {
      // Column names come from the whitelist only (events.ts), never from the payload.
      stmt = db.prepare(`UPDATE current_status SET ${fields.map(([k]) => `${k} = ?`).join(', ')}, last_updated = ? WHERE id = 1`);
      statusStatements.set(key, stmt);
    }
    stmt.run(...fields.map(([, v]) => v), now);
  }

  return {
    db,
    apply(op, now) {
      switch (op.kind) {
        case 'userJoined':
          joined.run(op.username, now, now, now);
          return;
        case 'userLeft':
          left.run(now, now, op.username);
          return;
        case 'chat':
          chatLine.run(now, op.username);
          if (op.username.toLowerCase() !== 'server') {
            chatInsert.run(now, op.username, op.message);
            chatPrune.run(now - CHAT_RETENTION_SECONDS);
          }
          return;
        case 'userCount':
          userCount.run(now, op.chat, op.connected);
          return;
        case 'highWater': {
          const row = maxima.get() as { max_users: number | null; max_connected: number | null } | undefined;
          if (op.chat > (row?.max_users ?? 0)) maxUsers.run(op.chat, now, now);
          if (op.connected && op.connected > (row?.max_connected ?? 0)) maxConnected.run(op.connected, now, now);
          return;
        }
        case 'status':
          status(op.fields, now);
          return;
        case 'markSent':
          markSent.run(now, op.messageId);
          return;
      }
    },
    claimEventId(id, now) {
      return claim.run(id, now).changes === 1;
    },
    pruneEventIds(before) {
      return prune.run(before).changes;
    },
    unsentOutbound(limit, maxRetries, now) {
      return outbound.all(maxRetries, now, limit) as OutboundRow[];
    },
    recentChat(limit) {
      return (recent.all(limit) as RecentChatRow[]).reverse();
    },
  };
}
