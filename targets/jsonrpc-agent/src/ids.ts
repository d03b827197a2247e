import { randomFillSync } from 'node:crypto';
import { monotonicFactory } from 'ulid';

/**
 * ulid's default PRNG makes one getRandomValues call per character (16 per new millisecond); it
 * showed up at ~8% of agent CPU under load. Same CSPRNG, drawn 4 KiB at a time.
 */
const pool = new Uint8Array(4096);
let next = pool.length;
function pooledRandom(): number {
  if (next === pool.length) {
    randomFillSync(pool);
    next = 0;
  }
  return (pool[next++] as number) / 256;
}

/**
 * Monotonic ULIDs: within one millisecond the random part is incremented instead of redrawn,
 * which keeps ids sortable and saves random draws on the hot path.
 */
const nextUlid = monotonicFactory(pooledRandom);

export function newUlid(): string {
  return nextUlid();
}

export function newTaskId(): string {
  return `task_${nextUlid()}`;
}
