/**
 * Target declarations: the pool (pool-main: front BridgeService endpoint, READY line), the bare
 * floor server (bare-main) and the start-up floor's bare process (bare-process-main). The kit
 * finds the mains in @wirebench/grpc-pool; no path is computed here.
 */
import { createInterface } from 'node:readline';
import { target, type Target, type TargetSpec } from '@wirebench/kit';
import { defaultWorkerCommand } from '@wirebench/grpc-pool';
import { parseEventLine, type PoolEventLine } from './startup-log.js';
import type { StartupEnv } from './startup-driver.js';

const PKG = '@wirebench/grpc-pool';

/** pool-main flags, e.g. { size: 8, 'session-mode': 'cached' }. */
export type PoolFlags = Record<string, string | number>;

export function poolTarget(role: string, flags: PoolFlags): TargetSpec {
  const args = ['--port', '0', ...Object.entries(flags).flatMap(([k, v]) => [`--${k}`, String(v)])];
  // 16 workers on two busy CPUs take seconds; the contract's own await-ready timeout is 15 s.
  return target({ package: PKG, main: 'src/pool-main.ts', role, args, ready: { line: /^READY pool (\S+)/ }, readyTimeoutMs: 60_000, stopTimeoutMs: 10_000 });
}

export function bareTarget(): TargetSpec {
  return target({ package: PKG, main: 'src/bare-main.ts', role: 'floor', args: ['--port', '0'], ready: { line: /^READY bare (\S+)/ } });
}

export function address(t: Target): string {
  const a = t.readyMatch?.[1];
  if (!a) throw new Error(`${t.role} printed no address in its READY line`);
  return a;
}

/** What the start-up drivers launch: the mains, under the launcher the pool gives its workers. */
export function startupEnv(): StartupEnv {
  const main = (m: string) => target({ package: PKG, main: m, role: 'x', ready: { line: /x/ } }).script!;
  const launcher = defaultWorkerCommand('').slice(0, -1);
  return { launcher, bareProcessMain: main('src/bare-process-main.ts'), poolMain: main('src/pool-main.ts') };
}

/**
 * Follows a pool started with --events on: the EVENT lines still in its output tail (the start-up
 * ones; call this right after start) and every one from now on.
 */
export function poolEvents(t: Target): PoolEventLine[] {
  const out: PoolEventLine[] = t.tail.flatMap((l) => parseEventLine(l) ?? []);
  createInterface({ input: t.child.stdout! }).on('line', (l) => {
    const e = parseEventLine(l);
    if (e) out.push(e);
  });
  return out;
}

/** The pid of a worker the pool reports ready now (its latest generation). */
export function workerPid(events: readonly PoolEventLine[], workerId: string): number {
  const e = events.findLast((x) => x.type === 'worker:ready' && x.workerId === workerId);
  if (!e?.pid) throw new Error(`the pool reported no ready ${workerId}`);
  return e.pid;
}
