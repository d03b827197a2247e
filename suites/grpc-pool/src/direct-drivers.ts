/**
 * Start-up of one worker per operation, the legacy direct (stdio) protocol beside gRPC, both the
 * compiled worker-main under plain node. stdio: spawn → protocol negotiation answered (the worker
 * can take requests). gRPC: spawn → the worker's connection test to the pool, bind, `READY worker`
 * line → a Ping from here answered (as the pool connects to its workers). Workers are stopped in
 * close(), outside the timed operations.
 */
import type { ChildProcess } from 'node:child_process';
import { errorOutcome, OK, type Driver } from '@wirebench/kit';
import { createStdioClient, type StdioClient } from '@wirebench/grpc-pool';
import { bridgeClient, unary } from './rpc.js';
import { start, stop, waitLine } from './startup-driver.js';

export function stdioStartDriver(command: readonly string[]): Driver<StdioClient[]> {
  return {
    open: () => [],
    async perform(kids) {
      let c: StdioClient;
      try {
        c = await createStdioClient({ command: [...command, '--protocol', 'stdio'], preferred: 'msgpack' });
      } catch (e) {
        return errorOutcome((e as { code?: string }).code ?? 'exited');
      }
      kids.push(c);
      return c.protocol === 'msgpack' ? OK : errorOutcome('bad_protocol');
    },
    close: async (kids) => void (await Promise.all(kids.map((k) => k.close()))),
  };
}

export function grpcWorkerStartDriver(command: readonly string[], pool: string): Driver<ChildProcess[]> {
  return {
    open: () => [],
    async perform(kids, op) {
      const lines: string[] = [];
      const child = start([...command, '--elixir-address', pool, '--port', '0', '--worker-id', `start_${op.seq}`], (l) => lines.push(l));
      kids.push(child);
      let address: string;
      try {
        address = (await waitLine(child, /^READY worker (\S+)/, lines))[1]!;
      } catch {
        return errorOutcome('exited');
      }
      const c = bridgeClient(address);
      try {
        const r = await unary<{ message?: string }>(c, 'Ping', { message: 'connect' }, 5000);
        return r.message === 'Pong from Python: connect' ? OK : errorOutcome('bad_pong');
      } catch {
        return errorOutcome('connect');
      } finally {
        c.close();
      }
    },
    close: (kids) => stop(kids),
  };
}
