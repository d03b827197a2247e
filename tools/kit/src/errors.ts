/**
 * Every failure the kit reports carries a stable code and a hint that says what to do.
 * The CLI prints `code: message` as one line; tests match on `code`.
 */
export type WbErrorCode =
  | 'WB_ERR_USAGE'
  | 'WB_ERR_UNKNOWN_SUITE'
  | 'WB_ERR_UNKNOWN_SCENARIO'
  | 'WB_ERR_INVALID_OPTION'
  | 'WB_ERR_RESULT_CORRUPT'
  | 'WB_ERR_RESULT_SCHEMA'
  | 'WB_ERR_RESULT_NEWER'
  | 'WB_ERR_NOT_FOUND'
  | 'WB_ERR_SLO_SYNTAX'
  | 'WB_ERR_TARGET_START'
  | 'WB_ERR_CPU_PLAN'
  | 'WB_ERR_TARGET_EXIT'
  | 'WB_ERR_WORKER'
  | 'WB_ERR_INTERRUPTED';

export class WbError extends Error {
  readonly code: WbErrorCode;
  constructor(code: WbErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'WbError';
    this.code = code;
  }
}

export function isWbError(err: unknown): err is WbError {
  return err instanceof WbError;
}
