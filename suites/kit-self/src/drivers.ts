import { connect, type Socket } from 'node:net';
import { OK, errorOutcome, type Driver, type Outcome } from '@wirebench/kit';

/** Does nothing, synchronously: what the engine itself costs per operation. */
export const noopSync: Driver<null> = { open: () => null, perform: () => OK, close: () => {} };

/** Does nothing, through a promise: the engine's cost on the async path every real driver takes. */
export const noopAsync: Driver<null> = { open: () => null, perform: async () => OK, close: () => {} };

/** Resolves after a fixed timer delay: a known latency for the engine to recover. */
export function fixedDelay(ms: number): Driver<null> {
  return {
    open: () => null,
    perform: () => new Promise<Outcome>((resolve) => setTimeout(resolve, ms, OK)),
    close: () => {},
  };
}

interface EchoClient {
  socket: Socket;
  buffered: string;
  waiting: Array<{ expect: string; resolve: (o: Outcome) => void }>;
}

/** Sends one line and checks that exactly the same line comes back (pipelined over one socket). */
export function tcpEcho(port: number): Driver<EchoClient> {
  return {
    clients: 4,
    open: () =>
      new Promise((resolve, reject) => {
        const socket = connect({ port, host: '127.0.0.1' });
        const c: EchoClient = { socket, buffered: '', waiting: [] };
        socket.setNoDelay(true);
        socket.setEncoding('utf8');
        socket.on('data', (chunk: string) => {
          c.buffered += chunk;
          let i: number;
          while ((i = c.buffered.indexOf('\n')) >= 0) {
            const line = c.buffered.slice(0, i);
            c.buffered = c.buffered.slice(i + 1);
            const w = c.waiting.shift();
            w?.resolve(line === w.expect ? OK : errorOutcome('mismatch'));
          }
        });
        socket.on('error', (err) => {
          for (const w of c.waiting.splice(0)) w.resolve(errorOutcome('socket'));
          reject(err);
        });
        socket.once('connect', () => resolve(c));
      }),
    perform: (c, op) =>
      new Promise<Outcome>((resolve) => {
        const msg = `op-${op.workerIndex}-${op.seq}`;
        c.waiting.push({ expect: msg, resolve });
        c.socket.write(`${msg}\n`);
      }),
    close: (c) => {
      c.socket.destroy();
    },
  };
}
