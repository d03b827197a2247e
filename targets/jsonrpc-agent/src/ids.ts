import { monotonicFactory } from 'ulid';

/**
 * Monotonic ULIDs: within one millisecond the random part is incremented instead of redrawn,
 * which keeps ids sortable and saves a crypto draw per id on the hot path.
 */
const nextUlid = monotonicFactory();

export function newUlid(): string {
  return nextUlid();
}

export function newTaskId(): string {
  return `task_${nextUlid()}`;
}
