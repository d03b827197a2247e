/**
 * The max sustainable persisted-event rate of each configuration (core/jetstream × each/group):
 * open-loop steps of rising rate until a step breaks, per the kit's search plan. A closed loop
 * (the throughput scenario) only ever offers what was answered, so it cannot say at what arrival
 * rate the bus falls behind; this does. Information and the seed's ≥ 100/s, not the goals: a
 * step grid quantises the figure and each search runs minutes away from any floor, where the
 * throughput rounds compare neighbours. A scenario of its own so that a step where the generator
 * fell behind (the kit then marks the result invalid) never takes the goals' rounds with it.
 */
import { chain, defineScenario, openLoop, search, type Metric, type Plan, type RunOutput } from '@wirebench/kit';
import { eventDriver } from '../drivers.js';
import { CONFIGS, configKey, metricPrefix, serviceOf, startServiceSet, waitIdle, type ServiceSet } from '../services.js';
import type { Commit, Delivery } from '../targets.js';

/** A step breaks at ≥ 1 % failed (errors + timeouts + lost), p99 ≥ 500 ms, or under 95 % of the asked rate achieved. */
export const CAPACITY_BREAKS = ['errors >= 1%', 'p99 >= 500ms', 'achieved_pct < 95'];
/**
 * Smoke stays under what the generator keeps up with on two cores: in an open loop each event is
 * its own publish write and its own signal read (~330–460 µs of generator CPU), so past ~2,000/s
 * the generator falls behind before core delivery breaks (the step is then generator-limited).
 */
export const CAPACITY_RATES = { full: [1000, 2000, 3000, 4000, 6000, 8000, 10_000, 12_000, 15_000, 20_000], smoke: [500, 1000] };
/** The driver gives up on a signal (the op ends as a timeout) before the kit's own timeout; a broken step ends in bounded time. */
const FORGET_AFTER_MS = 2500;
const TIMEOUT_MS = 3000;

/** A plan's metrics under `<prefix>_` (four searches share one result). */
export function prefixed(prefix: string, out: RunOutput): Record<string, Metric> {
  return Object.fromEntries(Object.entries(out.metrics ?? {}).map(([k, v]) => [`${prefix}_${k}`, v]));
}

/** One configuration's search, then a wait until its service has drained what a broken step left (it would run beside the next search). */
function searchOf(d: Delivery, c: Commit): Plan<ServiceSet> {
  const prefix = metricPrefix(d, c);
  const plan = search<ServiceSet>({
    rates: CAPACITY_RATES,
    breaks: CAPACITY_BREAKS,
    driver: configKey(d, c),
    // Every step warms up at its own rate: each runs in a fresh generator thread (isolate), whose
    // JIT made 10–21 % of a cold step's sends late; the first step's warm-up is the longest.
    step: (rate, i, ctx) => openLoop({ rate, durationMs: ctx.smoke ? 1000 : 5000, warmupMs: i === 0 ? (ctx.smoke ? 1000 : 2000) : ctx.smoke ? 500 : 1000, isolate: true, maxInFlight: 100_000, timeoutMs: TIMEOUT_MS, params: { delivery: d, commit: c } }),
  });
  return async (ctx, env) => {
    const out = await plan(ctx, env);
    const notes = (out.notes ?? []).map((n) => `${prefix}: ${n}`);
    if (!(await waitIdle(serviceOf(env, d, c)))) notes.push(`${prefix}: the service had not drained its backlog 30 s after the last step; the next search shared the CPUs with it`);
    return { ...(out.measurement ? { measurement: out.measurement } : {}), metrics: prefixed(prefix, out), notes, invalidReasons: out.invalidReasons ?? [] };
  };
}

export const capacity = defineScenario<ServiceSet>({
  name: 'capacity',
  description: 'max sustainable persisted events/s per configuration (core/jetstream × each/group): open-loop steps until failed ≥ 1 %, p99 ≥ 500 ms or achieved < 95 %',
  transport: 'nats',
  setup: (ctx) => startServiceSet(ctx, CONFIGS),
  drivers: Object.fromEntries(CONFIGS.map(({ delivery, commit }) => [configKey(delivery, commit), (env: ServiceSet) => eventDriver({ url: serviceOf(env, delivery, commit).url, delivery, via: 'bus', forgetAfterMs: FORGET_AFTER_MS })])),
  // The result's measurement: core+group's steps (the bot's production setting); every search's figures are metrics.
  run: chain(CONFIGS.map((x) => searchOf(x.delivery, x.commit)), { measurement: CONFIGS.findIndex((x) => x.delivery === 'core' && x.commit === 'group') }),
  // The seed's floor: at least 100 persisted events/s sustained in every configuration.
  slo: CONFIGS.map((x) => `${metricPrefix(x.delivery, x.commit)}_max_sustainable_rps >= 100`),
});
