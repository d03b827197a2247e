/** Error codes of this package: `WB_ERR_NATS_*` for the server and the wire, `WB_ERR_BUS_*` for the service and its database. */
export const BusErrorCode = {
  NatsServerMissing: 'WB_ERR_NATS_SERVER_MISSING',
  NatsServerStart: 'WB_ERR_NATS_SERVER_START',
  NatsConnect: 'WB_ERR_NATS_CONNECT',
  NatsMaxPayload: 'WB_ERR_NATS_MAX_PAYLOAD',
  NatsNoResponders: 'WB_ERR_NATS_NO_RESPONDERS',
  NatsTimeout: 'WB_ERR_NATS_TIMEOUT',
  NatsPublish: 'WB_ERR_NATS_PUBLISH',
  BadOption: 'WB_ERR_BUS_BAD_OPTION',
  BadPayload: 'WB_ERR_BUS_BAD_PAYLOAD',
  DbOpen: 'WB_ERR_BUS_DB_OPEN',
  DbLocked: 'WB_ERR_BUS_DB_LOCKED',
  DbReadonly: 'WB_ERR_BUS_DB_READONLY',
  DbWrite: 'WB_ERR_BUS_DB_WRITE',
  ServiceError: 'WB_ERR_BUS_SERVICE_ERROR',
  Closed: 'WB_ERR_BUS_CLOSED',
} as const;
export type BusErrorCode = (typeof BusErrorCode)[keyof typeof BusErrorCode];

/**
 * The package's one error class. `message` is one line that already ends with what to do;
 * `hint` is that advice alone, for callers that print their own text.
 */
export class BusError extends Error {
  readonly code: BusErrorCode;
  readonly hint: string;
  override readonly cause: unknown;
  constructor(code: BusErrorCode, what: string, hint: string, cause?: unknown) {
    super(hint ? `${what}; ${hint}` : what);
    this.name = 'BusError';
    this.code = code;
    this.hint = hint;
    this.cause = cause;
  }
}

export function isBusError(e: unknown): e is BusError {
  return e instanceof BusError;
}

/** `CODE: message` for a coded error, the stack otherwise (an uncoded error is a bug, and its stack helps). */
export function describeError(err: unknown): string {
  if (err instanceof BusError) return `${err.code}: ${err.message}`;
  return err instanceof Error ? err.stack ?? err.message : String(err);
}
