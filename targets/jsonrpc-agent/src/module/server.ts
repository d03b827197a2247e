import { createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { onJsonLines } from './ndjson.js';
import type { ModuleRequest, ModuleResponse } from './ndjson.js';

export type ModuleMethod = (params: unknown) => unknown;

/** What the benchmark module offers: `echo` for the pipeline, `sleep`/`fail` for tests. */
export const DEFAULT_MODULE_METHODS: Readonly<Record<string, ModuleMethod>> = {
  echo: (params) => params,
  sleep: (params) =>
    new Promise((resolve) => setTimeout(() => resolve({ slept: true }), Number((params as { ms?: number })?.ms ?? 0))),
  fail: () => {
    throw new Error('module method failed on purpose');
  },
};

/** The module's RPC server: one JSON request per line in, one JSON response per line out. */
export function createModuleServer(methods: Readonly<Record<string, ModuleMethod>> = DEFAULT_MODULE_METHODS): Server {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    const reply = (msg: ModuleResponse) => {
      if (!socket.destroyed) socket.write(`${JSON.stringify(msg)}\n`);
    };
    onJsonLines(
      socket,
      (raw) => {
        const req = raw as ModuleRequest;
        const id = typeof req?.id === 'number' ? req.id : -1;
        const method = typeof req?.method === 'string' ? methods[req.method] : undefined;
        if (method === undefined) {
          reply({ id, error: { message: `Unknown module method '${String(req?.method)}'` } });
          return;
        }
        Promise.resolve()
          .then(() => method(req.params))
          .then(
            (result) => reply({ id, result: result === undefined ? null : result }),
            (err: unknown) => reply({ id, error: { message: (err as Error)?.message ?? String(err) } }),
          );
      },
      () => reply({ id: -1, error: { message: 'Malformed JSON line' } }),
    );
  });
  // Let close() finish even while clients keep their connections open.
  server.on('close', () => {
    for (const s of sockets) s.destroy();
  });
  const close = server.close.bind(server);
  server.close = (cb?: (err?: Error) => void) => {
    for (const s of sockets) s.destroy();
    return close(cb);
  };
  return server;
}
