import type { MessageLike, Writable } from 'zeromq';

interface Queued {
  message: MessageLike[];
  wanted: (() => boolean) | undefined;
  resolve: () => void;
  reject: (e: unknown) => void;
}

const DONE: Promise<void> = Promise.resolve();

function isBusy(e: unknown): boolean {
  return (e as { code?: unknown } | null)?.code === 'EBUSY';
}

/**
 * zeromq v6 allows one pending send() per socket (a second one throws EBUSY), while a broker or
 * worker sends from several places (receive loop, heartbeat timer). Sends go straight to the
 * socket while it takes them, which is nearly always: below the high-water mark zeromq.js sends
 * at once. Only once a send is left pending (the peer's queue is full) do later ones wait here,
 * in order. Chaining every send on the previous one's promise instead cost a few promises and a
 * microtask hop per message on every hop of the pipeline. Errors go to the caller of that send.
 */
export class SendQueue {
  private readonly backlog: Queued[] = [];
  /** The last send handed to the socket: the one a busy socket is still working on. */
  private last: Promise<void> = DONE;
  private draining = false;

  constructor(private readonly socket: Writable) {}

  /** `wanted`, checked when the message's turn comes: false skips it (its request gave up meanwhile). */
  send(message: MessageLike[], wanted?: () => boolean): Promise<void> {
    if (this.backlog.length === 0 && !this.draining) {
      if (wanted && !wanted()) return DONE;
      try {
        this.last = this.socket.send(message);
        return this.last;
      } catch (e) {
        if (!isBusy(e)) return Promise.reject(e);
      }
    }
    return new Promise((resolve, reject) => {
      this.backlog.push({ message, wanted, resolve, reject });
      if (!this.draining) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.backlog.length > 0) {
        await this.last.catch(() => undefined);
        const q = this.backlog.shift() as Queued;
        if (q.wanted && !q.wanted()) {
          q.resolve();
          continue;
        }
        try {
          this.last = this.socket.send(q.message);
          this.last.then(q.resolve, q.reject);
        } catch (e) {
          if (isBusy(e)) {
            // Busy with a send that was not ours to wait for: try again on the next turn of the loop.
            this.backlog.unshift(q);
            await new Promise((r) => setImmediate(r));
            continue;
          }
          q.reject(e);
        }
      }
    } finally {
      this.draining = false;
    }
  }
}
