import { randomBytes } from 'node:crypto';
import { Dealer } from 'zeromq';
import { chooseFormat, decodeMessage, encodeMessage } from './codec.js';
import type { Format } from './codec.js';
import type { Op, Vector } from './compute.js';
import { ErrorCode, WbError } from './errors.js';
import { DEFAULT_FRONTEND, EMPTY_FRAME } from './ppp.js';

export interface ClientOptions {
  /** Broker frontend or direct REP server. Default tcp://127.0.0.1:5555. */
  endpoint?: string;
  /** Per attempt, as REQUEST_TIMEOUT in lpclient.c. Default 2500 ms. */
  timeoutMs?: number;
  /** Sends per request at most, as REQUEST_RETRIES in lpclient.c (so 3 = 1 send + 2 resends). Default 3. */
  retries?: number;
  /** Requests in flight at once, one DEALER socket each; more wait their turn. Default 32. */
  maxInFlight?: number;
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

/**
 * Lazy Pirate (zguide ch. 4, lpclient.c) over a pool of DEALER sockets, one request in flight per
 * socket. DEALER rather than REQ: REQ's send/recv lockstep would make a stale or duplicate reply
 * wedge the socket, while here it is read, recognised by correlation_id and counted.
 */
export function createClient(opts: ClientOptions = {}): LazyPirateClient {
  const endpoint = opts.endpoint ?? DEFAULT_FRONTEND;
  const timeoutMs = opts.timeoutMs ?? 2500;
  const retries = opts.retries ?? 3;
  const maxInFlight = opts.maxInFlight ?? 32;
  const defaultFormat = opts.format ?? 'auto';
  const prefix = opts.correlationPrefix ?? `req_${randomBytes(4).toString('hex')}`;
  if (!(retries >= 1) || !(timeoutMs > 0) || !(maxInFlight >= 1)) {
    throw new WbError(ErrorCode.BadOption, 'createClient needs retries >= 1, timeoutMs > 0 and maxInFlight >= 1');
  }

  const c: ClientCounters = { requests: 0, sent: 0, retried: 0, ok: 0, abandoned: 0, staleDiscarded: 0, malformedDiscarded: 0, inFlight: 0 };
  let seq = 0;
  let closed = false;
  const idle: Slot[] = [];
  const all = new Set<Slot>();
  const waiting: Job[] = [];

  class Slot {
    private socket: Dealer | null = null;
    private job: Job | null = null;
    private timer: NodeJS.Timeout | null = null;

    start(job: Job): void {
      this.job = job;
      c.inFlight++;
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
      job.attempts++;
      c.sent++;
      if (job.attempts > 1) c.retried++;
      // A send stuck on a dead peer is abandoned with the socket on timeout; its rejection is moot.
      socket.send([EMPTY_FRAME, ...job.frames]).catch(() => undefined);
      this.timer = setTimeout(() => this.onTimeout(), timeoutMs);
    }

    private onTimeout(): void {
      const job = this.job as Job;
      this.timer = null;
      this.dropSocket(); // lpclient: close (linger 0), so the old request and any late reply die with it
      if (job.attempts >= retries) {
        c.abandoned++;
        this.finish();
        job.reject(new WbError(ErrorCode.Abandoned, `No reply from ${endpoint} after ${job.attempts} attempts of ${timeoutMs} ms (correlation_id ${job.correlationId}); is the server or broker up?`));
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
      let reply: Record<string, unknown>;
      let format: Format;
      try {
        if (frames[0]?.length !== 0) throw new Error('no empty delimiter');
        const decoded = decodeMessage(frames.slice(1));
        if (decoded.value === null || typeof decoded.value !== 'object') throw new Error('reply is not an object');
        reply = decoded.value as Record<string, unknown>;
        format = decoded.format === 'legacy' ? 'json' : decoded.format;
      } catch {
        c.malformedDiscarded++;
        return;
      }
      const job = this.job;
      const id = reply.correlation_id;
      // A reply without an id can only be for this socket's one request (e.g. an error reply to a
      // frame the server could not parse); one with another id is a duplicate or a late reply.
      if (job === null || (id !== undefined && id !== job.correlationId)) {
        c.staleDiscarded++;
        return;
      }
      if (this.timer) clearTimeout(this.timer);
      this.timer = null;
      c.ok++;
      this.finish();
      job.resolve({ reply, retries: job.attempts - 1, correlationId: job.correlationId, format });
    }

    private finish(): void {
      this.job = null;
      c.inFlight--;
      const next = waiting.shift();
      if (next) this.start(next);
      else idle.push(this);
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
      job?.reject(new WbError(ErrorCode.Closed, `Client closed with request ${job.correlationId} in flight`));
    }
  }

  function dispatch(job: Job): void {
    const slot = idle.pop() ?? (all.size < maxInFlight ? new Slot() : undefined);
    if (!slot) {
      waiting.push(job);
      return;
    }
    all.add(slot);
    slot.start(job);
  }

  function request(payload: unknown, o: { format?: Format | 'auto' } = {}): Promise<ClientResult> {
    if (closed) return Promise.reject(new WbError(ErrorCode.Closed, 'Client is closed; create a new one'));
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
      for (const job of waiting.splice(0)) job.reject(new WbError(ErrorCode.Closed, 'Client closed before the request was sent'));
      for (const slot of all) slot.shutdown();
    },
  };
}
