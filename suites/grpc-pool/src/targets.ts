/**
 * Target declarations: the pool (pool-main: front BridgeService endpoint, READY line), the bare
 * floor server (bare-main) and the start-up floor's bare process (bare-process-main). The kit
 * finds the mains in @wirebench/grpc-pool; no path is computed here.
 */
import { createInterface } from 'node:readline';
import { compiledCommand, target, type Target, type TargetSpec } from '@wirebench/kit';
import { parseEventLine, type PoolEventLine } from './startup-log.js';
import type { StartupEnv } from './startup-driver.js';

const PKG = '@wirebench/grpc-pool';

/** pool-main flags, e.g. { size: 8, 'session-mode': 'cached' }. */
export type PoolFlags = Record<string, string | number>;

/**
 * The pool's workers run compiled (kit compiledCommand), as pool-main itself does: under the
 * package's default (tsx) every worker carried tsx's loader thread, and start-up, throughput and
 * CPU per call measured tsx as much as the pool.
 */
export async function poolTarget(role: string, flags: PoolFlags): Promise<TargetSpec> {
  const worker = await compiledCommand({ package: PKG, main: 'src/worker-main.ts' });
  const args = ['--port', '0', '--worker-command', JSON.stringify(worker), ...Object.entries(flags).flatMap(([k, v]) => [`--${k}`, String(v)])];
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

/**
 * What the start-up drivers launch: pool-main and the floor's bare process, compiled and run by
 * plain node, as the pool runs its workers (poolTarget): the floor is what 16 bare node + grpc-js
 * processes cost, with no loader on either side.
 */
export async function startupEnv(): Promise<StartupEnv> {
  const [node, bareProcessMain] = await compiledCommand({ package: PKG, main: 'src/bare-process-main.ts' });
  const [, poolMain] = await compiledCommand({ package: PKG, main: 'src/pool-main.ts' });
  const [, workerMain] = await compiledCommand({ package: PKG, main: 'src/worker-main.ts' });
  return { launcher: [node!], bareProcessMain: bareProcessMain!, poolMain: poolMain!, workerCommand: [node!, workerMain!] };
}

/**
 * Follows a pool started with --events on: the EVENT lines still in its output tail (the start-up
 * ones; call this right after start) and every one from now on.
 */
export function poolEvents(t: Target): PoolEventLine[] {
  // A pool in a container (bench --target/--containers) has no output here: its workers' pids are not ours to read.
  if (!t.child.stdout) throw new Error(`not run: remote target ${t.role}: this scenario follows the pool's EVENT lines (worker pids) on its stdout; run it with local targets`);
  const out: PoolEventLine[] = t.tail.flatMap((l) => parseEventLine(l) ?? []);
  createInterface({ input: t.child.stdout }).on('line', (l) => {
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

/** Every worker the pool reports ready now (its latest generation): worker id → pid. */
export function workerPids(events: readonly PoolEventLine[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const e of events) if (e.type === 'worker:ready' && e.pid) out.set(e.workerId, e.pid);
  return out;
}

/** A ready worker's own BridgeService address (127.0.0.1:<port> from its worker:ready event), to call it without the pool. */
export function workerAddress(events: readonly PoolEventLine[], workerId: string): string {
  const e = events.findLast((x) => x.type === 'worker:ready' && x.workerId === workerId);
  if (!e?.port) throw new Error(`the pool reported no ready ${workerId} with a port`);
  return `127.0.0.1:${e.port}`;
}

/** The session the pool gives calls that bring none on this worker (Snakepit's per-worker session). */
export const workerSession = (workerId: string): string => `pool_${workerId}_session`;

/** The compiled worker-main under plain node, as the pool's workers run: [node, worker-main.js]. */
export async function workerCommand(): Promise<string[]> {
  return compiledCommand({ package: PKG, main: 'src/worker-main.ts' });
}
