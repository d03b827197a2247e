/**
 * Session affinity as a client sees it: each reply of the pool's front names the worker that ran
 * the call (metadata worker_id). A call is a hit when it ran on the worker that served its
 * session's latest reply received before the call was sent, a miss when it ran elsewhere, and
 * neither when its session had no reply yet. Only calls sent inside the measured stages count.
 */

export interface AffinityOp {
  /** Sent (µs, the kit's main-thread performance.now() clock, as Measurement stages' startUs). */
  sentUs: number;
  session: string;
  /** The session's worker as last seen when the call was sent; null: none yet. */
  expected: string | null;
  /** The worker the reply named; null: failed or named none. */
  served: string | null;
  /** null: ok; else the error kind. */
  kind: string | null;
}

export class AffinityLog {
  readonly ops: AffinityOp[] = [];
  private readonly last = new Map<string, string>();

  expected(session: string): string | null {
    return this.last.get(session) ?? null;
  }

  record(op: AffinityOp): void {
    this.ops.push(op);
    if (op.served) this.last.set(op.session, op.served);
  }
}

export interface AffinityFigures {
  calls: number;
  ok: number;
  hits: number;
  misses: number;
  /** Ok calls whose session had no earlier reply. */
  first: number;
  /** hits ÷ (hits + misses); NaN when none could be judged. */
  hitRate: number;
  /** Ok calls that named no worker (a front that does not say). */
  unnamed: number;
  errorsByKind: Record<string, number>;
}

/** Figures of the calls sent inside `windows` ([fromUs, toUs], the measured stages). */
export function affinityFigures(ops: readonly AffinityOp[], windows: ReadonlyArray<readonly [number, number]>): AffinityFigures {
  const f: AffinityFigures = { calls: 0, ok: 0, hits: 0, misses: 0, first: 0, hitRate: NaN, unnamed: 0, errorsByKind: {} };
  for (const op of ops) {
    if (!windows.some(([a, b]) => op.sentUs >= a && op.sentUs < b)) continue;
    f.calls++;
    if (op.kind) {
      f.errorsByKind[op.kind] = (f.errorsByKind[op.kind] ?? 0) + 1;
      continue;
    }
    f.ok++;
    if (!op.served) f.unnamed++;
    else if (op.expected === null) f.first++;
    else if (op.served === op.expected) f.hits++;
    else f.misses++;
  }
  if (f.hits + f.misses > 0) f.hitRate = f.hits / (f.hits + f.misses);
  return f;
}

/**
 * The session mix: half the calls go to two hot sessions, the rest spread over 14 others; seq is
 * the operation's sequence number in its generator worker.
 */
export function sessionOf(seq: number): string {
  const k = seq % 10;
  // The n-th hot (or cold) call of the sequence, so that each group takes its sessions in turn.
  const n = Math.floor(seq / 10) * 5 + (k < 5 ? k : k - 5);
  return k < 5 ? `hot-${n % 2}` : `cold-${n % 14}`;
}
