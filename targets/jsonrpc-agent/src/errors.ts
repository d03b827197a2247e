/** JSON-RPC 2.0 error codes used by the ASAP transport. */
export const PARSE_ERROR = -32700;
export const INVALID_REQUEST = -32600;
export const METHOD_NOT_FOUND = -32601;
export const INVALID_PARAMS = -32602;
export const INTERNAL_ERROR = -32603;

/** The original sends the standard text for each code, never a custom message. */
export const RPC_MESSAGES: Readonly<Record<number, string>> = {
  [PARSE_ERROR]: 'Parse error',
  [INVALID_REQUEST]: 'Invalid request',
  [METHOD_NOT_FOUND]: 'Method not found',
  [INVALID_PARAMS]: 'Invalid params',
  [INTERNAL_ERROR]: 'Internal error',
};

/** Error codes thrown by this package's API (not sent on the wire). */
export type AgentErrorCode =
  | 'WB_ERR_INVALID_ENVELOPE'
  | 'WB_ERR_INVALID_PAYLOAD'
  | 'WB_ERR_INVALID_MANIFEST'
  | 'WB_ERR_INVALID_OPTION'
  | 'WB_ERR_HOOK_TIMEOUT'
  | 'WB_ERR_HOOK_FAILED'
  | 'WB_ERR_MODULE_UNAVAILABLE'
  | 'WB_ERR_MODULE_TIMEOUT'
  | 'WB_ERR_MODULE_CALL_FAILED'
  | 'WB_ERR_MODULE_START';

export class AgentError extends Error {
  readonly code: AgentErrorCode;
  readonly details: unknown;
  constructor(code: AgentErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'AgentError';
    this.code = code;
    this.details = details;
  }
}
