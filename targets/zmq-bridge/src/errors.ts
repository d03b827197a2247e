/** Error codes used on the wire (error replies) and in rejected promises. */
export const ErrorCode = {
  BadFrame: 'WB_ERR_ZMQ_BAD_FRAME',
  UnknownFormat: 'WB_ERR_ZMQ_UNKNOWN_FORMAT',
  UnsupportedFormat: 'WB_ERR_ZMQ_UNSUPPORTED_FORMAT',
  BadJson: 'WB_ERR_ZMQ_BAD_JSON',
  BadMsgpack: 'WB_ERR_ZMQ_BAD_MSGPACK',
  TruncatedVector: 'WB_ERR_ZMQ_TRUNCATED_VECTOR',
  BadRequest: 'WB_ERR_ZMQ_BAD_REQUEST',
  Internal: 'WB_ERR_ZMQ_INTERNAL',
  Abandoned: 'WB_ERR_ZMQ_ABANDONED',
  Closed: 'WB_ERR_ZMQ_CLOSED',
  BadOption: 'WB_ERR_ZMQ_BAD_OPTION',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export class WbError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'WbError';
    this.code = code;
  }
}

export function isWbError(e: unknown): e is WbError {
  return e instanceof WbError;
}
