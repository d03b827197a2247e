/**
 * What a pool start-up reported about its workers (its EVENT lines), checked against what the
 * generator saw from outside: the pool's claimed spawn → ready interval must lie inside the one
 * the generator observed (pool process spawned → READY line), so a figure the pool reports
 * cannot be shorter than the truth without the check failing.
 */

export interface PoolEventLine {
  type: string;
  workerId: string;
  at: number;
  pid?: number;
  readyMs?: number;
  /** worker:ready: the worker's gRPC port on 127.0.0.1. */
  port?: number;
}

/** An `EVENT <json>` line of pool-main --events on, or null. */
export function parseEventLine(line: string): PoolEventLine | null {
  if (!line.startsWith('EVENT ')) return null;
  try {
    const e = JSON.parse(line.slice(6)) as Partial<PoolEventLine>;
    if (typeof e.type !== 'string' || typeof e.workerId !== 'string' || typeof e.at !== 'number') return null;
    return e as PoolEventLine;
  } catch {
    return null;
  }
}

export interface StartupRecord {
  arm: string;
  /** First worker spawned (ready time − readyMs) → last worker ready, from the pool's events (ms). */
  spanMs: number;
  /** Each worker's spawn → connected time as the pool timed it (ms). */
  readyMs: number[];
  /** Reasons the pool's figures disagree with what the generator saw; empty when they agree. */
  problems: string[];
}

/**
 * Start-up figures of one pool from its events, cross-checked against the generator's own
 * observation window [spawnedAt, readyLineAt] (epoch ms) and the expected worker count.
 */
export function startupRecord(arm: string, events: readonly PoolEventLine[], size: number, window: { spawnedAt: number; readyLineAt: number }): StartupRecord {
  const started = events.filter((e) => e.type === 'worker:started');
  const ready = events.filter((e) => e.type === 'worker:ready');
  const problems: string[] = [];
  if (started.length !== size) problems.push(`${arm}: ${started.length} worker:started events for ${size} workers`);
  if (ready.length !== size) problems.push(`${arm}: ${ready.length} worker:ready events for ${size} workers`);
  if (started.length === 0 || ready.length === 0) return { arm, spanMs: NaN, readyMs: [], problems: problems.length ? problems : [`${arm}: no events`] };
  const slackMs = 2; // two clocks read in two processes
  // Each worker's spawn time as the pool timed it (just before its spawn call, which the
  // worker:started event follows): ready time minus readyMs.
  const spawned = ready.map((e) => e.at - (e.readyMs ?? NaN));
  const first = Math.min(...spawned);
  const last = Math.max(...ready.map((e) => e.at));
  if (!(first >= window.spawnedAt - slackMs)) problems.push(`${arm}: a worker's spawn → ready time reaches back ${(window.spawnedAt - first).toFixed(1)} ms before the pool process was spawned`);
  if (last > window.readyLineAt + slackMs) problems.push(`${arm}: a worker was ready ${(last - window.readyLineAt).toFixed(1)} ms after the pool's READY line was read`);
  const spanMs = last - first;
  const readyMs = ready.map((e) => e.readyMs ?? NaN);
  for (const r of ready) {
    const s = started.find((x) => x.workerId === r.workerId && x.pid === r.pid);
    // readyMs may exceed the events' gap by the spawn call itself, never fall short of it.
    if (!s) problems.push(`${arm}: ${r.workerId} ready without a started event`);
    else if (!(typeof r.readyMs === 'number' && r.readyMs >= r.at - s.at - slackMs)) problems.push(`${arm}: ${r.workerId} readyMs ${r.readyMs} is shorter than its events' gap (${(r.at - s.at).toFixed(1)} ms)`);
  }
  return { arm, spanMs, readyMs, problems };
}
