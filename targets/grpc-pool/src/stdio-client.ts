import { spawn } from 'node:child_process';
import { PoolError, PoolErrorCode } from './errors.js';
import { defaultWorkerCommand } from './pool-options.js';
import { decodeBody, encodeBody, encodeFrame, FrameDecoder, loadMsgpack, STDIO_PROTOCOLS } from './stdio-framing.js';
import type { StdioProtocol } from './stdio-framing.js';

export interface StdioClientOptions {
  /** Worker program and args; default this package's worker-main.ts --protocol stdio. */
  command?: readonly string[];
  /** Protocol to ask for; default msgpack. negotiate false skips negotiation (JSON, as after a failed one). */
  preferred?: StdioProtocol;
  negotiate?: boolean;
  env?: NodeJS.ProcessEnv;
  /** Per-call timeout, default 30000. */
  timeoutMs?: number;
}

export interface StdioClient {
  readonly pid: number;
  readonly protocol: StdioProtocol;
  /** The worker's result, or a WB_ERR_POOL_TOOL_FAILED rejection with its error text. */
  call(command: string, args?: Record<string, unknown>, timeoutMs?: number): Promise<unknown>;
  /** Ends stdin and waits for the worker to exit (SIGKILL after 2 s). */
  close(): Promise<void>;
}

interface Pending {
  resolve(v: unknown): void;
  reject(e: Error): void;
  timer: NodeJS.Timeout;
}

/** Spawns a stdio worker and negotiates (JSON frame; a failed negotiation means JSON). */
export async function createStdioClient(o: StdioClientOptions = {}): Promise<StdioClient> {
  await loadMsgpack();
  const [program, ...args] = o.command ?? [...defaultWorkerCommand(), '--protocol', 'stdio'];
  const child = spawn(program!, args, { stdio: ['pipe', 'pipe', 'inherit'], env: o.env ?? process.env });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const decoder = new FrameDecoder();
  const pending = new Map<number, Pending>();
  let protocol: StdioProtocol = 'json';
  let onFirst: ((msg: unknown) => void) | undefined;
  let nextId = 0;
  const timeoutMs = o.timeoutMs ?? 30_000;

  const failAll = (e: PoolError) => {
    for (const [id, p] of pending) {
      clearTimeout(p.timer);
      pending.delete(id);
      p.reject(e);
    }
  };
  child.stdout!.on('data', (chunk: Buffer) => {
    for (const body of decoder.push(chunk)) {
      const msg = decodeBody(body, onFirst ? 'json' : protocol) as { id?: number; success?: boolean; result?: unknown; error?: string };
      if (onFirst) {
        onFirst(msg);
        continue;
      }
      const p = typeof msg.id === 'number' ? pending.get(msg.id) : undefined;
      if (!p) continue;
      pending.delete(msg.id!);
      clearTimeout(p.timer);
      if (msg.success) p.resolve(msg.result);
      else p.reject(new PoolError(PoolErrorCode.ToolFailed, String(msg.error), 'see the worker error; the worker keeps serving'));
    }
  });
  void exited.then(() => {
    failAll(new PoolError(PoolErrorCode.StdioClosed, `stdio worker (pid ${child.pid}) exited`, 'start a new client'));
    onFirst?.(undefined);
  });
  const write = (msg: unknown, p: StdioProtocol) => child.stdin!.write(encodeFrame(encodeBody(msg, p)));
  child.stdin!.on('error', () => undefined); // EPIPE after the worker died: reported through exit

  if (o.negotiate !== false) {
    const reply = await new Promise<unknown>((resolve) => {
      onFirst = resolve;
      write({ type: 'protocol_negotiation', supported: STDIO_PROTOCOLS, preferred: o.preferred ?? 'msgpack', timestamp: new Date().toISOString() }, 'json');
    });
    onFirst = undefined;
    const r = reply as { type?: string; protocol?: StdioProtocol } | undefined;
    if (!r) throw new PoolError(PoolErrorCode.StdioClosed, 'the stdio worker exited during negotiation', 'run the worker command by hand to see why');
    protocol = r.type === 'protocol_selected' && r.protocol && STDIO_PROTOCOLS.includes(r.protocol) ? r.protocol : 'json';
  }

  return {
    pid: child.pid!,
    protocol,
    call(command, callArgs = {}, ms = timeoutMs) {
      if (child.exitCode !== null || child.signalCode !== null) return Promise.reject(new PoolError(PoolErrorCode.StdioClosed, 'the stdio worker has exited', 'start a new client'));
      const id = nextId++;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new PoolError(PoolErrorCode.CallTimeout, `stdio call ${command} (id ${id}) got no reply within ${ms} ms`, 'raise the timeout'));
        }, ms);
        pending.set(id, { resolve, reject, timer });
        write({ id, command, args: callArgs, timestamp: new Date().toISOString() }, protocol);
      });
    },
    async close() {
      child.stdin!.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
      await exited;
      clearTimeout(timer);
    },
  };
}
