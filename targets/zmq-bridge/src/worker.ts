import { Dealer } from 'zeromq';
import { busyWait } from './compute.js';
import { createHandler, errorReplyFrames } from './handler.js';
import type { HandlerOptions } from './handler.js';
import {
  DEFAULT_BACKEND, HEARTBEAT_FRAME, HEARTBEAT_INTERVAL_MS, HEARTBEAT_LIVENESS, PPP_HEARTBEAT,
  READY_FRAME, RECONNECT_INITIAL_MS, RECONNECT_MAX_MS, isCommand, splitEnvelope,
} from './ppp.js';
import { SendQueue } from './send-queue.js';
import { ErrorCode, BridgeError } from './errors.js';

export interface WorkerOptions extends HandlerOptions {
  /** Broker backend to connect to. Default tcp://127.0.0.1:5556. */
  endpoint?: string;
  heartbeatIntervalMs?: number;
  liveness?: number;
  /** Backoff before reconnecting after the broker is declared dead: doubles up to the max. */
  reconnectInitialMs?: number;
  reconnectMaxMs?: number;
  /**
   * Requests the broker may hand this worker before its reply (READY is sent this many times).
   * 1 is ppworker exactly; more lets ZeroMQ batch requests to a busy worker. A zguide ppqueue
   * treats the extra READYs as "ready" and still sends one at a time. Default 1.
   */
  capacity?: number;
  /**
   * Serves request bodies instead of the bridge handler (the HandlerOptions then do not apply).
   * It may answer later (a promise): the worker keeps heartbeating meanwhile, and the reply goes back
   * on the connection the request came in on. A rejection is answered with a WB_ERR_ZMQ_INTERNAL error reply.
   */
  handler?: (body: readonly Buffer[]) => Buffer[] | Promise<Buffer[]>;
}

export interface WorkerStats {
  requests: number;
  heartbeatsSent: number;
  heartbeatsReceived: number;
  reconnects: number;
  invalid: number;
  /** Backoff the next reconnect will wait. */
  nextBackoffMs: number;
}

export interface PirateWorker {
  readonly endpoint: string;
  stats(): WorkerStats;
  /** Busy the CPU for ms right now (fault injection: no heartbeats, no replies meanwhile). */
  stall(ms: number): void;
  /** Resolves at the first message from the broker (it heartbeats every worker it holds). */
  readonly registered: Promise<void>;
  close(): void;
}

/** Paranoid Pirate worker (ppworker.c, RFC 6) serving the bridge handler. */
export function createWorker(opts: WorkerOptions = {}): PirateWorker {
  const endpoint = opts.endpoint ?? DEFAULT_BACKEND;
  const intervalMs = opts.heartbeatIntervalMs ?? HEARTBEAT_INTERVAL_MS;
  const maxLiveness = opts.liveness ?? HEARTBEAT_LIVENESS;
  const backoffInit = opts.reconnectInitialMs ?? RECONNECT_INITIAL_MS;
  const backoffMax = opts.reconnectMaxMs ?? RECONNECT_MAX_MS;
  const capacity = opts.capacity ?? 1;
  if (!Number.isInteger(capacity) || capacity < 1 || capacity > 1024) {
    throw new BridgeError(ErrorCode.BadOption, `createWorker needs capacity to be an integer from 1 to 1024 (got ${capacity})`);
  }
  const handle = opts.handler ?? createHandler(opts);

  const s: WorkerStats = { requests: 0, heartbeatsSent: 0, heartbeatsReceived: 0, reconnects: 0, invalid: 0, nextBackoffMs: backoffInit };
  let socket: Dealer | null = null;
  let queue: SendQueue | null = null;
  let liveness = maxLiveness;
  let heard = false;
  let ticker: NodeJS.Timeout | null = null;
  let reconnectTimer: NodeJS.Timeout | null = null;
  let closed = false;
  let markRegistered: () => void = () => undefined;
  const registered = new Promise<void>((resolve) => {
    markRegistered = resolve;
  });

  function send(frames: Buffer[], on = queue): void {
    on?.send(frames).catch(() => undefined); // fails only once the socket is closed
  }

  function connect(): void {
    const sock = new Dealer({ linger: 0 });
    sock.connect(endpoint);
    socket = sock;
    queue = new SendQueue(sock);
    liveness = maxLiveness;
    heard = false;
    // RFC 6: READY is the first message on every connection; each further READY is one more credit.
    for (let i = 0; i < capacity; i++) send([READY_FRAME]);
    ticker = setInterval(tick, intervalMs);
    void receiveLoop(sock);
  }

  async function receiveLoop(sock: Dealer): Promise<void> {
    try {
      for await (const frames of sock) {
        if (sock !== socket) return;
        onMessage(frames);
      }
    } catch {
      // closed while waiting
    }
  }

  function onMessage(frames: Buffer[]): void {
    heard = true;
    markRegistered();
    liveness = maxLiveness;
    s.nextBackoffMs = backoffInit; // ppworker: any message resets the reconnect backoff
    if (isCommand(frames, PPP_HEARTBEAT)) {
      s.heartbeatsReceived++;
      return;
    }
    const split = splitEnvelope(frames);
    if (!split) {
      s.invalid++;
      return;
    }
    s.requests++;
    const { envelope } = split;
    const out = handle(split.body);
    if (Array.isArray(out)) {
      send([...envelope, ...out]);
      return;
    }
    const on = queue; // a reply belongs to the connection its request came in on
    out.then(
      (reply) => send([...envelope, ...reply], on),
      (e: unknown) => send([...envelope, ...errorReplyFrames(e)], on),
    );
  }

  function tick(): void {
    if (!heard && --liveness <= 0) {
      reconnect();
      return;
    }
    heard = false;
    s.heartbeatsSent++;
    send([HEARTBEAT_FRAME]);
  }

  function dropSocket(): void {
    if (ticker) clearInterval(ticker);
    ticker = null;
    socket?.close();
    socket = null;
    queue = null;
  }

  function reconnect(): void {
    // The broker is presumed dead: a new socket (new identity) after a backoff, then READY again.
    dropSocket();
    s.reconnects++;
    const wait = s.nextBackoffMs;
    s.nextBackoffMs = Math.min(wait * 2, backoffMax);
    reconnectTimer = setTimeout(() => {
      reconnectTimer = null;
      if (!closed) connect();
    }, wait);
  }

  connect();
  return {
    endpoint,
    stats: () => ({ ...s }),
    stall: (ms) => busyWait(ms),
    registered,
    close() {
      closed = true;
      if (reconnectTimer) clearTimeout(reconnectTimer);
      dropSocket();
    },
  };
}
