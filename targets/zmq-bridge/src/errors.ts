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
  Startup: 'WB_ERR_ZMQ_STARTUP',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** What to do about each code. Every BridgeError takes its hint from here, so no throw site lacks one. */
export const ERROR_HINTS: Readonly<Record<ErrorCode, string>> = {
  [ErrorCode.BadFrame]: 'Send [format header byte][body], then one frame per raw vector (README "Frames").',
  [ErrorCode.UnknownFormat]: 'Start the first body frame with 0x01 JSON, 0x02 MessagePack or 0x04 raw.',
  [ErrorCode.UnsupportedFormat]: 'Protobuf (0x03) is not implemented; send JSON, MessagePack or raw instead.',
  [ErrorCode.BadJson]: 'Send valid UTF-8 JSON after the 0x01 header.',
  [ErrorCode.BadMsgpack]: 'Send a MessagePack map after the 0x02 header.',
  [ErrorCode.TruncatedVector]: 'Send one frame per {"$f32": i, "n": len} placeholder, 4 × len bytes each.',
  [ErrorCode.BadRequest]: 'Send "HEARTBEAT", {"correlation_id", "payload"} or a payload of the shapes in the README.',
  [ErrorCode.Internal]: 'A bug in the bridge: report it with the request that caused it.',
  [ErrorCode.Abandoned]: 'Check that the broker (or direct server) is up at the endpoint and has live workers; raise timeoutMs for slow requests.',
  [ErrorCode.Closed]: 'The client was closed; create a new one for further requests.',
  [ErrorCode.BadOption]: 'Fix the option or flag named in the message (README lists each with its default).',
  [ErrorCode.Startup]: 'Check the flags and that the endpoints are free to bind or reachable.',
};

/** Every failure the bridge reports: a stable WB_ERR_ZMQ_* code, a message, and a hint that says what to do. */
export class BridgeError extends Error {
  readonly code: ErrorCode;
  readonly hint: string;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BridgeError';
    this.code = code;
    this.hint = ERROR_HINTS[code];
  }
}

export function isBridgeError(e: unknown): e is BridgeError {
  return e instanceof BridgeError;
}
