/**
 * Every failure the kit reports carries a stable code, a message saying what happened, and a hint
 * saying what to do (fastify's coded errors, with the hint kept per code so no throw site has to
 * repeat it). The CLI prints `code: message (hint)` as one line; tests match on `code`.
 */
const HINTS = {
  WB_ERR_USAGE: 'run wirebench --help for the commands and their options',
  WB_ERR_UNKNOWN_SUITE: 'run wirebench list for the suites this workspace has',
  WB_ERR_UNKNOWN_SCENARIO: 'run wirebench list for each suite\'s scenarios',
  WB_ERR_INVALID_OPTION: 'fix the option in the scenario or on the command line',
  WB_ERR_RESULT_CORRUPT: 'the file is not a result: rerun the benchmark that wrote it',
  WB_ERR_RESULT_SCHEMA: 'the file does not match the result schema: wirebench schema prints it',
  WB_ERR_RESULT_NEWER: 'the file was written by a newer kit: update this checkout',
  WB_ERR_NOT_FOUND: 'check the path; runs are under results/runs/<suite>/<run-id>',
  WB_ERR_SLO_SYNTAX: 'write SLOs as "<metric> <op> <number>[unit]", e.g. "p99 < 5ms"',
  WB_ERR_TARGET_START: 'run the target\'s main by hand to see why it does not start',
  WB_ERR_CPU_PLAN: 'run without the CPU plan, or on a machine with the CPUs it names',
  WB_ERR_TARGET_EXIT: 'a target died under load: its last output is in the message; fix the target or declare the kill as a fault action',
  WB_ERR_WORKER: 'the generator thread failed: the message says where; rerun with WIREBENCH_DEBUG=1 for the stack',
  WB_ERR_INTERRUPTED: 'the run was stopped; what finished is kept in the result files',
  WB_ERR_FAULT: 'a fault action failed: check that its role names a started target',
  WB_ERR_PROFILE: 'check the profiler output above; the target must be a node script target',
  WB_ERR_GIT: 'check the revisions (git log) and that this is a checkout with full history (fetch-depth: 0 in CI)',
  WB_ERR_AFFECTED: 'run the printed nx command by hand to see why it fails',
} as const;

export type WbErrorCode = keyof typeof HINTS;

export class WbError extends Error {
  readonly code: WbErrorCode;
  readonly hint: string;
  constructor(code: WbErrorCode, message: string, options?: { cause?: unknown; hint?: string }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'WbError';
    this.code = code;
    this.hint = options?.hint ?? HINTS[code];
  }
}

export function isWbError(err: unknown): err is WbError {
  return err instanceof WbError;
}

/** The one line a command prints for an error. */
export function errorLine(err: unknown): string {
  const msg = (err instanceof Error ? err.message : String(err)).split('\n')[0];
  if (!isWbError(err)) return `WB_ERR_INTERNAL: ${msg} (a bug in the kit: rerun with WIREBENCH_DEBUG=1 and report the stack)`;
  return `${err.code}: ${msg} (${err.hint})`;
}
