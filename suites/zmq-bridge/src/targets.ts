/**
 * Target declarations: the direct REQ/REP server, the Paranoid Pirate broker and its workers, as
 * the kit starts them (it finds the mains in @wirebench/zmq-bridge; no path is computed here).
 */
import { freePort, target, type ScenarioContext, type Target, type TargetSpec } from '@wirebench/kit';

const PKG = '@wirebench/zmq-bridge';

export interface PirateOptions {
  /** Heartbeat interval (ms) and liveness (missed heartbeats before expiry), broker and workers alike. */
  heartbeatMs?: number;
  liveness?: number;
  /** How long SIGUSR2 stalls a worker (ms). */
  stallSignalMs?: number;
  /** Requests a worker may hold at once (READY sent this many times); 1 is ppworker exactly. */
  capacity?: number;
}

const pirateArgs = (o: PirateOptions): string[] => ['--heartbeat-ms', String(o.heartbeatMs ?? 1000), '--liveness', String(o.liveness ?? 3)];

export function directTarget(): TargetSpec {
  return target({ package: PKG, main: 'src/direct-main.ts', role: 'direct', args: ['--endpoint', 'tcp://127.0.0.1:0'], ready: { line: /^READY direct (\S+)/ } });
}

/** Port 0 binds anywhere; fixed ports keep the endpoints across a broker restart. */
export function brokerTarget(ports: { frontend: number; backend: number }, o: PirateOptions = {}): TargetSpec {
  return target({
    package: PKG,
    main: 'src/broker-main.ts',
    role: 'broker',
    args: ['--frontend', `tcp://127.0.0.1:${ports.frontend}`, '--backend', `tcp://127.0.0.1:${ports.backend}`, ...pirateArgs(o)],
    ready: { line: /^READY broker (\S+) (\S+)/ },
  });
}

/** Worker `worker-<index>`: READY once the broker heartbeated it, i.e. once it is in the broker's queue. */
export function workerTarget(backend: string, index: number, o: PirateOptions = {}): TargetSpec {
  return target({
    package: PKG,
    main: 'src/worker-main.ts',
    role: `worker-${index}`,
    args: ['--endpoint', backend, '--server-id', `worker-${index}`, ...pirateArgs(o), '--stall-signal-ms', String(o.stallSignalMs ?? 3000), '--capacity', String(o.capacity ?? 1)],
    ready: { line: /^READY worker (\S+)/ },
  });
}

/** The endpoint a target's READY line named (group `i` of its readiness pattern). */
export function readyEndpoint(t: Target, i = 1): string {
  const e = t.readyMatch?.[i];
  if (!e) throw new Error(`${t.role} printed no endpoint in its READY line`);
  return e;
}

export interface Bridge {
  frontend: string;
  backend: string;
}

/** A broker and `workers` workers (roles broker, worker-1, worker-2, …). */
export async function startBridge(ctx: ScenarioContext, workers: number, o: PirateOptions & { fixedPorts?: boolean } = {}): Promise<Bridge> {
  const ports = o.fixedPorts ? { frontend: await freePort(), backend: await freePort() } : { frontend: 0, backend: 0 };
  const broker = await ctx.processes.start(brokerTarget(ports, o));
  const backend = readyEndpoint(broker, 2);
  // In parallel: READY waits for the broker's first heartbeat, up to an interval each.
  await ctx.processes.startAll(Array.from({ length: workers }, (_, i) => workerTarget(backend, i + 1, o)));
  return { frontend: readyEndpoint(broker, 1), backend };
}

export async function startDirect(ctx: ScenarioContext): Promise<string> {
  return readyEndpoint(await ctx.processes.start(directTarget()));
}
