import { Router } from 'zeromq';
import {
  DEFAULT_BACKEND, DEFAULT_FRONTEND, HEARTBEAT_FRAME, HEARTBEAT_INTERVAL_MS, HEARTBEAT_LIVENESS,
  PPP_HEARTBEAT, PPP_READY, delimiterAt, isCommand,
} from './ppp.js';
import { SendQueue } from './send-queue.js';
import { WorkerQueue } from './worker-queue.js';

export interface BrokerOptions {
  /**
   * Clients (REQ or DEALER sending [“”, body…], directly or through ROUTER–DEALER proxies, whose
   * address stacks are routed back as they came). Default tcp://127.0.0.1:5555; port 0 = any free port.
   */
  frontend?: string;
  /** Workers. Default tcp://127.0.0.1:5556. */
  backend?: string;
  heartbeatIntervalMs?: number;
  liveness?: number;
}

export interface BrokerStats {
  /** Workers with at least one free credit (ppqueue's idle list). */
  workersIdle: number;
  /** Requests the broker could hand out right now (one per credit; a zguide worker holds one). */
  freeCredits: number;
  workersSeen: number;
  requestsForwarded: number;
  repliesForwarded: number;
  heartbeatsSent: number;
  workersExpired: number;
  /** Frames that are neither a PPP command nor an envelope, or commands from peers that never said READY. */
  garbageDropped: number;
}

export interface PirateBroker {
  readonly frontend: string;
  readonly backend: string;
  stats(): BrokerStats;
  close(): void;
}

/**
 * Paranoid Pirate queue (ppqueue.c, RFC 6): LRU over idle workers; heartbeats to every worker, idle
 * or busy; expiry of any worker silent for liveness × interval. A worker that sends READY more than
 * once holds that many credits (see WorkerQueue); a zguide worker holds one.
 */
export async function createBroker(opts: BrokerOptions = {}): Promise<PirateBroker> {
  const intervalMs = opts.heartbeatIntervalMs ?? HEARTBEAT_INTERVAL_MS;
  const expiryMs = intervalMs * (opts.liveness ?? HEARTBEAT_LIVENESS);
  const front = new Router({ linger: 0 });
  const back = new Router({ linger: 0 });
  try {
    await front.bind(opts.frontend ?? DEFAULT_FRONTEND);
    await back.bind(opts.backend ?? DEFAULT_BACKEND);
  } catch (e) {
    front.close();
    back.close();
    throw e;
  }
  const frontQ = new SendQueue(front);
  const backQ = new SendQueue(back);
  const workers = new WorkerQueue();
  const known = new Set<string>();
  const s: BrokerStats = { workersIdle: 0, freeCredits: 0, workersSeen: 0, requestsForwarded: 0, repliesForwarded: 0, heartbeatsSent: 0, workersExpired: 0, garbageDropped: 0 };
  let closed = false;
  let wakeFrontend: (() => void) | null = null;

  // ROUTER sends to a vanished peer are dropped by ZeroMQ, so a failed send only means we are closing.
  const ignore = () => undefined;

  function wake(): void {
    if (wakeFrontend) {
      const w = wakeFrontend;
      wakeFrontend = null;
      w();
    }
  }

  function onBackend(frames: Buffer[]): void {
    const [identity, ...rest] = frames;
    if (!identity) return;
    const now = Date.now();
    const key = identity.toString('hex');
    if (isCommand(rest, PPP_READY)) {
      known.add(key);
      workers.ready(identity, now + expiryMs);
      wake();
    } else if (isCommand(rest, PPP_HEARTBEAT)) {
      // A worker we hold, idle or busy, is alive and keeps its places. Anyone else is alive and
      // ready: an expired worker, or one whose connection outlived a broker restart (ppqueue takes both).
      if (!workers.refresh(identity, now + expiryMs)) {
        known.add(key);
        workers.ready(identity, now + expiryMs);
        wake();
      }
    } else if (known.has(key) && delimiterAt(rest) > 0) {
      // [client address stack…, "", reply…]: back to the frontend as it came (ppqueue).
      s.repliesForwarded++;
      frontQ.send(rest).catch(ignore);
      if (!workers.replied(identity, now + expiryMs)) workers.ready(identity, now + expiryMs);
      wake();
    } else {
      s.garbageDropped++;
    }
  }

  function waitForWorker(): Promise<void> {
    if (workers.size > 0) return Promise.resolve();
    return new Promise((resolve) => {
      wakeFrontend = resolve;
    });
  }

  async function backendLoop(): Promise<void> {
    for await (const frames of back) onBackend(frames);
  }

  async function frontendLoop(): Promise<void> {
    // ppqueue polls the frontend only while a worker is idle, so requests wait inside ZeroMQ.
    while (!closed) {
      await waitForWorker();
      if (closed) return;
      const frames = await front.receive();
      // [address stack…, "", request…]: one frame from a REQ or DEALER client, more behind
      // ROUTER–DEALER proxies. The worker gets the whole stack and returns it with the reply.
      if (delimiterAt(frames) < 1) {
        s.garbageDropped++;
        continue;
      }
      s.workersExpired += workers.purge(Date.now()); // don't hand work to a worker that just expired
      let worker = workers.pop();
      while (!worker && !closed) {
        await waitForWorker();
        worker = workers.pop();
      }
      if (!worker) return;
      s.requestsForwarded++;
      backQ.send([worker.identity, ...frames]).catch(ignore);
    }
  }

  // RFC 6: the queue heartbeats every worker at regular intervals, idle or busy, as a dialog apart
  // from requests (ppqueue heartbeats only its idle list, so a worker slower than its liveness took
  // the queue for dead). One timer pass: the request/reply path does no heartbeat work.
  const heartbeat = setInterval(() => {
    s.workersExpired += workers.purge(Date.now());
    for (const identity of workers.identities()) {
      s.heartbeatsSent++;
      backQ.send([identity, HEARTBEAT_FRAME]).catch(ignore);
    }
  }, intervalMs);

  backendLoop().catch(ignore);
  frontendLoop().catch(ignore);

  return {
    frontend: front.lastEndpoint ?? '',
    backend: back.lastEndpoint ?? '',
    stats: () => ({ ...s, workersIdle: workers.idleWorkers, freeCredits: workers.size, workersSeen: known.size }),
    close() {
      if (closed) return;
      closed = true;
      clearInterval(heartbeat);
      wakeFrontend?.();
      front.close();
      back.close();
    },
  };
}
