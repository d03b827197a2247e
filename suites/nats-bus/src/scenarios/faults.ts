/**
 * Faults under load (open loop, per-operation trace): the service killed with -9 and restarted,
 * then nats-server restarted, for core and jetstream delivery. Core loses what is published while
 * nobody listens (counted, the seed's ≥ 75 % kept); jetstream must lose nothing and store nothing twice.
 */
import { defineScenario, Figures, recoveries, recoveryMetrics, type LoadSpec, type ScenarioContext } from '@wirebench/kit';
import { eventDriver } from '../drivers.js';
import { startServiceSet, serviceRole, type ServiceSet } from '../services.js';
import type { Delivery } from '../targets.js';

const RATE = 200;

function faultLoad(ctx: ScenarioContext, d: Delivery): LoadSpec {
  const service = serviceRole(d, 'each');
  const nats = `nats-${d}`;
  // JetStream redelivers what a killed service held after ack_wait (5 s): its window must outlast that.
  const killWindow = d === 'core' ? (ctx.smoke ? 4000 : 10_000) : ctx.smoke ? 9000 : 15_000;
  const restartWindow = ctx.smoke ? 5000 : 10_000;
  return {
    trace: true,
    // Core: an event nobody received never gets a signal; 3 s is far past any normal commit.
    // JetStream: a kill -9 leaves delivered, unacked events to come back after ack_wait (5 s).
    // The driver gives up first (forgetAfterMs) and looks the id up in the database, so the kit's timeout never ends one.
    timeoutMs: d === 'core' ? 6000 : 25_000,
    params: { delivery: d, rate: RATE },
    stages: [
      { name: 'warmup', model: 'open', rate: RATE, durationMs: 500, warmup: true },
      { name: 'baseline', model: 'open', rate: RATE, durationMs: ctx.smoke ? 1500 : 5000 },
      { name: 'service_kill', model: 'open', rate: RATE, durationMs: killWindow, faults: [{ atMs: 1000, action: [{ kill: service }, { restart: service }] }] },
      { name: 'nats_restart', model: 'open', rate: RATE, durationMs: restartWindow, faults: [{ atMs: 1000, action: { restart: nats } }] },
    ],
  };
}

export const faults = defineScenario<ServiceSet>({
  name: 'faults',
  description: `service kill -9 + restart and nats-server restart at ${RATE}/s: lost, duplicated, recovery time (core and jetstream)`,
  transport: 'nats',
  setup: (ctx) => startServiceSet(ctx, ['each']),
  drivers: {
    core: (env) => eventDriver({ url: env.urls.core, delivery: 'core', via: 'bus', forgetAfterMs: 3000, dbPath: env.dbPaths[serviceRole('core', 'each')]! }),
    jetstream: (env) => eventDriver({ url: env.urls.jetstream, delivery: 'jetstream', via: 'bus', forgetAfterMs: 20_000, dbPath: env.dbPaths[serviceRole('jetstream', 'each')]! }),
  },
  async run(ctx) {
    const f = new Figures();
    const invalid: string[] = [];
    let last;
    for (const d of ['core', 'jetstream'] as const) {
      const m = await ctx.measure(faultLoad(ctx, d), { driver: d, label: `${d} faults` });
      last = m;
      const s = f.add(`${d} faults`, m);
      const c = s.counts;
      f.value(`${d}_stored_pct`, c.sent ? ((c.ok + c.retried) / c.sent) * 100 : 0, '%', 'higher', `${d}: events committed of those sent, faults included`);
      f.value(`${d}_failed`, c.errors + c.timeouts + c.lost, 'ops', 'lower', `${d}: events never signalled committed (core: published while nobody listened)`);
      const dup = m.trace ? m.trace.duplicates.reduce((a: number, x: number) => a + x, 0) : 0;
      f.value(`${d}_duplicated`, dup, 'events', 'lower', `${d}: events stored twice or re-sent and found stored (commit signal)`);
      const r = recoveries(m, { baselineStage: 'baseline' });
      for (const { fault, recovery } of r.faults) {
        const out = recoveryMetrics(`${d}_${fault.stage}`, `${d}, ${fault.action}`, recovery);
        Object.assign(f.metrics, out.metrics);
        // Core keeps losing until the service is back: an unrecovered core window is a finding, not a broken run.
        if (d === 'jetstream') invalid.push(...out.problems);
        else f.notes.push(...out.problems);
      }
    }
    return { ...f.output(last), invalidReasons: invalid };
  },
  slo: ['core_stored_pct >= 75', 'jetstream_failed == 0', 'jetstream_duplicated == 0'],
  goals: ['recovery_jetstream_service_kill_ms <= 10000', 'recovery_jetstream_nats_restart_ms <= 5000'],
});
