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

/**
 * What to do about each code: every throw site gets its hint from here, so it is written once.
 * A site that knows better (a flag's syntax, the address that failed) passes its own `hint`.
 */
export const AGENT_ERROR_HINTS: Readonly<Record<AgentErrorCode, string>> = {
  WB_ERR_INVALID_ENVELOPE: 'Fix the fields listed in details (createEnvelope fills id and timestamp; sender and recipient are agent URNs).',
  WB_ERR_INVALID_PAYLOAD: 'Send a payload of the declared payload_type; a TaskRequest needs conversation_id, skill_id and input.',
  WB_ERR_INVALID_MANIFEST: 'Fix the manifest passed to buildAgent() (fields listed in details).',
  WB_ERR_INVALID_OPTION: 'Check the value against the options and flags in targets/jsonrpc-agent/README.md.',
  WB_ERR_HOOK_TIMEOUT: 'Make the hook faster or raise its timeoutMs.',
  WB_ERR_HOOK_FAILED: 'Fix the hook or remove it.',
  WB_ERR_MODULE_UNAVAILABLE: 'Start a module first: --module, or module-main.ts (it prints its tcp:// URL) and --module-url with that URL.',
  WB_ERR_MODULE_TIMEOUT: 'Check the module process (busy or stuck?), or give the call a longer timeout.',
  WB_ERR_MODULE_CALL_FAILED: "Check the module's method and its params; the module's own message is above.",
  WB_ERR_MODULE_START: 'Run src/module-main.ts by hand to see why it does not start.',
};

/**
 * The package's one error type, fastify-style: a stable `code` to match on, a `message` that says
 * what happened, a `hint` that says what to do (from AGENT_ERROR_HINTS unless the site gives one),
 * and optional `details` (e.g. validation errors). `toString()` is the one line the CLI prints.
 */
export class AgentError extends Error {
  readonly code: AgentErrorCode;
  readonly hint: string;
  readonly details: unknown;
  constructor(code: AgentErrorCode, message: string, details?: unknown, options?: { hint?: string; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AgentError';
    this.code = code;
    this.hint = options?.hint ?? AGENT_ERROR_HINTS[code];
    this.details = details;
  }

  /** `CODE: message. hint` */
  override toString(): string {
    return `${this.code}: ${this.message}. ${this.hint}`;
  }
}
