/**
 * The floor's batched acks: ids gathered under group commit's rule — a batch closes at `maxBatch`
 * ids or `maxDelayMs` after its first (0: after the current I/O callbacks) — and acknowledged with
 * one report per batch, as the service's group committer reports one commit. The floor for
 * core+group then waits as the bus does, minus SQLite and the service's decoding.
 */
export interface AckBatcher {
  add(id: string): void;
  /** Acknowledges what waits now. */
  flush(): void;
  readonly waiting: number;
}

export function createAckBatcher(o: { maxBatch: number; maxDelayMs: number; send(ids: string[]): void }): AckBatcher {
  let ids: string[] = [];
  let timer: NodeJS.Timeout | NodeJS.Immediate | null = null;
  const flush = (): void => {
    if (timer !== null) {
      if (o.maxDelayMs === 0) clearImmediate(timer as NodeJS.Immediate);
      else clearTimeout(timer as NodeJS.Timeout);
      timer = null;
    }
    while (ids.length > 0) {
      const batch = ids.length > o.maxBatch ? ids.splice(0, o.maxBatch) : ids;
      if (batch === ids) ids = [];
      o.send(batch);
    }
  };
  return {
    add(id) {
      ids.push(id);
      if (ids.length >= o.maxBatch) flush();
      else if (timer === null) timer = o.maxDelayMs === 0 ? setImmediate(flush) : setTimeout(flush, o.maxDelayMs);
    },
    flush,
    get waiting() {
      return ids.length;
    },
  };
}
