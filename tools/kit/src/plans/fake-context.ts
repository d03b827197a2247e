/**
 * A ScenarioContext for plan tests: ctx.measure runs the kit's engine in this thread against
 * in-process drivers, and every measurement and track is written down.
 */
import { OK, errorOutcome, type Driver, type Outcome } from '../engine/driver.js';
import { measure, type Measurement } from '../engine/measure.js';
import { Processes } from '../process/processes.js';
import type { LoadSpec, ScenarioContext } from '../suite/suite.js';

export interface FakeContext {
  ctx: ScenarioContext;
  controller: AbortController;
  /** Every ctx.measure call, in order: its label, driver and load. */
  measured: Array<{ label: string; driver: string | undefined; load: LoadSpec; m: Measurement; probe?: boolean }>;
  tracked: string[];
  logs: string[];
}

export function fakeContext(
  drivers: Record<string, (load: LoadSpec) => Driver<any>>,
  opts: {
    smoke?: boolean;
    /**
     * Plan tests test plans, not the engine's schedule-keeping (engine tests do): on a machine busy
     * with other work, a short open-loop stage may count late sends or a busy event loop, and its
     * generator checks fail. This clears both (before `after`, which may set them on purpose).
     */
    steadyGenerator?: boolean;
    /** Called with each finished measurement (may change it, e.g. add cpuS, or abort). */
    after?: (m: Measurement, call: { label: string; driver: string | undefined; load: LoadSpec; index: number }, controller: AbortController) => void;
  } = {},
): FakeContext {
  const controller = new AbortController();
  const out: FakeContext = { controller, measured: [], tracked: [], logs: [], ctx: undefined as unknown as ScenarioContext };
  out.ctx = {
    suite: 'plans',
    scenario: 'test',
    smoke: opts.smoke ?? false,
    signal: controller.signal,
    processes: new Processes(),
    results: new Map(),
    params: {},
    log: (l) => void out.logs.push(l),
    sampling: { begin: () => {}, end: () => {} },
    track: (m, label) => {
      out.tracked.push(label);
      return m;
    },
    external: async (label, run) => {
      const r = await run();
      out.tracked.push(label);
      return r;
    },
    measure: async (load, mo) => {
      const name = mo?.driver ?? 'default';
      const factory = drivers[name];
      if (!factory) throw new Error(`no driver ${name}`);
      const m = await measure(load, { driverFactory: () => factory(load), signal: controller.signal });
      const call = { label: mo?.label ?? name, driver: mo?.driver, load, index: out.measured.length, probe: mo?.probe === true };
      out.measured.push({ ...call, m });
      if (opts.steadyGenerator) {
        for (const st of m.stages) {
          for (const w of st.workers) {
            w.busy = Math.min(w.busy, 0.5);
            if (w.snapshot) w.snapshot.counts.late = 0;
          }
        }
      }
      opts.after?.(m, call, controller);
      return m;
    },
  };
  return out;
}

/** Answers at once; with `errorEvery` = k, every k-th operation is an error of kind `refused`. */
export function instant(errorEvery = 0): Driver<null> {
  let n = 0;
  // Built apart from the return so it suits Driver with or without a `transport` field.
  const driver = {
    open: () => null,
    perform: (): Outcome => (errorEvery > 0 && ++n % errorEvery === 0 ? errorOutcome('refused') : OK),
    close: () => {},
  };
  return driver;
}

/** Answers after a timer of `ms`. */
export function delayed(ms: number): Driver<null> {
  const driver = { open: () => null, perform: () => new Promise<Outcome>((r) => setTimeout(r, ms, OK)), close: () => {} };
  return driver;
}
