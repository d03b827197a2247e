import { Reply } from 'zeromq';
import { createHandler } from './handler.js';
import type { HandlerOptions } from './handler.js';
import { DEFAULT_FRONTEND } from './ppp.js';

export interface DirectServerOptions extends HandlerOptions {
  /** Bind address; port 0 picks a free port. Default tcp://127.0.0.1:5555. */
  endpoint?: string;
}

export interface DirectServer {
  /** The bound endpoint with the real port. */
  readonly endpoint: string;
  stats(): { requests: number };
  close(): void;
}

/**
 * The floor the broker is compared to: a plain REP socket serving the same handler.
 * The handler always returns a reply, so REP's recv/send lockstep can never wedge
 * (the original left REP hanging on invalid JSON).
 */
export async function createDirectServer(opts: DirectServerOptions = {}): Promise<DirectServer> {
  const handle = createHandler(opts);
  const socket = new Reply({ linger: 0 });
  await socket.bind(opts.endpoint ?? DEFAULT_FRONTEND);
  const endpoint = socket.lastEndpoint ?? '';
  let requests = 0;

  void (async () => {
    try {
      for await (const frames of socket) {
        requests++;
        await socket.send(handle(frames));
      }
    } catch {
      // the socket was closed mid-send: we are shutting down
    }
  })();

  return {
    endpoint,
    stats: () => ({ requests }),
    close: () => socket.close(),
  };
}
