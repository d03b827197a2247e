/**
 * Arms of the rounds plan for scenarios that keep two targets up at once (the agent and the bare
 * fastify baseline). The plan's CPU per operation sums every target's CPU; here only one of the
 * two serves an arm while the other idles, so each arm keeps the CPU of the target that served it
 * (and the generator's): `<arm>_cpu_us_per_op` is then that server's cost per request alone.
 */
import { autocannonRun, type CannonSpec } from '@wirebench/kit-http';
import type { LoadSpec, Measurement, MeasureArm, ScenarioContext } from '@wirebench/kit';

/** The measurement with only `role`'s and the generator's CPU kept. */
export function servedBy(role: string, m: Measurement): Measurement {
  if (m.cpuS) m.cpuS = Object.fromEntries(Object.entries(m.cpuS).filter(([r]) => r === role || r === 'generator'));
  return m;
}

const labelOf = (label: string, round: number): string => `${label}, round ${round}`;

/** An open-loop (or any kit) load through one of the scenario's drivers, served by `role`. */
export function loadArm<E>(o: { name: string; label: string; role: string; driver: string; load: (ctx: ScenarioContext, round: number, env: E) => LoadSpec }): MeasureArm<E> {
  return {
    name: o.name,
    label: o.label,
    // Measured here (ctx.measure tracks it) so that the CPU can be attributed before the plan reads it.
    track: false,
    measure: async (ctx, round, env) => {
      const load = o.load(ctx, round, env);
      const m = await ctx.measure({ ...load, params: { ...(load.params ?? {}), arm: o.name, round } }, { driver: o.driver, label: labelOf(o.label, round) });
      return servedBy(o.role, m);
    },
  };
}

export type CannonTarget = Pick<CannonSpec, 'url' | 'method' | 'body' | 'verify'>;

/** A closed-loop autocannon run (kit-http) at saturation, served by `role`, tracked through ctx.external. */
export function cannonArm<E>(o: {
  name: string;
  label: string;
  role: string;
  target: (env: E) => CannonTarget;
  spec: (ctx: ScenarioContext) => Pick<CannonSpec, 'connections' | 'durationMs' | 'warmupMs'>;
}): MeasureArm<E> {
  return {
    name: o.name,
    label: o.label,
    track: false,
    measure: async (ctx, round, env) => {
      const label = labelOf(o.label, round);
      const run = await ctx.external(label, () => autocannonRun({ ...o.spec(ctx), ...o.target(env), label, signal: ctx.signal, sampling: ctx.sampling }));
      // Sent but never awaited when autocannon stopped: in no count, so said here.
      if (run.cutOff > 0) ctx.log(`${label}: ${run.cutOff} requests in flight when autocannon stopped (in no count)`);
      return servedBy(o.role, run.measurement);
    },
  };
}
