/**
 * Fault actions a stage carries (StageInput.faults), and the schedule that fires them: in the
 * main thread (targets are controlled there), at the first worker's start of the stage + atMs,
 * on the engine's own clock. Every fault ends as a FaultRecord in the stage's result: fired (with
 * when it was done, or its error), or not fired because the stage ended first.
 */
import { nowUs } from './clock.js';
import type { StageEvent } from './load.js';
import type { ScenarioContext } from '../suite/suite.js';
import type { FaultRecord } from '../results/types.js';
import { WbError } from '../errors.js';

/**
 * One fault. Roles name targets started through ctx.processes:
 * - `{ kill: role }`: SIGKILL to the target's process group, resolves once it is gone;
 * - `{ restart: role }`: stop it if running (SIGCONT first, in case it was SIGSTOPped), start it again, wait until ready;
 * - `{ stop: role }` / `{ cont: role }`: SIGSTOP / SIGCONT to its process group (a freeze, then a thaw);
 * - `{ signal, role }`: any signal to the target's own pid (e.g. SIGUSR2 to a handler that stalls);
 * - `{ name, run }`: any async function (e.g. kill a pid a target reported, restart a container);
 * - a list: the actions in turn, as one fault (e.g. `[{ kill: 'w' }, { restart: 'w' }]`).
 */
export type FaultAction =
  | { readonly kill: string }
  | { readonly restart: string }
  | { readonly stop: string }
  | { readonly cont: string }
  | { readonly signal: NodeJS.Signals; readonly role: string }
  | { readonly name: string; readonly run: (ctx: ScenarioContext) => Promise<void> | void }
  | readonly FaultAction[];

/** A fault `atMs` after its stage's start (the first generator worker's). */
export interface StageFault {
  readonly atMs: number;
  readonly action: FaultAction;
}

/** Carries out a fault action (the runner's resolves roles through ctx.processes; see process/fault-actions.ts). */
export type FireFault = (action: FaultAction) => Promise<void>;

/** 'kill worker-1', 'restart broker', 'SIGSTOP worker-2', 'SIGUSR2 worker-2', a run's name; a list joined by ' + '. */
export function describeFault(a: FaultAction): string {
  if (Array.isArray(a)) return (a as readonly FaultAction[]).map(describeFault).join(' + ');
  const x = a as Exclude<FaultAction, readonly FaultAction[]>;
  if ('kill' in x) return `kill ${x.kill}`;
  if ('restart' in x) return `restart ${x.restart}`;
  if ('stop' in x) return `SIGSTOP ${x.stop}`;
  if ('cont' in x) return `SIGCONT ${x.cont}`;
  if ('signal' in x) return `${x.signal} ${x.role}`;
  return x.name;
}

function actionProblem(a: unknown): string | null {
  if (Array.isArray(a)) return a.length === 0 ? 'an empty list of actions' : (a.map(actionProblem).find((p) => p) ?? null);
  if (!a || typeof a !== 'object') return 'not an action';
  const x = a as Record<string, unknown>;
  for (const k of ['kill', 'restart', 'stop', 'cont'] as const) if (k in x) return typeof x[k] === 'string' && x[k] ? null : `${k} needs a role`;
  if ('signal' in x) return typeof x.signal === 'string' && typeof x.role === 'string' && x.role ? null : 'signal needs a signal name and a role';
  if ('run' in x) return typeof x.run === 'function' && typeof x.name === 'string' && x.name ? null : 'run needs a function and a name';
  return 'unknown action (kill, restart, stop, cont, signal + role, or name + run)';
}

/** Throws a coded error for a fault that could never fire where it is planned. */
export function checkFaults(stage: string, durationMs: number, faults: readonly StageFault[]): void {
  for (const f of faults) {
    if (!(Number.isFinite(f.atMs) && f.atMs >= 0 && f.atMs < durationMs)) {
      throw new WbError('WB_ERR_INVALID_OPTION', `stage ${stage}: a fault's atMs must be >= 0 and below the stage's durationMs (${durationMs}), got ${f.atMs}`);
    }
    const problem = actionProblem(f.action);
    if (problem) throw new WbError('WB_ERR_INVALID_OPTION', `stage ${stage}: fault at ${f.atMs} ms: ${problem}`);
  }
}

interface StageSlot {
  faults: readonly StageFault[];
  /** The first worker's start of this stage on the main thread's clock (µs), once heard. */
  startUs: number | null;
  ended: boolean;
  timers: Array<NodeJS.Timeout | null>;
  records: FaultRecord[];
}

const round = (ms: number): number => Math.round(ms * 10) / 10;

/**
 * Fires the faults of every stage. Fed the workers' stage events: a stage's first 'start' arms
 * its faults (at start + atMs, from the start time the worker stamped), its first 'end' disarms
 * what has not fired yet. `finish()` waits for every fired action to complete.
 */
export class FaultSchedule {
  private readonly slots: StageSlot[];
  private readonly running: Array<Promise<void>> = [];

  constructor(faults: ReadonlyArray<readonly StageFault[]>, private readonly fire: FireFault) {
    this.slots = faults.map((fs) => ({
      faults: fs,
      startUs: null,
      ended: false,
      timers: fs.map(() => null),
      records: fs.map((f) => ({ action: describeFault(f.action), atMs: f.atMs, firedAtMs: null, doneMs: null })),
    }));
  }

  /** Stage start times heard so far (main thread clock, µs), by stage index. */
  startUs(index: number): number | null {
    return this.slots[index]?.startUs ?? null;
  }

  onStage(e: StageEvent): void {
    const s = this.slots[e.index];
    if (!s) return;
    if (e.phase === 'end') {
      if (!s.ended) this.disarm(s);
      s.ended = true;
      return;
    }
    if (s.startUs !== null) return;
    s.startUs = e.atUs;
    s.faults.forEach((f, j) => this.arm(s, j, s.startUs! + f.atMs * 1000));
  }

  private arm(s: StageSlot, j: number, dueUs: number): void {
    const wait = (dueUs - nowUs()) / 1000;
    // Node's timers can fire up to a millisecond early: re-armed until due.
    s.timers[j] = setTimeout(() => (nowUs() < dueUs - 200 ? this.arm(s, j, dueUs) : this.strike(s, j)), Math.max(0, wait));
  }

  private strike(s: StageSlot, j: number): void {
    s.timers[j] = null;
    if (s.ended || s.startUs === null) return;
    const startUs = s.startUs;
    const rec = s.records[j]!;
    rec.firedAtMs = round((nowUs() - startUs) / 1000);
    const done = (): number => round((nowUs() - startUs) / 1000);
    this.running.push(
      Promise.resolve()
        .then(() => this.fire(s.faults[j]!.action))
        .then(
          () => {
            rec.doneMs = done();
          },
          (err: unknown) => {
            rec.doneMs = done();
            rec.error = err instanceof Error ? err.message : String(err);
          },
        ),
    );
  }

  private disarm(s: StageSlot): void {
    for (const [j, t] of s.timers.entries()) {
      if (t) clearTimeout(t);
      s.timers[j] = null;
    }
  }

  /** Disarms what has not fired, waits for what has, and returns each stage's records. */
  async finish(): Promise<FaultRecord[][]> {
    for (const s of this.slots) this.disarm(s);
    // Actions may fire others meanwhile (none do today): wait until no new one is added.
    for (let n = -1; n !== this.running.length; ) {
      n = this.running.length;
      await Promise.all(this.running);
    }
    return this.slots.map((s) => s.records);
  }
}
