import type { MessageLike, Writable } from 'zeromq';

/**
 * zeromq v6 allows one pending send() per socket (a second one rejects with EBUSY), while a
 * broker or worker sends from several places (receive loop, heartbeat timer). Chaining keeps
 * them in order. Errors go to the caller of that send; the chain itself never breaks.
 */
export class SendQueue {
  private tail: Promise<void> = Promise.resolve();
  constructor(private readonly socket: Writable) {}

  /** `wanted`, checked when the message's turn comes: false skips it (its request gave up meanwhile). */
  send(message: MessageLike[], wanted?: () => boolean): Promise<void> {
    const next = this.tail.then(() => (wanted && !wanted() ? undefined : this.socket.send(message)));
    this.tail = next.catch(() => undefined);
    return next;
  }
}
