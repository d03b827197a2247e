/**
 * Max sustained persisted events/s: closed loop, `concurrency` events waiting for their commit at
 * once, for core/jetstream × each/group, beside the bare floors of the same payload (core
 * pub → echo → ack; JetStream publish → durable pull consumer → ack), in rounds. Each server runs
 * one service at a time (services.ts): the arm switches it before its measurement.
 */
import { closedLoop, defineScenario, rounds, type Arm, type ScenarioContext } from '@wirebench/kit';
import { eventDriver } from '../drivers.js';
import { serviceRole, startServiceSet, useService, type ServiceSet } from '../services.js';
import { startEcho, type Commit, type Delivery } from '../targets.js';

const CONCURRENCY = 64;
const load = (ctx: ScenarioContext) => closedLoop({ concurrency: CONCURRENCY, durationMs: ctx.smoke ? 1500 : 10_000, warmupMs: ctx.smoke ? 500 : 2000, timeoutMs: 10_000 });

const busArm = (d: Delivery, c: Commit): Arm<ServiceSet> => ({
  name: `${d === 'core' ? 'core' : 'js'}_${c}`,
  label: `${d} delivery, commit ${c}`,
  track: false, // measured through ctx.measure below
  async measure(ctx, round) {
    await useService(ctx, serviceRole(d, c), ctx.processes.targets.filter((t) => t.role.startsWith(`service-${d}-`)).map((t) => t.role));
    return ctx.measure({ ...load(ctx), params: { delivery: d, commit: c, concurrency: CONCURRENCY, round } }, { driver: `bus_${d}`, label: `${d} ${c}, round ${round}` });
  },
});

export const throughput = defineScenario<ServiceSet>({
  name: 'throughput',
  description: `max persisted events/s (closed loop, ${CONCURRENCY} waiting for their commit) for core/jetstream × each/group vs bare core and JetStream floors, rounds`,
  transport: 'nats',
  async setup(ctx) {
    const set = await startServiceSet(ctx, ['each', 'group']);
    await startEcho(ctx, set.urls.core, false, 'echo-core');
    await startEcho(ctx, set.urls.jetstream, true, 'echo-js');
    return set;
  },
  drivers: {
    bus_core: (env) => eventDriver({ url: env.urls.core, delivery: 'core', via: 'bus' }),
    bus_jetstream: (env) => eventDriver({ url: env.urls.jetstream, delivery: 'jetstream', via: 'bus' }),
    floor_core: (env) => eventDriver({ url: env.urls.core, delivery: 'core', via: 'floor' }),
    floor_js: (env) => eventDriver({ url: env.urls.jetstream, delivery: 'jetstream', via: 'floor' }),
  },
  run: rounds<ServiceSet>({
    rounds: { full: 3, smoke: 1 },
    arms: [
      busArm('core', 'each'),
      busArm('core', 'group'),
      { name: 'floor_core', label: 'bare core pub → echo → ack', driver: 'floor_core', load },
      busArm('jetstream', 'each'),
      busArm('jetstream', 'group'),
      { name: 'floor_js', label: 'bare JetStream publish → consume → ack', driver: 'floor_js', load },
    ],
    figures: ['rps', 'p50', 'p99'],
    ratios: [
      { name: 'core_group_vs_floor', of: 'core_group', to: 'floor_core' },
      { name: 'js_group_vs_floor', of: 'js_group', to: 'floor_js' },
      { name: 'js_each_vs_floor', of: 'js_each', to: 'floor_js' },
    ],
    measurement: 'core_group',
    failures: 'failures',
  }),
  // The seed's floor: at least 100 persisted events/s in every configuration; nothing lost.
  slo: ['failures == 0', 'core_each_rps >= 100', 'core_group_rps >= 100', 'js_each_rps >= 100', 'js_group_rps >= 100'],
  goals: ['core_group_vs_floor >= 0.4', 'js_group_vs_floor >= 0.5', 'js_each_vs_floor >= 0.5'],
});
