import Database from 'better-sqlite3';
import { BusError, BusErrorCode } from './errors.js';
import { ADDED_COLUMNS, SCHEMA_STATEMENTS } from './schema.js';

export type Db = Database.Database;

export interface OpenDatabaseOptions {
  /** How long a write waits for another connection's lock before failing (SQLite busy timeout). Default 5000, as Python's sqlite3. */
  busyTimeoutMs?: number;
  /** Open read-only: queries are served, every write fails with WB_ERR_BUS_DB_READONLY. The schema must already exist. */
  readonly?: boolean;
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

/** Opens (creating if needed) the database in WAL mode with synchronous=NORMAL and creates or migrates the tables. */
export function openDatabase(path: string, opts: OpenDatabaseOptions = {}): Db {
  let db: Db;
  try {
    db = new Database(path, { timeout: opts.busyTimeoutMs ?? 5000, readonly: opts.readonly ?? false, fileMustExist: opts.readonly ?? false });
  } catch (err) {
    throw new BusError(BusErrorCode.DbOpen, `cannot open SQLite database '${path}' (${(err as Error).message})`, 'check that the path exists and its folder is writable', err);
  }
  try {
    if (opts.readonly) {
      db.prepare('SELECT 1 FROM current_status LIMIT 1').get();
    } else {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      migrate(db);
    }
  } catch (err) {
    db.close();
    const hint = opts.readonly ? 'a read-only database must already hold the tables: open it writable once' : classifyWriteError(err).error.hint;
    throw new BusError(BusErrorCode.DbOpen, `cannot prepare SQLite database '${path}' (${(err as Error).message})`, hint, err);
  }
  return db;
}

function migrate(db: Db): void {
  db.transaction(() => {
    for (const sql of SCHEMA_STATEMENTS) db.exec(sql);
    for (const { table, column, decl } of ADDED_COLUMNS) {
      const cols = db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[];
      if (!cols.some((c) => c.name === column)) db.exec(`ALTER TABLE ${table} ADD COLUMN ${column} ${decl}`);
    }
    const now = nowSeconds();
    db.prepare('INSERT OR IGNORE INTO current_status (id, last_updated) VALUES (1, ?)').run(now);
    db.prepare('INSERT OR IGNORE INTO channel_stats (id, max_users, last_updated) VALUES (1, 0, ?)').run(now);
  }).immediate();
}

/** What a failed write means: a database-wide condition that may pass (retry later), or this event's own fault. */
export interface WriteFailure {
  code: BusErrorCode;
  /** True when the same write may succeed later (locked, read-only, disk full, I/O). */
  transient: boolean;
  error: BusError;
}

export function classifyWriteError(err: unknown): WriteFailure {
  const sqlite = String((err as { code?: unknown })?.code ?? '');
  const text = (err as Error)?.message ?? String(err);
  if (sqlite.startsWith('SQLITE_BUSY') || sqlite.startsWith('SQLITE_LOCKED')) {
    return failure(BusErrorCode.DbLocked, true, `database is locked (${text})`, 'another connection holds a write lock; release it or raise busyTimeoutMs', err);
  }
  if (sqlite.startsWith('SQLITE_READONLY')) {
    return failure(BusErrorCode.DbReadonly, true, `database is read-only (${text})`, 'open it writable (file and folder permissions, no readonly option)', err);
  }
  const transient = /^SQLITE_(IOERR|FULL|CANTOPEN|NOMEM|PROTOCOL)/.test(sqlite);
  return failure(BusErrorCode.DbWrite, transient, `database write failed (${sqlite || 'error'}: ${text})`, transient ? 'check the disk the database is on' : 'this event cannot be stored; see the message', err);
}

function failure(code: BusErrorCode, transient: boolean, what: string, hint: string, cause: unknown): WriteFailure {
  return { code, transient, error: new BusError(code, what, hint, cause) };
}
