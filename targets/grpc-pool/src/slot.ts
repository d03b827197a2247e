import type { WorkerProcess } from './worker-process.js';

export type SlotState = 'starting' | 'ready' | 'draining' | 'stopping' | 'restarting' | 'stopped';

/** One call in flight on a worker: cancelled and marked lost if the worker goes away. */
export interface InFlight {
  lost: boolean;
  cancel(): void;
}

/** A place in the pool; each worker process that fills it is one generation. */
export class Slot {
  state: SlotState = 'starting';
  gen = 0;
  proc: WorkerProcess | undefined;
  /** Calls in flight on the current process (capacity 1, as Snakepit's process profile). */
  busy = 0;
  /** Requests the current process has been given (worker_max_requests). */
  requests = 0;
  /** Epoch ms the current process became ready (worker_ttl). */
  readySince = 0;
  /** Consecutive failed starts / unexpected exits, for the restart backoff. */
  failures = 0;
  readonly inflight = new Set<InFlight>();
  /** Why the pool itself is about to kill the process (heartbeat, unavailable), if it is. */
  killReason: string | undefined;

  constructor(
    readonly id: string,
    readonly index: number,
    /** The pool uses one session id per worker for calls that bring none. */
    readonly sessionId: string,
  ) {}

  get available(): boolean {
    return this.state === 'ready' && this.busy === 0;
  }
}
