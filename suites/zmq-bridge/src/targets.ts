import path from 'node:path';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { ScenarioContext, Target } from '@wirebench/kit';

// The mains live beside the target's index.ts; resolving the package keeps this independent of layout.
const targetSrc = path.dirname(fileURLToPath(import.meta.resolve('@wirebench/zmq-bridge')));
const main = (file: string): string => path.join(targetSrc, file);

/** A free loopback port, for endpoints that must survive a restart (port 0 would move). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

export async function startDirect(ctx: ScenarioContext): Promise<{ target: Target; endpoint: string }> {
  const target = await ctx.processes.start({
    role: 'direct',
    script: main('direct-main.ts'),
    args: ['--endpoint', 'tcp://127.0.0.1:0'],
    ready: { line: /^READY direct (\S+)/ },
  });
  return { target, endpoint: target.readyMatch?.[1] ?? '' };
}

export interface Bridge {
  broker: Target;
  workers: Target[];
  frontend: string;
  backend: string;
}

export interface BridgeOptions {
  workers: number;
  /** Fixed ports (so a restarted broker is found again); default: port 0. */
  fixedPorts?: boolean;
  heartbeatMs?: number;
  liveness?: number;
  /** SIGUSR2 stall length of the workers. */
  stallSignalMs?: number;
  /** Requests a worker may hold at once (READY sent this many times); default 1, ppworker exactly. */
  capacity?: number;
}

/** A Paranoid Pirate broker and its workers, roles broker, worker-1, worker-2, … */
export async function startBridge(ctx: ScenarioContext, o: BridgeOptions): Promise<Bridge> {
  const [fp, bp] = o.fixedPorts ? [await freePort(), await freePort()] : [0, 0];
  const broker = await ctx.processes.start({
    role: 'broker',
    script: main('broker-main.ts'),
    args: ['--frontend', `tcp://127.0.0.1:${fp}`, '--backend', `tcp://127.0.0.1:${bp}`, '--heartbeat-ms', String(o.heartbeatMs ?? 1000), '--liveness', String(o.liveness ?? 3)],
    ready: { line: /^READY broker (\S+) (\S+)/ },
  });
  const frontend = broker.readyMatch?.[1] ?? '';
  const backend = broker.readyMatch?.[2] ?? '';
  // In parallel: each start is mostly tsx start-up, and READY waits for the broker's first heartbeat.
  const workers = await Promise.all(Array.from({ length: o.workers }, (_, i) => startWorker(ctx, backend, i + 1, o)));
  return { broker, workers, frontend, backend };
}

/** Worker `worker-<index>`; READY only once the broker heartbeated it, i.e. it is in the broker's queue. */
export function startWorker(ctx: ScenarioContext, backend: string, index: number, o: Omit<BridgeOptions, 'workers'> = {}): Promise<Target> {
  const args = [
    '--endpoint', backend, '--server-id', `worker-${index}`,
    '--heartbeat-ms', String(o.heartbeatMs ?? 1000), '--liveness', String(o.liveness ?? 3),
    '--stall-signal-ms', String(o.stallSignalMs ?? 3000), '--capacity', String(o.capacity ?? 1),
  ];
  return ctx.processes.start({ role: `worker-${index}`, script: main('worker-main.ts'), args, ready: { line: /^READY worker (\S+)/ } });
}

/** A started target by role (env must stay plain data, so scenarios find their targets here). */
export function targetOf(ctx: ScenarioContext, role: string): Target {
  const t = ctx.processes.targets.find((x) => x.role === role);
  if (!t) throw new Error(`no target with role ${role} was started in this scenario`);
  return t;
}
