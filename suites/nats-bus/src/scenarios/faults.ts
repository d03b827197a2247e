/**
 * Faults under load (open loop, per-operation trace): the service killed with -9 and restarted,
 * then its nats-server restarted, for core and jetstream delivery with commit each and group
 * (smoke: commit each only). Core loses what is published while nobody listens
 * (counted, the seed's ≥ 75 % kept); jetstream must lose nothing and store nothing twice.
 */
import { defineScenario, Figures, type LoadSpec, type ScenarioContext } from '@wirebench/kit';
import { resolveJetStreamOptions } from '@wirebench/nats-bus';
import { eventDriver } from '../drivers.js';
import { faultFigures } from '../figures.js';
import { configKey, serviceOf, startServiceSet, type Config, type ServiceInfo, type ServiceSet } from '../services.js';
import type { Delivery } from '../targets.js';

const RATE = 200;

/** Configurations measured: every one in full runs; smoke keeps commit each (the original), within its time. */
export function faultConfigs(smoke: boolean): Config[] {
  const all: Config[] = [
    { delivery: 'core', commit: 'each' },
    { delivery: 'jetstream', commit: 'each' },
    { delivery: 'jetstream', commit: 'group' },
    { delivery: 'core', commit: 'group' },
  ];
  return smoke ? all.slice(0, 2) : all;
}

/** Metric prefix: commit each keeps the names the SLOs and goals have always used (`core_…`, `jetstream_…`). */
export const faultPrefix = (x: Config): string => (x.commit === 'each' ? x.delivery : `${x.delivery}_group`);

export interface FaultTimes {
  /** Into its stage, when each fault fires (ms). */
  faultAtMs: number;
  baselineMs: number;
  /** Stage lengths: the kill's recovery window runs from its fault to the restart's fault, the restart's to the load's end. */
  killStageMs: number;
  restartStageMs: number;
  /** The driver gives up waiting for a signal, looks the id up in the database, and settles the op itself… */
  forgetAfterMs: number;
  /** …before the kit's timeout would end it. */
  timeoutMs: number;
}

/**
 * The windows. JetStream redelivers what a killed service held after ack_wait (5 s): its kill
 * window must hold the fault, ack_wait and a quiet second after. Core: an event nobody received
 * never gets a signal; 3 s is far past any normal commit. JetStream: such an event comes back
 * after ack_wait, so its driver waits 20 s (it also looks the id up in the database from 500 ms late).
 */
export function faultTimes(d: Delivery, smoke: boolean): FaultTimes {
  return {
    faultAtMs: 1000,
    baselineMs: smoke ? 1500 : 5000,
    killStageMs: d === 'core' ? (smoke ? 5000 : 10_000) : smoke ? 9000 : 15_000,
    restartStageMs: smoke ? 6000 : 10_000,
    forgetAfterMs: d === 'core' ? 3000 : 20_000,
    timeoutMs: d === 'core' ? 6000 : 25_000,
  };
}

/** The service's ack_wait, which the jetstream kill window must outlast. */
export const ACK_WAIT_MS = resolveJetStreamOptions().ackWaitMs;
/** kill -9, start, READY: what the kill's restart takes, with room to spare (observed: ~150 ms). */
export const SERVICE_RESTART_MS = 1000;
/** nats-server restart until events flow on time again: core ~350 ms observed; JetStream 2.4 s to over 3 s (its store is recovered first, then the 250 ms reconnect and the resent backlog). */
export const NATS_RESTART_MS: Record<Delivery, number> = { core: 1000, jetstream: 3500 };
/** The kit's recovery rule: the last disturbance counts as over once this long of undisturbed sends followed it. */
export const QUIET_MS = 1000;

/**
 * Why these windows could not show a recovery: each fault's window (fault → the next fault, or
 * the last stage's end) must hold the time its disturbed events take to settle and the quiet
 * period after. Core: what is published while the service or server is down is lost, and known
 * lost only when the driver gives up on it (forgetAfterMs after its send). JetStream: what a
 * killed service held comes back after ack_wait; a server restart delays events by its outage
 * (the bus resends until the PubAck; a swallowed signal is found in the database).
 */
export function windowProblems(d: Delivery, t: FaultTimes): string[] {
  const out: string[] = [];
  const killWindow = t.killStageMs; // to the restart fault, faultAtMs into the next stage
  const restartWindow = t.restartStageMs - t.faultAtMs; // sends stop at the stage's end
  const killSettle = d === 'core' ? SERVICE_RESTART_MS + t.forgetAfterMs : ACK_WAIT_MS;
  const restartSettle = NATS_RESTART_MS[d] + (d === 'core' ? t.forgetAfterMs : 0);
  if (killWindow < killSettle + QUIET_MS) out.push(`${d}: kill window ${killWindow} ms < ${killSettle} + ${QUIET_MS} ms`);
  if (restartWindow < restartSettle + QUIET_MS) out.push(`${d}: nats restart window ${restartWindow} ms < ${restartSettle} + ${QUIET_MS} ms`);
  if (t.forgetAfterMs >= t.timeoutMs) out.push(`${d}: the driver must give up (${t.forgetAfterMs} ms) before the kit's timeout (${t.timeoutMs} ms)`);
  if (d === 'jetstream' && t.forgetAfterMs < ACK_WAIT_MS + SERVICE_RESTART_MS) out.push(`jetstream: an event held by a killed service is redelivered after ack_wait (${ACK_WAIT_MS} ms): the driver must wait longer (${t.forgetAfterMs} ms)`);
  return out;
}

function faultLoad(s: ServiceInfo, smoke: boolean): LoadSpec {
  const t = faultTimes(s.delivery, smoke);
  return {
    trace: true,
    timeoutMs: t.timeoutMs,
    params: { delivery: s.delivery, commit: s.commit, rate: RATE },
    stages: [
      { name: 'warmup', model: 'open', rate: RATE, durationMs: 500, warmup: true },
      { name: 'baseline', model: 'open', rate: RATE, durationMs: t.baselineMs },
      { name: 'service_kill', model: 'open', rate: RATE, durationMs: t.killStageMs, faults: [{ atMs: t.faultAtMs, action: [{ kill: s.role }, { restart: s.role }] }] },
      { name: 'nats_restart', model: 'open', rate: RATE, durationMs: t.restartStageMs, faults: [{ atMs: t.faultAtMs, action: { restart: s.natsRole } }] },
    ],
  };
}

export const faults = defineScenario<ServiceSet>({
  name: 'faults',
  description: `service kill -9 + restart and nats-server restart at ${RATE}/s: lost, duplicated, recovery time (core and jetstream, commit each and group; smoke: commit each)`,
  transport: 'nats',
  setup: (ctx) => startServiceSet(ctx, faultConfigs(ctx.smoke)),
  drivers: Object.fromEntries(faultConfigs(false).map((x) => [configKey(x.delivery, x.commit), (env: ServiceSet) => {
    const s = serviceOf(env, x.delivery, x.commit);
    return eventDriver({ url: s.url, delivery: s.delivery, via: 'bus', forgetAfterMs: faultTimes(s.delivery, false).forgetAfterMs, dbPath: s.dbPath });
  }])),
  async run(ctx: ScenarioContext, env) {
    const f = new Figures();
    const invalid: string[] = [];
    let last;
    for (const x of faultConfigs(ctx.smoke)) {
      if (ctx.signal.aborted) break;
      const prefix = faultPrefix(x);
      const m = await ctx.measure(faultLoad(serviceOf(env, x.delivery, x.commit), ctx.smoke), { driver: configKey(x.delivery, x.commit), label: `${prefix} faults` });
      last = m;
      const out = faultFigures(prefix, f.add(`${prefix} faults`, m).counts, m);
      Object.assign(f.metrics, out.metrics);
      // Core keeps losing until the service is back: an unrecovered core window is a finding, not a broken run.
      if (x.delivery === 'jetstream') invalid.push(...out.problems);
      else f.notes.push(...out.problems);
    }
    return { ...f.output(last), invalidReasons: invalid };
  },
  slo: (ctx) => [
    'core_stored_pct >= 75', 'jetstream_failed == 0', 'jetstream_duplicated == 0',
    ...(ctx.smoke ? [] : ['core_group_stored_pct >= 75', 'jetstream_group_failed == 0', 'jetstream_group_duplicated == 0']),
  ],
  goals: (ctx) => [
    'recovery_jetstream_service_kill_ms <= 10000', 'recovery_jetstream_nats_restart_ms <= 5000',
    ...(ctx.smoke ? [] : ['recovery_jetstream_group_service_kill_ms <= 10000', 'recovery_jetstream_group_nats_restart_ms <= 5000']),
  ],
});
