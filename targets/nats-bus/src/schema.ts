/**
 * The contract's tables and indexes (`common/database.py` at f97183e), plus one table of our own:
 * `wb_event_ids`, the event ids already stored, so a redelivered or re-sent event is stored once.
 */
export const SCHEMA_STATEMENTS: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS user_stats (
    username TEXT PRIMARY KEY,
    first_seen INTEGER NOT NULL,
    last_seen INTEGER NOT NULL,
    total_chat_lines INTEGER DEFAULT 0,
    total_time_connected INTEGER DEFAULT 0,
    current_session_start INTEGER)`,
  `CREATE TABLE IF NOT EXISTS user_actions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    timestamp INTEGER NOT NULL,
    username TEXT NOT NULL,
    action_type TEXT NOT NULL,
    details TEXT)`,
  `CREATE TABLE IF NOT EXISTS channel_stats (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    max_users INTEGER DEFAULT 0,
    max_users_timestamp INTEGER,
    max_connected INTEGER DEFAULT 0,
    max_connected_timestamp INTEGER,
    last_updated INTEGER)`,
  `CREATE TABLE IF NOT EXISTS user_count_history (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    timestamp INTEGER NOT NULL,
    chat_users INTEGER NOT NULL,
    connected_users INTEGER NOT NULL)`,
  `CREATE INDEX IF NOT EXISTS idx_user_count_timestamp ON user_count_history(timestamp)`,
  `CREATE TABLE IF NOT EXISTS recent_chat (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    timestamp INTEGER NOT NULL,
    username TEXT NOT NULL,
    message TEXT NOT NULL)`,
  `CREATE INDEX IF NOT EXISTS idx_recent_chat_timestamp ON recent_chat(timestamp DESC)`,
  `CREATE TABLE IF NOT EXISTS current_status (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    bot_name TEXT,
    bot_rank REAL,
    bot_afk INTEGER DEFAULT 0,
    channel_name TEXT,
    current_chat_users INTEGER DEFAULT 0,
    current_connected_users INTEGER DEFAULT 0,
    playlist_items INTEGER DEFAULT 0,
    current_media_title TEXT,
    current_media_duration INTEGER,
    bot_start_time INTEGER,
    bot_connected INTEGER DEFAULT 0,
    last_updated INTEGER)`,
  `CREATE TABLE IF NOT EXISTS outbound_messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    timestamp INTEGER NOT NULL,
    message TEXT NOT NULL,
    sent INTEGER DEFAULT 0,
    sent_timestamp INTEGER,
    retry_count INTEGER DEFAULT 0,
    last_error TEXT)`,
  `CREATE INDEX IF NOT EXISTS idx_outbound_sent ON outbound_messages(sent, timestamp)`,
  `CREATE TABLE IF NOT EXISTS api_tokens (
    token TEXT PRIMARY KEY,
    description TEXT,
    created_at INTEGER NOT NULL,
    last_used INTEGER,
    revoked INTEGER DEFAULT 0)`,
  `CREATE INDEX IF NOT EXISTS idx_api_tokens_revoked ON api_tokens(revoked, token)`,
  `CREATE TABLE IF NOT EXISTS wb_event_ids (
    id TEXT PRIMARY KEY,
    committed_at INTEGER NOT NULL) WITHOUT ROWID`,
  `CREATE INDEX IF NOT EXISTS idx_wb_event_ids_committed ON wb_event_ids(committed_at)`,
];

/** Columns older databases may lack (the original's migrations). */
export const ADDED_COLUMNS: readonly { table: string; column: string; decl: string }[] = [
  { table: 'outbound_messages', column: 'retry_count', decl: 'INTEGER DEFAULT 0' },
  { table: 'outbound_messages', column: 'last_error', decl: 'TEXT' },
  { table: 'channel_stats', column: 'max_connected', decl: 'INTEGER DEFAULT 0' },
  { table: 'channel_stats', column: 'max_connected_timestamp', decl: 'INTEGER' },
];

/** `status.update` applies only these keys of `status_data`. */
export const STATUS_COLUMNS = [
  'bot_name', 'bot_rank', 'bot_afk', 'channel_name', 'current_chat_users', 'current_connected_users',
  'playlist_items', 'current_media_title', 'current_media_duration', 'bot_start_time', 'bot_connected',
] as const;
export type StatusColumn = (typeof STATUS_COLUMNS)[number];

/** Chat rows older than this are deleted on every chat insert. */
export const CHAT_RETENTION_SECONDS = 150 * 3600;
