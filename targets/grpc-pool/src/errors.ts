/**
 * The package's one error class. `code` is stable (WB_ERR_POOL_*), `hint` says what to do, and
 * `reason` carries the contract's reason atom where there is one (pool_saturated, queue_timeout,
 * worker_busy, session_worker_unavailable, invalid_worker_ttl, ...).
 */
export const PoolErrorCode = {
  BadOption: 'WB_ERR_POOL_BAD_OPTION',
  Saturated: 'WB_ERR_POOL_SATURATED',
  QueueTimeout: 'WB_ERR_POOL_QUEUE_TIMEOUT',
  WorkerBusy: 'WB_ERR_POOL_WORKER_BUSY',
  SessionWorkerUnavailable: 'WB_ERR_POOL_SESSION_WORKER_UNAVAILABLE',
  WorkerLost: 'WB_ERR_POOL_WORKER_LOST',
  WorkerStartup: 'WB_ERR_POOL_WORKER_STARTUP',
  WorkerShutdown: 'WB_ERR_POOL_WORKER_SHUTDOWN',
  StartupTimeout: 'WB_ERR_POOL_STARTUP_TIMEOUT',
  Connect: 'WB_ERR_POOL_CONNECT',
  CallTimeout: 'WB_ERR_POOL_CALL_TIMEOUT',
  Rpc: 'WB_ERR_POOL_RPC',
  Closed: 'WB_ERR_POOL_CLOSED',
  ParentUnreachable: 'WB_ERR_POOL_PARENT_UNREACHABLE',
  Bind: 'WB_ERR_POOL_BIND',
  BadFrame: 'WB_ERR_POOL_BAD_FRAME',
  StdioClosed: 'WB_ERR_POOL_STDIO_CLOSED',
  ToolFailed: 'WB_ERR_POOL_TOOL_FAILED',
} as const;
export type PoolErrorCode = (typeof PoolErrorCode)[keyof typeof PoolErrorCode];

export class PoolError extends Error {
  readonly code: PoolErrorCode;
  readonly hint: string;
  readonly reason: string | undefined;
  readonly details: Record<string, unknown>;
  constructor(code: PoolErrorCode, message: string, hint: string, extra: { reason?: string; details?: Record<string, unknown>; cause?: unknown } = {}) {
    super(message, extra.cause === undefined ? undefined : { cause: extra.cause });
    this.name = 'PoolError';
    this.code = code;
    this.hint = hint;
    this.reason = extra.reason;
    this.details = extra.details ?? {};
  }
}

export function isPoolError(e: unknown, code?: PoolErrorCode): e is PoolError {
  return e instanceof PoolError && (code === undefined || e.code === code);
}

/** One line for stderr: `CODE: message (hint)`. */
export function describeError(e: unknown): string {
  if (e instanceof PoolError) return `${e.code}: ${e.message} (${e.hint})`;
  return e instanceof Error ? (e.stack ?? e.message) : String(e);
}
