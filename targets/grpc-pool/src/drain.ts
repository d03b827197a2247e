/**
 * Back-pressure on a server stream: after write() returned false, wait for 'drain' — or for
 * 'cancelled', because a client that cancels with a full buffer never drains it, and a writer
 * waiting for drain alone would hold its call (and a pool's worker slot) for good.
 */
export function drainOrCancel(call: NodeJS.EventEmitter): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => {
      call.off('drain', done);
      call.off('cancelled', done);
      resolve();
    };
    call.once('drain', done);
    call.once('cancelled', done);
  });
}
