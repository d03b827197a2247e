import { randomBytes } from 'node:crypto';
import { Dealer } from 'zeromq';
import { chooseFormat, decodeMessage, encodeMessage } from './codec.js';
import type { Format } from './codec.js';
import type { Op, Vector } from './compute.js';
import { ErrorCode, BridgeError } from './errors.js';
import { DEFAULT_FRONTEND, EMPTY_FRAME } from './ppp.js';
import { SendQueue } from './send-queue.js';

export interface ClientOptions {
  /** Broker frontend or direct REP server. Default tcp://127.0.0.1:5555. */
  endpoint?: string;
  /** Per attempt, as REQUEST_TIMEOUT in lpclient.c. Default 2500 ms. */
  timeoutMs?: number;
  /** Sends per request at most, as REQUEST_RETRIES in lpclient.c (so 3 = 1 send + 2 resends). Default 3. */
  retries?: number;
  /** Requests in flight at once; more wait their turn. Default 32. */
  maxInFlight?: number;
  /**
   * 'per-request' (default): one DEALER per in-flight request, lpclient exactly.
   * 'shared': first attempts share one DEALER and are matched by correlation_id, so ZeroMQ batches
   * them instead of waking a socket per request; a request that times out is resent on a new
   * socket of its own, as lpclient does, and any late reply on the shared socket is discarded.
   */
  sockets?: 'per-request' | 'shared';
  /** Codec; 'auto' picks by payload size (spec thresholds). Default 'auto'. */
  format?: Format | 'auto';
  /** Prefix of correlation ids; default a random hex tag. */
  correlationPrefix?: string;
}

export interface ClientResult {
  reply: Record<string, unknown>;
  /** Resends this request needed: 0 = answered first time. */
  retries: number;
  correlationId: string;
  format: Format;
}

export interface ClientCounters {
  requests: number;
  sent: number;
  retried: number;
  ok: number;
  abandoned: number;
  staleDiscarded: number;
  malformedDiscarded: number;
  inFlight: number;
}

export interface LazyPirateClient {
  readonly endpoint: string;
  request(payload: unknown, opts?: { format?: Format | 'auto' }): Promise<ClientResult>;
  compute(op: Op, data: Vector, other?: Vector, opts?: { format?: Format | 'auto' }): Promise<ClientResult>;
  heartbeat(): Promise<ClientResult>;
  counters(): ClientCounters;
  close(): void;
}

interface Job {
  correlationId: string;
  frames: Buffer[];
  format: Format;
  attempts: number;
  resolve(r: ClientResult): void;
  reject(e: Error): void;
}

function toFloat32(v: Vector): Float32Array {
  return v instanceof Float32Array ? v : Float32Array.from(v);
}

type Decoded = { reply: Record<string, unknown>; format: Format } | null;

/**
 * What makes a reply one: every reply of the contract carries `status` ("success", "error", or
 * "heartbeat_ack" to "HEARTBEAT"), which no request form has. So a request sent back as it came (a
 * misrouted echo) is no reply; like any other malformed reply it is counted and waited past.
 */
const REPLY_STATUSES: ReadonlySet<unknown> = new Set(['success', 'error', 'heartbeat_ack']);

/** The reply in these frames, or null when they are not a reply (counted as malformed). */
function decodeReply(frames: Buffer[]): Decoded {
  try {
    if (frames[0]?.length !== 0) return null; // no empty delimiter
    const decoded = decodeMessage(frames.slice(1));
    const reply = decoded.value as Record<string, unknown> | null;
    if (reply === null || typeof reply !== 'object' || !REPLY_STATUSES.has(reply.status)) return null;
    return { reply, format: decoded.format === 'legacy' ? 'json' : decoded.format };
  } catch {
    return null; // undecodable
  }
}

/**
 * Lazy Pirate (zguide ch. 4, lpclient.c) over DEALER sockets. DEALER rather than REQ: REQ's
 * send/recv lockstep would make a stale or duplicate reply wedge the socket, while here it is
 * read, recognised by correlation_id and counted.
 */
export function createClient(opts: ClientOptions = {}): LazyPirateClient {
  const endpoint = opts.endpoint ?? DEFAULT_FRONTEND;
  const timeoutMs = opts.timeoutMs ?? 2500;
  const retries = opts.retries ?? 3;
  const maxInFlight = opts.maxInFlight ?? 32;
  const shared = (opts.sockets ?? 'per-request') === 'shared';
  const defaultFormat = opts.format ?? 'auto';
  const prefix = opts.correlationPrefix ?? `req_${randomBytes(4).toString('hex')}`;
  if (!(retries >= 1) || !(timeoutMs > 0) || !(maxInFlight >= 1)) {
    throw new BridgeError(ErrorCode.BadOption, 'createClient needs retries >= 1, timeoutMs > 0 and maxInFlight >= 1');
  }
  if (opts.sockets !== undefined && opts.sockets !== 'per-request' && opts.sockets !== 'shared') {
    throw new BridgeError(ErrorCode.BadOption, `createClient sockets must be 'per-request' or 'shared' (got ${String(opts.sockets)})`);
  }

  const c: ClientCounters = { requests: 0, sent: 0, retried: 0, ok: 0, abandoned: 0, staleDiscarded: 0, malformedDiscarded: 0, inFlight: 0 };
  let seq = 0;
  let closed = false;
  const idle: Slot[] = [];
  const all = new Set<Slot>();
  const waiting: Job[] = [];

  function abandon(job: Job): void {
    c.abandoned++;
    job.reject(new BridgeError(ErrorCode.Abandoned, `No reply from ${endpoint} after ${job.attempts} attempts of ${timeoutMs} ms (correlation_id ${job.correlationId}); is the server or broker up?`));
  }

  function countSend(job: Job): void {
    job.attempts++;
    c.sent++;
    if (job.attempts > 1) c.retried++;
  }

  function succeed(job: Job, d: NonNullable<Decoded>): void {
    c.ok++;
    job.resolve({ reply: d.reply, retries: job.attempts - 1, correlationId: job.correlationId, format: d.format });
  }

  /** A request is over (answered or abandoned): let the next one in. close() zeroes the count itself. */
  function settled(): void {
    c.inFlight--;
    const next = closed ? undefined : waiting.shift();
    if (next) start(next);
  }

  /** One socket, one request at a time: an lpclient. */
  class Slot {
    private socket: Dealer | null = null;
    private job: Job | null = null;
    private timer: NodeJS.Timeout | null = null;

    /** `pooled`: back to the idle pool when done; otherwise a one-off retry socket, closed when done. */
    constructor(private readonly pooled: boolean) {
      all.add(this);
    }

    start(job: Job): void {
      this.job = job;
      this.attempt();
    }

    private open(): Dealer {
      const socket = new Dealer({ linger: 0 });
      socket.connect(endpoint);
      this.socket = socket;
      void this.receiveLoop(socket);
      return socket;
    }

    private attempt(): void {
      const job = this.job as Job;
      const socket = this.socket ?? this.open();
      countSend(job);
      // A send stuck on a dead peer is abandoned with the socket on timeout; its rejection is moot.
      socket.send([EMPTY_FRAME, ...job.frames]).catch(() => undefined);
      this.timer = setTimeout(() => this.onTimeout(), timeoutMs);
    }

    private onTimeout(): void {
      const job = this.job as Job;
      this.timer = null;
      this.dropSocket(); // lpclient: close (linger 0), so the old request and any late reply die with it
      if (job.attempts >= retries) {
        this.finish();
        abandon(job);
      } else {
        this.attempt();
      }
    }

    private async receiveLoop(socket: Dealer): Promise<void> {
      try {
        for await (const frames of socket) this.onMessage(socket, frames);
      } catch {
        // closed underneath us: nothing left to read
      }
    }

    private onMessage(socket: Dealer, frames: Buffer[]): void {
      if (socket !== this.socket) {
        c.staleDiscarded++;
        return;
      }
      const d = decodeReply(frames);
      if (!d) {
        c.malformedDiscarded++;
        return;
      }
      const job = this.job;
      const id = d.reply.correlation_id;
      // A reply without an id can only be for this socket's one request (e.g. an error reply to a
      // frame the server could not parse); one with another id is a duplicate or a late reply.
      if (job === null || (id !== undefined && id !== job.correlationId)) {
        c.staleDiscarded++;
        return;
      }
      if (this.timer) clearTimeout(this.timer);
      this.timer = null;
      this.finish();
      succeed(job, d);
    }

    private finish(): void {
      this.job = null;
      if (this.pooled) {
        idle.push(this);
      } else {
        this.dropSocket();
        all.delete(this);
      }
      settled();
    }

    dropSocket(): void {
      this.socket?.close();
      this.socket = null;
    }

    shutdown(): void {
      if (this.timer) clearTimeout(this.timer);
      this.timer = null;
      this.dropSocket();
      const job = this.job;
      this.job = null;
      job?.reject(new BridgeError(ErrorCode.Closed, `Client closed with request ${job.correlationId} in flight`));
    }
  }

  /** The shared DEALER of sockets: 'shared': first attempts only, matched by correlation_id. */
  const lane = shared ? createLane() : null;

  function createLane() {
    // immediate: with no live connection a send waits instead of queueing for the next one, and
    // the queue's `wanted` check then drops requests that timed out meanwhile, so a broker coming
    // back does not receive (and run) requests already resent or abandoned. At most the one send
    // already handed to ZeroMQ can still arrive late.
    const socket = new Dealer({ linger: 0, immediate: true });
    socket.connect(endpoint);
    const queue = new SendQueue(socket); // zeromq allows one pending send per socket
    const pending = new Map<string, { job: Job; timer: NodeJS.Timeout }>();

    void (async () => {
      try {
        for await (const frames of socket) {
          const d = decodeReply(frames);
          if (!d) {
            c.malformedDiscarded++;
            continue;
          }
          const id = d.reply.correlation_id;
          const entry = typeof id === 'string' ? pending.get(id) : undefined;
          // No id, or one not pending here: a late reply to a request that moved to its own socket
          // (or a duplicate). Either way not ours to deliver; the request's timer settles it. (A
          // reply without an id, e.g. to a frame the server could not parse, thus costs a timeout
          // here, where per-request mode can take it as its one request's reply.)
          if (!entry) {
            c.staleDiscarded++;
            continue;
          }
          pending.delete(id as string);
          clearTimeout(entry.timer);
          settled();
          succeed(entry.job, d);
        }
      } catch {
        // closed
      }
    })();

    return {
      start(job: Job): void {
        countSend(job);
        const timer = setTimeout(() => {
          pending.delete(job.correlationId);
          if (job.attempts >= retries) {
            settled();
            abandon(job);
          } else {
            new Slot(false).start(job); // lpclient: a new socket for the resend
          }
        }, timeoutMs);
        // Pending before the send: the queue asks `wanted` at once when the socket is free.
        pending.set(job.correlationId, { job, timer });
        queue.send([EMPTY_FRAME, ...job.frames], () => pending.has(job.correlationId)).catch(() => undefined);
      },
      shutdown(): void {
        socket.close();
        for (const { job, timer } of pending.values()) {
          clearTimeout(timer);
          job.reject(new BridgeError(ErrorCode.Closed, `Client closed with request ${job.correlationId} in flight`));
        }
        pending.clear();
      },
    };
  }

  function start(job: Job): void {
    c.inFlight++;
    if (lane) lane.start(job);
    else (idle.pop() ?? new Slot(true)).start(job);
  }

  function dispatch(job: Job): void {
    if (c.inFlight >= maxInFlight) waiting.push(job);
    else start(job);
  }
  function request(payload: unknown, o: { format?: Format | 'auto' } = {}): Promise<ClientResult> {
    if (closed) return Promise.reject(new BridgeError(ErrorCode.Closed, 'Client is closed; create a new one'));
    const correlationId = `${prefix}_${++seq}`;
    const message = { correlation_id: correlationId, payload };
    const wanted = o.format ?? defaultFormat;
    const format = wanted === 'auto' ? chooseFormat(message) : wanted;
    const frames = encodeMessage(message, format);
    c.requests++;
    return new Promise((resolve, reject) => {
      dispatch({ correlationId, frames, format, attempts: 0, resolve, reject });
    });
  }

  return {
    endpoint,
    request,
    compute(op, data, other, o) {
      const payload: Record<string, unknown> = { op, data: toFloat32(data) };
      if (other !== undefined) payload.other = toFloat32(other);
      return request(payload, o);
    },
    heartbeat: () => request('HEARTBEAT', { format: 'json' }),
    counters: () => ({ ...c }),
    close() {
      if (closed) return;
      closed = true;
      for (const job of waiting.splice(0)) job.reject(new BridgeError(ErrorCode.Closed, 'Client closed before the request was sent'));
      lane?.shutdown();
      for (const slot of all) slot.shutdown();
      c.inFlight = 0;
    },
  };
}
